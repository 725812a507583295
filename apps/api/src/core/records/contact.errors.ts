import { DomainError } from '../../infra/http/domain-error';

/** A status change the state machine does not allow (409 `invalid_transition`). */
export class InvalidTransitionError extends DomainError {
  constructor() {
    super('invalid_transition', 'That status change is not allowed from the current status.');
  }
}

/**
 * 409 `contact_not_amendable`: an amendment is sealed under the contact's person's own key, so
 * only a person's contact can be amended (an anonymous or group contact has no person).
 */
export class ContactNotAmendableError extends DomainError {
  constructor() {
    super('contact_not_amendable', 'Only a contact with a person can be amended.');
  }
}
