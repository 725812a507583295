import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import type { NeedView, PartnerView, ReferralConsentInput } from '@harbour/domain';
import { required } from '../../../core/forms/validators';
import { needLabels, serviceTypeLabels } from '../../../core/i18n/domain-labels';
import { ConsentFields } from './consent-fields';
import { consentForm, consentInput } from './consent-form';

export interface ReferDialogData {
  readonly need: NeedView;
  readonly partners: readonly PartnerView[];
}

export interface ReferDialogResult {
  readonly partnerId: string;
  /** Recorded with the referral when the person agreed (else it stays a draft). */
  readonly consent?: ReferralConsentInput;
}

/** Refer a need to a partner, recording the person's consent to share when they give it. */
@Component({
  selector: 'app-refer-dialog',
  imports: [
    ConsentFields,
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
          <mat-error>{{ 'cases.refer.partnerRequired' | transloco }}</mat-error>
        </mat-form-field>
        <app-consent-fields [form]="consent" />
        <p class="hint">{{ 'cases.refer.draftExplain' | transloco }}</p>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" [mat-dialog-close]="null">
          {{ 'common.cancel' | transloco }}
        </button>
        <button mat-flat-button type="submit" data-testid="refer-confirm">
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
  private readonly ref = inject<MatDialogRef<ReferDialog, ReferDialogResult | null>>(MatDialogRef);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly data = inject<ReferDialogData>(MAT_DIALOG_DATA);
  protected readonly serviceTypeLabels = serviceTypeLabels;
  protected readonly needLabel = needLabels[this.data.need.category];
  protected readonly form = this.fb.group({ partnerId: ['', required] });
  protected readonly consent = consentForm(this.fb);

  protected confirm(): void {
    this.form.markAllAsTouched();
    if (this.form.invalid) return;
    const consent = consentInput(this.consent);
    this.ref.close({
      partnerId: this.form.getRawValue().partnerId,
      ...(consent !== undefined ? { consent } : {}),
    });
  }
}
