import type { FaultResponse } from './http-client';
import { sleep } from './postgres-process';

/** A 503 the console retries: the stable code, a correlation id, nothing from inside. */
export function expectGeneric503(res: FaultResponse): void {
  expect({ status: res.status, code: res.body?.['code'] }).toEqual({
    status: 503,
    code: 'service_unavailable',
  });
  expect(Object.keys(res.body!).sort()).toEqual(['code', 'correlationId', 'message']);
  expect(res.text).not.toMatch(/\bat \w|SELECT|INSERT|postgres|ECONN|terminat/i);
}

/** Polls `probe` until it returns a value (not null), or fails after `ms`. */
export async function waitFor<T>(probe: () => Promise<T | null>, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    if (Date.now() > deadline) throw new Error(`not within ${ms} ms`);
    await sleep(100);
  }
}
