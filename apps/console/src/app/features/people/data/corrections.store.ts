import { DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type {
  AmendContactRequest,
  ContactAmendmentView,
  NewNeed,
  NeedStatus,
  NeedView,
  PersonView,
  UpdatePersonRequest,
} from '@harbour/domain';
import { catchError, defer, EMPTY, tap, throwError, type Observable } from 'rxjs';
import { CasesApi, newIdempotencyKey } from '../../../core/cases/cases.api';
import { appErrorOf, type AppError } from '../../../core/http/app-error';

/**
 * Corrections on a person's page (provided by the panel that offers them): their details
 * corrected, needs noted outside a contact, and a contact corrected by an amendment. A stale
 * version or an erased person is said plainly; one `Idempotency-Key` per addition or
 * amendment, kept across its retries.
 */
@Injectable()
export class CorrectionsStore {
  private readonly api = inject(CasesApi);
  private readonly destroyRef = inject(DestroyRef);

  private readonly needsState = signal<readonly NeedView[]>([]);
  private readonly busyState = signal(false);
  private readonly errorState = signal<AppError | null>(null);
  private readonly noticeState = signal<string | null>(null);
  private readonly historyState = signal<readonly ContactAmendmentView[] | null>(null);

  /** The person's needs noted outside a contact. */
  readonly needs = this.needsState.asReadonly();
  readonly busy = this.busyState.asReadonly();
  readonly error = this.errorState.asReadonly();
  /** A translation key saying what just happened. */
  readonly notice = this.noticeState.asReadonly();
  /** A contact's amendments as last read (who, when, why, which fields); memory only. */
  readonly history = this.historyState.asReadonly();

  private needKey = newIdempotencyKey();
  private amendKey = newIdempotencyKey();

  loadNeeds(personId: string): void {
    this.api
      .personNeeds(personId)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (needs) => this.needsState.set(needs),
        error: (error: unknown) => this.errorState.set(appErrorOf(error)),
      });
  }

  /**
   * A correction of the person's details, for the dialog to send: a refusal goes back to it (to
   * mark the field), except a version conflict, which closes it and says so; `done` gets the
   * person as they now are (null after a conflict: read them again).
   */
  correctingDetails(
    person: PersonView,
    request: UpdatePersonRequest,
    done: (person: PersonView | null) => void,
  ): Observable<unknown> {
    return defer(() => {
      this.clear();
      return this.api.updatePerson(person.id, request);
    }).pipe(
      tap((updated) => {
        this.noticeState.set('corrections.details.saved');
        done(updated);
      }),
      catchError((error: unknown) => {
        if (appErrorOf(error).code !== 'version_conflict') return throwError(() => error);
        this.noticeState.set('corrections.conflict');
        done(null);
        return EMPTY;
      }),
    );
  }

  /**
   * A need noted outside a contact, for the dialog to send: a refusal goes back to it (to
   * mark the field); the same `Idempotency-Key` until it succeeds.
   */
  addingNeed(personId: string, need: NewNeed): Observable<unknown> {
    return defer(() => {
      this.clear();
      return this.api.createNeed({ personId, ...need }, this.needKey);
    }).pipe(
      tap(() => {
        this.needKey = newIdempotencyKey();
        this.noticeState.set('corrections.needs.added');
        this.loadNeeds(personId);
      }),
    );
  }

  changeNeed(need: NeedView, status: NeedStatus): void {
    this.run(
      this.api.updateNeed(need.id, { version: need.version, status }),
      'cases.person.needUpdated',
      () => this.loadNeeds(need.personId!),
    );
  }

  /** Appends a correction to contact `contactId`; `done` runs once it is recorded. */
  amendContact(contactId: string, request: AmendContactRequest, done: () => void): void {
    this.run(
      this.api.amendContact(contactId, request, this.amendKey),
      'corrections.contact.saved',
      () => {
        this.amendKey = newIdempotencyKey();
        done();
      },
    );
  }

  /** Reads a contact's amendments (the read, reasons included, is an access event). */
  readHistory(contactId: string): void {
    this.api
      .contact(contactId)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (detail) => this.historyState.set(detail.amendments),
        error: (error: unknown) => this.errorState.set(appErrorOf(error)),
      });
  }

  hideHistory(): void {
    this.historyState.set(null);
  }

  clear(): void {
    this.errorState.set(null);
    this.noticeState.set(null);
  }

  private run<T>(change: Observable<T>, doneKey: string, after: (value: T | null) => void): void {
    if (this.busy()) return;
    this.busyState.set(true);
    this.clear();
    change.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: (value) => {
        this.noticeState.set(doneKey);
        this.busyState.set(false);
        after(value);
      },
      error: (error: unknown) => {
        const failure = appErrorOf(error);
        if (failure.code === 'version_conflict') {
          // Someone else changed it first: show it as it is now, and say so.
          this.noticeState.set('corrections.conflict');
          after(null);
        } else {
          this.errorState.set(failure);
        }
        this.busyState.set(false);
      },
    });
  }
}
