import { DomainError } from '../../infra/http/domain-error';

/** The follow-up is done or cancelled: nothing more can happen to it. */
export class FollowUpClosedError extends DomainError {
  constructor() {
    super('follow_up_closed', 'This follow-up is already done or cancelled.');
  }
}

/** A due date that has passed everywhere on Earth. */
export class DueDateInPastError extends DomainError {
  constructor() {
    super('due_date_in_past', 'The due date is in the past.');
  }
}

/** The assignee is not an active staff member of the organisation with a case role. */
export class AssigneeNotEligibleError extends DomainError {
  constructor() {
    super('assignee_not_eligible', 'Follow-ups can be assigned only to active case staff.');
  }
}
