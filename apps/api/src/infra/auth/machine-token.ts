import { createHash, timingSafeEqual } from 'node:crypto';
import type { Request } from 'express';
import { DomainError, NotFoundError } from '../http/domain-error';

/** The machine tokens routes may ask for (`@MachineToken(...)`); each is configured on its own. */
export type MachineTokenName = 'metrics';

/**
 * A machine caller (a Prometheus server) proves it holds the configured token with
 * `Authorization: Bearer <token>`. No session, no organisation, no roles: such a route serves
 * figures about the process, never a tenant's data, and a scrape writes no access event.
 *
 * - no token configured: 404 `not_found` (the route is off, and says nothing more);
 * - header missing, malformed or wrong: 401 `unauthenticated`, whatever was wrong;
 * - otherwise the request passes. The comparison is of SHA-256 digests in constant time, so
 *   neither the token's bytes nor its length leak through timing.
 */
export function checkMachineToken(req: Request, expected: string | null): void {
  if (expected === null) throw new NotFoundError();
  const header = req.headers.authorization;
  const match = typeof header === 'string' ? /^Bearer ([^\s]{1,512})$/.exec(header) : null;
  const given = digest(match?.[1] ?? '');
  if (match === null || !timingSafeEqual(given, digest(expected))) {
    throw new DomainError('unauthenticated', 'A valid token is needed.');
  }
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}
