import { computed, inject, Injectable, signal, DestroyRef } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { CanaryView, PlantCanaryRequest, StaffUserView } from '@harbour/domain';
import type { Observable } from 'rxjs';
import { forkJoin, tap } from 'rxjs';
import { StepUpService } from '../../../core/auth/step-up.service';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { AdminApi } from './admin.api';
import { CanariesApi } from './canaries.api';

/**
 * The admin's canary page (provided by its route): the canaries, newest first, and the staff a
 * canary can appear logged by (active caseworkers and coordinators).
 */
@Injectable()
export class CanariesStore {
  private readonly destroyRef = inject(DestroyRef);
  private readonly api = inject(CanariesApi);
  private readonly admin = inject(AdminApi);
  private readonly stepUp = inject(StepUpService);

  private readonly list = signal<readonly CanaryView[]>([]);
  private readonly staffList = signal<readonly StaffUserView[]>([]);
  private readonly loadingState = signal(false);
  private readonly loadError = signal<AppError | null>(null);

  readonly canaries = computed(() =>
    [...this.list()].sort((a, b) => b.plantedAt.localeCompare(a.plantedAt)),
  );
  readonly loading = this.loadingState.asReadonly();
  readonly error = this.loadError.asReadonly();
  /** Who a canary can appear logged by. */
  readonly caseStaff = computed(() =>
    this.staffList().filter(
      (u) =>
        u.status === 'active' && u.roles.some((r) => r === 'caseworker' || r === 'coordinator'),
    ),
  );
  readonly staffNames = computed(
    () => new Map(this.staffList().map((u) => [u.id, u.displayName] as const)),
  );

  load(): void {
    this.loadingState.set(true);
    this.loadError.set(null);
    forkJoin([this.api.list(), this.admin.listUsers()])
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: ([canaries, staff]) => {
          this.list.set(canaries);
          this.staffList.set(staff);
          this.loadingState.set(false);
        },
        error: (error: unknown) => {
          this.loadError.set(appErrorOf(error));
          this.loadingState.set(false);
        },
      });
  }

  /** Always needs step-up: asked for first. Completes without a value if it is cancelled. */
  plant(request: PlantCanaryRequest): Observable<CanaryView> {
    const idempotencyKey = crypto.randomUUID();
    return this.stepUp
      .run((context) => this.api.plant(request, idempotencyKey, context), { required: true })
      .pipe(tap((canary) => this.list.update((list) => [...list, canary])));
  }

  retire(canary: CanaryView): Observable<CanaryView> {
    return this.stepUp
      .run((context) => this.api.retire(canary.id, context), { required: true })
      .pipe(
        tap((retired) =>
          this.list.update((list) => list.map((c) => (c.id === retired.id ? retired : c))),
        ),
      );
  }
}
