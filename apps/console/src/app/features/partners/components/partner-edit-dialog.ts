import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatChipsModule } from '@angular/material/chips';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import type { Observable } from 'rxjs';
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
import { FieldErrorPipe } from '../../../core/forms/field-error.pipe';
import { DialogSubmission } from '../../../core/forms/dialog-submission';
import { required } from '../../../core/forms/validators';
import { FormError } from '../../../core/ui/form-error';
import { PARTNER_PATHS } from '../data/partner-paths';
import * as labels from '../../../core/i18n/domain-labels';

export type PartnerEdit = Omit<UpdatePartnerRequest, 'version' | 'active'>;

/** What the dialog is given: the partner, and `submit` to send the edit itself. */
export interface PartnerEditData {
  readonly partner: PartnerView;
  /**
   * Sends the changes: the dialog closes once it succeeds (or the page takes the refusal over)
   * and stays open on a refusal, with the message under the field it concerns.
   */
  readonly submit?: (changes: PartnerEdit) => Observable<unknown>;
}

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
    FieldErrorPipe,
    FormError,
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
          <mat-error data-testid="partner-edit-name-error">
            @if (form.controls.name.errors?.['required']) {
              {{ 'cases.partners.nameRequired' | transloco }}
            } @else {
              {{ form.controls.name.errors | fieldError }}
            }
          </mat-error>
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
          <mat-error>{{ form.controls.serviceType.errors | fieldError }}</mat-error>
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
          <mat-error>{{ form.controls.languages.errors | fieldError }}</mat-error>
        </mat-form-field>
        <mat-chip-listbox
          multiple
          formControlName="safety"
          [attr.aria-label]="'cases.partners.safety' | transloco"
          [attr.aria-invalid]="form.controls.safety.invalid"
          [attr.aria-describedby]="
            form.controls.safety.invalid ? 'partner-edit-safety-error' : null
          "
        >
          @for (value of safety; track value) {
            <mat-chip-option [value]="value">{{
              labels.safetyLabels[value] | transloco
            }}</mat-chip-option>
          }
        </mat-chip-listbox>
        @if (form.controls.safety.invalid) {
          <mat-error id="partner-edit-safety-error" data-testid="partner-edit-safety-error">
            {{ form.controls.safety.errors | fieldError }}
          </mat-error>
        }
        <mat-form-field appearance="outline" class="wide">
          <mat-label>{{ 'cases.partners.contactDetails' | transloco }}</mat-label>
          <textarea
            matInput
            rows="2"
            formControlName="contactDetails"
            data-testid="partner-edit-contact-details"
          ></textarea>
          <mat-error data-testid="partner-edit-contact-details-error">
            {{ form.controls.contactDetails.errors | fieldError }}
          </mat-error>
        </mat-form-field>
        <app-form-error testId="partner-edit-error" [error]="error()" [unmatched]="unmatched()" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" [mat-dialog-close]="null">
          {{ 'common.cancel' | transloco }}
        </button>
        <button
          mat-flat-button
          type="submit"
          data-testid="partner-edit-confirm"
          [disabled]="busy()"
        >
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
  private readonly data = inject<PartnerEditData>(MAT_DIALOG_DATA);
  private readonly partner = this.data.partner;
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
  private readonly sending = new DialogSubmission<PartnerEdit | null>(this.form, PARTNER_PATHS);
  protected readonly busy = this.sending.busy;
  protected readonly error = this.sending.error;
  protected readonly unmatched = this.sending.unmatched;

  protected confirm(): void {
    if (this.form.invalid) {
      this.sending.refuseLocally();
      return;
    }
    const changes = partnerChanges(this.partner, this.form.getRawValue());
    if (changes === null) {
      this.sending.close(null);
      return;
    }
    this.sending.send(changes, this.data.submit);
  }
}
