import { DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { BulkIntakeRequest, BulkIntakeResponse } from '@harbour/domain';
import { CasesApi, newIdempotencyKey } from '../../../core/cases/cases.api';
import type { OutboxSubmission } from '../../../core/device/outbox';
import { appErrorOf, type AppError } from '../../../core/http/app-error';
import { intakeErrors, NO_ERRORS, type IntakeErrors } from './row-errors';

/**
 * A post-raid intake (provided by its page): all the people of one event recorded at once, or
 * none. One `Idempotency-Key` per submission, kept across retries of the same intake and
 * replaced when the intake changes or has been recorded; refusals mapped back to their rows.
 */
@Injectable()
export class IntakeStore {
  private readonly api = inject(CasesApi);
  private readonly destroyRef = inject(DestroyRef);

  private readonly savingState = signal(false);
  private readonly errorState = signal<AppError | null>(null);
  private readonly refusedState = signal<IntakeErrors>(NO_ERRORS);
  private readonly recordedState = signal<BulkIntakeResponse | null>(null);

  readonly saving = this.savingState.asReadonly();
  readonly error = this.errorState.asReadonly();
  /** The rows and fields the API refused (never their values). */
  readonly refused = this.refusedState.asReadonly();
  readonly recorded = this.recordedState.asReadonly();

  private key = newIdempotencyKey();

  /** A changed intake is a new submission: it gets a new idempotency key. */
  changed(): void {
    this.key = newIdempotencyKey();
  }

  /** Row numbers moved: refusals from the last attempt no longer point at the right rows. */
  forgetRefusals(): void {
    this.refusedState.set(NO_ERRORS);
  }

  /** This intake, to keep on the device, with this submission's key (docs/adr/0012). */
  deviceSubmission(request: BulkIntakeRequest): OutboxSubmission {
    return { kind: 'intake', request, key: this.key };
  }

  /** The intake is kept on the device: the next one is new. */
  keptOnDevice(): void {
    this.errorState.set(null);
    this.refusedState.set(NO_ERRORS);
    this.recordedState.set(null);
    this.key = newIdempotencyKey();
  }

  /** Records the intake; `done` runs once it is recorded. */
  save(request: BulkIntakeRequest, done: () => void): void {
    if (this.saving()) return;
    this.savingState.set(true);
    this.errorState.set(null);
    this.refusedState.set(NO_ERRORS);
    this.api
      .bulkIntake(request, this.key)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (response) => {
          this.recordedState.set(response);
          this.key = newIdempotencyKey();
          done();
        },
        error: (error: unknown) => {
          const failure = appErrorOf(error);
          this.errorState.set(failure);
          this.refusedState.set(intakeErrors(failure.details.fields ?? []));
          this.savingState.set(false);
        },
        complete: () => this.savingState.set(false),
      });
  }
}
