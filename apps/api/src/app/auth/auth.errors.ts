import { DomainError } from '../../infra/http/domain-error';

export class InvalidCredentialsError extends DomainError {
  constructor() {
    super('invalid_credentials', 'The e-mail address or password is not correct.');
  }
}

export class InvalidCodeError extends DomainError {
  constructor() {
    super('invalid_code', 'That code is not correct. Codes change every 30 seconds.');
  }
}

export class PasswordRejectedError extends DomainError {
  constructor(reason: string) {
    super('password_rejected', 'Choose a different password.', [{ path: 'newPassword', reason }]);
  }
}
