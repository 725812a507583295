import { SetMetadata } from '@nestjs/common';
import { DomainError } from '../http/domain-error';

/** Every refusal because the organisation is in lockdown (docs/security.md T25): 403 `lockdown_active`. */
export class LockdownActiveError extends DomainError {
  constructor(
    message = 'Your organisation is in lockdown. This is switched off until two administrators lift it.',
  ) {
    super('lockdown_active', message);
  }
}

export const LOCKDOWN_METADATA = 'harbour:lockdown';

/**
 * Who may still call a route while the organisation is in lockdown. Routes without this
 * decorator — every route present and future — answer 403 `lockdown_active` to everyone.
 *
 * - `admins`: admins only (see the session and the lockdown, approve lifting, finish signing in).
 * - `everyone`: whoever the route's own rule admits (signing out; the code step of sign-in, which
 *   refuses a non-admin itself once the code is right, so that a password alone says nothing).
 */
export type LockdownAccess = 'admins' | 'everyone';

export const AllowedInLockdown = (access: LockdownAccess): MethodDecorator =>
  SetMetadata(LOCKDOWN_METADATA, access);
