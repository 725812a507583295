import { ChangeDetectionStrategy, Component, inject, signal } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MAT_DIALOG_DATA, MatDialogModule } from '@angular/material/dialog';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import type { Observable } from 'rxjs';
import {
  MAX_IDENTITY_TEXT_LENGTH,
  AGE_BANDS,
  GENDER_IDENTITIES,
  LANGUAGE_GROUPS,
  REGIONS_OF_ORIGIN,
  SLK_SEXES,
  type AgeBand,
  type GenderIdentity,
  type IdentityField,
  type LanguageGroup,
  type PersonIdentityInput,
  type PersonView,
  type RegionOfOrigin,
  type SlkSex,
  type UpdatePersonRequest,
} from '@harbour/domain';
import * as labels from '../../../core/i18n/domain-labels';
import { localIsoDate } from '../../../core/cases/local-date';
import { FieldErrorPipe } from '../../../core/forms/field-error.pipe';
import { DialogSubmission } from '../../../core/forms/dialog-submission';
import { dateInRange, type PathAliases } from '../../../core/forms/field-errors';
import { FormError } from '../../../core/ui/form-error';
import { Clock } from '../../../core/time/clock';
import { correctionRequest } from '../data/corrections';

export interface CorrectDetailsData {
  readonly person: PersonView;
  /** The identity revealed on the page, if the worker revealed it (never fetched for this). */
  readonly revealed: PersonIdentityInput | null;
  /**
   * Sends the correction: the dialog closes once it succeeds (or the page takes the refusal
   * over) and stays open on a refusal, with the message under the field it concerns.
   */
  readonly submit?: (request: UpdatePersonRequest) => Observable<unknown>;
}

/**
 * `UpdatePersonDto`'s paths in the dialog (the same names): the version is the person's own;
 * the reporting consent is recorded on the consents panel, not here.
 */
export const CORRECT_DETAILS_PATHS: PathAliases = { version: null, consentToReporting: null };

const TEXT_FIELDS = ['givenName', 'familyName', 'alias', 'dateOfBirth', 'phone'] as const;

const FIELD_LABELS: Readonly<Record<IdentityField, string>> = {
  givenName: 'cases.identity.givenName',
  familyName: 'cases.identity.familyName',
  alias: 'cases.identity.alias',
  dateOfBirth: 'cases.identity.dateOfBirth',
  sex: 'cases.identity.sex',
  phone: 'cases.identity.phone',
};

/**
 * "Correct details": a person's categories (filled in) and identity. Identity is never read
 * for this dialog: fields start from what the worker already revealed on the page, or empty,
 * and an empty field leaves the value as it is; removing a held detail is its explicit
 * "Remove" box. Closes with the PATCH to send (only what changed), or null.
 */
