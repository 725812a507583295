import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type {
  AccessEventView,
  AuditAnomaly,
  AuditVerification,
  CheckpointView,
  InclusionProofView,
} from '@harbour/domain';
import type { Observable, Subscription } from 'rxjs';
import { catchError, from, map, of, switchMap, throwError } from 'rxjs';
import { StepUpService } from '../../../core/auth/step-up.service';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { Clock } from '../../../core/time/clock';
import type { AuditFilters } from './audit-filters';
import { exportFileName, hasFilters, NO_FILTERS, toQuery } from './audit-filters';
import { AuditApi } from './audit.api';
import type { ProofCheck } from './inclusion-proof';
import { checkInclusionProof, SHA256 } from './inclusion-proof';

/** Events per request (the API allows 1 to 200). */
export const AUDIT_PAGE_SIZE = 50;

/** The result of the last integrity check of the log. */
export type ChainStatus =
  | { readonly kind: 'loading' }
  | { readonly kind: 'verified'; readonly verification: AuditVerification }
  | { readonly kind: 'failed'; readonly verification: AuditVerification }
  | { readonly kind: 'error'; readonly error: AppError };

export type AnomaliesState =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly anomalies: readonly AuditAnomaly[] }
  | { readonly kind: 'error'; readonly error: AppError };

/** Whether an event is covered by a signed checkpoint, and its proof if it is. */
export type InclusionState =
  | {
      readonly kind: 'included';
      readonly checkpoint: CheckpointView;
      readonly proof: InclusionProofView;
      readonly check: ProofCheck;
    }
  | { readonly kind: 'notCovered'; readonly checkpoint: CheckpointView | null };

/** A CSV export, ready to save. */
export interface AuditExport {
  readonly fileName: string;
  readonly csv: string;
}

/**
 * The auditor's access-log page (provided by its route): the integrity check, the anomalies,
 * and the events under the applied filters, newest first, a page at a time. Applying filters
 * drops any answer still in flight, so the list always matches the filters shown.
 */
@Injectable()
export class AuditStore {
  private readonly destroyRef = inject(DestroyRef);
  private readonly api = inject(AuditApi);
  private readonly stepUp = inject(StepUpService);
  private readonly clock = inject(Clock);
  private readonly sha256 = inject(SHA256);

  private readonly applied = signal<AuditFilters>(NO_FILTERS);
  private readonly list = signal<readonly AccessEventView[]>([]);
  private readonly next = signal<number | null>(null);
  private readonly eventsLoad = signal<'idle' | 'first' | 'older'>('idle');
  private readonly eventsFailure = signal<AppError | null>(null);
  private readonly olderFailure = signal<AppError | null>(null);
  private readonly chainState = signal<ChainStatus>({ kind: 'loading' });
  private readonly anomaliesState = signal<AnomaliesState>({ kind: 'loading' });

  private eventsRequest: Subscription | null = null;
  private verifyRequest: Subscription | null = null;
  private anomaliesRequest: Subscription | null = null;

  readonly filters = this.applied.asReadonly();
  readonly filtered = computed(() => hasFilters(this.applied()));
  readonly events = this.list.asReadonly();
  /** `before` for the next older page; null when there is none. */
  readonly nextBefore = this.next.asReadonly();
  readonly loading = computed(() => this.eventsLoad() === 'first');
  readonly loadingOlder = computed(() => this.eventsLoad() === 'older');
  readonly error = this.eventsFailure.asReadonly();
  readonly olderError = this.olderFailure.asReadonly();
  readonly chain = this.chainState.asReadonly();
  readonly anomalies = this.anomaliesState.asReadonly();
  /** The latest checkpoint the last verification checked the log against. */
  readonly verifiedCheckpoint = computed<CheckpointView | null>(() => {
    const chain = this.chainState();
    return chain.kind === 'verified' || chain.kind === 'failed'
      ? chain.verification.latestCheckpoint
      : null;
  });

  constructor() {
    this.destroyRef.onDestroy(() => {
      this.eventsRequest?.unsubscribe();
      this.verifyRequest?.unsubscribe();
      this.anomaliesRequest?.unsubscribe();
    });
  }

  /** Everything the page shows: integrity check, anomalies and the newest events. */
  load(): void {
    this.verify();
    this.loadAnomalies();
    this.reload();
  }

