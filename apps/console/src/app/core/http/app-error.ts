import type { HttpErrorResponse } from '@angular/common/http';
import type { ErrorCode } from '@harbour/domain';
import { ERROR_CODES, isErrorCode } from '@harbour/domain';

/** API codes plus the two failures the console detects on its own. */
export type AppErrorCode = ErrorCode | 'network_error' | 'unknown_error';

export const APP_ERROR_CODES: readonly AppErrorCode[] = [
  ...ERROR_CODES,
  'network_error',
  'unknown_error',
];

/**
 * The one error type the console's code sees from HTTP calls. It carries a stable code (for a
 * translated message and for branching) and never the server's message text.
 */
export class AppError extends Error {
  override readonly name = 'AppError';

  constructor(
    readonly code: AppErrorCode,
    readonly status: number,
    readonly correlationId?: string,
  ) {
    super(code);
  }
}

/** Correlation ids are shown to people and read out over the phone: accept only plain tokens. */
const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function asCorrelationId(value: unknown): string | undefined {
  return typeof value === 'string' && CORRELATION_ID.test(value) ? value : undefined;
}

function bodyAsRecord(body: unknown): Readonly<Record<string, unknown>> | null {
  let value = body;
  if (typeof value === 'string') {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return null;
    }
  }
  return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
}

/**
 * Maps a failed response to an `AppError`: status 0 (no response at all) is `network_error`; a
 * body `{ code, correlationId }` with a known code keeps its code; anything else (a proxy's HTML
 * page, an unknown code) is `unknown_error`. The correlation id comes from the body or, failing
 * that, from the `X-Correlation-Id` header.
 */
export function toAppError(response: HttpErrorResponse): AppError {
  if (response.status === 0) return new AppError('network_error', 0);
  const body = bodyAsRecord(response.error);
  const correlationId =
    asCorrelationId(body?.['correlationId']) ??
    asCorrelationId(response.headers.get('X-Correlation-Id'));
  const code = body?.['code'];
  return new AppError(isErrorCode(code) ? code : 'unknown_error', response.status, correlationId);
}
