import type { HttpInterceptorFn } from '@angular/common/http';
import { HttpErrorResponse } from '@angular/common/http';
import { inject, Injector } from '@angular/core';
import { MatSnackBar, MatSnackBarConfig } from '@angular/material/snack-bar';
import { TranslocoService } from '@jsverse/transloco';
import { catchError, throwError } from 'rxjs';
import { isAuthEndpoint } from '../auth/auth.api';
import { SessionEnd } from '../auth/session-end.service';
import { translateFieldMessage } from '../forms/field-error.pipe';
import { fieldMessage, fieldNameKey } from '../forms/field-errors';
import type { AppError } from './app-error';
import { toAppError } from './app-error';
import {
  ERROR_HANDLED_BY_CALLER,
  MESSAGE_HANDLED_BY_CALLER,
  SHOW_ERROR_MESSAGE,
  STEP_UP_HANDLED_BY_CALLER,
} from './http-context';

/** Long enough to read a sentence and a reference twice on a phone; it can be dismissed sooner. */
export const ERROR_MESSAGE_DURATION_MS = 10_000;

function errorSnackBarConfig(): MatSnackBarConfig {
  const config = new MatSnackBarConfig();
  config.duration = ERROR_MESSAGE_DURATION_MS;
  config.politeness = 'assertive';
  config.panelClass = 'app-error-snack-bar';
  return config;
}

/**
 * The translated text for an error: `errors.<code>`, plus the reference when there is one. A
 * refusal that names fields says, for each, its name in words and what to do (a snack bar marks
 * no field, so "check the marked fields" would point at nothing).
 */
export function errorMessage(transloco: TranslocoService, error: AppError): string {
  const fields = error.code === 'validation_failed' ? (error.details.fields ?? []) : [];
  const message =
    fields.length === 0
      ? transloco.translate(`errors.${error.code}`)
      : [
          transloco.translate('errors.checkFields'),
          ...fields.map(
            (field) =>
              `${transloco.translate(`errors.fieldName.${fieldNameKey(field.path)}`)}: ${translateFieldMessage(
                transloco,
                fieldMessage(field.reason, field.limits),
              )}`,
          ),
        ].join(' ');
  return error.correlationId === undefined
    ? message
    : `${message} ${transloco.translate('errors.reference', { correlationId: error.correlationId })}`;
}

/** What the console does about an error besides (or instead of) showing its message. */
type SessionReaction = 'endSession' | 'changePassword' | 'stepUp' | 'lockdown' | null;

function sessionReaction(url: string, error: AppError, stepUpByCaller: boolean): SessionReaction {
  if (error.status === 401 && error.code === 'unauthenticated' && !isAuthEndpoint(url)) {
    return 'endSession';
  }
  if (error.status === 403 && error.code === 'password_change_required') return 'changePassword';
  if (error.status === 403 && error.code === 'lockdown_active' && !isAuthEndpoint(url)) {
    return 'lockdown';
  }
  if (error.status === 403 && error.code === 'step_up_required' && stepUpByCaller) return 'stepUp';
  return null;
}

/**
 * The console's one error interceptor. A failed response becomes an `AppError`; a translated
 * message (never the server's text) appears in a snack bar with the correlation id, so that a
 * caseworker can quote it to support; the `AppError` is rethrown for the caller to react to.
 *
 * Four answers are about the session rather than the request, and show no message:
 * `401 unauthenticated` from any endpoint outside `/api/auth/` ends the session (sign-in page,
 * "your session ended"); `403 password_change_required` opens the change-password page;
 * `403 lockdown_active` outside `/api/auth/` opens the lockdown page;
 * `403 step_up_required` on a request marked `STEP_UP_HANDLED_BY_CALLER` is left to the caller's
 * step-up dialog.
 */
export const errorInterceptor: HttpInterceptorFn = (request, next) => {
  const snackBar = inject(MatSnackBar);
  const transloco = inject(TranslocoService);
  const injector = inject(Injector);
  return next(request).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse)) return throwError(() => error);
      if (request.context.get(ERROR_HANDLED_BY_CALLER)(error)) return throwError(() => error);
      const appError = toAppError(error);
      const reaction = sessionReaction(
        request.url,
        appError,
        request.context.get(STEP_UP_HANDLED_BY_CALLER),
      );
      switch (reaction) {
        case 'endSession':
          void injector.get(SessionEnd).endLocally('expired');
          return throwError(() => appError);
        case 'changePassword':
          void injector.get(SessionEnd).requirePasswordChange();
          return throwError(() => appError);
        case 'stepUp':
          return throwError(() => appError);
        case 'lockdown':
          void injector.get(SessionEnd).enterLockdown();
          return throwError(() => appError);
        case null:
          break;
      }
      if (
        request.context.get(SHOW_ERROR_MESSAGE) &&
        !request.context.get(MESSAGE_HANDLED_BY_CALLER).includes(appError.code)
      ) {
        snackBar.open(
          errorMessage(transloco, appError),
          transloco.translate('common.dismiss'),
          errorSnackBarConfig(),
        );
      }
      return throwError(() => appError);
    }),
  );
};
