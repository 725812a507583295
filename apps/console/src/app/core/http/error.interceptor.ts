import type { HttpInterceptorFn } from '@angular/common/http';
import { HttpErrorResponse } from '@angular/common/http';
import { inject } from '@angular/core';
import { MatSnackBar, MatSnackBarConfig } from '@angular/material/snack-bar';
import { TranslocoService } from '@jsverse/transloco';
import { catchError, throwError } from 'rxjs';
import type { AppError } from './app-error';
import { toAppError } from './app-error';
import { ERROR_HANDLED_BY_CALLER, SHOW_ERROR_MESSAGE } from './http-context';

/** Long enough to read a sentence and a reference twice on a phone; it can be dismissed sooner. */
export const ERROR_MESSAGE_DURATION_MS = 10_000;

function errorSnackBarConfig(): MatSnackBarConfig {
  const config = new MatSnackBarConfig();
  config.duration = ERROR_MESSAGE_DURATION_MS;
  config.politeness = 'assertive';
  config.panelClass = 'app-error-snack-bar';
  return config;
}

/** The translated text for an error: `errors.<code>`, plus the reference when there is one. */
export function errorMessage(transloco: TranslocoService, error: AppError): string {
  const message = transloco.translate(`errors.${error.code}`);
  return error.correlationId === undefined
    ? message
    : `${message} ${transloco.translate('errors.reference', { correlationId: error.correlationId })}`;
}

/**
 * The console's one error interceptor. A failed response becomes an `AppError`; a translated
 * message (never the server's text) appears in a snack bar with the correlation id, so that a
 * caseworker can quote it to support; the `AppError` is rethrown for the caller to react to.
 */
export const errorInterceptor: HttpInterceptorFn = (request, next) => {
  const snackBar = inject(MatSnackBar);
  const transloco = inject(TranslocoService);
  return next(request).pipe(
    catchError((error: unknown) => {
      if (!(error instanceof HttpErrorResponse)) return throwError(() => error);
      if (request.context.get(ERROR_HANDLED_BY_CALLER)(error)) return throwError(() => error);
      const appError = toAppError(error);
      if (request.context.get(SHOW_ERROR_MESSAGE)) {
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
