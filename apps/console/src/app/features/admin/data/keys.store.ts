import { computed, DestroyRef, inject, Injectable, InjectionToken, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { JobView, KeysView, OrganisationKeyView } from '@harbour/domain';
import type { Observable } from 'rxjs';
import { EMPTY, exhaustMap, takeWhile, tap, timer } from 'rxjs';
import { StepUpService } from '../../../core/auth/step-up.service';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { KeysApi } from './keys.api';

/** How often a running rotation's progress is asked for (milliseconds; tests shorten it). */
export const JOB_POLL_MS = new InjectionToken<number>('JOB_POLL_MS', {
  providedIn: 'root',
  factory: () => 2000,
});

/**
 * The admin's keys page (provided by its route): the organisation's keys, its person keys by
 * status, and the latest rotation, followed while it runs.
 */
@Injectable()
export class KeysStore {
  private readonly destroyRef = inject(DestroyRef);
  private readonly api = inject(KeysApi);
  private readonly stepUp = inject(StepUpService);
  private readonly pollMs = inject(JOB_POLL_MS);

  private readonly view = signal<KeysView | null>(null);
  private readonly jobState = signal<JobView | null>(null);
  private readonly loadingState = signal(false);
  private readonly loadError = signal<AppError | null>(null);
  /** The job being followed (one at a time). */
  private following: string | null = null;

  readonly keys = computed<readonly OrganisationKeyView[]>(() => this.view()?.keys ?? []);
  readonly personKeys = computed(() => this.view()?.personKeys ?? null);
  readonly backupWindowDays = computed(() => this.view()?.backupWindowDays ?? null);
  readonly rotation = this.jobState.asReadonly();
  readonly loading = this.loadingState.asReadonly();
  readonly error = this.loadError.asReadonly();
  /** True while a rotation is queued or running (a second one would be refused). */
  readonly rotating = computed(() => {
    const job = this.jobState();
    return job !== null && (job.state === 'queued' || job.state === 'running');
  });

  load(): void {
    this.loadingState.set(true);
    this.loadError.set(null);
    this.api
      .keys()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (view) => {
          this.view.set(view);
          this.loadingState.set(false);
          if (view.latestRotationJobId !== null) this.follow(view.latestRotationJobId);
        },
        error: (error: unknown) => {
          this.loadError.set(appErrorOf(error));
          this.loadingState.set(false);
        },
      });
  }

  /** Always needs step-up: asked for first. Completes without a value if it is cancelled. */
  startRotation(): Observable<JobView> {
    return this.stepUp
      .run((context) => this.api.startRotation(context), { required: true })
      .pipe(
        tap((job) => {
          this.jobState.set(job);
          this.follow(job.id);
        }),
      );
  }

  /** Asks for the job's progress until it has ended; if it ran meanwhile, reloads the keys. */
  private follow(id: string): void {
    if (this.following === id) return;
    this.following = id;
    let sawItRun = false;
    timer(0, this.pollMs)
      .pipe(
        // One request at a time: a tick while one is pending is skipped.
        exhaustMap(() => (this.following === id ? this.api.job(id) : EMPTY)),
        tap((job) => {
          this.jobState.set(job);
          if (job.state === 'queued' || job.state === 'running') sawItRun = true;
        }),
        takeWhile((job) => job.state === 'queued' || job.state === 'running', true),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        complete: () => {
          if (this.following !== id) return;
          this.following = null;
          // Ended while followed: the keys changed (the old one retired), so read them again.
          if (sawItRun) {
            this.api
              .keys()
              .pipe(takeUntilDestroyed(this.destroyRef))
              .subscribe({ next: (view) => this.view.set(view), error: () => undefined });
          }
        },
        error: (error: unknown) => {
          this.following = null;
          this.loadError.set(appErrorOf(error));
        },
      });
  }
}
