import { NgTemplateOutlet } from '@angular/common';
import { ChangeDetectionStrategy, Component, inject, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatCardModule } from '@angular/material/card';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { RouterLink } from '@angular/router';
import { TranslocoPipe } from '@jsverse/transloco';
import type { DayReferral, DayView as Day, FollowUpView } from '@harbour/domain';
import { FollowUpActions } from '../../../core/cases/follow-up-actions';
import type { AppError } from '../../../core/http/app-error';
import { DatePipe } from '../../../core/i18n/date.pipe';
import { DateTimePipe } from '../../../core/i18n/date-time.pipe';
import { referralStatusLabels } from '../../../core/i18n/domain-labels';
import { LanguageService } from '../../../core/i18n/language.service';
import { FormError } from '../../../core/ui/form-error';

/**
 * The caseworker's day: follow-ups overdue, due today and coming up (done / snooze / open the
 * person), referrals waiting on a partner past the organisation's threshold, people seen in the
 * last two weeks (by code) and referrals left in draft. Each section says so when it is empty.
 */
@Component({
  selector: 'app-day-view',
  imports: [
    DatePipe,
    DateTimePipe,
    FollowUpActions,
    FormError,
    MatButtonModule,
    MatCardModule,
    MatProgressBarModule,
    NgTemplateOutlet,
    RouterLink,
    TranslocoPipe,
  ],
  template: `
    <div role="status">
      @if (notice(); as key) {
        <p class="notice" data-testid="day-notice">{{ key | transloco }}</p>
      }
    </div>
    <app-form-error testId="day-error" [error]="error()" />
    @if (loading() && day() === null) {
      <mat-progress-bar mode="indeterminate" [attr.aria-label]="'common.loading' | transloco" />
    }
    @if (day(); as d) {
      <div class="sections">
        <mat-card appearance="outlined" data-testid="day-due">
          <mat-card-header>
            <h2 mat-card-title>{{ 'day.dueTitle' | transloco }}</h2>
          </mat-card-header>
          <mat-card-content>
            @if (d.overdue.length === 0 && d.dueToday.length === 0) {
              <p class="empty" data-testid="day-due-empty">{{ 'day.dueEmpty' | transloco }}</p>
            }
            <ul class="items">
              @for (f of d.overdue; track f.id) {
                <ng-container *ngTemplateOutlet="item; context: { $implicit: f, overdue: true }" />
              }
              @for (f of d.dueToday; track f.id) {
                <ng-container *ngTemplateOutlet="item; context: { $implicit: f, overdue: false }" />
              }
            </ul>
            @if (d.upcoming.length > 0) {
              <h3 class="sub">{{ 'day.upcomingTitle' | transloco }}</h3>
              <ul class="items" data-testid="day-upcoming">
                @for (f of d.upcoming; track f.id) {
                  <li>
                    <span class="what">
                      @if (f.source === 'stale_referral') {
                        {{ 'followUps.staleReferralText' | transloco }}
                      } @else {
                        {{ f.text ?? ('followUps.textGone' | transloco) }}
                      }
                    </span>
                    <span class="meta">
                      {{ f.dueOn | appDate: language().code }}
                      @if (f.personId !== null) {
                        ·
                        <a [routerLink]="['/people', f.personId]">{{ f.personCode }}</a>
                      }
                    </span>
                  </li>
                }
              </ul>
            }
          </mat-card-content>
        </mat-card>

        <mat-card appearance="outlined" data-testid="day-stale-referrals">
          <mat-card-header>
            <h2 mat-card-title>{{ 'day.staleTitle' | transloco }}</h2>
          </mat-card-header>
          <mat-card-content>
            @if (d.staleReferralDays === null) {
              <p class="empty">{{ 'day.staleOff' | transloco }}</p>
            } @else {
              <p class="hint">{{ 'day.staleHint' | transloco: { days: d.staleReferralDays } }}</p>
              @if (d.staleReferrals.length === 0) {
                <p class="empty" data-testid="day-stale-empty">
                  {{ 'day.staleEmpty' | transloco }}
                </p>
              }
            }
            <ul class="items">
              @for (r of d.staleReferrals; track r.id) {
                <ng-container *ngTemplateOutlet="referral; context: { $implicit: r }" />
              }
            </ul>
          </mat-card-content>
        </mat-card>

        <mat-card appearance="outlined" data-testid="day-recently-seen">
          <mat-card-header>
            <h2 mat-card-title>{{ 'day.seenTitle' | transloco }}</h2>
          </mat-card-header>
          <mat-card-content>
            @if (d.recentlySeen.length === 0) {
              <p class="empty">{{ 'day.seenEmpty' | transloco }}</p>
            }
            <ul class="items">
              @for (p of d.recentlySeen; track p.personId) {
                <li>
                  <a class="code" [routerLink]="['/people', p.personId]">{{ p.personCode }}</a>
                  <span class="meta">{{
                    'day.lastSeen' | transloco: { date: (p.lastSeenOn | appDate: language().code) }
                  }}</span>
                </li>
              }
            </ul>
          </mat-card-content>
        </mat-card>

        <mat-card appearance="outlined" data-testid="day-drafts">
          <mat-card-header>
            <h2 mat-card-title>{{ 'day.draftsTitle' | transloco }}</h2>
          </mat-card-header>
          <mat-card-content>
            @if (d.drafts.length === 0) {
              <p class="empty">{{ 'day.draftsEmpty' | transloco }}</p>
            }
            <ul class="items">
              @for (r of d.drafts; track r.id) {
                <ng-container *ngTemplateOutlet="referral; context: { $implicit: r }" />
              }
            </ul>
          </mat-card-content>
        </mat-card>
      </div>
    }

    <ng-template #item let-f let-overdue="overdue">
      <li data-testid="day-follow-up" [attr.data-overdue]="overdue">
        <span class="what">
          @if (f.source === 'stale_referral') {
            {{ 'followUps.staleReferralText' | transloco }}
          } @else {
            {{ f.text ?? ('followUps.textGone' | transloco) }}
          }
        </span>
        <span class="meta">
          @if (overdue) {
            <strong class="overdue">{{
              'day.overdueSince' | transloco: { date: (f.dueOn | appDate: language().code) }
            }}</strong>
          } @else {
            {{ 'day.dueToday' | transloco }}
          }
          @if (f.personId !== null) {
            ·
            <a data-testid="day-open-person" [routerLink]="['/people', f.personId]">{{
              f.personCode
            }}</a>
          }
        </span>
        <app-follow-up-actions
          [followUp]="f"
          [busy]="busy()"
          (done)="markDone.emit(f)"
          (snooze)="snooze.emit({ followUp: f, dueOn: $event })"
        />
      </li>
    </ng-template>

    <ng-template #referral let-r>
      <li data-testid="day-referral">
        <span class="what">{{ r.partnerName }}</span>
        <span class="meta">
          {{ statusLabel(r) | transloco }} ·
          {{ 'day.since' | transloco: { date: (r.since | appDateTime: language().code) } }}
          @if (r.personId !== null) {
            ·
            <a [routerLink]="['/people', r.personId]">{{ r.personCode }}</a>
          }
        </span>
      </li>
    </ng-template>
  `,
  styles: `
    :host {
      display: block;
    }
    .sections {
      display: grid;
      grid-template-columns: repeat(auto-fit, minmax(min(100%, 360px), 1fr));
      gap: 16px;
      align-items: start;
    }
    .items {
      list-style: none;
      margin: 0;
      padding: 0;
    }
    .items li {
      display: flex;
      flex-direction: column;
      gap: 4px;
      padding: 8px 0;
      border-bottom: 1px solid var(--mat-sys-outline-variant);
    }
    .what {
      font: var(--mat-sys-body-large);
    }
    .meta,
    .hint,
    .empty {
      color: var(--mat-sys-on-surface-variant);
    }
    .overdue {
      color: var(--mat-sys-error);
    }
    .sub {
      margin: 16px 0 4px;
      font: var(--mat-sys-title-small);
    }
    a {
      display: inline-flex;
      align-items: center;
      min-height: 44px;
    }
    .notice {
      margin: 0 0 8px;
      padding: 8px 12px;
      border-radius: 8px;
      background: var(--mat-sys-secondary-container);
      color: var(--mat-sys-on-secondary-container);
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DayView {
  readonly day = input.required<Day | null>();
  readonly loading = input(false);
  readonly busy = input(false);
  readonly error = input<AppError | null>(null);
  readonly notice = input<string | null>(null);
  readonly markDone = output<FollowUpView>();
  readonly snooze = output<{ followUp: FollowUpView; dueOn: string }>();

  protected readonly language = inject(LanguageService).active;

  protected statusLabel(r: DayReferral): string {
    return referralStatusLabels[r.status];
  }
}
