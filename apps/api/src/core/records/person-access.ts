import { Injectable } from '@nestjs/common';
import type { Permission } from '@harbour/domain';
import { KeyWorkersRepository } from '../../data/key-workers/key-workers.repository';
import type { RestrictedReader } from '../../data/persons/lookup-candidate';
import { DomainError } from '../../infra/http/domain-error';
import type { SignedInScope } from '../scope/request-scope';

/**
 * The permission that marks a coordinator in the rules on people: coordinators hold it, and
 * caseworkers, auditors and admins do not (`libs/domain` permissions). Coordinators may read any
 * restricted person, add or remove any key worker, hand people over and set the restriction.
 */
export const COORDINATOR_PERMISSION: Permission = 'case:erase';

/** 403 `person_restricted`: a restricted person's identity or notes, asked for by someone else. */
export class PersonRestrictedError extends DomainError {
  constructor() {
    super(
      'person_restricted',
      'This person is restricted: only their key workers and coordinators may see who they are or read their notes.',
    );
  }
}

/**
 * Who may read a person's protected content — their identity (reveal, lookup confirmation,
 * identity edits) and their contact notes. Everyone with a case role may, except for a
 * restricted person (`person.restricted`): then only the person's key workers and coordinators
 * may; everyone else sees the pseudonymous code only. Every path that decrypts a person's
 * identity or notes for a caller asks here first, before anything is decrypted.
 */
@Injectable()
export class PersonAccess {
  constructor(private readonly keyWorkers: KeyWorkersRepository) {}

  /** Whether the caller is a coordinator (see `COORDINATOR_PERMISSION`). */
  isCoordinator(scope: SignedInScope): boolean {
    return scope.principal.permissions.has(COORDINATOR_PERMISSION);
  }

  /**
   * Whether the caller may read the person's identity and notes. True for a person who is not
   * restricted (or not in the caller's organisation: the caller's own lookup answers 404).
   */
  async mayReadProtected(scope: SignedInScope, personId: string): Promise<boolean> {
    return (await this.restrictedAmong(scope, [personId])).size === 0;
  }

  /** Throws `person_restricted` (403, logged as denied) unless `mayReadProtected`. */
  async assertMayReadProtected(scope: SignedInScope, personId: string): Promise<void> {
    if (!(await this.mayReadProtected(scope, personId))) throw new PersonRestrictedError();
  }

  /**
   * The same rule, for queries that apply it themselves (the lookup's candidate queries): the
   * caller's staff id, whose key-worker assignments decide which restricted people they may
   * read, or null for a coordinator, who may read them all.
   */
  restrictedReader(scope: SignedInScope): RestrictedReader {
    return this.isCoordinator(scope) ? null : scope.principal.userId;
  }

  /** The people among `personIds` whose identity and notes the caller may not read. */
  async restrictedAmong(
    scope: SignedInScope,
    personIds: readonly string[],
  ): Promise<ReadonlySet<string>> {
    if (this.isCoordinator(scope)) return new Set();
    return this.keyWorkers.restrictedFrom(
      scope.tx,
      scope.organisationId,
      scope.principal.userId,
      personIds,
    );
  }
}
