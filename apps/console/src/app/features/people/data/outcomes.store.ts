import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import {
  latestTrend,
  type CheckInView,
  type FieldError,
  type RecordCheckInRequest,
} from '@harbour/domain';
import { newIdempotencyKey } from '../../../core/cases/cases.api';
import { appErrorOf, type AppError } from '../../../core/http/app-error';
import { OutcomesApi } from './outcomes.api';

/** What a refused check-in says, by the field and reason the API named. */
const REASON_KEYS: Readonly<Record<string, string>> = {
  'checkedOn:notInFuture': 'outcomes.errors.notInFuture',
  'checkedOn:beforePerson': 'outcomes.errors.beforePerson',
  'checkedOn:isDate': 'outcomes.errors.date',
  'ratings:noneRated': 'outcomes.errors.noneRated',
  'personId:erased': 'outcomes.errors.erased',
};

/** The words of this form for the first of `fields` it has words for, or null. */
export function outcomeErrorKey(fields: readonly FieldError[]): string | null {
  for (const field of fields) {
    const key = REASON_KEYS[`${field.path}:${field.reason}`];
    if (key !== undefined) return key;
  }
  return null;
}

/**
 * One person's outcome check-ins (provided by the outcomes panel on their page, so it lives and
 * dies with it): the list newest first, the trend per domain (latest against the one before),
 * and recording a check-in. After a check-in is recorded, or refused, the list is read again.
 */
@Injectable()
export class OutcomesStore {
  private readonly api = inject(OutcomesApi);
  private readonly destroyRef = inject(DestroyRef);
  private personId: string | null = null;
  private key = newIdempotencyKey();

  private readonly checkInsState = signal<readonly CheckInView[]>([]);
  private readonly busyState = signal(false);
  private readonly errorState = signal<AppError | null>(null);
  private readonly noticeState = signal<string | null>(null);

  readonly checkIns = this.checkInsState.asReadonly();
  readonly latest = computed(() => this.checkIns()[0] ?? null);
  readonly trend = computed(() => latestTrend(this.checkIns()));
  readonly busy = this.busyState.asReadonly();
  readonly error = this.errorState.asReadonly();
  /** A translation key that explains the error better than `errors.<code>`, if there is one. */
  readonly errorKey = computed(() => outcomeErrorKey(this.error()?.details.fields ?? []));
  /** A translation key saying what just happened. */
  readonly notice = this.noticeState.asReadonly();

  open(personId: string): void {
    this.personId = personId;
    this.load();
  }

  /** Records a check-in; `done` runs once it is recorded. */
  record(request: RecordCheckInRequest, done: () => void): void {
    if (this.personId === null || this.busy()) return;
    this.busyState.set(true);
    this.api
      .record(this.personId, request, this.key)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.key = newIdempotencyKey();
          this.noticeState.set('outcomes.recorded');
          this.errorState.set(null);
          this.busyState.set(false);
          done();
          this.load();
        },
        error: (error: unknown) => {
          this.errorState.set(appErrorOf(error));
          this.noticeState.set(null);
          this.busyState.set(false);
        },
      });
  }

  private load(): void {
    if (this.personId === null) return;
    this.api
      .list(this.personId)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (checkIns) => this.checkInsState.set(checkIns),
        error: (error: unknown) => this.errorState.set(appErrorOf(error)),
      });
  }
}
