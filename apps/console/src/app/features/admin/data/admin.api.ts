import type { HttpContext } from '@angular/common/http';
import { HttpClient, HttpHeaders } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  CreateUserRequest,
  CreateUserResponse,
  OrganisationSettingsView,
  StaffUserView,
  UpdateOrganisationSettingsRequest,
  UpdateUserRequest,
} from '@harbour/domain';
import type { Observable } from 'rxjs';
import { MESSAGE_HANDLED_BY_CALLER } from '../../../core/http/http-context';

const USERS = '/api/users';
const ORGANISATION = '/api/organisation';

function userUrl(id: string): string {
  return `${USERS}/${encodeURIComponent(id)}`;
}

/**
 * Staff accounts and organisation settings (`staff:manage`, `organisation:manage`). Methods that
 * may need step-up take the `HttpContext` from `StepUpService.run`.
 */
@Injectable({ providedIn: 'root' })
export class AdminApi {
  private readonly http = inject(HttpClient);

  listUsers(): Observable<StaffUserView[]> {
    return this.http.get<StaffUserView[]>(USERS);
  }

  /** The key makes a retried create (after step-up, or a lost answer) apply once. */
  createUser(
    request: CreateUserRequest,
    idempotencyKey: string,
    context: HttpContext,
  ): Observable<CreateUserResponse> {
    return this.http.post<CreateUserResponse>(USERS, request, {
      context: context.set(MESSAGE_HANDLED_BY_CALLER, ['validation_failed', 'email_taken']),
      headers: new HttpHeaders({ 'Idempotency-Key': idempotencyKey }),
    });
  }

  /** A stale `version` answers `409 version_conflict`, which the caller explains. */
  updateUser(id: string, request: UpdateUserRequest, context: HttpContext): Observable<unknown> {
    return this.http.patch<unknown>(userUrl(id), request, {
      context: context.set(MESSAGE_HANDLED_BY_CALLER, ['version_conflict']),
    });
  }

  revokeSessions(id: string, context: HttpContext): Observable<void> {
    return this.http.post<void>(`${userUrl(id)}/revoke-sessions`, null, { context });
  }

  resetMfa(id: string, context: HttpContext): Observable<void> {
    return this.http.post<void>(`${userUrl(id)}/reset-mfa`, null, { context });
  }

  /** A new one-time password; also signs the account out everywhere and unlocks it. */
  resetPassword(id: string, context: HttpContext): Observable<{ oneTimePassword: string }> {
    return this.http.post<{ oneTimePassword: string }>(`${userUrl(id)}/reset-password`, null, {
      context,
    });
  }

  settings(): Observable<OrganisationSettingsView> {
    return this.http.get<OrganisationSettingsView>(`${ORGANISATION}/settings`);
  }

  updateSettings(
    request: UpdateOrganisationSettingsRequest,
    context: HttpContext,
  ): Observable<unknown> {
    return this.http.patch<unknown>(`${ORGANISATION}/settings`, request, {
      context: context.set(MESSAGE_HANDLED_BY_CALLER, ['version_conflict']),
    });
  }

  lockdown(context: HttpContext): Observable<unknown> {
    return this.http.post<unknown>(`${ORGANISATION}/lockdown`, null, { context });
  }

  liftLockdown(context: HttpContext): Observable<unknown> {
    return this.http.post<unknown>(`${ORGANISATION}/lockdown/lift`, null, { context });
  }
}
