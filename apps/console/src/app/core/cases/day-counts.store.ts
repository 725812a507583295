import { DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { DayCounts } from '@harbour/domain';
import type { Subscription } from 'rxjs';
import { Clock } from '../time/clock';
import { FollowUpsApi } from './follow-ups.api';
import { localIsoDate } from './local-date';

/** The navigation badge is asked for again at most this often, unless something changed. */
export const DAY_COUNTS_MAX_AGE_MS = 60_000;

/**
 * The counts on the navigation's home entry: open follow-ups due today or earlier assigned to
 * the signed-in worker, and their referrals gone quiet. Shared by the shell (which shows them)
 * and the pages that change them (which ask for fresh ones).
 */
@Injectable({ providedIn: 'root' })
export class DayCountsStore {
  private readonly api = inject(FollowUpsApi);
  private readonly clock = inject(Clock);
  private readonly destroyRef = inject(DestroyRef);
  private readonly state = signal<DayCounts | null>(null);
  private fetchedAt: number | null = null;
  private request: Subscription | null = null;

  readonly counts = this.state.asReadonly();

  /** Asks again when the last answer is older than `DAY_COUNTS_MAX_AGE_MS` (or `force`). */
  refresh(force = false): void {
    const now = this.clock.now();
    if (!force && this.fetchedAt !== null && now - this.fetchedAt < DAY_COUNTS_MAX_AGE_MS) return;
    this.fetchedAt = now;
    this.request?.unsubscribe();
    this.request = this.api
      .counts(localIsoDate(now))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (counts) => this.state.set(counts),
        // A badge is a hint: a failure leaves it out rather than showing a message.
        error: () => this.state.set(null),
      });
  }

  /** Signed out: nothing to show, nothing remembered. */
  clear(): void {
    this.request?.unsubscribe();
    this.fetchedAt = null;
    this.state.set(null);
  }
}
