import type { OnInit } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  effect,
  ElementRef,
  inject,
  Injector,
  input,
  output,
  signal,
  untracked,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import {
  CONSENT_METHODS,
  type ConsentMethod,
  type ConsentPurpose,
  type ConsentView,
  type FieldError,
} from '@harbour/domain';
import { FieldErrorPipe } from '../../../core/forms/field-error.pipe';
import { applyFieldErrors } from '../../../core/forms/field-errors';
import { focusFirstInvalid } from '../../../core/forms/focus-invalid';
import { required } from '../../../core/forms/validators';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import { FormError } from '../../../core/ui/form-error';
import { consentMethodLabels, consentPurposeLabels } from '../../../core/i18n/domain-labels';
import { ConsentsStore } from '../data/consents.store';

/**
 * A person's consents in force, per purpose (docs/design.md §3): recorded with how they were given,
 * revocable at any time. Revoked consents stay in the record (and the access log). The requests
 * and what they return are the panel's own `ConsentsStore`'s.
 */
@Component({
  selector: 'app-person-consents',
  imports: [
    DateTimePipe,
    FieldErrorPipe,
    FormError,
    MatButtonModule,
    MatFormFieldModule,
    MatRadioModule,
    MatSelectModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  template: `
    <h2 class="title">{{ 'cases.consents.title' | transloco }}</h2>
    <div role="status">
      @if (notice(); as key) {
        <p class="notice">{{ key | transloco }}</p>
      }
    </div>
    <app-form-error testId="consents-error" [error]="error()" [unmatched]="unmatched()" />
    @if (inForce().length === 0) {
      <p class="muted">{{ 'cases.consents.none' | transloco }}</p>
    }
    <ul class="consents" data-testid="consents-in-force">
      @for (consent of inForce(); track consent.id) {
        <li [attr.data-purpose]="consent.purpose">
          <span>
            {{
              'cases.consents.given'
                | transloco
                  : {
                      purpose: (purposeLabels[consent.purpose] | transloco),
                      method: (methodLabels[consent.method] | transloco),
                      date: (consent.givenAt | appDateTime: language().code),
                    }
            }}
          </span>
          @if (mayWrite()) {
            <button
              mat-button
              type="button"
              data-testid="consent-revoke"
              [disabled]="busy()"
              (click)="revoke(consent)"
            >
              {{ 'cases.consents.revoke' | transloco }}
            </button>
          }
        </li>
      }
    </ul>
    @if (mayWrite() && available().length > 0) {
      <form class="record" [formGroup]="form" (ngSubmit)="record()" novalidate>
        <mat-form-field appearance="outline">
          <mat-label>{{ 'cases.consents.purpose' | transloco }}</mat-label>
          <mat-select formControlName="purpose" data-testid="consent-purpose">
            @for (purpose of available(); track purpose) {
              <mat-option [value]="purpose">{{ purposeLabels[purpose] | transloco }}</mat-option>
            }
          </mat-select>
          <mat-error data-testid="consent-purpose-error">
            {{ form.controls.purpose.errors | fieldError }}
          </mat-error>
        </mat-form-field>
        <mat-radio-group
          formControlName="method"
          class="methods"
          [attr.aria-label]="'cases.consents.method' | transloco"
          [attr.aria-invalid]="form.controls.method.invalid && form.controls.method.touched"
          [attr.aria-describedby]="
            form.controls.method.invalid ? 'consent-record-method-error' : null
          "
        >
          @for (method of methods; track method) {
            <mat-radio-button [value]="method">{{
              methodLabels[method] | transloco
            }}</mat-radio-button>
          }
        </mat-radio-group>
        @if (form.controls.method.invalid && form.controls.method.touched) {
          <p class="refused" id="consent-record-method-error" data-testid="consent-method-error">
            {{ form.controls.method.errors | fieldError }}
          </p>
        }
        <button mat-stroked-button type="submit" data-testid="consent-record" [disabled]="busy()">
          {{ 'cases.consents.record' | transloco }}
        </button>
      </form>
    }
  `,
  styles: `
    :host {
      display: block;
    }
    .title {
      margin: 8px 0 4px;
      font: var(--mat-sys-title-small);
    }
    .muted {
      color: var(--mat-sys-on-surface-variant);
    }
    .notice {
      margin: 0 0 8px;
      padding: 8px 12px;
      border-radius: 8px;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
    .consents {
      list-style: none;
      margin: 0 0 8px;
      padding: 0;
    }
    .consents li {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      justify-content: space-between;
      gap: 4px 12px;
    }
    .record {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 8px 16px;
    }
    .methods {
      display: flex;
      gap: 12px;
    }
    .refused {
      margin: 0;
      color: var(--mat-sys-error);
      font: var(--mat-sys-body-small);
    }
    button {
      min-height: 48px;
    }
  `,
  providers: [ConsentsStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PersonConsents implements OnInit {
  private readonly store = inject(ConsentsStore);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);

  readonly personId = input.required<string>();
  readonly mayWrite = input(false);
  /** A consent changed (the person's reporting flag may have changed with it). */
  readonly changed = output();

  protected readonly language = inject(LanguageService).active;
  protected readonly purposeLabels = consentPurposeLabels;
  protected readonly methodLabels = consentMethodLabels;
  protected readonly methods = CONSENT_METHODS;
  protected readonly inForce = this.store.inForce;
  protected readonly available = this.store.available;
  protected readonly busy = this.store.busy;
  protected readonly error = this.store.error;
  protected readonly notice = this.store.notice;
  protected readonly form = this.fb.group({
    purpose: this.fb.control<ConsentPurpose | null>(null, required),
    method: this.fb.control<ConsentMethod>('verbal'),
  });
  /** Field errors of a refused consent that no control shows (named in words in the banner). */
  protected readonly unmatched = signal<readonly FieldError[] | null>(null);

  constructor() {
    // A refused consent goes on the control it names (`RecordConsentDto`'s paths are the form's).
    effect(() => {
      const failure = this.error();
      untracked(() => {
        if (failure?.code !== 'validation_failed') {
          this.unmatched.set(null);
          return;
        }
        this.unmatched.set(applyFieldErrors(this.form, failure.details.fields ?? []));
        focusFirstInvalid(this.host.nativeElement, this.injector);
      });
    });
  }

  ngOnInit(): void {
    this.store.open(this.personId());
  }

  protected record(): void {
    const { purpose, method } = this.form.getRawValue();
    if (purpose === null || this.form.invalid) {
      this.form.markAllAsTouched();
      focusFirstInvalid(this.host.nativeElement, this.injector);
      return;
    }
    this.store.record(purpose, method, () => {
      this.form.reset({ purpose: null, method: 'verbal' });
      this.changed.emit();
    });
  }

  protected revoke(consent: ConsentView): void {
    this.store.revoke(consent, () => this.changed.emit());
  }
}
