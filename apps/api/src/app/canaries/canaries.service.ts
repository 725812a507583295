import { randomInt, randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import {
  MAX_CANARIES,
  permissionsFor,
  type CanaryView,
  type PlantCanaryRequest,
  type Role,
} from '@harbour/domain';
import { noteAudit, runWithAuditNotes } from '../../infra/audit/audit-notes';
import type { Principal } from '../../infra/auth/principal';
import { Db, type Tx } from '../../infra/database/transaction';
import { NotFoundError, ValidationFailedError } from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import { ContactsService } from '../contacts/contacts.service';
import { PersonsService } from '../persons/persons.service';
import { CanaryRegistry, type CanaryRecord } from '../../core/canaries/canary-registry';
import { syntheticContacts, syntheticPerson } from './synthetic';

const DEFAULT_CONTACTS = 2;

interface CaseStaff {
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
  readonly roles: Role[];
}

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
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly registry: CanaryRegistry,
    private readonly persons: PersonsService,
    private readonly contacts: ContactsService,
  ) {}

  async list(organisationId: string): Promise<CanaryView[]> {
    const tx = this.db.current();
    const canaries = await this.registry.all(tx, organisationId);
    return this.views(tx, organisationId, canaries);
  }

  async plant(principal: Principal, request: PlantCanaryRequest): Promise<CanaryView> {
    const tx = this.db.current();
    const organisationId = principal.organisationId;
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
    const actor = asPrincipal(organisationId, staff, now);
    // The person and contacts are written as the staff member's; their services' notes for
    // the access event go to a note of their own, so the admin's event never names them.
    const result = runWithAuditNotes({}, async () => {
      const person = await this.persons.create(actor, {
        identity: request.identity ?? made.identity,
        ageBand: request.ageBand ?? made.ageBand,
        regionOfOrigin: request.regionOfOrigin ?? made.regionOfOrigin,
        languageGroup: request.languageGroup ?? made.languageGroup,
        ...(request.genderIdentity === undefined ? {} : { genderIdentity: request.genderIdentity }),
        consentToReporting: made.consentToReporting,
      });
      for (const contact of syntheticContacts(request.contacts ?? DEFAULT_CONTACTS, now)) {
        await this.contacts.create(actor, {
          kind: 'individual',
          personId: person.id,
          languageGroup: person.languageGroup ?? undefined,
          ...contact,
        });
      }
      return person;
    });
    const person = await result;
    const record: CanaryRecord = {
      id: randomUUID(),
      personId: person.id,
      plantedAt: now.toISOString(),
      plantedBy: principal.userId,
      caseworkerId: staff.id,
      retiredAt: null,
    };
    await this.registry.save(tx, organisationId, record);
    noteAudit({ resourceIds: [record.id] });
    return { ...viewOf(record), code: person.code };
  }

  /**
   * Retires a canary: its identity is erased (keys destroyed: it can no longer be found by
   * lookup or revealed), but it stays a canary — never counted in reports, and any access to
   * what is left of it still raises a flag.
   */
  async retire(principal: Principal, id: string): Promise<CanaryView> {
    const tx = this.db.current();
    const organisationId = principal.organisationId;
    const record = (await this.registry.all(tx, organisationId)).find((c) => c.id === id);
    if (record === undefined) throw new NotFoundError();
    noteAudit({ resourceIds: [record.id] });
    if (record.retiredAt !== null) return (await this.views(tx, organisationId, [record]))[0]!;
    const [person] = await tx.manager.query<{ version: number; erased: boolean }[]>(
      `SELECT version, erased_at IS NOT NULL AS erased FROM person
        WHERE organisation_id = $1 AND id = $2`,
      [organisationId, record.personId],
    );
    if (person !== undefined && !person.erased) {
      await runWithAuditNotes({}, () =>
        this.persons.erase(principal, record.personId, person.version),
      );
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
  ): Promise<CaseStaff> {
    const staff = await tx.manager.query<
      { id: string; email: string; display_name: string; roles: Role[] }[]
    >(
      `SELECT id, email, display_name, roles FROM staff_user
        WHERE organisation_id = $1 AND status = 'active'
          AND roles && ARRAY['caseworker', 'coordinator']::text[]
        ORDER BY id`,
      [organisationId],
    );
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

/** The staff member as the case services see an author (no session: nothing is served to them). */
function asPrincipal(organisationId: string, staff: CaseStaff, now: Date): Principal {
  return {
    sessionId: '00000000-0000-7000-8000-000000000000',
    organisationId,
    userId: staff.id,
    email: staff.email,
    displayName: staff.displayName,
    roles: staff.roles,
    permissions: permissionsFor(staff.roles),
    stage: 'active',
    mustChangePassword: false,
    stepUpAt: null,
    lockdownSince: null,
    idleExpiresAt: now,
    absoluteExpiresAt: now,
  };
}
