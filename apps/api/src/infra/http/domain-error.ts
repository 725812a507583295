import type { ErrorCode, FieldError } from '@harbour/domain';

/**
 * The one error base class (docs/style.md §9). Services throw subclasses; the global filter maps the
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

/**
 * Protected data failed its integrity check (a ciphertext or key that does not belong where it
 * was found). The caller gets the generic internal error; the access log gets a separate
 * `security.integrity_failure` event naming the resources (pseudonymous ids only).
 */
export class IntegrityError extends DomainError {
  constructor(readonly resourceIds: readonly string[]) {
    super('internal_error', 'Something went wrong on our side.');
  }
}

/** A stale `version`: someone else changed the resource in the meantime (409). */
export class VersionConflictError extends DomainError {
  constructor() {
    super('version_conflict', 'Someone else changed this in the meantime. Reload and try again.');
  }
}

/** 409 `conflict` with a message saying which change collided (a pending staff change). */
export class ChangeConflictError extends DomainError {
  constructor(message: string) {
    super('conflict', message);
  }
}