@Component({
  selector: 'app-correct-details-dialog',
  imports: [
    FieldErrorPipe,
    FormError,
    MatButtonModule,
    MatCheckboxModule,
    MatDialogModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  template: `
    <h2 mat-dialog-title>{{ 'corrections.details.title' | transloco }}</h2>
    <form [formGroup]="form" (ngSubmit)="confirm()" novalidate>
      <mat-dialog-content>
        <h3 class="field-label">{{ 'corrections.details.categories' | transloco }}</h3>
        <div class="row">
          <mat-form-field appearance="outline">
            <mat-label>{{ 'cases.person.ageBand' | transloco }}</mat-label>
            <mat-select formControlName="ageBand" data-testid="correct-age-band">
              @for (value of ageBands; track value) {
                <mat-option [value]="value">{{
                  labels.ageBandLabels[value] | transloco
                }}</mat-option>
              }
            </mat-select>
            <mat-error>{{ form.controls.ageBand.errors | fieldError }}</mat-error>
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>{{ 'cases.person.region' | transloco }}</mat-label>
            <mat-select formControlName="regionOfOrigin" data-testid="correct-region">
              @for (value of regions; track value) {
                <mat-option [value]="value">{{
                  labels.regionLabels[value] | transloco
                }}</mat-option>
              }
            </mat-select>
            <mat-error>{{ form.controls.regionOfOrigin.errors | fieldError }}</mat-error>
          </mat-form-field>
        </div>
        <div class="row">
          <mat-form-field appearance="outline">
            <mat-label>{{ 'cases.contact.language' | transloco }}</mat-label>
            <mat-select formControlName="languageGroup" data-testid="correct-language">
              <mat-option [value]="null">—</mat-option>
              @for (value of languages; track value) {
                <mat-option [value]="value">{{
                  labels.languageLabels[value] | transloco
                }}</mat-option>
              }
            </mat-select>
            <mat-error>{{ form.controls.languageGroup.errors | fieldError }}</mat-error>
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>{{ 'cases.person.gender' | transloco }}</mat-label>
            <mat-select formControlName="genderIdentity" data-testid="correct-gender">
              <mat-option [value]="null">—</mat-option>
              @for (value of genders; track value) {
                <mat-option [value]="value">{{
                  labels.genderLabels[value] | transloco
                }}</mat-option>
              }
            </mat-select>
            <mat-error>{{ form.controls.genderIdentity.errors | fieldError }}</mat-error>
          </mat-form-field>
        </div>

        <h3 class="field-label">{{ 'corrections.details.identity' | transloco }}</h3>
        <p class="muted" data-testid="correct-identity-hint">
          {{
            (data.revealed === null
              ? 'corrections.details.identityHintHidden'
              : 'corrections.details.identityHintRevealed'
            ) | transloco
          }}
        </p>
        <div formGroupName="identity">
          @for (field of textFields; track field) {
            <div class="identity-row">
              <mat-form-field appearance="outline" subscriptSizing="dynamic">
                <mat-label>{{ fieldLabels[field] | transloco }}</mat-label>
                <input
                  matInput
                  [type]="field === 'dateOfBirth' ? 'date' : 'text'"
                  [attr.max]="field === 'dateOfBirth' ? today : null"
                  [formControlName]="field"
                  autocomplete="off"
                  [attr.data-testid]="'correct-' + field"
                />
                @if (data.revealed === null && held(field)) {
                  <mat-hint>{{ 'corrections.details.held' | transloco }}</mat-hint>
                }
                <mat-error>{{ form.controls.identity.get(field)?.errors | fieldError }}</mat-error>
              </mat-form-field>
              @if (held(field)) {
                <mat-checkbox
                  [checked]="cleared().includes(field)"
                  (change)="toggleClear(field, $event.checked)"
                  [attr.data-testid]="'clear-' + field"
                >
                  {{ 'corrections.details.remove' | transloco }}
                </mat-checkbox>
              }
            </div>
          }
          <div class="identity-row">
            <mat-form-field appearance="outline" subscriptSizing="dynamic">
              <mat-label>{{ fieldLabels.sex | transloco }}</mat-label>
              <mat-select formControlName="sex" data-testid="correct-sex">
                <mat-option [value]="null">—</mat-option>
                @for (value of sexes; track value) {
                  <mat-option [value]="value">{{ labels.sexLabels[value] | transloco }}</mat-option>
                }
              </mat-select>
              <mat-error>{{ form.controls.identity.controls.sex.errors | fieldError }}</mat-error>
            </mat-form-field>
            @if (held('sex')) {
              <mat-checkbox
                [checked]="cleared().includes('sex')"
                (change)="toggleClear('sex', $event.checked)"
                data-testid="clear-sex"
              >
                {{ 'corrections.details.remove' | transloco }}
              </mat-checkbox>
            }
          </div>
        </div>
        @if (unchanged()) {
          <p class="notice" role="status" data-testid="correct-unchanged">
            {{ 'corrections.details.unchanged' | transloco }}
          </p>
        }
        <app-form-error testId="correct-error" [error]="error()" [unmatched]="unmatched()" />
      </mat-dialog-content>
      <mat-dialog-actions align="end">
        <button mat-button type="button" [mat-dialog-close]="null">
          {{ 'common.cancel' | transloco }}
        </button>
        <button mat-flat-button type="submit" data-testid="correct-confirm" [disabled]="busy()">
          {{ 'corrections.details.save' | transloco }}
        </button>
      </mat-dialog-actions>
    </form>
  `,
  styles: `
    .row,
    .identity-row {
      display: flex;
      flex-wrap: wrap;
      gap: 12px;
      align-items: center;
      margin-bottom: 8px;
    }
    .field-label {
      margin: 8px 0;
    }
    button {
      min-height: 48px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
  host: { 'data-testid': 'correct-details-dialog' },
})
export class CorrectDetailsDialog {
  protected readonly data = inject<CorrectDetailsData>(MAT_DIALOG_DATA);
  private readonly fb = inject(NonNullableFormBuilder);
  /** The latest date of birth the browser accepts (the API refuses a later one). */
  protected readonly today = localIsoDate(inject(Clock).now());

  protected readonly labels = labels;
  protected readonly fieldLabels = FIELD_LABELS;
  protected readonly textFields = TEXT_FIELDS;
  protected readonly ageBands = AGE_BANDS;
  protected readonly regions = REGIONS_OF_ORIGIN;
  protected readonly languages = LANGUAGE_GROUPS;
  protected readonly genders = GENDER_IDENTITIES;
  protected readonly sexes = SLK_SEXES;
  protected readonly cleared = signal<readonly IdentityField[]>([]);
  protected readonly unchanged = signal(false);

  private readonly revealed = this.data.revealed ?? {};
  protected readonly form = this.fb.group({
    ageBand: this.fb.control<AgeBand>(this.data.person.ageBand),
    regionOfOrigin: this.fb.control<RegionOfOrigin>(this.data.person.regionOfOrigin),
    languageGroup: this.fb.control<LanguageGroup | null>(this.data.person.languageGroup),
    genderIdentity: this.fb.control<GenderIdentity | null>(this.data.person.genderIdentity),
    identity: this.fb.group({
      givenName: [this.revealed.givenName ?? '', Validators.maxLength(MAX_IDENTITY_TEXT_LENGTH)],
      familyName: [this.revealed.familyName ?? '', Validators.maxLength(MAX_IDENTITY_TEXT_LENGTH)],
      alias: [this.revealed.alias ?? '', Validators.maxLength(MAX_IDENTITY_TEXT_LENGTH)],
      dateOfBirth: [this.revealed.dateOfBirth ?? '', dateInRange(() => this.today)],
      phone: [this.revealed.phone ?? '', Validators.maxLength(40)],
      sex: this.fb.control<SlkSex | null>(this.revealed.sex ?? null),
    }),
  });
  private readonly sending = new DialogSubmission<UpdatePersonRequest | null>(
    this.form,
    CORRECT_DETAILS_PATHS,
  );
  protected readonly busy = this.sending.busy;
  protected readonly error = this.sending.error;
  protected readonly unmatched = this.sending.unmatched;

  protected held(field: IdentityField): boolean {
    return this.data.person.identityFields.includes(field);
  }

  protected toggleClear(field: IdentityField, checked: boolean): void {
    this.cleared.update((fields) =>
      checked ? [...fields, field] : fields.filter((f) => f !== field),
    );
    const control = this.form.controls.identity.get(field);
    if (checked) control?.disable();
    else control?.enable();
  }

  protected confirm(): void {
    if (this.form.invalid) {
      this.sending.refuseLocally();
      return;
    }
    const request = correctionRequest(this.data.person, this.data.revealed, {
      ...this.form.getRawValue(),
      clear: this.cleared(),
    });
    if (request === null) {
      this.unchanged.set(true);
      return;
    }
    this.sending.send(request, this.data.submit);
  }
}
