import { DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { LookupCandidate, LookupRequest } from '@harbour/domain';
import { CasesApi } from '../../../core/cases/cases.api';
import { appErrorOf, type AppError } from '../../../core/http/app-error';

/**
 * Finding a returning person (provided by its page): the lookup terms go in a POST body only,
 * and the candidates are held in this page's memory until it is left or cleared.
 */
@Injectable()
export class FindPersonStore {
  private readonly api = inject(CasesApi);
  private readonly destroyRef = inject(DestroyRef);

  private readonly searchingState = signal(false);
  private readonly errorState = signal<AppError | null>(null);
  private readonly candidatesState = signal<readonly LookupCandidate[] | null>(null);

  readonly searching = this.searchingState.asReadonly();
  readonly error = this.errorState.asReadonly();
  /** Null before a search; the people found, best matches first, after one. */
  readonly candidates = this.candidatesState.asReadonly();

  search(request: LookupRequest): void {
    if (this.searching()) return;
    this.searchingState.set(true);
    this.errorState.set(null);
    this.api
      .lookup(request)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (found) => this.candidatesState.set(found),
        error: (error: unknown) => {
          this.errorState.set(appErrorOf(error));
          this.searchingState.set(false);
        },
        complete: () => this.searchingState.set(false),
      });
  }

  clear(): void {
    this.candidatesState.set(null);
  }
}
