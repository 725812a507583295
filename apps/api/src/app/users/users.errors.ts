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

export { VersionConflictError } from '../../infra/http/domain-error';
