import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import {
  CONSENT_PURPOSES,
  type ConsentMethod,
  type ConsentPurpose,
  type ConsentView,
} from '@harbour/domain';
import type { Observable } from 'rxjs';
import { CasesApi, newIdempotencyKey } from '../../../core/cases/cases.api';
import { appErrorOf, type AppError } from '../../../core/http/app-error';

/**
 * One person's consents (provided by the consents panel on their page, so it lives and dies with
 * it): those in force per purpose, and recording or revoking one. After every change, or a failed
 * one, the consents are read again; nothing is read after the panel is gone.
 */
@Injectable()
export class ConsentsStore {
  private readonly api = inject(CasesApi);
  private readonly destroyRef = inject(DestroyRef);
  private personId: string | null = null;
  private key = newIdempotencyKey();

  private readonly consentsState = signal<readonly ConsentView[]>([]);
  private readonly busyState = signal(false);
  private readonly errorState = signal<AppError | null>(null);
  private readonly noticeState = signal<string | null>(null);

  readonly consents = this.consentsState.asReadonly();
  readonly inForce = computed(() => this.consents().filter((c) => c.revokedAt === null));
  /** Purposes with no consent in force (one at a time per purpose). */
  readonly available = computed(() => {
    const given = new Set(this.inForce().map((c) => c.purpose));
    return CONSENT_PURPOSES.filter((purpose) => !given.has(purpose));
  });
  readonly busy = this.busyState.asReadonly();
  readonly error = this.errorState.asReadonly();
  /** A translation key saying what just happened. */
  readonly notice = this.noticeState.asReadonly();

  /** Shows the consents of the person `personId`. */
  open(personId: string): void {
    this.personId = personId;
    this.load();
  }

  /** Records a consent for `purpose`; `done` runs once it is recorded. */
  record(purpose: ConsentPurpose, method: ConsentMethod, done: () => void): void {
    if (this.personId === null || this.busy()) return;
    this.change(this.api.recordConsent(this.personId, { purpose, method }, this.key), () => {
      this.key = newIdempotencyKey();
      this.settled('cases.consents.recorded', done);
    });
  }

  /** Revokes `consent`; `done` runs once it is revoked. */
  revoke(consent: ConsentView, done: () => void): void {
    if (this.personId === null || this.busy()) return;
    this.change(this.api.revokeConsent(this.personId, consent), () =>
      this.settled('cases.consents.revoked', done),
    );
  }

  private change(request: Observable<unknown>, next: () => void): void {
    this.busyState.set(true);
    request.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next,
      error: (error: unknown) => this.failed(error),
    });
  }

  private settled(key: string, done: () => void): void {
    this.noticeState.set(key);
    this.errorState.set(null);
    this.busyState.set(false);
    done();
    this.load();
  }

  private failed(error: unknown): void {
    this.errorState.set(appErrorOf(error));
    this.noticeState.set(null);
    this.busyState.set(false);
    this.load();
  }

  private load(): void {
    if (this.personId === null) return;
    this.api
      .consents(this.personId)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (consents) => this.consentsState.set(consents),
        error: (error: unknown) => this.errorState.set(appErrorOf(error)),
      });
  }
}
