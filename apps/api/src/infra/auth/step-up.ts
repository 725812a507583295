import { STEP_UP_MS } from '@harbour/domain';
import { DomainError } from '../http/domain-error';
import type { Principal } from './principal';

/**
 * For operations that need step-up only in some cases (changing roles, not renaming): the
 * route-level `@RequireStepUp()` covers the rest.
 */
export function assertRecentStepUp(principal: Principal, now: Date): void {
  const at = principal.stepUpAt;
  if (at === null || now.getTime() - at.getTime() > STEP_UP_MS) {
    throw new DomainError('step_up_required', 'Confirm your password and code to continue.');
  }
}
