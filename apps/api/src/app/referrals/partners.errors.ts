import { DomainError } from '../../infra/http/domain-error';

/**
 * 409 `partner_inactive`: the partner was deactivated by an admin; it receives no new referrals
 * (those it already has keep pointing to it).
 */
export class PartnerInactiveError extends DomainError {
  constructor() {
    super('partner_inactive', 'This partner is no longer taking referrals.');
  }
}
