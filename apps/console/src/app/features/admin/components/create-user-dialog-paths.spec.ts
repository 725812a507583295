import { provideHttpClient } from '@angular/common/http';
import { provideHttpClientTesting } from '@angular/common/http/testing';
import { TestBed } from '@angular/core/testing';
import type { FormGroup } from '@angular/forms';
import { MatDialogRef } from '@angular/material/dialog';
import { requestPaths, unmappedPaths } from '../../../../testing/api-paths';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { fieldControl } from '../../../core/forms/field-errors';
import { UsersStore } from '../data/users.store';
import { CreateUserDialog } from './create-user-dialog';

/** Not one control: a refusal is named in words in the dialog's banner. */
const NOT_ONE_CONTROL: Readonly<Record<string, string>> = {
  roles: 'a group of role boxes (the picker shows its own rules); the banner names a refusal',
};

describe('create user dialog: every API field has a control', () => {
  it('maps each path of CreateUserDto to a control', () => {
    TestBed.configureTestingModule({
      providers: [
        provideHttpClient(),
        provideHttpClientTesting(),
        provideTranslocoTesting(),
        UsersStore,
        { provide: MatDialogRef, useValue: {} },
      ],
    });
    const f = (
      TestBed.createComponent(CreateUserDialog).componentInstance as unknown as {
        form: FormGroup;
      }
    ).form;
    expect(
      unmappedPaths(['CreateUserDto'], (path) => fieldControl(f, path) !== null, NOT_ONE_CONTROL),
    ).toEqual([]);
    expect(requestPaths('CreateUserDto')).toContain('displayName');
    expect(fieldControl(f, 'email')).toBe(f.get('email'));
    expect(fieldControl(f, 'roles')).toBeNull();
  });
});
