import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatChipsModule } from '@angular/material/chips';
import { MAT_DIALOG_DATA, MatDialogModule, MatDialogRef } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import {
  LANGUAGE_GROUPS,
  PARTNER_SAFETY_ATTRIBUTES,
  PARTNER_SERVICE_TYPES,
  type LanguageGroup,
  type PartnerSafetyAttribute,
  type PartnerServiceType,
  type PartnerView,
  type UpdatePartnerRequest,
} from '@harbour/domain';
import { required } from '../../../core/forms/validators';
import * as labels from '../../../core/i18n/domain-labels';

export type PartnerEdit = Omit<UpdatePartnerRequest, 'version' | 'active'>;

/** What an edit changes: only the fields that differ from `partner`; null when none does. */
export function partnerChanges(
  partner: PartnerView,
  value: {
    name: string;
    serviceType: PartnerServiceType;
    languages: readonly LanguageGroup[];
    safety: readonly PartnerSafetyAttribute[];
    contactDetails: string;
  },
): PartnerEdit | null {
  const changes: { -readonly [K in keyof PartnerEdit]: PartnerEdit[K] } = {};
  const name = value.name.trim();
  if (name !== partner.name) changes.name = name;
  if (value.serviceType !== partner.serviceType) changes.serviceType = value.serviceType;
  const languages = [...value.languages].sort();
  if (languages.join() !== [...partner.languages].sort().join()) changes.languages = languages;
  for (const attribute of PARTNER_SAFETY_ATTRIBUTES) {
    const on = value.safety.includes(attribute);
    if (on !== partner[attribute]) changes[attribute] = on;
  }
  const details = value.contactDetails.trim();
  if (details !== (partner.contactDetails ?? '')) changes.contactDetails = details;
  return Object.keys(changes).length > 0 ? changes : null;
}

/** An admin's edit of a partner, filled in with what it says now. Closes with the changes. */
@Component({
  selector: 'app-partner-edit-dialog',
  imports: [
    MatButtonModule,
    MatChipsModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  template: `
    <h2 mat-dialog-title>{{ 'corrections.partners.editTitle' | transloco }}</h2>
    <form [formGroup]="form" (ngSubmit)="confirm()" novalidate>
      <mat-dialog-content>
        <mat-form-field appearance="outline" class="wide">
          <mat-label>{{ 'cases.partners.name' | transloco }}</mat-label>
          <input matInput formControlName="name" data-testid="partner-edit-name" />
          <mat-error>{{ 'cases.partners.nameRequired' | transloco }}</mat-error>
        </mat-form-field>
        <mat-form-field appearance="outline" class="wide">
          <mat-label>{{ 'cases.partners.serviceType' | transloco }}</mat-label>
          <mat-select formControlName="serviceType" data-testid="partner-edit-service-type">
            @for (value of serviceTypes; track value) {
              <mat-option [value]="value">{{
                labels.serviceTypeLabels[value] | transloco
              }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-form-field appearance="outline" class="wide">
          <mat-label>{{ 'cases.partners.languages' | transloco }}</mat-label>
          <mat-select multiple formControlName="languages">
            @for (value of languages; track value) {
              <mat-option [value]="value">{{
                labels.languageLabels[value] | transloco
              }}</mat-option>
            }
          </mat-select>
        </mat-form-field>
        <mat-chip-listbox
          multiple
          formControlName="safety"
          [attr.aria-label]="'cases.partners.safety' | transloco"
        >
          @for (value of safety; track value) {
            <mat-chip-option [value]="value">{{
              labels.safetyLabels[value] | transloco
            }}</mat-chip-option>
          }
        </mat-chip-listbox>
        <mat-form-field appearance="outline" class="wide">
          <mat-label>{{ 'cases.partners.contactDetails' | transloco }}</mat-label>
          <textarea matInput rows="2" formControlName="contactDetails"></textarea>
        </mat-form-field>
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" [mat-dialog-close]="null">
          {{ 'common.cancel' | transloco }}
        </button>
        <button mat-flat-button type="submit" data-testid="partner-edit-confirm">
          {{ 'corrections.partners.save' | transloco }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .wide {
      width: 100%;
      margin-top: 8px;
    }
    button {
      min-height: 48px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'partner-edit-dialog' },
})
export class PartnerEditDialog {
  private readonly ref = inject<MatDialogRef<PartnerEditDialog, PartnerEdit | null>>(MatDialogRef);
  private readonly partner = inject<PartnerView>(MAT_DIALOG_DATA);
  private readonly fb = inject(NonNullableFormBuilder);
  protected readonly labels = labels;
  protected readonly serviceTypes = PARTNER_SERVICE_TYPES;
  protected readonly languages = LANGUAGE_GROUPS;
  protected readonly safety = PARTNER_SAFETY_ATTRIBUTES;
  protected readonly form = this.fb.group({
    name: [this.partner.name, [required, Validators.maxLength(200)]],
    serviceType: this.fb.control<PartnerServiceType>(this.partner.serviceType),
    languages: this.fb.control<LanguageGroup[]>([...this.partner.languages]),
    safety: this.fb.control<PartnerSafetyAttribute[]>(
      PARTNER_SAFETY_ATTRIBUTES.filter((attribute) => this.partner[attribute]),
    ),
    contactDetails: [this.partner.contactDetails ?? '', Validators.maxLength(500)],
  });

  protected confirm(): void {
    if (this.form.invalid) {
      this.form.markAllAsTouched();
      return;
    }
    this.ref.close(partnerChanges(this.partner, this.form.getRawValue()));
  }
}
