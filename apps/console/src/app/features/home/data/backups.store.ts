import { DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { BackupStatus } from '@harbour/domain';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { BackupsApi } from './backups.api';

/**
 * The admin's backups card (provided by the home route): the last backup and rehearsed restore
 * as the API reports them, with whether either is stale. Loaded only for admins.
 */
@Injectable()
export class BackupsStore {
  private readonly destroyRef = inject(DestroyRef);
  private readonly api = inject(BackupsApi);

  private readonly view = signal<BackupStatus | null>(null);
  private readonly loadingState = signal(false);
  private readonly loadError = signal<AppError | null>(null);

  readonly status = this.view.asReadonly();
  readonly loading = this.loadingState.asReadonly();
  readonly error = this.loadError.asReadonly();

  load(): void {
    this.loadingState.set(true);
    this.loadError.set(null);
    this.api
      .status()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (status) => {
          this.view.set(status);
          this.loadingState.set(false);
        },
        error: (error: unknown) => {
          this.loadError.set(appErrorOf(error));
          this.loadingState.set(false);
        },
      });
  }
}
