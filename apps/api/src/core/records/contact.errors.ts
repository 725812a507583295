import { DomainError } from '../../infra/http/domain-error';

/** A status change the state machine does not allow (409 `invalid_transition`). */
export class InvalidTransitionError extends DomainError {
  constructor() {
    super('invalid_transition', 'That status change is not allowed from the current status.');
  }
}
