import type { HttpErrorResponse } from '@angular/common/http';
import { HttpContextToken } from '@angular/common/http';

/**
 * Set to `false` on a request whose failure should not pop up a message (the caller shows its
 * own, or there is nothing the person can do). The failure is still mapped to an `AppError`.
 */
export const SHOW_ERROR_MESSAGE = new HttpContextToken<boolean>(() => true);

/**
 * A predicate for failed responses that are an expected answer for this endpoint, such as
 * `503` with a `HealthStatus` body from `GET /health/ready`. Those pass through the error
 * interceptor untouched (as the `HttpErrorResponse`) for the caller to read.
 */
export const ERROR_HANDLED_BY_CALLER = new HttpContextToken<
  (response: HttpErrorResponse) => boolean
>(() => () => false);
