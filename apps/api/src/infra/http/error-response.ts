import type { ApiErrorBody, ErrorCode, FieldError } from '@harbour/domain';
import type { Response } from 'express';
import { currentCorrelationId } from '../logging/request-context';
import { statusForCode } from './error-status';

const GENERIC_MESSAGES: Readonly<Partial<Record<ErrorCode, string>>> = {
  internal_error: 'Something went wrong. Quote the correlation id if you report this.',
};

export function errorBody(
  code: ErrorCode,
  message: string,
  fields?: readonly FieldError[],
  candidates?: ApiErrorBody['candidates'],
): ApiErrorBody {
  return {
    code,
    message: GENERIC_MESSAGES[code] ?? message,
    correlationId: currentCorrelationId(),
    ...(fields && fields.length > 0 ? { fields } : {}),
    ...(candidates === undefined ? {} : { candidates }),
  };
}

/** Where an error response leaves its code for the request's metrics (`res.locals`). */
export const ERROR_CODE_LOCAL = 'harbourErrorCode';

/** Writes an error response; used by the exception filter and by pre-routing middleware. */
export function sendError(
  res: Response,
  code: ErrorCode,
  message: string,
  fields?: readonly FieldError[],
  candidates?: ApiErrorBody['candidates'],
): void {
  if (res.headersSent) {
    res.end();
    return;
  }
  (res.locals as Record<string, unknown>)[ERROR_CODE_LOCAL] = code;
  // A handler may have set a download's headers (e.g. `@Header('Content-Type', 'text/csv')`)
  // before its input was refused: an error is always JSON, never an attachment.
  res.removeHeader('Content-Disposition');
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.status(statusForCode(code)).json(errorBody(code, message, fields, candidates));
}
