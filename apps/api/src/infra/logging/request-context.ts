import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';

/** Per-request context, available to every log line and error without passing it around. */
export interface RequestContext {
  readonly correlationId: string;
}

const storage = new AsyncLocalStorage<RequestContext>();

/** Lines logged outside any request (start-up, shutdown, jobs) share this process id. */
const processCorrelationId = `process-${randomUUID()}`;

export function runWithContext<T>(context: RequestContext, fn: () => T): T {
  return storage.run(context, fn);
}

/**
 * Runs `fn` outside any request's context (its log lines carry the process id): for work one
 * request starts on behalf of others, such as a batch of access events (docs/adr/0017).
 */
export function runOutsideContext<T>(fn: () => T): T {
  return storage.exit(fn);
}

export function currentCorrelationId(): string {
  return storage.getStore()?.correlationId ?? processCorrelationId;
}

/**
 * An opaque token: a UUID, or 16 to 64 hexadecimal digits (a trace id). Never a word someone
 * could type: a name sent as a correlation id would otherwise reach every log line, the response
 * and the access log (docs/security.md T28).
 */
const INCOMING_ID =
  /^(?:[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}|[0-9A-Fa-f]{16,64})$/;

/**
 * Accepts an incoming `X-Correlation-Id` only when it is an opaque token (so it can neither
 * carry a name nor inject into logs); otherwise a fresh random id is issued and the value sent
 * is dropped, never logged.
 */
export function correlationIdFor(incoming: string | string[] | undefined): string {
  if (typeof incoming === 'string' && INCOMING_ID.test(incoming)) return incoming;
  return randomUUID();
}
