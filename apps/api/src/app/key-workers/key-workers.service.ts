import { Injectable } from '@nestjs/common';
import {
  isPersonCode,
  uuidv7,
  type AgeBand,
  type CaseStaffView,
  type GenderIdentity,
  type HandOverReceipt,
  type HandOverRequest,
  type KeyWorkerPeoplePage,
  type KeyWorkerPeopleQuery,
  type LanguageGroup,
  type PersonKeyWorkers,
  type PersonView,
  type RegionOfOrigin,
  type Role,
  type SetRestrictionRequest,
} from '@harbour/domain';
import { PersonAccess, PersonRestrictedError } from '../../core/records/person-access';
import { PersonRecords } from '../../core/records/person-records';
import type { SignedInScope } from '../../core/scope/request-scope';
import {
  KeyWorkersRepository,
  type StaffMemberRow,
} from '../../data/key-workers/key-workers.repository';
import {
  DomainError,
  NotFoundError,
  ValidationFailedError,
  VersionConflictError,
} from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import { PersonsRepository } from '../../data/persons/persons.repository';

const DEFAULT_PAGE = 50;
const CASE_ROLES: readonly string[] = ['caseworker', 'coordinator'];

/** 422 `not_a_case_worker`: the staff member named is disabled or holds no case role. */
export class NotACaseWorkerError extends DomainError {
  constructor() {
    super('not_a_case_worker', 'Only an active caseworker or coordinator can be a key worker.');
  }
}

/**
 * Key workers (issue 17): who holds a person's case, "my people", hand-overs between workers
 * (coordinators) and the restriction of a person (coordinators). A caseworker may make
 * themselves key worker of a person who is not restricted, step down from any, and hand their
 * own people who are not restricted to a colleague; everything else — naming someone else, any
 * change about a restricted person, others' hand-overs, the restriction — is a coordinator's. Who may read a restricted person is decided in `PersonAccess`.
 */
@Injectable()
export class KeyWorkersService {
  constructor(
    private readonly keyWorkers: KeyWorkersRepository,
    private readonly records: PersonRecords,
    private readonly persons: PersonsRepository,
    private readonly access: PersonAccess,
    private readonly clock: Clock,
  ) {}

  async ofPerson(scope: SignedInScope, personId: string): Promise<PersonKeyWorkers> {
    const person = await this.persons.find(scope.tx, scope.organisationId, personId);
    if (person === null) throw new NotFoundError();
    scope.note({ resourceIds: [person.code] });
    const rows = await this.keyWorkers.keyWorkersOf(scope.tx, scope.organisationId, personId);
    const userId = scope.principal.userId;
    return {
      personId,
      restricted: person.restricted,
      keyWorkers: rows.map((r) => ({
        staffId: r.staff_id,
        displayName: r.display_name,
        assignedAt: r.assigned_at.toISOString(),
      })),
      youAreKeyWorker: rows.some((r) => r.staff_id === userId),
      mayReadProtected: await this.access.mayReadProtected(scope, personId),
      mayManage: this.access.isCoordinator(scope),
    };
  }

  async assign(scope: SignedInScope, personId: string, staffId: string) {
    const { tx, organisationId, principal } = scope;
    const person = await this.records.lock(tx, organisationId, personId);
    scope.note({ resourceIds: [person.code, staffId] });
    const coordinator = this.access.isCoordinator(scope);
    if (staffId !== principal.userId && !coordinator)
      throw new DomainError(
        'forbidden',
        'Only a coordinator can change someone else as key worker.',
      );
    // Becoming key worker of a restricted person would open their identity: coordinators only.
    if (person.restricted && !coordinator) throw new PersonRestrictedError();
    this.checkCaseWorker(await this.staff(scope, staffId, 'staffId'));
    await this.keyWorkers.assign(
      tx,
      organisationId,
      personId,
      staffId,
      principal.userId,
      this.clock.now(),
    );
    return this.ofPerson(scope, personId);
  }

  async remove(scope: SignedInScope, personId: string, staffId: string) {
    const { tx, organisationId, principal } = scope;
    const person = await this.records.lock(tx, organisationId, personId);
    scope.note({ resourceIds: [person.code, staffId] });
    if (staffId !== principal.userId && !this.access.isCoordinator(scope)) {
      throw new DomainError(
        'forbidden',
        'Only a coordinator can change someone else as key worker.',
      );
    }
    if (!(await this.keyWorkers.remove(tx, organisationId, personId, staffId))) {
      throw new NotFoundError();
    }
    return this.ofPerson(scope, personId);
  }

  async setRestriction(
    scope: SignedInScope,
    personId: string,
    request: SetRestrictionRequest,
  ): Promise<PersonView> {
    const { tx, organisationId, principal } = scope;
    const person = await this.records.lock(tx, organisationId, personId);
    scope.note({ resourceIds: [person.code] });
    if (person.version !== request.version) throw new VersionConflictError();
    const written = await this.keyWorkers.setRestricted(tx, {
      organisationId,
      personId,
      restricted: request.restricted,
      version: request.version,
      by: principal.userId,
      at: this.clock.now(),
    });
    if (!written) throw new VersionConflictError();
    return this.records.view(tx, organisationId, personId);
  }

