import {
  ChangeDetectionStrategy,
  ChangeDetectorRef,
  DestroyRef,
  Component,
  effect,
  inject,
  input,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
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
import { FieldErrorPipe } from '../../../core/forms/field-error.pipe';
import { consentMethodLabels, consentScopeLabels } from '../../../core/i18n/domain-labels';

export type ConsentForm = FormGroup<{
  given: FormControl<boolean>;
  method: FormControl<ConsentMethod>;
  scope: FormControl<ConsentScope[]>;
}>;

/**
 * Consent to share with the partner: that it was given, how, and what may be shared. A refusal
 * of the method or the scope (the browser's or the API's) shows under it, marked invalid.
 */
@Component({
  selector: 'app-consent-fields',
  imports: [
    FieldErrorPipe,
    MatCheckboxModule,
    MatChipsModule,
    MatRadioModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
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
          [attr.aria-invalid]="refused('method')"
          [attr.aria-describedby]="refused('method') ? 'consent-method-error' : null"
        >
          @for (value of methods; track value) {
            <mat-radio-button [value]="value" [attr.data-testid]="'consent-method-' + value">
              {{ methodLabels[value] | transloco }}
            </mat-radio-button>
          }
        </mat-radio-group>
        @if (refused('method')) {
          <p class="error" id="consent-method-error" data-testid="consent-method-error">
            {{ form().controls.method.errors | fieldError }}
          </p>
        }
        <p class="label" id="consent-scope-label">{{ 'cases.consent.scope' | transloco }}</p>
        <mat-chip-listbox
          multiple
          formControlName="scope"
          aria-labelledby="consent-scope-label"
          [attr.aria-invalid]="refused('scope')"
          [attr.aria-describedby]="refused('scope') ? 'consent-scope-error' : null"
        >
          @for (value of scopes; track value) {
            <mat-chip-option [value]="value" [attr.data-testid]="'consent-scope-' + value">
              {{ scopeLabels[value] | transloco }}
            </mat-chip-option>
          }
        </mat-chip-listbox>
        @if (refused('scope')) {
          <p class="error" id="consent-scope-error" data-testid="consent-scope-error">
            {{ form().controls.scope.errors | fieldError }}
          </p>
        }
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
    .error {
      margin: 4px 0 0;
      color: var(--mat-sys-error);
      font: var(--mat-sys-body-small);
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
  private readonly changes = inject(ChangeDetectorRef);
  private readonly destroyRef = inject(DestroyRef);

  constructor() {
    // The dialog marks these controls (`applyFieldErrors`); show it although the input is the same.
    effect((onCleanup) => {
      const subscription = this.form()
        .events.pipe(takeUntilDestroyed(this.destroyRef))
        .subscribe(() => this.changes.markForCheck());
      onCleanup(() => subscription.unsubscribe());
    });
  }

  /** Whether `name` carries an error to show (touched, as Material's own fields). */
  protected refused(name: 'method' | 'scope'): boolean {
    const control = this.form().controls[name];
    return control.invalid && control.touched;
  }
}
