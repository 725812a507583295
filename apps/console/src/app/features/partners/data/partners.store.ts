import { DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { PartnerInput, PartnerView, UpdatePartnerRequest } from '@harbour/domain';
import { CasesApi, newIdempotencyKey } from '../../../core/cases/cases.api';
import { appErrorOf, type AppError } from '../../../core/http/app-error';
import { catchError, defer, EMPTY, tap, throwError, type Observable } from 'rxjs';

/**
 * The partner directory (provided by its page): the partners that match the filters, and a
 * partner added by an admin (one `Idempotency-Key` per addition, kept across its retries).
 */
@Injectable()
export class PartnersStore {
  private readonly api = inject(CasesApi);
  private readonly destroyRef = inject(DestroyRef);

  private readonly partnersState = signal<readonly PartnerView[]>([]);
  private readonly loadingState = signal(false);
  private readonly errorState = signal<AppError | null>(null);
  private readonly addingState = signal(false);
  private readonly addErrorState = signal<AppError | null>(null);
  private readonly addedState = signal(false);
  private readonly savingState = signal(false);
  private readonly saveErrorState = signal<AppError | null>(null);
  private readonly savedState = signal<string | null>(null);

  readonly partners = this.partnersState.asReadonly();
  readonly loading = this.loadingState.asReadonly();
  readonly error = this.errorState.asReadonly();
  readonly adding = this.addingState.asReadonly();
  readonly addError = this.addErrorState.asReadonly();
  readonly added = this.addedState.asReadonly();
  readonly saving = this.savingState.asReadonly();
  readonly saveError = this.saveErrorState.asReadonly();
  /** A translation key saying what an admin's last change did (or that it met a newer one). */
  readonly saved = this.savedState.asReadonly();

  private addKey = newIdempotencyKey();

  /** The partners matching `query` (service type, language, safety attributes). */
  search(query: Record<string, unknown>): void {
    this.loadingState.set(true);
    this.errorState.set(null);
    this.api
      .partners(query)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (found) => this.partnersState.set(found),
        error: (error: unknown) => {
          this.errorState.set(appErrorOf(error));
          this.loadingState.set(false);
        },
        complete: () => this.loadingState.set(false),
      });
  }

  /** Adds a partner; `done` runs once it is added. */
  add(body: PartnerInput, done: () => void): void {
    if (this.adding()) return;
    this.addingState.set(true);
    this.addErrorState.set(null);
    this.addedState.set(false);
    this.api
      .createPartner(body, this.addKey)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.addedState.set(true);
          this.addKey = newIdempotencyKey();
          done();
        },
        error: (error: unknown) => {
          this.addErrorState.set(appErrorOf(error));
          this.addingState.set(false);
        },
        complete: () => this.addingState.set(false),
      });
  }

  /**
   * An admin's edit of `partner`, for the edit dialog to send: a refusal goes back to it (to
   * mark the field), except a version conflict, which closes it and says so (the list is then
   * reloaded through `done`).
   */
  updating(
    partner: PartnerView,
    changes: Omit<UpdatePartnerRequest, 'version'>,
    doneKey: string,
    done: () => void,
  ): Observable<unknown> {
    return defer(() => {
      this.saveErrorState.set(null);
      this.savedState.set(null);
      return this.api.updatePartner(partner.id, { ...changes, version: partner.version });
    }).pipe(
      tap(() => {
        this.savedState.set(doneKey);
        done();
      }),
      catchError((error: unknown) => {
        if (appErrorOf(error).code !== 'version_conflict') return throwError(() => error);
        this.savedState.set('corrections.conflict');
        done();
        return EMPTY;
      }),
    );
  }

  /**
   * An admin's change to `partner` (an edit, a deactivation or a reactivation) with the version
   * it was read at; `done` runs afterwards, also after a conflict (the list is then reloaded).
   */
  update(
    partner: PartnerView,
    changes: Omit<UpdatePartnerRequest, 'version'>,
    doneKey: string,
    done: () => void,
  ): void {
    if (this.saving()) return;
    this.savingState.set(true);
    this.saveErrorState.set(null);
    this.savedState.set(null);
    this.api
      .updatePartner(partner.id, { ...changes, version: partner.version })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.savedState.set(doneKey);
          this.savingState.set(false);
          done();
        },
        error: (error: unknown) => {
          const failure = appErrorOf(error);
          if (failure.code === 'version_conflict') {
            this.savedState.set('corrections.conflict');
            done();
          } else {
            this.saveErrorState.set(failure);
          }
          this.savingState.set(false);
        },
      });
  }
}
