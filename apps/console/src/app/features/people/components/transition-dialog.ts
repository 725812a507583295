import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { toSignal } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatRadioModule } from '@angular/material/radio';
import { TranslocoPipe } from '@jsverse/transloco';
import type { Observable } from 'rxjs';
import {
  MAX_OVERRIDE_REASON_LENGTH,
  MIN_OVERRIDE_REASON_LENGTH,
  REFERRAL_TRANSITIONS,
  consentGate,
  type ReferralStatus,
  type ReferralTransitionRequest,
  type ReferralView,
} from '@harbour/domain';
import { FieldErrorPipe } from '../../../core/forms/field-error.pipe';
import { DialogSubmission } from '../../../core/forms/dialog-submission';
import type { PathAliases } from '../../../core/forms/field-errors';
import { required } from '../../../core/forms/validators';
import { FormError } from '../../../core/ui/form-error';
import { referralStatusLabels } from '../../../core/i18n/domain-labels';
import { ConsentFields } from './consent-fields';
import { checkConsent, consentForm, consentInput } from './consent-form';

export type TransitionDialogResult = Omit<ReferralTransitionRequest, 'version'>;

export interface TransitionDialogData {
  readonly referral: ReferralView;
  /** Coordinators may go ahead without consent, with a reason (audited). */
  readonly mayOverride: boolean;
  /**
   * Sends the move: the dialog closes once it succeeds (or the page takes the refusal over)
   * and stays open on a refusal, with the message under the field it concerns.
   */
  readonly submit?: (result: TransitionDialogResult) => Observable<unknown>;
}

/** `ReferralTransitionDto`'s paths in the dialog: the version is the referral's own. */
export const TRANSITION_PATHS: PathAliases = { version: null };

/**
 * Move a referral on. Leaving `draft` (other than a refusal or withdrawal) passes the consent
 * gate of @harbour/domain — the same function the API applies: consent recorded here, or a
 * coordinator's reason for going ahead without it.
 */
@Component({
  selector: 'app-transition-dialog',
  imports: [
    ConsentFields,
    FieldErrorPipe,
    FormError,
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
        <mat-radio-group
          formControlName="to"
          class="options"
          data-testid="transition-options"
          [attr.aria-label]="'cases.transition.title' | transloco"
          [attr.aria-invalid]="form.controls.to.invalid && form.controls.to.touched"
          [attr.aria-describedby]="form.controls.to.invalid ? 'transition-to-error' : null"
        >
          @for (value of options; track value) {
            <mat-radio-button [value]="value" [attr.data-testid]="'transition-to-' + value">
              {{ statusLabels[value] | transloco }}
            </mat-radio-button>
          }
        </mat-radio-group>
        @if (form.controls.to.invalid && form.controls.to.touched) {
          <p class="refused" id="transition-to-error" data-testid="transition-to-error">
            {{ form.controls.to.errors | fieldError }}
          </p>
        }
        @if (needsConsent()) {
          <app-consent-fields [form]="form.controls.consent" />
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
              <mat-error data-testid="transition-override-reason-error">
                {{ form.controls.overrideReason.errors | fieldError }}
              </mat-error>
            </mat-form-field>
          }
        }
        @if (blocked()) {
          <p class="refused" role="alert" data-testid="transition-blocked">
            {{ 'cases.transition.consentNeeded' | transloco }}
          </p>
        }
        <app-form-error testId="transition-error" [error]="error()" [unmatched]="unmatched()" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" [mat-dialog-close]="null">
          {{ 'common.cancel' | transloco }}
        </button>
        <button mat-flat-button type="submit" data-testid="transition-confirm" [disabled]="busy()">
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
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly data = inject<TransitionDialogData>(MAT_DIALOG_DATA);
  protected readonly statusLabels = referralStatusLabels;
  protected readonly maxReason = MAX_OVERRIDE_REASON_LENGTH;
  protected readonly from = this.data.referral.status;
  protected readonly options = REFERRAL_TRANSITIONS[this.from];
  protected readonly form = this.fb.group({
    to: this.fb.control<ReferralStatus | ''>(this.options[0] ?? '', required),
    overrideReason: [
      '',
      [
        Validators.minLength(MIN_OVERRIDE_REASON_LENGTH),
        Validators.maxLength(MAX_OVERRIDE_REASON_LENGTH),
      ],
    ],
    consent: consentForm(this.fb),
  });
  private readonly to = toSignal(this.form.controls.to.valueChanges, {
    initialValue: this.form.controls.to.value,
  });
  protected readonly blocked = signal(false);
  private readonly sending = new DialogSubmission<TransitionDialogResult | null>(
    this.form,
    TRANSITION_PATHS,
  );
  protected readonly busy = this.sending.busy;
  protected readonly error = this.sending.error;
  protected readonly unmatched = this.sending.unmatched;

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
    this.form.markAllAsTouched();
    if (to === '') return;
    const consentOk = !this.needsConsent() || checkConsent(this.form.controls.consent);
    if (this.form.invalid || !consentOk) {
      this.sending.focusInvalid();
      return;
    }
    const consent = this.needsConsent() ? consentInput(this.form.controls.consent) : undefined;
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
    const result: TransitionDialogResult = {
      to,
      ...(consent !== undefined ? { consent } : {}),
      ...(gate.override ? { overrideReason } : {}),
    };
    this.sending.send(result, this.data.submit);
  }
}
