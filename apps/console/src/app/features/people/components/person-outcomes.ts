import type { OnInit } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  ElementRef,
  inject,
  Injector,
  input,
  signal,
  untracked,
} from '@angular/core';
import { FormControl, FormGroup, ReactiveFormsModule } from '@angular/forms';
import { toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { TranslocoPipe } from '@jsverse/transloco';
import {
  OUTCOME_DOMAINS,
  OUTCOME_RATINGS,
  type OutcomeChange,
  type OutcomeDomain,
  type OutcomeRating,
  type OutcomeRatings,
  type FieldError,
} from '@harbour/domain';
import { localIsoDate } from '../../../core/cases/local-date';
import { FieldErrorPipe } from '../../../core/forms/field-error.pipe';
import { applyFieldErrors, dateInRange } from '../../../core/forms/field-errors';
import { focusFirstInvalid } from '../../../core/forms/focus-invalid';
import { required } from '../../../core/forms/validators';
import { DatePipe } from '../../../core/i18n/date.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import { Clock } from '../../../core/time/clock';
import { FormError } from '../../../core/ui/form-error';
import { outcomeErrorKey, OutcomesStore } from '../data/outcomes.store';

// Translation keys written out in full, so that the translation check sees every one of them.

/** Each domain's name, its question, and the words at both ends of its scale. */
export const DOMAIN_KEYS: Readonly<
  Record<OutcomeDomain, { name: string; question: string; low: string; high: string }>
> = {
  safety: {
    name: 'outcomes.domains.safety.name',
    question: 'outcomes.domains.safety.question',
    low: 'outcomes.domains.safety.low',
    high: 'outcomes.domains.safety.high',
  },
  legal_status: {
    name: 'outcomes.domains.legal_status.name',
    question: 'outcomes.domains.legal_status.question',
    low: 'outcomes.domains.legal_status.low',
    high: 'outcomes.domains.legal_status.high',
  },
  health_wellbeing: {
    name: 'outcomes.domains.health_wellbeing.name',
    question: 'outcomes.domains.health_wellbeing.question',
    low: 'outcomes.domains.health_wellbeing.low',
    high: 'outcomes.domains.health_wellbeing.high',
  },
  work_money: {
    name: 'outcomes.domains.work_money.name',
    question: 'outcomes.domains.work_money.question',
    low: 'outcomes.domains.work_money.low',
    high: 'outcomes.domains.work_money.high',
  },
  housing: {
    name: 'outcomes.domains.housing.name',
    question: 'outcomes.domains.housing.question',
    low: 'outcomes.domains.housing.low',
    high: 'outcomes.domains.housing.high',
  },
  social_support: {
    name: 'outcomes.domains.social_support.name',
    question: 'outcomes.domains.social_support.question',
    low: 'outcomes.domains.social_support.low',
    high: 'outcomes.domains.social_support.high',
  },
};

/** The middle of every scale, in plain words (the ends are the domain's own). */
export const MIDDLE_KEYS: Readonly<Record<2 | 3 | 4, string>> = {
  2: 'outcomes.scale.2',
  3: 'outcomes.scale.3',
  4: 'outcomes.scale.4',
};

export const CHANGE_KEYS: Readonly<Record<OutcomeChange, string>> = {
  improved: 'outcomes.change.improved',
  same: 'outcomes.change.same',
  worsened: 'outcomes.change.worsened',
};

const ARROWS: Readonly<Record<OutcomeChange, string>> = {
  improved: '↑',
  same: '→',
  worsened: '↓',
};

/** The words for one rating of one domain. */
export function anchorKey(domain: OutcomeDomain, rating: OutcomeRating): string {
  if (rating === 1) return DOMAIN_KEYS[domain].low;
  if (rating === 5) return DOMAIN_KEYS[domain].high;
  return MIDDLE_KEYS[rating];
}

type RatingsForm = FormGroup<Record<OutcomeDomain, FormControl<OutcomeRating | null>>>;

/**
 * Outcomes the person rates (docs/design.md §3), on their page: how each area of life has moved
 * since the check-in before (latest against previous, an arrow, no chart), and a check-in form
 * the worker fills in with the person — on a phone, one area per row, big touch targets, every
 * point of the scale in plain words, and any area left as "not discussed".
 */
@Component({
  selector: 'app-person-outcomes',
  imports: [
    DatePipe,
    FieldErrorPipe,
    FormError,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  template: `
    <h2 class="title">{{ 'outcomes.title' | transloco }}</h2>
    <div role="status">
      @if (notice(); as key) {
        <p class="notice" data-testid="outcomes-notice">{{ key | transloco }}</p>
      }
    </div>
    @if (latest(); as last) {
      <p class="muted" data-testid="outcomes-last">
        {{
          'outcomes.lastCheckIn' | transloco: { date: (last.checkedOn | appDate: language().code) }
        }}
      </p>
      <ul class="trend" data-testid="outcomes-trend">
        @for (domain of domains; track domain) {
          @let t = trend()[domain];
          <li [attr.data-domain]="domain">
            <span class="domain">{{ domainKeys[domain].name | transloco }}</span>
            @if (t.latest === null) {
              <span class="muted">{{ 'outcomes.notRatedYet' | transloco }}</span>
            } @else {
              <span class="rating">
                <strong>{{ t.latest }}</strong>
                <span class="muted">· {{ anchor(domain, t.latest) | transloco }}</span>
              </span>
              @if (t.change; as change) {
                <span class="change" [class]="'change ' + change" [attr.data-change]="change">
                  <span aria-hidden="true"
                    >{{ arrows[change] }} {{ t.previous }}→{{ t.latest }}</span
                  >
                  <!-- Read out instead of the arrows (a plain span may not carry aria-label). -->
                  <span class="visually-hidden" data-testid="outcome-change-text">{{
                    'outcomes.changeFrom'
                      | transloco
                        : { change: (changeKeys[change] | transloco), previous: t.previous }
                  }}</span>
                </span>
              } @else {
                <span class="muted">{{ 'outcomes.first' | transloco }}</span>
              }
            }
          </li>
        }
      </ul>
    } @else {
      <p class="muted" data-testid="outcomes-none">{{ 'outcomes.none' | transloco }}</p>
    }

    @if (mayWrite()) {
      @if (!open()) {
        <button mat-stroked-button type="button" data-testid="outcomes-start" (click)="start()">
          {{ 'outcomes.start' | transloco }}
        </button>
      } @else {
        <form class="check-in" [formGroup]="form" (ngSubmit)="record()" novalidate>
          <p class="muted">{{ 'outcomes.intro' | transloco }}</p>
          <mat-form-field appearance="outline" class="date">
            <mat-label>{{ 'outcomes.checkedOn' | transloco }}</mat-label>
            <input
              matInput
              type="date"
              [max]="today()"
              [formControl]="checkedOn"
              data-testid="outcomes-date"
            />
            <mat-error data-testid="outcomes-date-error">{{
              checkedOn.errors | fieldError
            }}</mat-error>
          </mat-form-field>
          @for (domain of domains; track domain) {
            <fieldset class="domain-row" formGroupName="ratings" [attr.data-domain]="domain">
              <legend>{{ domainKeys[domain].question | transloco }}</legend>
              <div class="scale">
                @for (rating of scale; track rating) {
                  <label class="point" [attr.data-rating]="rating">
                    <input
                      type="radio"
                      [name]="domain"
                      [formControlName]="domain"
                      [value]="rating"
                    />
                    <span class="number">{{ rating }}</span>
                    <span class="word">{{ anchor(domain, rating) | transloco }}</span>
                  </label>
                }
                <label class="point skip" data-rating="skip">
                  <input type="radio" [name]="domain" [formControlName]="domain" [value]="null" />
                  <span class="word">{{ 'outcomes.notDiscussed' | transloco }}</span>
                </label>
              </div>
              @if (ratings.controls[domain].invalid) {
                <p
                  class="refused"
                  role="alert"
                  [attr.data-testid]="'outcomes-rating-error-' + domain"
                >
                  {{ ratings.controls[domain].errors | fieldError }}
                </p>
              }
            </fieldset>
          }
          <app-form-error
            testId="outcomes-error"
            [error]="error()"
            [key]="errorKey()"
            [unmatched]="unmatched()"
          />
          @if (!anyRated()) {
            <p class="muted" data-testid="outcomes-none-rated">
              {{ 'outcomes.rateOne' | transloco }}
            </p>
          }
          <div class="buttons">
            <button
              mat-flat-button
              type="submit"
              data-testid="outcomes-save"
              [disabled]="busy() || !anyRated()"
            >
              {{ 'outcomes.save' | transloco }}
            </button>
            <button mat-button type="button" data-testid="outcomes-cancel" (click)="cancel()">
              {{ 'outcomes.cancel' | transloco }}
            </button>
          </div>
        </form>
      }
    }
  `,
  styles: `
    .refused {
      margin: 4px 0 0;
      color: var(--mat-sys-error);
      font: var(--mat-sys-body-small);
    }
    :host {
      display: block;
      margin-top: 16px;
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
    .trend {
      list-style: none;
      margin: 0 0 12px;
      padding: 0;
    }
    .trend li {
      display: flex;
      flex-wrap: wrap;
      align-items: baseline;
      gap: 4px 12px;
      padding: 6px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .trend .domain {
      flex: 1 1 10em;
    }
    .change {
      font-weight: 600;
      white-space: nowrap;
    }
    .change.improved {
      color: var(--mat-sys-primary);
    }
    .change.worsened {
      color: var(--mat-sys-error);
    }
    .check-in {
      display: flex;
      flex-direction: column;
      gap: 8px;
    }
    .date {
      max-width: 16em;
    }
    .domain-row {
      margin: 0;
      padding: 8px 0;
      border: 0;
      border-top: 1px solid var(--mat-sys-outline-variant);
    }
    legend {
      padding: 0;
      font: var(--mat-sys-title-small);
    }
    .scale {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(4.5em, 1fr));
      gap: 6px;
      margin-top: 6px;
    }
    .point {
      position: relative;
      display: flex;
      flex-direction: column;
      align-items: center;
      justify-content: center;
      min-height: 56px;
      min-width: 44px;
      padding: 4px;
      border: 1px solid var(--mat-sys-outline);
      border-radius: 8px;
      text-align: center;
      cursor: pointer;
    }
    .point input {
      position: absolute;
      opacity: 0;
      inset: 0;
      margin: 0;
      cursor: pointer;
    }
    .point:has(input:checked) {
      background: var(--mat-sys-primary-container);
      color: var(--mat-sys-on-primary-container);
      border-color: var(--mat-sys-primary);
      border-width: 2px;
    }
    .point:has(input:focus-visible) {
      outline: 2px solid var(--mat-sys-primary);
      outline-offset: 2px;
    }
    .number {
      font: var(--mat-sys-title-medium);
    }
    .word {
      font: var(--mat-sys-body-small);
    }
    .buttons {
      display: flex;
      flex-wrap: wrap;
      gap: 8px;
    }
    button {
      min-height: 48px;
    }
  `,
  providers: [OutcomesStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PersonOutcomes implements OnInit {
  private readonly store = inject(OutcomesStore);
  private readonly clock = inject(Clock);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);

  readonly personId = input.required<string>();
  readonly mayWrite = input(false);

  protected readonly language = inject(LanguageService).active;
  protected readonly domains = OUTCOME_DOMAINS;
  protected readonly scale = OUTCOME_RATINGS;
  protected readonly domainKeys = DOMAIN_KEYS;
  protected readonly changeKeys = CHANGE_KEYS;
  protected readonly arrows = ARROWS;
  protected readonly latest = this.store.latest;
  protected readonly trend = this.store.trend;
  protected readonly busy = this.store.busy;
  protected readonly error = this.store.error;
  /** Field errors of a refused check-in that no control shows (the banner says them). */
  protected readonly unmatched = signal<readonly FieldError[] | null>(null);
  /** This form's own words for what the banner shows, when it has them. */
  protected readonly errorKey = computed(() => {
    const unmatched = this.unmatched();
    return unmatched === null ? this.store.errorKey() : outcomeErrorKey(unmatched);
  });
  protected readonly notice = this.store.notice;
  protected readonly open = signal(false);
  protected readonly today = signal(localIsoDate(this.clock.now()));

  protected readonly checkedOn = new FormControl(this.today(), {
    nonNullable: true,
    // Not in the future (the person's first day the API checks itself, with both bounds).
    validators: [required, dateInRange(() => this.today())],
  });
  protected readonly ratings: RatingsForm = new FormGroup(
    Object.fromEntries(
      OUTCOME_DOMAINS.map((d) => [d, new FormControl<OutcomeRating | null>(null)]),
    ) as Record<OutcomeDomain, FormControl<OutcomeRating | null>>,
  );
  protected readonly form = new FormGroup({ checkedOn: this.checkedOn, ratings: this.ratings });
  private readonly values = toSignal(this.ratings.valueChanges, {
    initialValue: this.ratings.getRawValue(),
  });
  protected readonly anyRated = computed(() =>
    OUTCOME_DOMAINS.some((d) => (this.values()[d] ?? null) !== null),
  );

  constructor() {
    // A refused check-in goes on the controls it names; the rest (no rating) to the banner.
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

  protected anchor(domain: OutcomeDomain, rating: OutcomeRating): string {
    return anchorKey(domain, rating);
  }

  protected start(): void {
    this.today.set(localIsoDate(this.clock.now()));
    this.form.reset({ checkedOn: this.today() });
    this.open.set(true);
  }

  protected cancel(): void {
    this.open.set(false);
  }

  protected record(): void {
    if (this.checkedOn.invalid) {
      this.checkedOn.markAsTouched();
      focusFirstInvalid(this.host.nativeElement, this.injector);
      return;
    }
    const { checkedOn, ratings } = this.form.getRawValue();
    const given = Object.fromEntries(
      OUTCOME_DOMAINS.map((d) => [d, ratings[d] ?? null]),
    ) as OutcomeRatings;
    this.store.record({ checkedOn, ratings: given }, () => this.open.set(false));
  }
}
