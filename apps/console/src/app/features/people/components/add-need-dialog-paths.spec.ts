import { TestBed } from '@angular/core/testing';
import type { FormGroup } from '@angular/forms';
import { MatDialogRef } from '@angular/material/dialog';
import { requestPaths, unmappedPaths } from '../../../../testing/api-paths';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { fieldControl } from '../../../core/forms/field-errors';
import { ADD_NEED_PATHS, AddNeedDialog } from './add-need-dialog';

/** Sent by the console itself, never typed: a refusal is named in words in the banner. */
const NOT_EDITABLE: Readonly<Record<string, string>> = {
  personId: 'the person whose page this is',
  contactId: 'a need added here belongs to no contact (never sent)',
};

describe('add need dialog: every API field has a control', () => {
  it('maps each path of CreateNeedDto to a control', () => {
    TestBed.configureTestingModule({
      providers: [provideTranslocoTesting(), { provide: MatDialogRef, useValue: {} }],
    });
    const f = (
      TestBed.createComponent(AddNeedDialog).componentInstance as unknown as { form: FormGroup }
    ).form;
    const missing = unmappedPaths(
      ['CreateNeedDto'],
      (path) => fieldControl(f, path, ADD_NEED_PATHS) !== null,
      NOT_EDITABLE,
    );
    expect(missing).toEqual([]);
    expect(requestPaths('CreateNeedDto')).toContain('priority');
    expect(fieldControl(f, 'priority', ADD_NEED_PATHS)).toBe(f.get('priority'));
    expect(fieldControl(f, 'personId', ADD_NEED_PATHS)).toBeNull();
  });
});
