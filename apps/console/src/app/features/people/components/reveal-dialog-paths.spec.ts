import { TestBed } from '@angular/core/testing';
import type { FormGroup } from '@angular/forms';
import { MatDialogRef } from '@angular/material/dialog';
import { unmappedPaths } from '../../../../testing/api-paths';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { fieldControl } from '../../../core/forms/field-errors';
import { RevealDialog } from './reveal-dialog';

describe('reveal dialog: every API field has a control', () => {
  it('maps each path of RevealDto to a control', () => {
    TestBed.configureTestingModule({
      providers: [provideTranslocoTesting(), { provide: MatDialogRef, useValue: {} }],
    });
    const f = (
      TestBed.createComponent(RevealDialog).componentInstance as unknown as {
        form: FormGroup;
      }
    ).form;
    expect(unmappedPaths(['RevealDto'], (path) => fieldControl(f, path) !== null, {})).toEqual([]);
  });
});
