import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { FormGroup } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import { requestPaths, unmappedPaths } from '../../../../testing/api-paths';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { staffUser } from '../../../../testing/session';
import { fieldControl } from '../../../core/forms/field-errors';
import { UsersStore } from '../data/users.store';
import { EDIT_USER_PATHS, EditUserDialog } from './edit-user-dialog';

/** Not one control of this dialog: a refusal is named in words in the dialog's banner. */
const NOT_EDITABLE: Readonly<Record<string, string>> = {
  roles: 'a group of role boxes (the picker shows its own rules); the banner names a refusal',
  status: 'changed by the disable / enable action on the account, not in this dialog',
  version: "the account's own version, as the list read it",
};

describe('edit user dialog: every API field has a control', () => {
  it('maps each path of UpdateUserDto to a control', () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        UsersStore,
        { provide: MatDialogRef, useValue: {} },
        { provide: MAT_DIALOG_DATA, useValue: staffUser({ email: 'ben@example.org' }) },
      ],
    });
    const f = (
      TestBed.createComponent(EditUserDialog).componentInstance as unknown as { form: FormGroup }
    ).form;
    expect(
      unmappedPaths(
        ['UpdateUserDto'],
        (path) => fieldControl(f, path, EDIT_USER_PATHS) !== null,
        NOT_EDITABLE,
      ),
    ).toEqual([]);
    expect(requestPaths('UpdateUserDto')).toContain('displayName');
    expect(fieldControl(f, 'displayName', EDIT_USER_PATHS)).toBe(f.get('displayName'));
  });
});
