import { TestBed } from '@angular/core/testing';
import type { FormGroup } from '@angular/forms';
import { MAT_DIALOG_DATA, MatDialogRef } from '@angular/material/dialog';
import type { NeedView } from '@harbour/domain';
import { requestPaths, unmappedPaths } from '../../../../testing/api-paths';
import { provideTranslocoTesting } from '../../../../testing/i18n';
import { fieldControl } from '../../../core/forms/field-errors';
import { REFER_PATHS, ReferDialog, type ReferDialogData } from './refer-dialog';

/** Sent by the console itself, never typed: a refusal is named in words in the banner. */
const NOT_EDITABLE: Readonly<Record<string, string>> = {
  needId: 'the need the dialog was opened for',
  to: 'a consent given here moves the new referral to "consented", nothing to choose',
  version: "the new referral's own version",
  overrideReason: 'not offered when referring: consent is given or the referral stays a draft',
};

describe('refer dialog: every API field has a control', () => {
  it('maps each path of CreateReferralDto and ReferralTransitionDto to a control', () => {
    const data: ReferDialogData = {
      need: { id: 'n1', category: 'health' } as unknown as NeedView,
      partners: [],
    };
    TestBed.configureTestingModule({
      providers: [
        provideTranslocoTesting(),
        { provide: MatDialogRef, useValue: {} },
        { provide: MAT_DIALOG_DATA, useValue: data },
      ],
    });
    const f = (
      TestBed.createComponent(ReferDialog).componentInstance as unknown as { form: FormGroup }
    ).form;
    const missing = unmappedPaths(
      ['CreateReferralDto', 'ReferralTransitionDto'],
      (path) => fieldControl(f, path, REFER_PATHS) !== null,
      NOT_EDITABLE,
    );
    expect(missing).toEqual([]);
    // The check sees the paths (it would pass on none).
    expect(requestPaths('ReferralTransitionDto')).toContain('consent.scope');
    expect(fieldControl(f, 'consent.scope', REFER_PATHS)).toBe(f.get('consent.scope'));
    expect(fieldControl(f, 'partnerId', REFER_PATHS)).toBe(f.get('partnerId'));
    expect(fieldControl(f, 'needId', REFER_PATHS)).toBeNull();
  });
});
