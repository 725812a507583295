import { DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { DayView, FollowUpView } from '@harbour/domain';
import type { Observable, Subscription } from 'rxjs';
import { DayCountsStore } from '../../../core/cases/day-counts.store';
import { FollowUpsApi } from '../../../core/cases/follow-ups.api';
import { localIsoDate } from '../../../core/cases/local-date';
import { appErrorOf, type AppError } from '../../../core/http/app-error';
import { Clock } from '../../../core/time/clock';

/**
 * The caseworker's day on the home page (provided by its route): what is due, what has gone quiet,
 * who they saw, what they left in draft — for the browser's own calendar day. Marking a
 * follow-up done or snoozing it reads the day again and refreshes the navigation badge.
 */
@Injectable()
export class DayStore {
  private readonly api = inject(FollowUpsApi);
  private readonly counts = inject(DayCountsStore);
  private readonly clock = inject(Clock);
  private readonly destroyRef = inject(DestroyRef);
  private request: Subscription | null = null;

  private readonly dayState = signal<DayView | null>(null);
  private readonly loadingState = signal(false);
  private readonly busyState = signal(false);
  private readonly errorState = signal<AppError | null>(null);
  private readonly noticeState = signal<string | null>(null);

  readonly day = this.dayState.asReadonly();
  readonly loading = this.loadingState.asReadonly();
  readonly busy = this.busyState.asReadonly();
  readonly error = this.errorState.asReadonly();
  /** A translation key saying what just happened. */
  readonly notice = this.noticeState.asReadonly();

  load(): void {
    this.request?.unsubscribe();
    this.loadingState.set(true);
    this.request = this.api
      .day(localIsoDate(this.clock.now()))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (day) => {
          this.dayState.set(day);
          this.loadingState.set(false);
        },
        error: (error: unknown) => {
          this.errorState.set(appErrorOf(error));
          this.loadingState.set(false);
        },
      });
  }

  done(followUp: FollowUpView): void {
    this.change(
      this.api.update(followUp.id, { version: followUp.version, action: 'done' }),
      'followUps.markedDone',
    );
  }

  snooze(followUp: FollowUpView, dueOn: string): void {
    this.change(
      this.api.update(followUp.id, { version: followUp.version, action: 'snooze', dueOn }),
      'followUps.snoozed',
    );
  }

  private change(request: Observable<unknown>, notice: string): void {
    if (this.busy()) return;
    this.busyState.set(true);
    request.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: () => {
        this.noticeState.set(notice);
        this.errorState.set(null);
        this.busyState.set(false);
        this.counts.refresh(true);
        this.load();
      },
      error: (error: unknown) => {
        this.errorState.set(appErrorOf(error));
        this.noticeState.set(null);
        this.busyState.set(false);
        this.load();
      },
    });
  }
}
