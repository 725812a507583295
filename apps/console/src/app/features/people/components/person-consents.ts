import type { OnInit } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  input,
  output,
  signal,
  DestroyRef,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { NonNullableFormBuilder, ReactiveFormsModule } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatRadioModule } from '@angular/material/radio';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import {
  CONSENT_METHODS,
  CONSENT_PURPOSES,
  type ConsentMethod,
  type ConsentPurpose,
  type ConsentView,
} from '@harbour/domain';
import { required } from '../../../core/forms/validators';
import { appErrorOf, type AppError } from '../../../core/http/app-error';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import { FormError } from '../../../core/ui/form-error';
import { CasesApi, newIdempotencyKey } from '../../../core/cases/cases.api';
import { consentMethodLabels, consentPurposeLabels } from '../../../core/i18n/domain-labels';

/**
 * A person's consents in force, per purpose (docs/design.md §3): recorded with how they were given,
 * revocable at any time. Revoked consents stay in the record (and the access log).
 */
@Component({
  selector: 'app-person-consents',
  imports: [
    DateTimePipe,
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
    <app-form-error testId="consents-error" [error]="error()" />
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
        </mat-form-field>
        <mat-radio-group
          formControlName="method"
          class="methods"
          [attr.aria-label]="'cases.consents.method' | transloco"
        >
          @for (method of methods; track method) {
            <mat-radio-button [value]="method">{{
              methodLabels[method] | transloco
            }}</mat-radio-button>
          }
        </mat-radio-group>
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
    button {
      min-height: 48px;
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PersonConsents implements OnInit {
  private readonly destroyRef = inject(DestroyRef);
  private readonly api = inject(CasesApi);
  private readonly fb = inject(NonNullableFormBuilder);

  readonly personId = input.required<string>();
  readonly mayWrite = input(false);
  /** A consent changed (the person's reporting flag may have changed with it). */
  readonly changed = output();

  protected readonly language = inject(LanguageService).active;
  protected readonly purposeLabels = consentPurposeLabels;
  protected readonly methodLabels = consentMethodLabels;
  protected readonly methods = CONSENT_METHODS;
  protected readonly consents = signal<readonly ConsentView[]>([]);
  protected readonly inForce = computed(() => this.consents().filter((c) => c.revokedAt === null));
  /** Purposes with no consent in force (one at a time per purpose). */
  protected readonly available = computed(() => {
    const given = new Set(this.inForce().map((c) => c.purpose));
    return CONSENT_PURPOSES.filter((purpose) => !given.has(purpose));
  });
  protected readonly busy = signal(false);
  protected readonly error = signal<AppError | null>(null);
  protected readonly notice = signal<string | null>(null);
  protected readonly form = this.fb.group({
    purpose: this.fb.control<ConsentPurpose | null>(null, required),
    method: this.fb.control<ConsentMethod>('verbal'),
  });
  private key = newIdempotencyKey();

  ngOnInit(): void {
    this.load();
  }

  protected record(): void {
    const { purpose, method } = this.form.getRawValue();
    if (purpose === null || this.busy()) return;
    this.busy.set(true);
    this.api
      .recordConsent(this.personId(), { purpose, method }, this.key)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.key = newIdempotencyKey();
          this.form.reset({ purpose: null, method: 'verbal' });
          this.done('cases.consents.recorded');
        },
        error: (error: unknown) => this.failed(error),
      });
  }

  protected revoke(consent: ConsentView): void {
    if (this.busy()) return;
    this.busy.set(true);
    this.api
      .revokeConsent(this.personId(), consent)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => this.done('cases.consents.revoked'),
        error: (error: unknown) => this.failed(error),
      });
  }

  private done(key: string): void {
    this.notice.set(key);
    this.error.set(null);
    this.busy.set(false);
    this.changed.emit();
    this.load();
  }

  private failed(error: unknown): void {
    this.error.set(appErrorOf(error));
    this.notice.set(null);
    this.busy.set(false);
    this.load();
  }

  private load(): void {
    this.api
      .consents(this.personId())
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (consents) => this.consents.set(consents),
        error: (error: unknown) => this.error.set(appErrorOf(error)),
      });
  }
}
