import type { OnInit } from '@angular/core';
import { ChangeDetectionStrategy, Component, inject, input } from '@angular/core';
import { NonNullableFormBuilder, ReactiveFormsModule, Validators } from '@angular/forms';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { MatSelectModule } from '@angular/material/select';
import { TranslocoPipe } from '@jsverse/transloco';
import { MAX_FOLLOW_UP_TEXT_LENGTH } from '@harbour/domain';
import { SessionStore } from '../../../core/auth/session.store';
import { FollowUpActions, snoozeDate } from '../../../core/cases/follow-up-actions';
import { localIsoDate } from '../../../core/cases/local-date';
import { required } from '../../../core/forms/validators';
import { DatePipe } from '../../../core/i18n/date.pipe';
import { LanguageService } from '../../../core/i18n/language.service';
import { Clock } from '../../../core/time/clock';
import { FormError } from '../../../core/ui/form-error';
import { FollowUpsStore } from '../data/follow-ups.store';

/**
 * A person's follow-ups: open ones with done / snooze / cancel, a form to add one ("call back
 * about the clinic on Friday", a due date, who does it), and the closed ones below. The requests
 * and what they return are the panel's own `FollowUpsStore`'s.
 */
@Component({
  selector: 'app-person-follow-ups',
  imports: [
    DatePipe,
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
      <app-form-error testId="follow-ups-error" [error]="error()" />
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
                (done)="store.done(f)"
                (snooze)="store.snooze(f, $event)"
                (cancelFollowUp)="store.cancel(f)"
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
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>{{ 'followUps.dueLabel' | transloco }}</mat-label>
            <input
              matInput
              type="date"
              formControlName="dueOn"
              data-testid="follow-up-due"
              [min]="today()"
            />
          </mat-form-field>
          <mat-form-field appearance="outline">
            <mat-label>{{ 'followUps.assigneeLabel' | transloco }}</mat-label>
            <mat-select formControlName="assignedTo" data-testid="follow-up-assignee">
              <mat-option [value]="null">{{ 'followUps.assigneeMe' | transloco }}</mat-option>
              @for (a of otherAssignees(); track a.id) {
                <mat-option [value]="a.id">{{ a.displayName }}</mat-option>
              }
            </mat-select>
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
    dueOn: this.fb.control(snoozeDate(this.today(), 'tomorrow'), required),
    assignedTo: this.fb.control<string | null>(null),
  });

  ngOnInit(): void {
    this.store.show(this.personId(), this.mayWrite());
  }

  protected today(): string {
    return localIsoDate(this.clock.now());
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
      return;
    }
    this.store.add({ text, dueOn, assignedTo }, () => {
      this.form.reset({
        text: '',
        dueOn: snoozeDate(this.today(), 'tomorrow'),
        assignedTo: null,
      });
    });
  }
}
