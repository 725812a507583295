import { DomainError, IntegrityError } from '../../infra/http/domain-error';

/**
 * A person's identity failed to decrypt or their key failed to unwrap: a ciphertext or key id
 * copied from another person, or corrupted data. Nothing is returned.
 */
export class IdentityIntegrityError extends IntegrityError {
  constructor(personId: string) {
    super([personId]);
  }
}

/** 409 `conflict`: the person's identity was erased; it cannot be given again on this record. */
export class PersonErasedError extends DomainError {
  constructor() {
    super('conflict', 'This person was erased at their request.');
  }
}
