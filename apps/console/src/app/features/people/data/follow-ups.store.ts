import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { AssigneeView, FollowUpView } from '@harbour/domain';
import type { Observable } from 'rxjs';
import { newIdempotencyKey } from '../../../core/cases/cases.api';
import { DayCountsStore } from '../../../core/cases/day-counts.store';
import { FollowUpsApi } from '../../../core/cases/follow-ups.api';
import { appErrorOf, type AppError } from '../../../core/http/app-error';

/**
 * One person's follow-ups (provided by the follow-ups panel on their page, so it lives and dies
 * with it): open ones first, adding one, and marking one done, snoozed or cancelled. After every
 * change, or a failed one, the list is read again and the navigation badge refreshed; the texts
 * live in this store's memory only.
 */
@Injectable()
export class FollowUpsStore {
  private readonly api = inject(FollowUpsApi);
  private readonly counts = inject(DayCountsStore);
  private readonly destroyRef = inject(DestroyRef);
  private personId: string | null = null;
  private key = newIdempotencyKey();

  private readonly itemsState = signal<readonly FollowUpView[]>([]);
  private readonly assigneesState = signal<readonly AssigneeView[]>([]);
  private readonly busyState = signal(false);
  private readonly errorState = signal<AppError | null>(null);
  private readonly noticeState = signal<string | null>(null);

  readonly items = this.itemsState.asReadonly();
  readonly open = computed(() => this.items().filter((f) => f.status === 'open'));
  /** Done and cancelled ones, newest first. */
  readonly closed = computed(() =>
    this.items()
      .filter((f) => f.status !== 'open')
      .slice()
      .sort((a, b) => (b.completedAt ?? '').localeCompare(a.completedAt ?? '')),
  );
  readonly assignees = this.assigneesState.asReadonly();
  readonly busy = this.busyState.asReadonly();
  readonly error = this.errorState.asReadonly();
  /** A translation key saying what just happened. */
  readonly notice = this.noticeState.asReadonly();

  /** Shows the follow-ups of the person `personId`; `withAssignees` for a worker who may add. */
  show(personId: string, withAssignees: boolean): void {
    this.personId = personId;
    this.load();
    if (withAssignees) {
      this.api
        .assignees()
        .pipe(takeUntilDestroyed(this.destroyRef))
        .subscribe({
          next: (assignees) => this.assigneesState.set(assignees),
          error: (error: unknown) => this.errorState.set(appErrorOf(error)),
        });
    }
  }

  /** Adds a follow-up; `done` runs once it is recorded. */
  add(input: { text: string; dueOn: string; assignedTo: string | null }, done: () => void): void {
    if (this.personId === null || this.busy()) return;
    const body = {
      personId: this.personId,
      text: input.text.trim(),
      dueOn: input.dueOn,
      ...(input.assignedTo === null ? {} : { assignedTo: input.assignedTo }),
    };
    this.change(this.api.create(body, this.key), 'followUps.added', () => {
      this.key = newIdempotencyKey();
      done();
    });
  }

  done(followUp: FollowUpView): void {
    this.update(followUp, { action: 'done' }, 'followUps.markedDone');
  }

  snooze(followUp: FollowUpView, dueOn: string): void {
    this.update(followUp, { action: 'snooze', dueOn }, 'followUps.snoozed');
  }

  cancel(followUp: FollowUpView): void {
    this.update(followUp, { action: 'cancel' }, 'followUps.cancelled');
  }

  private update(
    followUp: FollowUpView,
    change: { action: 'done' | 'snooze' | 'cancel'; dueOn?: string },
    notice: string,
  ): void {
    if (this.busy()) return;
    this.change(
      this.api.update(followUp.id, { version: followUp.version, ...change }),
      notice,
      () => undefined,
    );
  }

  private change(request: Observable<unknown>, notice: string, then: () => void): void {
    this.busyState.set(true);
    request.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: () => {
        this.noticeState.set(notice);
        this.errorState.set(null);
        this.busyState.set(false);
        then();
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

  private load(): void {
    if (this.personId === null) return;
    this.api
      .list({ person: this.personId })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (items) => this.itemsState.set(items),
        error: (error: unknown) => this.errorState.set(appErrorOf(error)),
      });
  }
}
