import { DomainError } from '../../infra/http/domain-error';

export class EmailTakenError extends DomainError {
  constructor() {
    super('email_taken', 'A user with this e-mail address already exists in this organisation.');
  }
}

export class LastAdminError extends DomainError {
  constructor() {
    super('last_admin', 'The organisation must keep at least one active administrator.');
  }
}

export { ChangeConflictError, VersionConflictError } from '../../infra/http/domain-error';

export class OwnRoleChangeError extends DomainError {
  constructor() {
    super(
      'own_role_change',
      'You cannot change your own roles. Another administrator must do it, with a second one approving.',
    );
  }
}

export class SecondAdminRequiredError extends DomainError {
  constructor(message: string) {
    super('second_admin_required', message);
  }
}

export class ApprovalExpiredError extends DomainError {
  constructor() {
    super('approval_expired', 'This request waited too long and has expired. Ask again.');
  }
}
