import type { Subscription } from 'rxjs';
import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { HealthStatus } from '@harbour/domain';
import { AppError } from '../../../core/http/app-error';
import { HomeApi } from './home.api';

/** What the home page knows about the service. */
export type ServiceStatus =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready' }
  | { readonly kind: 'unavailable'; readonly databaseUnavailable: boolean }
  | { readonly kind: 'error'; readonly error: AppError };

export function toServiceStatus(health: HealthStatus): ServiceStatus {
  if (health.status === 'ok') return { kind: 'ready' };
  return { kind: 'unavailable', databaseUnavailable: health.checks['database'] === 'unavailable' };
}

/** State of the home page: the service status, refreshed on demand. Provided by the route. */
@Injectable()
export class HomeStore {
  private readonly destroyRef = inject(DestroyRef);
  private readonly api = inject(HomeApi);
  private readonly state = signal<ServiceStatus>({ kind: 'loading' });
  private request: Subscription | null = null;

  readonly status = this.state.asReadonly();
  readonly loading = computed(() => this.state().kind === 'loading');

  constructor() {
    this.destroyRef.onDestroy(() => this.request?.unsubscribe());
  }

  /** Asks the API again; an answer still in flight is dropped. */
  refresh(): void {
    this.request?.unsubscribe();
    this.state.set({ kind: 'loading' });
    this.request = this.api
      .ready()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (health) => {
          this.state.set(toServiceStatus(health));
        },
        error: (error: unknown) => {
          this.state.set({
            kind: 'error',
            error: error instanceof AppError ? error : new AppError('unknown_error', 0),
          });
        },
      });
  }
}