  /**
   * Staff with a case role, by name: the active ones can be key workers; disabled ones are
   * listed too, so a departed worker's people can be handed over.
   */
  async caseStaff(scope: SignedInScope): Promise<CaseStaffView[]> {
    const rows = await this.keyWorkers.caseStaff(scope.tx, scope.organisationId);
    return rows.map((r) => ({
      id: r.id,
      displayName: r.display_name,
      roles: r.roles as Role[],
      active: r.status === 'active',
    }));
  }

  /** One page of the people `staffId` is key worker of: codes and categories only. */
  async peopleOf(
    scope: SignedInScope,
    staffId: string,
    query: KeyWorkerPeopleQuery,
  ): Promise<KeyWorkerPeoplePage> {
    if (staffId !== scope.principal.userId) await this.staff(scope, staffId, null);
    const limit = query.limit ?? DEFAULT_PAGE;
    let after: string | null = null;
    if (query.cursor !== undefined) {
      after = Buffer.from(query.cursor, 'base64url').toString('utf8');
      if (!isPersonCode(after)) {
        throw new ValidationFailedError([{ path: 'cursor', reason: 'invalid' }]);
      }
    }
    const rows = await this.keyWorkers.peopleOf(
      scope.tx,
      scope.organisationId,
      staffId,
      after,
      limit + 1,
    );
    const page = rows.slice(0, limit);
    scope.note({ resourceIds: page.map((r) => r.code) });
    const last = page.at(-1);
    return {
      items: page.map((r) => ({
        personId: r.person_id,
        code: r.code,
        ageBand: r.age_band as AgeBand,
        regionOfOrigin: r.region_of_origin as RegionOfOrigin,
        languageGroup: r.language_group as LanguageGroup | null,
        genderIdentity: r.gender_identity as GenderIdentity | null,
        restricted: r.restricted,
        assignedAt: r.assigned_at.toISOString(),
        lastContactOn: r.last_contact_on,
        openNeeds: r.open_needs,
      })),
      nextCursor:
        rows.length > limit && last !== undefined
          ? Buffer.from(last.code, 'utf8').toString('base64url')
          : null,
    };
  }

  /**
   * Hands some (`personIds`) or all of one key worker's people to another active case worker (a
   * caseworker their own people who are not restricted; a coordinator anyone's),
   * in one transaction, recorded in `key_worker_handover` and in the access event (which names
   * every person moved). People the receiver already held stay theirs, once.
   */
  async handOver(scope: SignedInScope, request: HandOverRequest): Promise<HandOverReceipt> {
    const { tx, organisationId, principal } = scope;
    const { fromStaffId, toStaffId } = request;
    const coordinator = this.access.isCoordinator(scope);
    if (!coordinator && fromStaffId !== principal.userId) {
      throw new DomainError('forbidden', 'Only a coordinator can hand over someone else’s people.');
    }
    if (fromStaffId === toStaffId) {
      throw new ValidationFailedError([{ path: 'toStaffId', reason: 'sameAsFrom' }]);
    }
    await this.staff(scope, fromStaffId, 'fromStaffId');
    this.checkCaseWorker(await this.staff(scope, toStaffId, 'toStaffId'));
    const wanted = request.personIds ?? null;
    if (wanted !== null && new Set(wanted).size !== wanted.length) {
      throw new ValidationFailedError([{ path: 'personIds', reason: 'duplicate' }]);
    }
    const held = await this.keyWorkers.heldBy(tx, organisationId, fromStaffId, wanted);
    if (wanted !== null && held.length !== wanted.length) {
      throw new ValidationFailedError([{ path: 'personIds', reason: 'notHeldByFrom' }]);
    }
    if (held.length === 0) {
      throw new ValidationFailedError([{ path: 'fromStaffId', reason: 'holdsNoPeople' }]);
    }
    // Who may read a restricted person is a coordinator's choice, not their key worker's.
    const restricted = coordinator
      ? []
      : await this.keyWorkers.restrictedAmong(tx, organisationId, held);
    if (restricted.length > 0) {
      throw new PersonRestrictedError();
    }
    const id = uuidv7();
    const at = this.clock.now();
    const move = { organisationId, fromStaffId, toStaffId, by: principal.userId, at };
    const moved = await this.keyWorkers.move(tx, { ...move, personIds: held });
    // Another change of these people came first (a concurrent hand-over or removal).
    if (moved.length !== held.length) throw new VersionConflictError();
    await this.keyWorkers.recordHandover(tx, { ...move, id, personIds: held });
    scope.note({ resourceIds: held });
    return {
      id,
      fromStaffId,
      toStaffId,
      personIds: held,
      count: held.length,
      handedAt: at.toISOString(),
    };
  }

  /**
   * A staff member of the caller's organisation: unknown ids are refused naming the field (or,
   * when the id is the route's, answered 404 like any other record of another organisation).
   */
  private async staff(
    scope: SignedInScope,
    id: string,
    field: string | null,
  ): Promise<StaffMemberRow> {
    const row = await this.keyWorkers.staffMember(scope.tx, scope.organisationId, id);
    if (row === null) {
      if (field === null) throw new NotFoundError();
      throw new ValidationFailedError([{ path: field, reason: 'unknown' }]);
    }
    return row;
  }

  private checkCaseWorker(staff: StaffMemberRow): void {
    if (staff.status !== 'active' || !staff.roles.some((r) => CASE_ROLES.includes(r))) {
      throw new NotACaseWorkerError();
    }
  }
}
