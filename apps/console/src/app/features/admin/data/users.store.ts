import { computed, inject, Injectable, signal } from '@angular/core';
import type {
  CreateUserRequest,
  CreateUserResponse,
  StaffUserView,
  UpdateUserRequest,
} from '@harbour/domain';
import type { Observable } from 'rxjs';
import { catchError, map, tap, throwError } from 'rxjs';
import { StepUpService } from '../../../core/auth/step-up.service';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { AdminApi } from './admin.api';
import { isStaffUserView } from './views';

/** The changes an admin can make to an account (the version is added here). */
export type UserChanges = Omit<UpdateUserRequest, 'version'>;

function byName(a: StaffUserView, b: StaffUserView): number {
  return a.displayName.localeCompare(b.displayName) || a.email.localeCompare(b.email);
}

/**
 * Staff accounts of the organisation, for the users page (provided by its route). Sensitive
 * changes go through step-up; after a change the list is fetched again, so that every row
 * carries its current `version`.
 */
@Injectable()
export class UsersStore {
  private readonly api = inject(AdminApi);
  private readonly stepUp = inject(StepUpService);

  private readonly list = signal<readonly StaffUserView[]>([]);
  private readonly loadingState = signal(false);
  private readonly loadError = signal<AppError | null>(null);

  readonly users = computed(() => [...this.list()].sort(byName));
  readonly loading = this.loadingState.asReadonly();
  readonly error = this.loadError.asReadonly();

  load(): void {
    this.loadingState.set(true);
    this.loadError.set(null);
    this.api.listUsers().subscribe({
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

  /** Completes without a value if the person cancels step-up. */
  create(request: CreateUserRequest): Observable<CreateUserResponse> {
    const idempotencyKey = crypto.randomUUID();
    return this.stepUp
      .run((context) => this.api.createUser(request, idempotencyKey, context), { required: true })
      .pipe(tap((created) => this.list.update((users) => [...users, created.user])));
  }

  /**
   * PATCH with the version the admin saw. `409 version_conflict` reloads the list and is passed
   * on for the page to explain.
   */
  update(user: StaffUserView, changes: UserChanges): Observable<void> {
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

  resetMfa(user: StaffUserView): Observable<void> {
    return this.stepUp
      .run((context) => this.api.resetMfa(user.id, context), { required: true })
      .pipe(tap(() => this.load()));
  }

  /** The new one-time password, to show once. */
  resetPassword(user: StaffUserView): Observable<string> {
    return this.stepUp
      .run((context) => this.api.resetPassword(user.id, context), { required: true })
      .pipe(
        map(({ oneTimePassword }) => {
          this.load();
          return oneTimePassword;
        }),
      );
  }

  private replace(updated: StaffUserView): void {
    this.list.update((users) => users.map((user) => (user.id === updated.id ? updated : user)));
  }
}
