import type { HttpContext } from '@angular/common/http';
import { HttpClient, HttpHeaders } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  ApproveStaffChangeResponse,
  CreateUserRequest,
  CreateUserResponse,
  OrganisationSettingsView,
  ResetMfaResponse,
  ResetPasswordResponse,
  StaffApprovalView,
  StaffUserView,
  UpdateOrganisationSettingsRequest,
  UpdateUserRequest,
} from '@harbour/domain';
import type { Observable } from 'rxjs';
import { MESSAGE_HANDLED_BY_CALLER } from '../../../core/http/http-context';

const USERS = '/api/users';
const APPROVALS = '/api/users/approvals';
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

  /** For an account with a case role or admin, only a request for a second admin (`pending`). */
  resetMfa(id: string, context: HttpContext): Observable<ResetMfaResponse> {
    return this.http.post<ResetMfaResponse>(`${userUrl(id)}/reset-mfa`, null, { context });
  }

  /**
   * A new one-time password; also signs the account out everywhere and unlocks it. For an
   * account with a case role or admin, only a request for a second admin (`pending`).
   */
  resetPassword(id: string, context: HttpContext): Observable<ResetPasswordResponse> {
    return this.http.post<ResetPasswordResponse>(`${userUrl(id)}/reset-password`, null, {
      context,
    });
  }

  /** Staff changes waiting for a second admin (separation of duties). */
  listApprovals(): Observable<StaffApprovalView[]> {
    return this.http.get<StaffApprovalView[]>(APPROVALS);
  }

  /** The second admin approves (step-up): applied at once; a password comes back once. */
  approveChange(id: string, context: HttpContext): Observable<ApproveStaffChangeResponse> {
    return this.http.post<ApproveStaffChangeResponse>(
      `${APPROVALS}/${encodeURIComponent(id)}/approve`,
      null,
      { context },
    );
  }

  cancelChange(id: string): Observable<void> {
    return this.http.post<void>(`${APPROVALS}/${encodeURIComponent(id)}/cancel`, null);
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
