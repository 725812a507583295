import type { OnInit } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  effect,
  ElementRef,
  inject,
  Injector,
  input,
  signal,
  untracked,
} from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import {
  MAX_FOLLOW_UP_DAYS_AHEAD,
  MAX_FOLLOW_UP_TEXT_LENGTH,
  addCalendarDays,
  type FieldError,
} from '@harbour/domain';
import { SessionStore } from '../../../core/auth/session.store';
import { FollowUpActions, snoozeDate } from '../../../core/cases/follow-up-actions';
import { localIsoDate } from '../../../core/cases/local-date';
import { FieldErrorPipe } from '../../../core/forms/field-error.pipe';
import { applyFieldErrors, dateInRange, type PathAliases } from '../../../core/forms/field-errors';
import { focusFirstInvalid } from '../../../core/forms/focus-invalid';
import { required } from '../../../core/forms/validators';
import type { AppError } from '../../../core/http/app-error';
import { DatePipe } from '../../../core/i18n/date.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import { Clock } from '../../../core/time/clock';
import { FormError } from '../../../core/ui/form-error';
import { FollowUpsStore } from '../data/follow-ups.store';

/**
 * `CreateFollowUpDto`'s paths in the add form (the same names): the person is the page's; a
 * follow-up added here is linked to no need or referral.
 */
export const ADD_FOLLOW_UP_PATHS: PathAliases = { personId: null, needId: null, referralId: null };

/**
 * A person's follow-ups: open ones with done / snooze / cancel, a form to add one ("call back
 * about the clinic on Friday", a due date, who does it), and the closed ones below. The requests
 * and what they return are the panel's own `FollowUpsStore`'s.
 */
