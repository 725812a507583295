import { computed, inject, Injectable, signal, DestroyRef } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type {
  ApproveStaffChangeResponse,
  CreateUserRequest,
  CreateUserResponse,
  StaffApprovalView,
  StaffUserView,
  UpdateUserRequest,
} from '@harbour/domain';
import type { Observable } from 'rxjs';
import { catchError, map, tap, throwError } from 'rxjs';
import { StepUpService } from '../../../core/auth/step-up.service';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { AdminApi } from './admin.api';
import { isStaffApprovalView, isStaffUserView } from './views';

/** The changes an admin can make to an account (the version is added here). */
export type UserChanges = Omit<UpdateUserRequest, 'version'>;

function byName(a: StaffUserView, b: StaffUserView): number {
  return a.displayName.localeCompare(b.displayName) || a.email.localeCompare(b.email);
}

/** What a reset did: applied (with a one-time password for a password reset), or requested. */
export interface ResetOutcome {
  readonly oneTimePassword: string | null;
  readonly pending: StaffApprovalView | null;
}

/**
 * Staff accounts of the organisation, for the users page (provided by its route), and the staff
 * changes waiting for a second admin (separation of duties). Sensitive changes go through
 * step-up; after a change the lists are fetched again, so that every row carries its current
 * `version`.
 */
@Injectable()
export class UsersStore {
  private readonly destroyRef = inject(DestroyRef);
  private readonly api = inject(AdminApi);
  private readonly stepUp = inject(StepUpService);

  private readonly list = signal<readonly StaffUserView[]>([]);
  private readonly waiting = signal<readonly StaffApprovalView[]>([]);
  private readonly loadingState = signal(false);
  private readonly loadError = signal<AppError | null>(null);

  readonly users = computed(() => [...this.list()].sort(byName));
  /** Changes waiting for a second admin, oldest first. */
  readonly approvals = this.waiting.asReadonly();
  readonly loading = this.loadingState.asReadonly();
  readonly error = this.loadError.asReadonly();

  load(): void {
    this.loadingState.set(true);
    this.loadError.set(null);
    this.loadApprovals();
    this.api
      .listUsers()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (users) => {
          this.list.set(users);
          this.loadingState.set(false);
        },
        error: (error: unknown) => {
          this.loadError.set(appErrorOf(error));
          this.loadingState.set(false);
        },
      });
  }

  /** Failures show in the page's approvals panel only as an empty list (the users load errs too). */
  private loadApprovals(): void {
    this.api
      .listApprovals()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (approvals) => this.waiting.set(approvals.filter(isStaffApprovalView)),
        error: () => this.waiting.set([]),
      });
  }

  /**
   * Completes without a value if the person cancels step-up. An account with a case role or
   * admin comes back as `pending`: it waits for a second admin.
   */
  create(request: CreateUserRequest): Observable<CreateUserResponse> {
    const idempotencyKey = crypto.randomUUID();
    return this.stepUp
      .run((context) => this.api.createUser(request, idempotencyKey, context), {
        required: true,
      })
      .pipe(
        tap((created) => {
          const user = created.user;
          if (user !== null) this.list.update((users) => [...users, user]);
          if (created.pending !== null) this.loadApprovals();
        }),
      );
  }

  /**
   * PATCH with the version the admin saw. `409 version_conflict` reloads the list and is passed
   * on for the page to explain.
   */
  update(user: StaffUserView, changes: UserChanges): Observable<StaffApprovalView | null> {
    const request: UpdateUserRequest = { ...changes, version: user.version };
    // A change of roles always needs step-up; a new display name or status does not.
    const rolesChange =
      changes.roles !== undefined &&
      [...changes.roles].sort().join() !== [...user.roles].sort().join();
    return this.stepUp
      .run((context) => this.api.updateUser(user.id, request, context), { required: rolesChange })
      .pipe(
        map((updated) => {
          if (isStaffUserView(updated)) this.replace(updated);
          this.load();
          // A role that needs a second admin waits; the rest of the edit is saved.
          const pending =
            typeof updated === 'object' && updated !== null && 'pending' in updated
              ? updated.pending
              : null;
          return isStaffApprovalView(pending) ? pending : null;
        }),
        catchError((error: unknown) => {
          if (appErrorOf(error).code === 'version_conflict') this.load();
          return throwError(() => error);
        }),
      );
  }

  revokeSessions(user: StaffUserView): Observable<void> {
    return this.stepUp.run((context) => this.api.revokeSessions(user.id, context));
  }

  /** Applied, or (for a case role or admin) `pending` a second admin. */
  resetMfa(user: StaffUserView): Observable<ResetOutcome> {
    return this.stepUp
      .run((context) => this.api.resetMfa(user.id, context), { required: true })
      .pipe(
        map(({ pending }) => {
          this.load();
          return { oneTimePassword: null, pending };
        }),
      );
  }

  /** The new one-time password, to show once; or (for a case role or admin) `pending`. */
  resetPassword(user: StaffUserView): Observable<ResetOutcome> {
    return this.stepUp
      .run((context) => this.api.resetPassword(user.id, context), { required: true })
      .pipe(
        map((outcome) => {
          this.load();
          return outcome;
        }),
      );
  }

  /** The second admin's approval (step-up); the change is applied at once. */
  approve(approval: StaffApprovalView): Observable<ApproveStaffChangeResponse> {
    return this.stepUp
      .run((context) => this.api.approveChange(approval.id, context), { required: true })
      .pipe(tap(() => this.load()));
  }

  /** Withdraws a waiting change. */
  cancel(approval: StaffApprovalView): Observable<void> {
    return this.api.cancelChange(approval.id).pipe(tap(() => this.load()));
  }

  private replace(updated: StaffUserView): void {
    this.list.update((users) => users.map((user) => (user.id === updated.id ? updated : user)));
  }
}
