import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { FormGroup } from '@angular/forms';
import { provideRouter } from '@angular/router';
import { requestPaths, unmappedPaths } from '../../../../testing/api-paths';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { fieldControl } from '../../../core/forms/field-errors';
import { LOG_CONTACT_PATHS, LogContactPage } from './log-contact-page';

/** Sent by the console itself, never typed: a refusal is named in words in the banner. */
const NOT_EDITABLE: Readonly<Record<string, string>> = {
  personId: 'the returning person is chosen on the find page',
  checkDuplicates: 'set by the duplicate warning, not a field',
};

describe('log contact: every API field has a control', () => {
  function form(): FormGroup {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideRouter([]),
      ],
    });
    return (
      TestBed.createComponent(LogContactPage).componentInstance as unknown as {
        form: FormGroup;
      }
    ).form;
  }

  it('maps each path of CreateContactDto and CreatePersonDto to a control', () => {
    const f = form();
    const missing = unmappedPaths(
      ['CreateContactDto', 'CreatePersonDto'],
      (path) => fieldControl(f, path, LOG_CONTACT_PATHS) !== null,
      NOT_EDITABLE,
    );
    expect(missing).toEqual([]);
    // The check sees the paths (it would pass on none).
    expect(requestPaths('CreatePersonDto')).toContain('identity.dateOfBirth');
    expect(fieldControl(f, 'identity.dateOfBirth', LOG_CONTACT_PATHS)).toBe(
      f.get('newPerson.dateOfBirth'),
    );
    expect(fieldControl(f, 'needs.0.category', LOG_CONTACT_PATHS)).toBe(f.get('needs'));
  });
});
