import { HttpClient, HttpContext } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  ChangePasswordRequest,
  LoginRequest,
  LoginResponse,
  MfaConfirmResponse,
  MfaEnrolment,
  MfaVerifyRequest,
  MfaVerifyResponse,
  SessionInfo,
  StepUpRequest,
  StepUpResponse,
} from '@harbour/domain';
import type { Observable } from 'rxjs';
import { SHOW_ERROR_MESSAGE } from '../http/http-context';

export const AUTH_API = '/api/auth';

/**
 * Endpoints under `/api/auth/` answer `401 unauthenticated` as part of their own flow (a sign-in
 * step that expired, no session at start-up). Their callers handle it; for every other endpoint
 * the error interceptor ends the session (see `error.interceptor.ts`).
 */
export function isAuthEndpoint(url: string): boolean {
  return url.startsWith(`${AUTH_API}/`);
}

/** The screens that call these show failures in place, next to the form: no snack bar. */
function quiet(): HttpContext {
  return new HttpContext().set(SHOW_ERROR_MESSAGE, false);
}

/** `/api/auth/*` (docs/design.md §11). The session itself travels only in the httpOnly cookie. */
@Injectable({ providedIn: 'root' })
export class AuthApi {
  private readonly http = inject(HttpClient);

  /** `200` when fully signed in; `401 unauthenticated` otherwise. */
  session(): Observable<SessionInfo> {
    return this.http.get<SessionInfo>(`${AUTH_API}/session`, { context: quiet() });
  }

  login(request: LoginRequest): Observable<LoginResponse> {
    return this.http.post<LoginResponse>(`${AUTH_API}/login`, request, { context: quiet() });
  }

  verifyMfa(request: MfaVerifyRequest): Observable<MfaVerifyResponse> {
    return this.http.post<MfaVerifyResponse>(`${AUTH_API}/mfa/verify`, request, {
      context: quiet(),
    });
  }

  enrolMfa(): Observable<MfaEnrolment> {
    return this.http.post<MfaEnrolment>(`${AUTH_API}/mfa/enrol`, null, { context: quiet() });
  }

  confirmMfa(code: string): Observable<MfaConfirmResponse> {
    return this.http.post<MfaConfirmResponse>(
      `${AUTH_API}/mfa/confirm`,
      { code },
      { context: quiet() },
    );
  }

  changePassword(request: ChangePasswordRequest): Observable<void> {
    return this.http.post<void>(`${AUTH_API}/password`, request, { context: quiet() });
  }

  stepUp(request: StepUpRequest): Observable<StepUpResponse> {
    return this.http.post<StepUpResponse>(`${AUTH_API}/step-up`, request, { context: quiet() });
  }

  logout(): Observable<void> {
    return this.http.post<void>(`${AUTH_API}/logout`, null, { context: quiet() });
  }
}
