import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { FormGroup } from '@angular/forms';
import { provideRouter } from '@angular/router';
import { unmappedPaths } from '../../../../testing/api-paths';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { fieldControl } from '../../../core/forms/field-errors';
import { INTAKE_PATHS, IntakePage } from './intake-page';

/** Not asked for in a post-raid intake: a refusal is named in words in the banner. */
const NOT_EDITABLE: Readonly<Record<string, string>> = {
  'people.0.identity.phone': 'the intake asks for no phone number (added later on the person)',
};

describe('intake: every API field has a control', () => {
  it('maps each path of BulkIntakeDto to a control of its row or of the event', () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        provideRouter([]),
      ],
    });
    const f = (
      TestBed.createComponent(IntakePage).componentInstance as unknown as {
        form: FormGroup;
      }
    ).form;
    const missing = unmappedPaths(
      ['BulkIntakeDto'],
      (path) => fieldControl(f, path, INTAKE_PATHS) !== null,
      NOT_EDITABLE,
    );
    expect(missing).toEqual([]);
    expect(fieldControl(f, 'people[0].identity.dateOfBirth', INTAKE_PATHS)).toBe(
      f.get('people.0.dateOfBirth'),
    );
    expect(fieldControl(f, 'people.0.identity.sex', INTAKE_PATHS)).toBe(f.get('people.0.sex'));
    expect(fieldControl(f, 'event.occurredOn', INTAKE_PATHS)).toBe(f.get('event.occurredOn'));
  });
});
