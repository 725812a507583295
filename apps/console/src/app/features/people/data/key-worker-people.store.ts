import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { CaseStaffView, HandOverReceipt, KeyWorkerPersonView } from '@harbour/domain';
import { appErrorOf, type AppError } from '../../../core/http/app-error';
import { KeyWorkersApi } from './key-workers.api';

/**
 * A key worker's people, page by page — the caller's own ("my people") or, for a coordinator,
 * one worker's — and the hand-over of some or all of them to another worker. Codes and
 * categories only: nothing here holds identity.
 */
@Injectable()
export class KeyWorkerPeopleStore {
  private readonly api = inject(KeyWorkersApi);
  private readonly destroyRef = inject(DestroyRef);
  /** Whose people are shown: null for the caller's own. */
  private staffId: string | null = null;
  private cursor: string | null = null;

  private readonly peopleState = signal<readonly KeyWorkerPersonView[]>([]);
  private readonly moreState = signal(false);
  private readonly loadingState = signal(false);
  private readonly staffState = signal<readonly CaseStaffView[]>([]);
  private readonly errorState = signal<AppError | null>(null);
  private readonly receiptState = signal<HandOverReceipt | null>(null);
  private readonly busyState = signal(false);

  readonly people = this.peopleState.asReadonly();
  readonly hasMore = this.moreState.asReadonly();
  readonly loading = this.loadingState.asReadonly();
  readonly staff = this.staffState.asReadonly();
  readonly activeStaff = computed(() => this.staffState().filter((s) => s.active));
  readonly error = this.errorState.asReadonly();
  readonly receipt = this.receiptState.asReadonly();
  readonly busy = this.busyState.asReadonly();

  /** Shows the people of `staffId` (null: the caller's own), from the first page. */
  open(staffId: string | null): void {
    this.staffId = staffId;
    this.cursor = null;
    this.peopleState.set([]);
    this.moreState.set(false);
    this.load();
  }

  /** The next page, added below the people shown. */
  more(): void {
    if (this.cursor !== null && !this.loading()) this.load();
  }

  loadStaff(): void {
    this.api
      .caseStaff()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (staff) => this.staffState.set(staff),
        error: (error: unknown) => this.errorState.set(appErrorOf(error)),
      });
  }

  /** Hands `personIds` (all of them when null) of the shown worker to `toStaffId`. */
  handOver(toStaffId: string, personIds: readonly string[] | null): void {
    const fromStaffId = this.staffId;
    if (fromStaffId === null || this.busy()) return;
    this.busyState.set(true);
    this.receiptState.set(null);
    this.api
      .handOver({
        fromStaffId,
        toStaffId,
        ...(personIds === null ? {} : { personIds: [...personIds] }),
      })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (receipt) => {
          this.receiptState.set(receipt);
          this.errorState.set(null);
          this.busyState.set(false);
          this.open(fromStaffId);
        },
        error: (error: unknown) => {
          this.errorState.set(appErrorOf(error));
          this.busyState.set(false);
        },
      });
  }

  private load(): void {
    this.loadingState.set(true);
    this.api
      .people(this.staffId, this.cursor)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (page) => {
          this.peopleState.update((people) => [...people, ...page.items]);
          this.cursor = page.nextCursor;
          this.moreState.set(page.nextCursor !== null);
          this.errorState.set(null);
          this.loadingState.set(false);
        },
        error: (error: unknown) => {
          this.errorState.set(appErrorOf(error));
          this.loadingState.set(false);
        },
      });
  }
}
