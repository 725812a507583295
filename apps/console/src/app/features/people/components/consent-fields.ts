import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { FormControl, FormGroup } from '@angular/forms';
import { ReactiveFormsModule } from '@angular/forms';
import { MatCheckboxModule } from '@angular/material/checkbox';
import { MatChipsModule } from '@angular/material/chips';
import { MatRadioModule } from '@angular/material/radio';
import { TranslocoPipe } from '@jsverse/transloco';
import {
  CONSENT_METHODS,
  CONSENT_SCOPES,
  type ConsentMethod,
  type ConsentScope,
} from '@harbour/domain';
import { consentMethodLabels, consentScopeLabels } from '../../../core/i18n/domain-labels';

export type ConsentForm = FormGroup<{
  given: FormControl<boolean>;
  method: FormControl<ConsentMethod>;
  scope: FormControl<ConsentScope[]>;
}>;

/** Consent to share with the partner: that it was given, how, and what may be shared. */
@Component({
  selector: 'app-consent-fields',
  imports: [MatCheckboxModule, MatChipsModule, MatRadioModule, ReactiveFormsModule, TranslocoPipe],
  template: `
    <fieldset class="consent" [formGroup]="form()">
      <legend>{{ 'cases.consent.title' | transloco }}</legend>
      <mat-checkbox formControlName="given" data-testid="consent-given">
        {{ 'cases.consent.given' | transloco }}
      </mat-checkbox>
      @if (form().controls.given.value) {
        <mat-radio-group
          formControlName="method"
          class="methods"
          [attr.aria-label]="'cases.consent.method' | transloco"
        >
          @for (value of methods; track value) {
            <mat-radio-button [value]="value" [attr.data-testid]="'consent-method-' + value">
              {{ methodLabels[value] | transloco }}
            </mat-radio-button>
          }
        </mat-radio-group>
        <p class="label" id="consent-scope-label">{{ 'cases.consent.scope' | transloco }}</p>
        <mat-chip-listbox multiple formControlName="scope" aria-labelledby="consent-scope-label">
          @for (value of scopes; track value) {
            <mat-chip-option [value]="value" [attr.data-testid]="'consent-scope-' + value">
              {{ scopeLabels[value] | transloco }}
            </mat-chip-option>
          }
        </mat-chip-listbox>
      }
    </fieldset>
  `,
  styles: `
    .consent {
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 8px;
      padding: 8px 12px 12px;
      margin: 8px 0;
    }
    .methods {
      display: flex;
      gap: 16px;
      margin: 4px 0;
    }
    .label {
      margin: 8px 0 4px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ConsentFields {
  readonly form = input.required<ConsentForm>();
  protected readonly methods = CONSENT_METHODS;
  protected readonly scopes = CONSENT_SCOPES;
  protected readonly methodLabels = consentMethodLabels;
  protected readonly scopeLabels = consentScopeLabels;
}