@Component({
  selector: 'app-person-follow-ups',
  imports: [
    DatePipe,
    FieldErrorPipe,
    FollowUpActions,
    FormError,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    MatSelectModule,
    ReactiveFormsModule,
    TranslocoPipe,
  ],
  template: `
    <section data-testid="person-follow-ups" [attr.aria-label]="'followUps.title' | transloco">
      <h2 class="title">{{ 'followUps.title' | transloco }}</h2>
      <div role="status">
        @if (notice(); as key) {
          <p class="notice" data-testid="follow-ups-notice">{{ key | transloco }}</p>
        }
      </div>
      <app-form-error testId="follow-ups-error" [error]="error()" [unmatched]="unmatched()" />
      @if (open().length === 0) {
        <p class="muted" data-testid="follow-ups-empty">{{ 'followUps.none' | transloco }}</p>
      }
      <ul class="items" data-testid="follow-ups-open">
        @for (f of open(); track f.id) {
          <li data-testid="follow-up-item" [attr.data-overdue]="f.dueOn < today()">
            <span class="what">
              @if (f.source === 'stale_referral') {
                {{ 'followUps.staleReferralText' | transloco }}
              } @else {
                {{ f.text ?? ('followUps.textGone' | transloco) }}
              }
            </span>
            <span class="muted">
              {{
                (f.dueOn < today() ? 'followUps.overdueOn' : 'followUps.dueOn')
                  | transloco
                    : {
                        date: (f.dueOn | appDate: language().code),
                        name: f.assignedToName ?? '—',
                      }
              }}
            </span>
            @if (mayWrite()) {
              <app-follow-up-actions
                [followUp]="f"
                [busy]="busy()"
                [cancellable]="true"
                (done)="act(); store.done(f)"
                (snooze)="act(); store.snooze(f, $event)"
                (cancelFollowUp)="act(); store.cancel(f)"
              />
            }
          </li>
        }
      </ul>
      @if (mayWrite()) {
        <form class="add" [formGroup]="form" (ngSubmit)="add()" novalidate>
          <mat-form-field appearance="outline" class="text">
            <mat-label>{{ 'followUps.textLabel' | transloco }}</mat-label>
            <textarea
              matInput
              formControlName="text"
              rows="2"
              data-testid="follow-up-text"
              [maxlength]="maxLength"
              [placeholder]="'followUps.textPlaceholder' | transloco"
            ></textarea>
            <mat-error>{{ form.controls.text.errors | fieldError }}</mat-error>
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>{{ 'followUps.dueLabel' | transloco }}</mat-label>
            <input
              matInput
              type="date"
              formControlName="dueOn"
              data-testid="follow-up-due"
              [min]="today()"
              [max]="latestDue()"
            />
            <mat-error>{{ form.controls.dueOn.errors | fieldError }}</mat-error>
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>{{ 'followUps.assigneeLabel' | transloco }}</mat-label>
            <mat-select formControlName="assignedTo" data-testid="follow-up-assignee">
              <mat-option [value]="null">{{ 'followUps.assigneeMe' | transloco }}</mat-option>
              @for (a of otherAssignees(); track a.id) {
                <mat-option [value]="a.id">{{ a.displayName }}</mat-option>
              }
            </mat-select>
            <mat-error>{{ form.controls.assignedTo.errors | fieldError }}</mat-error>
          </mat-form-field>
          <button mat-flat-button type="submit" data-testid="follow-up-add" [disabled]="busy()">
            {{ 'followUps.add' | transloco }}
          </button>
        </form>
      }
      @if (closed().length > 0) {
        <h3 class="sub">{{ 'followUps.closedTitle' | transloco }}</h3>
        <ul class="items" data-testid="follow-ups-closed">
          @for (f of closed(); track f.id) {
            <li [attr.data-status]="f.status">
              <span>
                @if (f.source === 'stale_referral') {
                  {{ 'followUps.staleReferralText' | transloco }}
                } @else {
                  {{ f.text ?? ('followUps.textGone' | transloco) }}
                }
              </span>
              <span class="muted">{{
                (f.status === 'done' ? 'followUps.statusDone' : 'followUps.statusCancelled')
                  | transloco
              }}</span>
            </li>
          }
        </ul>
      }
    </section>
  `,
  styles: `
    :host {
      display: block;
      margin-top: 16px;
    }
    .title {
      margin: 8px 0 4px;
      font: var(--mat-sys-title-small);
    }
    .sub {
      margin: 16px 0 4px;
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
    .items {
      list-style: none;
      margin: 0 0 8px;
      padding: 0;
    }
    .items li {
      display: flex;
      flex-direction: column;
      gap: 4px;
      padding: 8px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .items li[data-overdue='true'] .muted {
      color: var(--mat-sys-error);
    }
    .add {
      display: flex;
      flex-wrap: wrap;
      align-items: flex-start;
      gap: 0 16px;
    }
    .add .text {
      flex: 1 1 100%;
    }
    button {
      min-height: 48px;
    }
  `,
  providers: [FollowUpsStore],
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class PersonFollowUps implements OnInit {
  protected readonly store = inject(FollowUpsStore);
  private readonly fb = inject(NonNullableFormBuilder);
  private readonly clock = inject(Clock);
  private readonly session = inject(SessionStore);
  private readonly host = inject<ElementRef<HTMLElement>>(ElementRef);
  private readonly injector = inject(Injector);

  readonly personId = input.required<string>();
  readonly mayWrite = input(false);

  protected readonly language = inject(LanguageService).active;
  protected readonly maxLength = MAX_FOLLOW_UP_TEXT_LENGTH;
  protected readonly open = this.store.open;
  protected readonly closed = this.store.closed;
  protected readonly busy = this.store.busy;
  protected readonly error = this.store.error;
  protected readonly notice = this.store.notice;
  protected readonly form = this.fb.group({
    text: this.fb.control('', [required, Validators.maxLength(MAX_FOLLOW_UP_TEXT_LENGTH)]),
    dueOn: this.fb.control(snoozeDate(this.today(), 'tomorrow'), [
      required,
      // The API's bounds, as this device's calendar sees them: today to a year ahead.
      dateInRange(() => this.latestDue(), this.today()),
    ]),
    assignedTo: this.fb.control<string | null>(null),
  });
  /** Field errors of a refused addition that no control shows (named in words in the banner). */
  protected readonly unmatched = signal<readonly FieldError[] | null>(null);
  /** Whether the last request was an addition (a refused snooze is not the add form's). */
  private adding = false;

  constructor() {
    effect(() => {
      const failure = this.error();
      untracked(() => this.showRefusal(failure));
    });
  }

  /** A refused addition goes on the controls it names; what none of them takes, to the banner. */
  private showRefusal(failure: AppError | null): void {
    if (failure === null || !this.adding) {
      this.unmatched.set(null);
      return;
    }
    if (failure.code === 'due_date_in_past') {
      // Today moved on (or the device's date is wrong): the same words as the browser's check.
      const dueOn = this.form.controls.dueOn;
      dueOn.setErrors({ dateRange: { earliest: this.today(), latest: this.latestDue() } });
      dueOn.markAsTouched();
      this.unmatched.set([]);
    } else if (failure.code === 'validation_failed') {
      this.unmatched.set(
        applyFieldErrors(this.form, failure.details.fields ?? [], ADD_FOLLOW_UP_PATHS),
      );
    } else {
      this.unmatched.set(null);
      return;
    }
    focusFirstInvalid(this.host.nativeElement, this.injector);
  }

  ngOnInit(): void {
    this.store.show(this.personId(), this.mayWrite());
  }

  protected today(): string {
    return localIsoDate(this.clock.now());
  }

  /** The furthest day a follow-up may be due. */
  protected latestDue(): string {
    return addCalendarDays(this.today(), MAX_FOLLOW_UP_DAYS_AHEAD);
  }

  /** A done / snooze / cancel is sent: its refusal is the list's, not the add form's. */
  protected act(): void {
    this.adding = false;
  }

  /** Colleagues to pick from ("me" is the first choice). */
  protected otherAssignees() {
    const me = this.session.user()?.id;
    return this.store.assignees().filter((a) => a.id !== me);
  }

  protected add(): void {
    const { text, dueOn, assignedTo } = this.form.getRawValue();
    if (this.form.invalid || text.trim() === '') {
      this.form.markAllAsTouched();
      focusFirstInvalid(this.host.nativeElement, this.injector);
      return;
    }
    this.adding = true;
    this.store.add({ text, dueOn, assignedTo }, () => {
      this.form.reset({
        text: '',
        dueOn: snoozeDate(this.today(), 'tomorrow'),
        assignedTo: null,
      });
    });
  }
}
