import { randomInt, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { MAX_CANARIES, type CanaryView, type PlantCanaryRequest } from '@harbour/domain';
import type { Tx } from '../../infra/database/transaction';
import { NotFoundError, ValidationFailedError } from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import { ContactRecords } from '../../core/records/contact-records';
import { actingAs, actingPrincipal, type SignedInScope } from '../../core/scope/request-scope';
import { PersonsRepository } from '../../data/persons/persons.repository';
import { StaffUsersRepository, type CaseStaffRow } from '../../data/staff/staff-users.repository';
import { PersonRecords } from '../../core/records/person-records';
import { CanaryRegistry, type CanaryRecord } from '../../core/canaries/canary-registry';
import { syntheticContacts, syntheticPerson } from './synthetic';

const DEFAULT_CONTACTS = 2;

/**
 * Planting and retiring canary people (admins only). A canary is written through the same
 * services as a caseworker's records — the person with an encrypted, indexed identity, and
 * contacts with needs — as if logged by a staff member who works with people, so nothing in
 * what caseworkers and coordinators are served tells it apart. Those writes leave no trace of
 * their own in the admin's access event, which names the canary's random id, never the person.
 */
@Injectable()
export class CanariesService {
  constructor(
    private readonly clock: Clock,
    private readonly registry: CanaryRegistry,
    private readonly persons: PersonRecords,
    private readonly contacts: ContactRecords,
    private readonly people: PersonsRepository,
    private readonly staff: StaffUsersRepository,
  ) {}

  async list(scope: SignedInScope): Promise<CanaryView[]> {
    const canaries = await this.registry.all(scope.tx, scope.organisationId);
    return this.views(scope.tx, scope.organisationId, canaries);
  }

  async plant(scope: SignedInScope, request: PlantCanaryRequest): Promise<CanaryView> {
    const { tx, organisationId, principal } = scope;
    const existing = await this.registry.all(tx, organisationId);
    if (existing.length >= MAX_CANARIES) {
      throw new ValidationFailedError([{ path: 'canaries', reason: 'max50' }]);
    }
    if (request.identity !== undefined && !lookable(request.identity)) {
      throw new ValidationFailedError([{ path: 'identity', reason: 'nameAliasOrPhone' }]);
    }
    const staff = await this.caseStaff(tx, organisationId, request.caseworkerId);
    const now = this.clock.now();
    const made = syntheticPerson(now);
    const actor = actingPrincipal(organisationId, staff, now);
    // The person and contacts are written as the staff member's, in a scope whose notes go
    // nowhere, so the admin's access event never names them.
    const quiet = actingAs(tx, actor);
    const person = await this.persons.create(quiet, {
      identity: request.identity ?? made.identity,
      ageBand: request.ageBand ?? made.ageBand,
      regionOfOrigin: request.regionOfOrigin ?? made.regionOfOrigin,
      languageGroup: request.languageGroup ?? made.languageGroup,
      ...(request.genderIdentity === undefined ? {} : { genderIdentity: request.genderIdentity }),
      consentToReporting: made.consentToReporting,
    });
    for (const contact of syntheticContacts(request.contacts ?? DEFAULT_CONTACTS, now)) {
      await this.contacts.create(quiet, {
        kind: 'individual',
        personId: person.id,
        languageGroup: person.languageGroup ?? undefined,
        ...contact,
      });
    }
    const record: CanaryRecord = {
      id: randomUUID(),
      personId: person.id,
      plantedAt: now.toISOString(),
      plantedBy: principal.userId,
      caseworkerId: staff.id,
      retiredAt: null,
    };
    await this.registry.save(tx, organisationId, record);
    scope.note({ resourceIds: [record.id] });
    return { ...viewOf(record), code: person.code };
  }

  /**
   * Retires a canary: its identity is erased (keys destroyed: it can no longer be found by
   * lookup or revealed), but it stays a canary — never counted in reports, and any access to
   * what is left of it still raises a flag.
   */
  async retire(scope: SignedInScope, id: string): Promise<CanaryView> {
    const { tx, organisationId, principal } = scope;
    const record = (await this.registry.all(tx, organisationId)).find((c) => c.id === id);
    if (record === undefined) throw new NotFoundError();
    scope.note({ resourceIds: [record.id] });
    if (record.retiredAt !== null) return (await this.views(tx, organisationId, [record]))[0]!;
    const person = await this.people.find(tx, organisationId, record.personId);
    if (person !== null && person.erasedAt === null) {
      await this.persons.erase(actingAs(tx, principal), record.personId, person.version);
    }
    const retired: CanaryRecord = { ...record, retiredAt: this.clock.now().toISOString() };
    await this.registry.save(tx, organisationId, retired);
    return (await this.views(tx, organisationId, [retired]))[0]!;
  }

  private async views(
    tx: Tx,
    organisationId: string,
    canaries: readonly CanaryRecord[],
  ): Promise<CanaryView[]> {
    const people = await this.registry.people(tx, organisationId);
    const codes = new Map(people.map((p) => [p.personId, p.code]));
    return canaries.map((c) => ({ ...viewOf(c), code: codes.get(c.personId) ?? '' }));
  }

  /**
   * The staff member the canary appears logged by: the one asked for, who must be active and
   * work with people (caseworker or coordinator), or one of them at random.
   */
  private async caseStaff(
    tx: Tx,
    organisationId: string,
    wanted: string | undefined,
  ): Promise<{ id: string; email: string; displayName: string; roles: CaseStaffRow['roles'] }> {
    const staff = await this.staff.activeCaseStaff(tx, organisationId);
    const chosen =
      wanted === undefined
        ? staff.length === 0
          ? undefined
          : staff[randomInt(staff.length)]
        : staff.find((s) => s.id === wanted);
    if (chosen === undefined) {
      throw new ValidationFailedError([
        { path: 'caseworkerId', reason: wanted === undefined ? 'noCaseStaff' : 'notCaseStaff' },
      ]);
    }
    return {
      id: chosen.id,
      email: chosen.email,
      displayName: chosen.display_name,
      roles: chosen.roles,
    };
  }
}

function lookable(identity: NonNullable<PlantCanaryRequest['identity']>): boolean {
  return [identity.givenName, identity.familyName, identity.alias, identity.phone].some(
    (v) => v !== undefined && v.trim() !== '',
  );
}

function viewOf(record: CanaryRecord): Omit<CanaryView, 'code'> {
  return {
    id: record.id,
    personId: record.personId,
    plantedAt: record.plantedAt,
    plantedBy: record.plantedBy,
    caseworkerId: record.caseworkerId,
    retiredAt: record.retiredAt,
  };
}
