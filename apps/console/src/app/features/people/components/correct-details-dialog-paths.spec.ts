import { TestBed } from '@angular/core/testing';
import type { FormGroup } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import type { PersonView } from '@harbour/domain';
import { requestPaths, unmappedPaths } from '../../../../testing/api-paths';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { fieldControl } from '../../../core/forms/field-errors';
import {
  CORRECT_DETAILS_PATHS,
  CorrectDetailsDialog,
  type CorrectDetailsData,
} from './correct-details-dialog';

/** Sent by the console itself, or edited elsewhere: a refusal is named in words in the banner. */
const NOT_EDITABLE: Readonly<Record<string, string>> = {
  version: "the person's own version, as the page read it",
  consentToReporting: 'recorded on the consents panel (aggregate reporting), not here',
};

describe('correct details: every API field has a control', () => {
  it('maps each path of UpdatePersonDto to a control', () => {
    const data: CorrectDetailsData = {
      person: { id: 'p-1', version: 1, identityFields: [] } as unknown as PersonView,
      revealed: null,
    };
    TestBed.configureTestingModule({
      providers: [
        provideTranslocoTesting(),
        { provide: MatDialogRef, useValue: {} },
        { provide: MAT_DIALOG_DATA, useValue: data },
      ],
    });
    const f = (
      TestBed.createComponent(CorrectDetailsDialog).componentInstance as unknown as {
        form: FormGroup;
      }
    ).form;
    const missing = unmappedPaths(
      ['UpdatePersonDto'],
      (path) => fieldControl(f, path, CORRECT_DETAILS_PATHS) !== null,
      NOT_EDITABLE,
    );
    expect(missing).toEqual([]);
    expect(requestPaths('UpdatePersonDto')).toContain('identity.dateOfBirth');
    expect(fieldControl(f, 'identity.dateOfBirth', CORRECT_DETAILS_PATHS)).toBe(
      f.get('identity.dateOfBirth'),
    );
    expect(fieldControl(f, 'version', CORRECT_DETAILS_PATHS)).toBeNull();
  });
});
