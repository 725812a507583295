import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { CaseStaffView, PersonKeyWorkers } from '@harbour/domain';
import type { Observable } from 'rxjs';
import { appErrorOf, type AppError } from '../../../core/http/app-error';
import { KeyWorkersApi } from './key-workers.api';

/**
 * One person's key workers and restriction (provided by the key-workers panel on their page):
 * read on opening, and after every change. Names of the case staff are read only for those
 * who may name someone else (coordinators).
 */
@Injectable()
export class KeyWorkersStore {
  private readonly api = inject(KeyWorkersApi);
  private readonly destroyRef = inject(DestroyRef);
  private personId: string | null = null;

  private readonly state = signal<PersonKeyWorkers | null>(null);
  private readonly staffState = signal<readonly CaseStaffView[]>([]);
  private readonly busyState = signal(false);
  private readonly errorState = signal<AppError | null>(null);
  private readonly noticeState = signal<string | null>(null);

  readonly keyWorkers = this.state.asReadonly();
  readonly busy = this.busyState.asReadonly();
  readonly error = this.errorState.asReadonly();
  readonly notice = this.noticeState.asReadonly();
  /** Active case staff (to hand the person over to). */
  readonly activeStaff = computed(() => this.staffState().filter((s) => s.active));
  /** Case staff who are not yet key workers of the person (for a coordinator's choice). */
  readonly candidates = computed(() => {
    const held = new Set(this.state()?.keyWorkers.map((k) => k.staffId) ?? []);
    return this.staffState().filter((s) => s.active && !held.has(s.id));
  });

  open(personId: string): void {
    this.personId = personId;
    this.load(true);
  }

  /** Re-reads the panel (after the person changed elsewhere on the page). */
  reload(): void {
    this.load(false);
  }

  assign(staffId: string): void {
    if (this.personId === null || this.busy()) return;
    this.change(this.api.assign(this.personId, staffId), 'keyWorkers.assigned');
  }

  remove(staffId: string): void {
    if (this.personId === null || this.busy()) return;
    this.change(this.api.remove(this.personId, staffId), 'keyWorkers.removed');
  }

  /** Hands the person from `fromStaffId` (the caller, their key worker) to `toStaffId`. */
  handOver(fromStaffId: string, toStaffId: string): void {
    const personId = this.personId;
    if (personId === null || this.busy()) return;
    this.busyState.set(true);
    this.api
      .handOver({ fromStaffId, toStaffId, personIds: [personId] })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.settled('keyWorkers.handedOver');
          this.load(false);
        },
        error: (error: unknown) => this.failed(error),
      });
  }

  /** Sets or lifts the restriction; `done` runs once it is written (the page reloads the person). */
  setRestriction(restricted: boolean, version: number, done: () => void): void {
    if (this.personId === null || this.busy()) return;
    this.busyState.set(true);
    this.api
      .setRestriction(this.personId, restricted, version)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: () => {
          this.settled(restricted ? 'keyWorkers.restrictedSet' : 'keyWorkers.restrictedLifted');
          done();
          this.load(false);
        },
        error: (error: unknown) => this.failed(error),
      });
  }

  private change(request: Observable<PersonKeyWorkers>, notice: string): void {
    this.busyState.set(true);
    request.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: (keyWorkers) => {
        this.state.set(keyWorkers);
        this.settled(notice);
        if (keyWorkers.youAreKeyWorker && this.staffState().length === 0) this.loadStaff();
      },
      error: (error: unknown) => this.failed(error),
    });
  }

  private settled(notice: string): void {
    this.noticeState.set(notice);
    this.errorState.set(null);
    this.busyState.set(false);
  }

  private failed(error: unknown): void {
    this.errorState.set(appErrorOf(error));
    this.noticeState.set(null);
    this.busyState.set(false);
    this.load(false);
  }

  private load(withStaff: boolean): void {
    if (this.personId === null) return;
    this.api
      .ofPerson(this.personId)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (keyWorkers) => {
          this.state.set(keyWorkers);
          // Names for a coordinator's choice, or for a key worker handing the person on.
          if (withStaff && (keyWorkers.mayManage || keyWorkers.youAreKeyWorker)) this.loadStaff();
        },
        error: (error: unknown) => this.errorState.set(appErrorOf(error)),
      });
  }

  private loadStaff(): void {
    this.api
      .caseStaff()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (staff) => this.staffState.set(staff),
        error: (error: unknown) => this.errorState.set(appErrorOf(error)),
      });
  }
}
