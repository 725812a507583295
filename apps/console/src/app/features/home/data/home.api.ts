import { HttpClient, HttpContext, HttpErrorResponse } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { HealthStatus } from '@harbour/domain';
import type { Observable } from 'rxjs';
import { catchError, of, throwError } from 'rxjs';
import { ERROR_HANDLED_BY_CALLER } from '../../../core/http/http-context';

const CHECK_STATES: readonly unknown[] = ['ok', 'unavailable'];

export function isHealthStatus(value: unknown): value is HealthStatus {
  if (typeof value !== 'object' || value === null) return false;
  const { status, checks } = value as Record<string, unknown>;
  return (
    CHECK_STATES.includes(status) &&
    typeof checks === 'object' &&
    checks !== null &&
    Object.values(checks).every((check) => CHECK_STATES.includes(check))
  );
}

/** A `503` from `/health/ready` that carries a health report is an answer, not a failure. */
function isUnavailableReport(response: HttpErrorResponse): boolean {
  return response.status === 503 && isHealthStatus(response.error);
}

@Injectable({ providedIn: 'root' })
export class HomeApi {
  private readonly http = inject(HttpClient);

  /**
   * `GET /health/ready`: `200` with `status: 'ok'`, or `503` with `status: 'unavailable'` and
   * the failed checks. Any other failure arrives as an `AppError` from the error interceptor.
   */
  ready(): Observable<HealthStatus> {
    return this.http
      .get<HealthStatus>('/health/ready', {
        context: new HttpContext().set(ERROR_HANDLED_BY_CALLER, isUnavailableReport),
      })
      .pipe(
        catchError((error: unknown) =>
          error instanceof HttpErrorResponse && isUnavailableReport(error)
            ? of(error.error as HealthStatus)
            : throwError(() => error),
        ),
      );
  }
}
