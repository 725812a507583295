import { DomainError } from '../../infra/http/domain-error';

/** The person who recorded a disclosure request cannot approve it (two other people must). */
export class DisclosureSelfApprovalError extends DomainError {
  constructor() {
    super('disclosure_self_approval', 'The recorder of a disclosure request cannot approve it.');
  }
}

/** This person has approved already, or every role they could approve as is counted already. */
export class DisclosureAlreadyApprovedError extends DomainError {
  constructor() {
    super(
      'disclosure_already_approved',
      'This approval is counted already: a second person, in the other role, must approve.',
    );
  }
}

/** The step is not allowed in the request's current status. */
export class DisclosureStatusError extends DomainError {
  constructor() {
    super('disclosure_status', 'This step is not allowed in the current status of the request.');
  }
}

/** A code that names no person of the organisation. */
export class DisclosureUnknownPersonError extends DomainError {
  constructor() {
    super('disclosure_unknown_person', 'A code does not name a person of this organisation.');
  }
}
