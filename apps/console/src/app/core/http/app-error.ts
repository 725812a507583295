import type { HttpErrorResponse } from '@angular/common/http';
import type {
  DuplicateCandidate,
  ErrorCode,
  FieldError,
  FieldLimits,
  LookupMatch,
} from '@harbour/domain';
import { ERROR_CODES, FIELD_LIMIT_NAMES, isErrorCode, parsePersonCode } from '@harbour/domain';

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
    readonly details: AppErrorDetails = {},
  ) {
    super(code);
  }
}

/** Machine-readable extras of some errors (never free text from the server). */
export interface AppErrorDetails {
  /** From `Retry-After` on `429`: how long to wait before trying again. */
  readonly retryAfterSeconds?: number;
  /** Which fields failed and why (`validation_failed`, `password_rejected`). */
  readonly fields?: readonly FieldError[];
  /** The likely existing people of a `possible_duplicate` (codes only, never identity). */
  readonly candidates?: readonly DuplicateCandidate[];
}

/** The code of `error` when it is an `AppError`, else `unknown_error`. */
export function appErrorOf(error: unknown): AppError {
  return error instanceof AppError ? error : new AppError('unknown_error', 0);
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
  const retryAfterSeconds = asRetryAfterSeconds(response.headers.get('Retry-After'));
  const fields = asFieldErrors(body?.['fields']);
  const candidates = asCandidates(body?.['candidates']);
  return new AppError(isErrorCode(code) ? code : 'unknown_error', response.status, correlationId, {
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
    ...(fields === undefined ? {} : { fields }),
    ...(candidates === undefined ? {} : { candidates }),
  });
}

/** Longest wait we believe: anything beyond a day is a broken header, not a real instruction. */
const MAX_RETRY_AFTER_SECONDS = 24 * 60 * 60;

/** `Retry-After` as delay-seconds (RFC 9110 §10.2.3); an HTTP-date is not used by our API. */
function asRetryAfterSeconds(value: string | null): number | undefined {
  if (value === null || !/^\s*\d{1,6}\s*$/.test(value)) return undefined;
  const seconds = Number(value);
  return seconds <= MAX_RETRY_AFTER_SECONDS ? seconds : undefined;
}

/** Field paths and reasons are short machine tokens; anything else is dropped. */
const FIELD_TOKEN = /^[A-Za-z0-9_.[\]-]{1,100}$/;

function asFieldErrors(value: unknown): readonly FieldError[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const fields: FieldError[] = [];
  for (const item of value.slice(0, 50) as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { path, reason, limits } = item as Record<string, unknown>;
    if (typeof path === 'string' && typeof reason === 'string') {
      if (FIELD_TOKEN.test(path) && FIELD_TOKEN.test(reason)) {
        const bounds = asFieldLimits(limits);
        fields.push(bounds === undefined ? { path, reason } : { path, reason, limits: bounds });
      }
    }
  }
  return fields;
}

/** Bounds are finite numbers and calendar days; anything else is dropped. */
function asFieldLimits(value: unknown): FieldLimits | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const out: Record<string, number | string> = {};
  for (const name of FIELD_LIMIT_NAMES) {
    const bound = (value as Record<string, unknown>)[name];
    const isDay = name === 'earliest' || name === 'latest';
    if (isDay ? typeof bound === 'string' && DAY.test(bound) : Number.isFinite(bound)) {
      out[name] = bound as number | string;
    }
  }
  return Object.keys(out).length === 0 ? undefined : out;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DAY = /^\d{4}-\d{2}-\d{2}$/;
const MATCHES: readonly LookupMatch[] = ['name', 'alias', 'slk', 'phone', 'code'];

/** Candidates are ids, person codes, match kinds and a day: anything else is dropped. */
export function asCandidates(value: unknown): readonly DuplicateCandidate[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const out: DuplicateCandidate[] = [];
  for (const item of value.slice(0, 20) as unknown[]) {
    if (typeof item !== 'object' || item === null) continue;
    const { id, code, matchedOn, lastSeenOn } = item as Record<string, unknown>;
    if (typeof id !== 'string' || !UUID.test(id)) continue;
    const parsed = typeof code === 'string' ? parsePersonCode(code) : null;
    if (parsed === null || parsed !== code) continue;
    const matches = Array.isArray(matchedOn)
      ? (matchedOn as unknown[]).filter((m): m is LookupMatch => MATCHES.includes(m as LookupMatch))
      : [];
    const seen = typeof lastSeenOn === 'string' && DAY.test(lastSeenOn) ? lastSeenOn : null;
    out.push({ id, code: parsed, matchedOn: matches, lastSeenOn: seen });
  }
  return out;
}
