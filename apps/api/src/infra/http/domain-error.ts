import type { ErrorCode, FieldError } from '@harbour/domain';

/**
 * The one error base class (STYLE.md §9). Services throw subclasses; the global filter maps the
 * code to an HTTP status. Messages are fixed, user-safe sentences: never a value from input or
 * from the database.
 */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly fields?: readonly FieldError[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationFailedError extends DomainError {
  constructor(fields: readonly FieldError[]) {
    super('validation_failed', 'The request is not valid.', fields);
  }
}

export class MalformedJsonError extends DomainError {
  constructor() {
    super('malformed_json', 'The request body is not valid JSON.');
  }
}

export class UnsupportedMediaTypeError extends DomainError {
  constructor() {
    super('unsupported_media_type', 'Request bodies must be application/json.');
  }
}

export class PayloadTooLargeError extends DomainError {
  constructor() {
    super('payload_too_large', 'The request body is too large.');
  }
}

export class NotFoundError extends DomainError {
  constructor() {
    super('not_found', 'Not found.');
  }
}

export class UnauthenticatedError extends DomainError {
  constructor() {
    super('unauthenticated', 'Sign in to continue.');
  }
}

export class ServiceUnavailableError extends DomainError {
  constructor() {
    super('service_unavailable', 'The service is temporarily unavailable. Please try again.');
  }
}
