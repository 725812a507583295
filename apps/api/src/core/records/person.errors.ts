import type { DuplicateCandidate } from '@harbour/domain';
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

/** 422 `merge_same_person`: a person cannot be merged into themselves. */
export class MergeSamePersonError extends DomainError {
  constructor() {
    super('merge_same_person', 'A record cannot be merged into itself.');
  }
}

/** 410 `person_merged`: the record was merged into another; that one holds everything now. */
export class PersonMergedError extends DomainError {
  constructor() {
    super('person_merged', 'This record was merged into another one.');
  }
}

/** 409 `person_erased`: an erased person's record has nothing left to merge. */
export class MergeErasedError extends DomainError {
  constructor() {
    super('person_erased', 'An erased person cannot be merged.');
  }
}

/**
 * 409 `possible_duplicate`: people already recorded match the identity given (name pair,
 * SLK-581 or phone, confirmed by decryption). The answer names their codes, never an identity.
 */
export class PossibleDuplicateError extends DomainError {
  constructor(readonly candidates: readonly DuplicateCandidate[]) {
    super('possible_duplicate', 'This person may already be recorded.');
  }
}
