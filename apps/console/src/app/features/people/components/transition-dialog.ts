import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { TranslocoPipe } from '@jsverse/transloco';
import {
  MAX_OVERRIDE_REASON_LENGTH,
  REFERRAL_TRANSITIONS,
  consentGate,
  type ReferralStatus,
  type ReferralTransitionRequest,
  type ReferralView,
} from '@harbour/domain';
import { required } from '../../../core/forms/validators';
import { referralStatusLabels } from '../../../core/i18n/domain-labels';
import { ConsentFields } from './consent-fields';
import { consentForm, consentInput } from './consent-form';

export interface TransitionDialogData {
  readonly referral: ReferralView;
  /** Coordinators may go ahead without consent, with a reason (audited). */
  readonly mayOverride: boolean;
}

export type TransitionDialogResult = Omit<ReferralTransitionRequest, 'version'>;

/**
 * Move a referral on. Leaving `draft` (other than a refusal or withdrawal) passes the consent
 * gate of @harbour/domain — the same function the API applies: consent recorded here, or a
 * coordinator's reason for going ahead without it.
 */
@Component({
  selector: 'app-transition-dialog',
  imports: [
    ConsentFields,
    MatButtonModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatRadioModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  template: `
    <h2 mat-dialog-title>{{ 'cases.transition.title' | transloco }}</h2>
    <form [formGroup]="form" (ngSubmit)="confirm()" novalidate>
      <mat-dialog-content>
        <p>
          {{ 'cases.transition.current' | transloco: { status: (statusLabels[from] | transloco) } }}
        </p>
        <mat-radio-group formControlName="to" class="options" data-testid="transition-options">
          @for (value of options; track value) {
            <mat-radio-button [value]="value" [attr.data-testid]="'transition-to-' + value">
              {{ statusLabels[value] | transloco }}
            </mat-radio-button>
          }
        </mat-radio-group>
        @if (needsConsent()) {
          <app-consent-fields [form]="consent" />
          @if (data.mayOverride) {
            <mat-form-field appearance="outline" class="full" subscriptSizing="dynamic">
              <mat-label>{{ 'cases.transition.overrideReason' | transloco }}</mat-label>
              <textarea
                matInput
                rows="2"
                formControlName="overrideReason"
                [maxlength]="maxReason"
                data-testid="transition-override-reason"
              ></textarea>
              <mat-hint>{{ 'cases.transition.overrideHint' | transloco }}</mat-hint>
            </mat-form-field>
          }
        }
        @if (blocked()) {
          <p class="refused" role="alert" data-testid="transition-blocked">
            {{ 'cases.transition.consentNeeded' | transloco }}
          </p>
        }
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" [mat-dialog-close]="null">
          {{ 'common.cancel' | transloco }}
        </button>
        <button mat-flat-button type="submit" data-testid="transition-confirm">
          {{ 'cases.transition.confirm' | transloco }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .options {
      display: flex;
      flex-direction: column;
      gap: 4px;
      margin-bottom: 8px;
    }
    .full {
      width: 100%;
    }
    .refused {
      color: var(--mat-sys-error);
    }
    button {
      min-height: 48px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'transition-dialog' },
})
export class TransitionDialog {
  private readonly ref =
    inject<MatDialogRef<TransitionDialog, TransitionDialogResult | null>>(MatDialogRef);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly data = inject<TransitionDialogData>(MAT_DIALOG_DATA);
  protected readonly statusLabels = referralStatusLabels;
  protected readonly maxReason = MAX_OVERRIDE_REASON_LENGTH;
  protected readonly from = this.data.referral.status;
  protected readonly options = REFERRAL_TRANSITIONS[this.from];
  protected readonly form = this.fb.group({
    to: this.fb.control<ReferralStatus | ''>(this.options[0] ?? '', required),
    overrideReason: ['', Validators.maxLength(MAX_OVERRIDE_REASON_LENGTH)],
  });
  protected readonly consent = consentForm(this.fb);
  private readonly to = toSignal(this.form.controls.to.valueChanges, {
    initialValue: this.form.controls.to.value,
  });
  protected readonly blocked = signal(false);

  /** Whether this move needs consent (the referral has none recorded yet). */
  protected readonly needsConsent = computed(() => {
    const to = this.to();
    if (to === '' || this.data.referral.consent !== null) return false;
    return !consentGate({
      from: this.from,
      to,
      hasConsent: false,
      overrideReason: null,
      mayOverride: false,
    }).allowed;
  });

  protected confirm(): void {
    const to = this.form.getRawValue().to;
    if (to === '') return;
    const consent = this.needsConsent() ? consentInput(this.consent) : undefined;
    const overrideReason = this.form.getRawValue().overrideReason.trim();
    const gate = consentGate({
      from: this.from,
      to,
      hasConsent: this.data.referral.consent !== null || consent !== undefined,
      overrideReason: this.data.mayOverride && overrideReason !== '' ? overrideReason : null,
      mayOverride: this.data.mayOverride,
    });
    this.blocked.set(!gate.allowed);
    if (!gate.allowed) return;
    this.ref.close({
      to,
      ...(consent !== undefined ? { consent } : {}),
      ...(gate.override ? { overrideReason } : {}),
    });
  }
}
