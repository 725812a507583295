/**
 * Whether an error means the database is unreachable, restarting, out of room or refused the
 * transaction for a reason that retrying can cure (docs/operations.md "Faults"): the request
 * then answers 503 `service_unavailable` with `Retry-After`, never 500. Anything else (a
 * constraint, a bug) stays an internal error.
 */
export function isTransientDatabaseError(error: unknown): boolean {
  for (let current = error, depth = 0; current !== undefined && depth < 5; depth++) {
    if (!(current instanceof Error)) return false;
    const source = current as Error & { code?: unknown; driverError?: unknown; cause?: unknown };
    const code = typeof source.code === 'string' ? source.code : undefined;
    if (code !== undefined && isTransientCode(code)) return true;
    if (code === undefined && TRANSIENT_MESSAGES.some((m) => m.test(source.message))) return true;
    if (RELEASED_RUNNER_ERRORS.has(source.name)) return true;
    current = source.driverError ?? source.cause;
  }
  return false;
}

/** Seconds a client should wait before retrying after a transient database failure. */
export const TRANSIENT_RETRY_AFTER_SECONDS = 2;

function isTransientCode(code: string): boolean {
  return (
    // SQLSTATE class 08: connection exception; class 53: insufficient resources (disk full,
    // out of memory, too many connections).
    code.startsWith('08') || code.startsWith('53') || SQLSTATES.has(code) || SOCKET_CODES.has(code)
  );
}

const SQLSTATES = new Set([
  '40001', // serialization_failure
  '40P01', // deadlock_detected
  '55P03', // lock_not_available
  '57014', // query_canceled (statement_timeout under load)
  '57P01', // admin_shutdown (pg_terminate_backend, a fast shutdown)
  '57P02', // crash_shutdown (another backend crashed)
  '57P03', // cannot_connect_now (starting up, recovering)
  '58030', // io_error
]);

const SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
]);

/**
 * TypeORM's errors for a statement on a request's transaction after its connection was lost
 * and released (another statement of the same request, running alongside, saw the loss first).
 */
const RELEASED_RUNNER_ERRORS = new Set([
  'QueryRunnerAlreadyReleasedError',
  'QueryRunnerProviderAlreadyReleasedError',
]);

/** node-postgres and pg-pool errors that carry no code. */
const TRANSIENT_MESSAGES: readonly RegExp[] = [
  /^Connection terminated/,
  /^timeout exceeded when trying to connect$/,
  /^Client has encountered a connection error and is not queryable$/,
  /^Client was closed and is not queryable$/,
  /^Cannot use a pool after calling end on the pool$/,
];