  /** Re-computes the log on the server and checks it against the latest checkpoint. */
  verify(): void {
    this.verifyRequest?.unsubscribe();
    this.chainState.set({ kind: 'loading' });
    this.verifyRequest = this.api
      .verify()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (verification) =>
          this.chainState.set({
            kind: verification.status === 'verified' ? 'verified' : 'failed',
            verification,
          }),
        error: (error: unknown) => this.chainState.set({ kind: 'error', error: appErrorOf(error) }),
      });
  }

  /** The flag ids a review is being recorded for. */
  private readonly reviewing = signal<ReadonlySet<string>>(new Set());
  readonly reviewsInFlight = this.reviewing.asReadonly();
  private readonly reviewFailure = signal<AppError | null>(null);
  readonly reviewError = this.reviewFailure.asReadonly();

  /**
   * Marks a flag reviewed, then reloads the flags (a flag that grew meanwhile stays open). A
   * flag that no longer exists (`404`) is simply reloaded away.
   */
  review(anomaly: AuditAnomaly): void {
    if (this.reviewing().has(anomaly.id)) return;
    this.reviewFailure.set(null);
    this.reviewing.update((ids) => new Set([...ids, anomaly.id]));
    const done = (): void =>
      this.reviewing.update((ids) => new Set([...ids].filter((id) => id !== anomaly.id)));
    this.api
      .reviewAnomaly(anomaly.id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          done();
          this.loadAnomalies();
        },
        error: (error: unknown) => {
          done();
          const appError = appErrorOf(error);
          if (appError.code === 'not_found') this.loadAnomalies();
          else this.reviewFailure.set(appError);
        },
      });
  }

  loadAnomalies(): void {
    this.anomaliesRequest?.unsubscribe();
    this.anomaliesState.set({ kind: 'loading' });
    this.anomaliesRequest = this.api
      .anomalies()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (anomalies) =>
          this.anomaliesState.set({ kind: 'ready', anomalies: openFirst(anomalies) }),
        error: (error: unknown) =>
          this.anomaliesState.set({ kind: 'error', error: appErrorOf(error) }),
      });
  }

  applyFilters(filters: AuditFilters): void {
    this.applied.set(filters);
    this.reload();
  }

  clearFilters(): void {
    this.applyFilters(NO_FILTERS);
  }

  /** Narrows the current filters to one staff member. */
  filterByActor(actorId: string, actorName: string | null): void {
    this.applyFilters({ ...this.applied(), actor: actorId, actorName });
  }

  /** The events behind an anomaly: its actor (when known) and its exact time range. */
  showAnomaly(anomaly: AuditAnomaly): void {
    this.applyFilters({
      ...NO_FILTERS,
      actor: anomaly.actorId,
      actorName: anomaly.actorId === null ? null : anomaly.actorName,
      from: anomaly.from,
      to: anomaly.to,
    });
  }

  /** The first page under the applied filters; an answer still in flight is dropped. */
  reload(): void {
    this.eventsRequest?.unsubscribe();
    this.list.set([]);
    this.next.set(null);
    this.eventsFailure.set(null);
    this.olderFailure.set(null);
    this.eventsLoad.set('first');
    this.eventsRequest = this.api
      .events(toQuery(this.applied(), { limit: AUDIT_PAGE_SIZE }))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (page) => {
          this.list.set(page.events);
          this.next.set(page.nextBefore);
          this.eventsLoad.set('idle');
        },
        error: (error: unknown) => {
          this.eventsFailure.set(appErrorOf(error));
          this.eventsLoad.set('idle');
        },
      });
  }

  /** The next older page, appended. Does nothing while a page is loading or when none is left. */
  loadOlder(): void {
    const before = this.next();
    if (before === null || this.eventsLoad() !== 'idle') return;
    this.olderFailure.set(null);
    this.eventsLoad.set('older');
    this.eventsRequest = this.api
      .events(toQuery(this.applied(), { before, limit: AUDIT_PAGE_SIZE }))
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (page) => {
          this.list.update((events) => {
            const seen = new Set(events.map((event) => event.seq));
            return [...events, ...page.events.filter((event) => !seen.has(event.seq))];
          });
          this.next.set(page.nextBefore);
          this.eventsLoad.set('idle');
        },
        error: (error: unknown) => {
          this.olderFailure.set(appErrorOf(error));
          this.eventsLoad.set('idle');
        },
      });
  }

  /**
   * The applied filters' events as CSV (`audit:export`, step-up). Completes without a value if
   * the auditor cancels step-up. The export is itself recorded in the log.
   */
  exportCsv(): Observable<AuditExport> {
    const query = toQuery(this.applied());
    const fileName = exportFileName(this.clock.now());
    return this.stepUp
      .run((context) => this.api.exportCsv(query, context), { required: true })
      .pipe(map((csv) => ({ fileName, csv })));
  }

  /**
   * Whether `event` is covered by a signed checkpoint and, if so, its inclusion proof, checked
   * in this browser against the checkpoint's root. Uses the checkpoint of the last verification
   * when it covers the event; otherwise asks for the latest one (the event may be newer).
   */
  inclusion(event: AccessEventView): Observable<InclusionState> {
    const verified = this.verifiedCheckpoint();
    const checkpoint$: Observable<CheckpointView | null> =
      verified !== null && event.seq < verified.treeSize
        ? of(verified)
        : this.api
            .latestCheckpoint()
            .pipe(
              catchError((error: unknown) =>
                appErrorOf(error).code === 'not_found' ? of(null) : throwError(() => error),
              ),
            );
    return checkpoint$.pipe(
      switchMap((checkpoint): Observable<InclusionState> => {
        if (checkpoint === null || event.seq >= checkpoint.treeSize) {
          return of({ kind: 'notCovered', checkpoint });
        }
        return this.api
          .inclusionProof(event.seq, checkpoint.treeSize)
          .pipe(
            switchMap((proof) =>
              from(checkInclusionProof(this.sha256, event.seq, proof, checkpoint)).pipe(
                map((check): InclusionState => ({ kind: 'included', checkpoint, proof, check })),
              ),
            ),
          );
      }),
    );
  }
}

/** Open flags before reviewed ones, each group in the API's order (most serious first). */
export function openFirst(anomalies: readonly AuditAnomaly[]): readonly AuditAnomaly[] {
  return [
    ...anomalies.filter((a) => a.status === 'open'),
    ...anomalies.filter((a) => a.status !== 'open'),
  ];
}
