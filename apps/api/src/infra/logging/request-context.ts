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

export function currentCorrelationId(): string {
  return storage.getStore()?.correlationId ?? processCorrelationId;
}

const INCOMING_ID = /^[A-Za-z0-9._-]{8,64}$/;

/**
 * Accepts an incoming `X-Correlation-Id` only when it is a short token of safe characters
 * (so it cannot inject into logs); otherwise a fresh random id is issued.
 */
export function correlationIdFor(incoming: string | string[] | undefined): string {
  if (typeof incoming === 'string' && INCOMING_ID.test(incoming)) return incoming;
  return randomUUID();
}
