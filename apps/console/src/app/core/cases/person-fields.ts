import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { FormGroup } from '@angular/forms';
import { ReactiveFormsModule } from '@angular/forms';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import { FieldErrorPipe } from '../forms/field-error.pipe';
import { AGE_BANDS, GENDER_IDENTITIES, REGIONS_OF_ORIGIN, SLK_SEXES } from '@harbour/domain';
import { ageBandLabels, genderLabels, regionLabels, sexLabels } from '../i18n/domain-labels';

/**
 * A new person's identity (every field optional, encrypted by the API) and categories, as
 * "Log a contact" and each row of a post-raid intake ask for them. `group` holds controls named
 * givenName, familyName, alias, dateOfBirth, sex, ageBand, regionOfOrigin and genderIdentity;
 * `testIds` prefixes the test ids (`<prefix>-given-name` …). Each field shows what to do about
 * its error (the browser's checks and the API's refusals alike, `fieldError`).
 */
@Component({
  selector: 'app-person-fields',
  imports: [
    FieldErrorPipe,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  template: `
    <div [formGroup]="group()">
      <div class="row">
        <mat-form-field appearance="outline">
          <mat-label>{{ 'cases.identity.givenName' | transloco }}</mat-label>
          <input
            matInput
            formControlName="givenName"
            autocomplete="off"
            [attr.data-testid]="testIds() + '-given-name'"
          />
          <mat-error>{{ group().get('givenName')?.errors | fieldError }}</mat-error>
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>{{ 'cases.identity.familyName' | transloco }}</mat-label>
          <input
            matInput
            formControlName="familyName"
            autocomplete="off"
            [attr.data-testid]="testIds() + '-family-name'"
          />
          <mat-error>{{ group().get('familyName')?.errors | fieldError }}</mat-error>
        </mat-form-field>
      </div>
      <div class="row">
        <mat-form-field appearance="outline">
          <mat-label>{{ 'cases.identity.alias' | transloco }}</mat-label>
          <input
            matInput
            formControlName="alias"
            autocomplete="off"
            [attr.data-testid]="testIds() + '-alias'"
          />
          <mat-error>{{ group().get('alias')?.errors | fieldError }}</mat-error>
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>{{ 'cases.identity.dateOfBirth' | transloco }}</mat-label>
          <input
            matInput
            type="date"
            [attr.max]="today()"
            formControlName="dateOfBirth"
            [attr.data-testid]="testIds() + '-dob'"
          />
          <mat-error>{{ group().get('dateOfBirth')?.errors | fieldError }}</mat-error>
        </mat-form-field>
      </div>
      <div class="row">
        <mat-form-field appearance="outline" subscriptSizing="dynamic">
          <mat-label>{{ 'cases.identity.sex' | transloco }}</mat-label>
          <mat-select formControlName="sex" [attr.data-testid]="testIds() + '-sex'">
            <mat-option [value]="null">—</mat-option>
            @for (value of sexes; track value) {
              <mat-option [value]="value">{{ sexLabels[value] | transloco }}</mat-option>
            }
          </mat-select>
          <mat-error>{{ group().get('sex')?.errors | fieldError }}</mat-error>
          <mat-hint>{{ 'cases.identity.sexHint' | transloco }}</mat-hint>
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>{{ 'cases.person.ageBand' | transloco }}</mat-label>
          <mat-select formControlName="ageBand" [attr.data-testid]="testIds() + '-age-band'">
            <mat-option [value]="null">—</mat-option>
            @for (value of ageBands; track value) {
              <mat-option [value]="value">{{ ageBandLabels[value] | transloco }}</mat-option>
            }
          </mat-select>
          <mat-error>{{ group().get('ageBand')?.errors | fieldError }}</mat-error>
        </mat-form-field>
      </div>
      <div class="row">
        <mat-form-field appearance="outline">
          <mat-label>{{ 'cases.person.region' | transloco }}</mat-label>
          <mat-select formControlName="regionOfOrigin" [attr.data-testid]="testIds() + '-region'">
            <mat-option [value]="null">—</mat-option>
            @for (value of regions; track value) {
              <mat-option [value]="value">{{ regionLabels[value] | transloco }}</mat-option>
            }
          </mat-select>
          <mat-error>{{ group().get('regionOfOrigin')?.errors | fieldError }}</mat-error>
        </mat-form-field>
        <mat-form-field appearance="outline">
          <mat-label>{{ 'cases.person.gender' | transloco }}</mat-label>
          <mat-select formControlName="genderIdentity" [attr.data-testid]="testIds() + '-gender'">
            <mat-option [value]="null">—</mat-option>
            @for (value of genders; track value) {
              <mat-option [value]="value">{{ genderLabels[value] | transloco }}</mat-option>
            }
          </mat-select>
          <mat-error>{{ group().get('genderIdentity')?.errors | fieldError }}</mat-error>
        </mat-form-field>
      </div>
    </div>
  `,
  styles: `
    .row {
      display: flex;
      flex-wrap: wrap;
      gap: 0 12px;
    }
    .row > mat-form-field {
      flex: 1 1 200px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PersonFields {
  readonly group = input.required<FormGroup>();
  readonly testIds = input.required<string>();
  /** The latest day a date of birth may be (`max` of the date picker). */
  readonly today = input<string | null>(null);

  protected readonly sexes = SLK_SEXES;
  protected readonly ageBands = AGE_BANDS;
  protected readonly regions = REGIONS_OF_ORIGIN;
  protected readonly genders = GENDER_IDENTITIES;
  protected readonly sexLabels = sexLabels;
  protected readonly ageBandLabels = ageBandLabels;
  protected readonly regionLabels = regionLabels;
  protected readonly genderLabels = genderLabels;
}
