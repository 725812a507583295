import type { HttpErrorResponse } from '@angular/common/http';
import { HttpContextToken } from '@angular/common/http';
import type { AppErrorCode } from './app-error';

/**
 * Set to `false` on a request whose failure should not pop up a message (the caller shows its
 * own, or there is nothing the person can do). The failure is still mapped to an `AppError`.
 */
export const SHOW_ERROR_MESSAGE = new HttpContextToken<boolean>(() => true);

/**
 * Error codes the caller explains itself (for example `version_conflict`, answered by reloading
 * and saying so): no message pops up for these, every other failure still shows one.
 */
export const MESSAGE_HANDLED_BY_CALLER = new HttpContextToken<readonly AppErrorCode[]>(() => []);

/**
 * Set on requests made through `StepUpService.run`: a `403 step_up_required` then shows no
 * message, because the caller asks for the password and code and retries.
 */
export const STEP_UP_HANDLED_BY_CALLER = new HttpContextToken<boolean>(() => false);

/**
 * A predicate for failed responses that are an expected answer for this endpoint, such as
 * `503` with a `HealthStatus` body from `GET /health/ready`. Those pass through the error
 * interceptor untouched (as the `HttpErrorResponse`) for the caller to read.
 */
export const ERROR_HANDLED_BY_CALLER = new HttpContextToken<
  (response: HttpErrorResponse) => boolean
>(() => () => false);
