import { DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type {
  PurgeRunView,
  RetentionClass,
  RetentionDryRun,
  RetentionSettingsView,
} from '@harbour/domain';
import type { Observable } from 'rxjs';
import { catchError, map, tap, throwError } from 'rxjs';
import { StepUpService } from '../../../core/auth/step-up.service';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { RetentionApi } from './retention.api';

/** The retention page (provided by its route): settings, the latest dry run, the last runs. */
@Injectable()
export class RetentionStore {
  private readonly destroyRef = inject(DestroyRef);
  private readonly api = inject(RetentionApi);
  private readonly stepUp = inject(StepUpService);

  private readonly current = signal<RetentionSettingsView | null>(null);
  private readonly dry = signal<RetentionDryRun | null>(null);
  private readonly recent = signal<readonly PurgeRunView[]>([]);
  private readonly loadingState = signal(false);
  private readonly loadError = signal<AppError | null>(null);

  readonly settings = this.current.asReadonly();
  readonly dryRun = this.dry.asReadonly();
  readonly runs = this.recent.asReadonly();
  readonly loading = this.loadingState.asReadonly();
  readonly error = this.loadError.asReadonly();

  load(): void {
    this.loadingState.set(true);
    this.loadError.set(null);
    this.api
      .settings()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (settings) => {
          this.current.set(settings);
          this.loadingState.set(false);
          this.loadRuns();
        },
        error: (error: unknown) => {
          this.loadError.set(appErrorOf(error));
          this.loadingState.set(false);
        },
      });
  }

  private loadRuns(): void {
    this.api
      .runs()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (runs) => this.recent.set(runs),
        error: (error: unknown) => this.loadError.set(appErrorOf(error)),
      });
  }

  /**
   * Saves the periods with the version last loaded (always needs step-up: asked for first). A
   * stale version (`409`) reloads and is passed on; an earlier dry run no longer holds, so it
   * is cleared.
   */
  save(policies: readonly { class: RetentionClass; keep: number | null }[]): Observable<void> {
    const version = this.current()?.version ?? 0;
    return this.stepUp
      .run((context) => this.api.update({ version, policies: [...policies] }, context), {
        required: true,
      })
      .pipe(
        tap((settings) => {
          this.current.set(settings);
          this.dry.set(null);
        }),
        map(() => undefined),
        catchError((error: unknown) => {
          if (appErrorOf(error).code === 'version_conflict') this.load();
          return throwError(() => error);
        }),
      );
  }

  /** What a purge now would remove (nothing is changed). */
  runDryRun(): Observable<void> {
    return this.api.dryRun().pipe(
      tap((result) => this.dry.set(result)),
      map(() => undefined),
    );
  }
}
