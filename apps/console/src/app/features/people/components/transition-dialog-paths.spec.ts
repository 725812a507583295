import { TestBed } from '@angular/core/testing';
import type { FormGroup } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import type { ReferralView } from '@harbour/domain';
import { requestPaths, unmappedPaths } from '../../../../testing/api-paths';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { fieldControl } from '../../../core/forms/field-errors';
import { TRANSITION_PATHS, TransitionDialog, type TransitionDialogData } from './transition-dialog';

/** Sent by the console itself, never typed: a refusal is named in words in the banner. */
const NOT_EDITABLE: Readonly<Record<string, string>> = {
  version: "the referral's own version, as the page loaded it",
};

describe('transition dialog: every API field has a control', () => {
  it('maps each path of ReferralTransitionDto to a control', () => {
    const data: TransitionDialogData = {
      referral: { id: 'r1', status: 'draft', consent: null, version: 1 } as ReferralView,
      mayOverride: true,
    };
    TestBed.configureTestingModule({
      providers: [
        provideTranslocoTesting(),
        { provide: MatDialogRef, useValue: {} },
        { provide: MAT_DIALOG_DATA, useValue: data },
      ],
    });
    const f = (
      TestBed.createComponent(TransitionDialog).componentInstance as unknown as {
        form: FormGroup;
      }
    ).form;
    const missing = unmappedPaths(
      ['ReferralTransitionDto'],
      (path) => fieldControl(f, path, TRANSITION_PATHS) !== null,
      NOT_EDITABLE,
    );
    expect(missing).toEqual([]);
    expect(requestPaths('ReferralTransitionDto')).toContain('overrideReason');
    expect(fieldControl(f, 'overrideReason', TRANSITION_PATHS)).toBe(f.get('overrideReason'));
    expect(fieldControl(f, 'consent.method', TRANSITION_PATHS)).toBe(f.get('consent.method'));
    expect(fieldControl(f, 'version', TRANSITION_PATHS)).toBeNull();
  });
});
