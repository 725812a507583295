import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import type { Observable } from 'rxjs';
import type { NeedView, PartnerView, ReferralConsentInput } from '@harbour/domain';
import { FieldErrorPipe } from '../../../core/forms/field-error.pipe';
import { DialogSubmission } from '../../../core/forms/dialog-submission';
import type { PathAliases } from '../../../core/forms/field-errors';
import { required } from '../../../core/forms/validators';
import { FormError } from '../../../core/ui/form-error';
import { needLabels, serviceTypeLabels } from '../../../core/i18n/domain-labels';
import { ConsentFields } from './consent-fields';
import { checkConsent, consentForm, consentInput } from './consent-form';

export interface ReferDialogData {
  readonly need: NeedView;
  readonly partners: readonly PartnerView[];
  /**
   * Sends the referral: the dialog closes once it succeeds and stays open on a refusal, with
   * the message under the field it concerns. Without, it closes with the result.
   */
  readonly submit?: (result: ReferDialogResult) => Observable<unknown>;
}

export interface ReferDialogResult {
  readonly partnerId: string;
  /** Recorded with the referral when the person agreed (else it stays a draft). */
  readonly consent?: ReferralConsentInput;
}

/**
 * Where the API's paths live in the dialog (`CreateReferralDto`, then `ReferralTransitionDto`
 * for the consent): the need is the one the dialog was opened for, named in words if refused.
 */
export const REFER_PATHS: PathAliases = { needId: null, to: null, version: null };

/** Refer a need to a partner, recording the person's consent to share when they give it. */
@Component({
  selector: 'app-refer-dialog',
  imports: [
    ConsentFields,
    FieldErrorPipe,
    FormError,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatSelectModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  template: `
    <h2 mat-dialog-title>
      {{ 'cases.refer.title' | transloco: { need: (needLabel | transloco) } }}
    </h2>
    <form [formGroup]="form" (ngSubmit)="confirm()" novalidate>
      <mat-dialog-content>
        <mat-form-field appearance="outline" class="full">
          <mat-label>{{ 'cases.refer.partner' | transloco }}</mat-label>
          <mat-select formControlName="partnerId" data-testid="refer-partner">
            @for (partner of data.partners; track partner.id) {
              <mat-option [value]="partner.id" [attr.data-testid]="'refer-partner-option'">
                {{ partner.name }} · {{ serviceTypeLabels[partner.serviceType] | transloco }}
              </mat-option>
            }
          </mat-select>
          <mat-error data-testid="refer-partner-error">
            @if (form.controls.partnerId.errors?.['required']) {
              {{ 'cases.refer.partnerRequired' | transloco }}
            } @else {
              {{ form.controls.partnerId.errors | fieldError }}
            }
          </mat-error>
        </mat-form-field>
        <app-consent-fields [form]="form.controls.consent" />
        <p class="hint">{{ 'cases.refer.draftExplain' | transloco }}</p>
        <app-form-error testId="refer-error" [error]="error()" [unmatched]="unmatched()" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" [mat-dialog-close]="null">
          {{ 'common.cancel' | transloco }}
        </button>
        <button mat-flat-button type="submit" data-testid="refer-confirm" [disabled]="busy()">
          {{ 'cases.refer.confirm' | transloco }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .full {
      width: 100%;
    }
    .hint {
      color: var(--mat-sys-on-surface-variant);
    }
    button {
      min-height: 48px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'refer-dialog' },
})
export class ReferDialog {
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly data = inject<ReferDialogData>(MAT_DIALOG_DATA);
  protected readonly serviceTypeLabels = serviceTypeLabels;
  protected readonly needLabel = needLabels[this.data.need.category];
  protected readonly form = this.fb.group({
    partnerId: ['', required],
    consent: consentForm(this.fb),
  });
  private readonly sending = new DialogSubmission<ReferDialogResult | null>(this.form, REFER_PATHS);
  protected readonly busy = this.sending.busy;
  protected readonly error = this.sending.error;
  protected readonly unmatched = this.sending.unmatched;

  protected confirm(): void {
    this.form.markAllAsTouched();
    const consentOk = checkConsent(this.form.controls.consent);
    if (this.form.invalid || !consentOk) {
      this.sending.focusInvalid();
      return;
    }
    const consent = consentInput(this.form.controls.consent);
    const result: ReferDialogResult = {
      partnerId: this.form.getRawValue().partnerId,
      ...(consent !== undefined ? { consent } : {}),
    };
    this.sending.send(result, this.data.submit);
  }
}
