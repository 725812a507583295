import { Injectable } from '@nestjs/common';
import {
  uuidv7,
  type ConsentMethod,
  type ConsentPurpose,
  type ConsentView,
  type RecordConsentRequest,
} from '@harbour/domain';
import { noteAudit } from '../../infra/audit/audit-notes';
import type { Principal } from '../../infra/auth/principal';
import { Db, type Tx } from '../../infra/database/transaction';
import { DomainError, NotFoundError, VersionConflictError } from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import { PersonEntity } from '../../data/persons/person.entity';
import { ConsentEntity } from '../../data/consents/consent.entity';

/** 409 `conflict`: a consent for this purpose is already in force. */
export class ConsentInForceError extends DomainError {
  constructor() {
    super('conflict', 'A consent for this purpose is already in force.');
  }
}

/**
 * A person's consents, per purpose and revocable (DESIGN.md §3). The consent table is the
 * record; `person.consent_to_reporting` mirrors whether an `aggregate_reporting` consent is in
 * force (reports read that flag), and this service keeps the two in step.
 */
@Injectable()
export class ConsentsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
  ) {}

  async list(organisationId: string, personId: string): Promise<ConsentView[]> {
    const tx = this.db.current();
    const person = await this.person(tx, organisationId, personId, false);
    noteAudit({ resourceIds: [person.code] });
    const rows = await tx.manager
      .getRepository(ConsentEntity)
      .find({ where: { organisationId, personId }, order: { givenAt: 'DESC', id: 'DESC' } });
    return rows.map(view);
  }

  async record(
    principal: Principal,
    personId: string,
    request: RecordConsentRequest,
  ): Promise<ConsentView> {
    const tx = this.db.current();
    const person = await this.person(tx, principal.organisationId, personId, true);
    noteAudit({ resourceIds: [person.code] });
    if ((await this.inForce(tx, principal.organisationId, personId, request.purpose)) !== null)
      throw new ConsentInForceError();
    const row = await this.insert(tx, principal, personId, request.purpose, request.method);
    if (request.purpose === 'aggregate_reporting')
      await this.mirrorReporting(tx, principal.organisationId, personId, true);
    return view(row);
  }

  async revoke(
    principal: Principal,
    personId: string,
    consentId: string,
    version: number,
  ): Promise<ConsentView> {
    const tx = this.db.current();
    const organisationId = principal.organisationId;
    const person = await this.person(tx, organisationId, personId, true);
    noteAudit({ resourceIds: [person.code] });
    const repo = tx.manager.getRepository(ConsentEntity);
    const consent = await repo.findOneBy({ organisationId, id: consentId, personId });
    if (consent === null) throw new NotFoundError();
    if (consent.version !== version || consent.revokedAt !== null) throw new VersionConflictError();
    await this.markRevoked(tx, principal, consent);
    if (consent.purpose === 'aggregate_reporting')
      await this.mirrorReporting(tx, organisationId, personId, false);
    return view(await repo.findOneByOrFail({ organisationId, id: consentId }));
  }

  /**
   * For `consentToReporting` on a person create or update (the person row is written by the
   * caller): records verbal consent to be counted, or revokes the one in force.
   */
  async setReporting(
    tx: Tx,
    principal: Principal,
    personId: string,
    agreed: boolean,
  ): Promise<void> {
    const current = await this.inForce(
      tx,
      principal.organisationId,
      personId,
      'aggregate_reporting',
    );
    if (agreed && current === null) {
      await this.insert(tx, principal, personId, 'aggregate_reporting', 'verbal');
    } else if (!agreed && current !== null) {
      await this.markRevoked(tx, principal, current);
    }
  }

  private async markRevoked(tx: Tx, principal: Principal, consent: ConsentEntity): Promise<void> {
    await tx.manager
      .getRepository(ConsentEntity)
      .update(
        { organisationId: principal.organisationId, id: consent.id },
        { revokedAt: this.clock.now(), revokedBy: principal.userId, version: consent.version + 1 },
      );
  }

  private async insert(
    tx: Tx,
    principal: Principal,
    personId: string,
    purpose: ConsentPurpose,
    method: ConsentMethod,
  ): Promise<ConsentEntity> {
    const row = tx.manager.getRepository(ConsentEntity).create({
      organisationId: principal.organisationId,
      id: uuidv7(),
      personId,
      purpose,
      method,
      givenAt: this.clock.now(),
      givenBy: principal.userId,
      revokedAt: null,
      revokedBy: null,
      version: 1,
    });
    await tx.manager.getRepository(ConsentEntity).insert(row);
    return row;
  }

  private inForce(
    tx: Tx,
    organisationId: string,
    personId: string,
    purpose: ConsentPurpose,
  ): Promise<ConsentEntity | null> {
    return tx.manager
      .getRepository(ConsentEntity)
      .createQueryBuilder('c')
      .where('c.organisation_id = :organisationId AND c.person_id = :personId', {
        organisationId,
        personId,
      })
      .andWhere('c.purpose = :purpose AND c.revoked_at IS NULL', { purpose })
      .getOne();
  }

  /** The person (404 in another organisation); locked when consents are about to change. */
  private async person(
    tx: Tx,
    organisationId: string,
    id: string,
    lock: boolean,
  ): Promise<PersonEntity> {
    const query = tx.manager
      .getRepository(PersonEntity)
      .createQueryBuilder('p')
      .where('p.organisation_id = :organisationId AND p.id = :id', { organisationId, id });
    const person = await (lock ? query.setLock('pessimistic_write') : query).getOne();
    if (person === null) throw new NotFoundError();
    return person;
  }

  private async mirrorReporting(
    tx: Tx,
    organisationId: string,
    id: string,
    agreed: boolean,
  ): Promise<void> {
    await tx.manager
      .createQueryBuilder()
      .update(PersonEntity)
      .set({
        consentToReporting: agreed,
        version: () => 'version + 1',
        updatedAt: this.clock.now(),
      })
      .where('organisation_id = :organisationId AND id = :id', { organisationId, id })
      .execute();
  }
}

function view(row: ConsentEntity): ConsentView {
  return {
    id: row.id,
    personId: row.personId,
    purpose: row.purpose as ConsentPurpose,
    method: row.method as ConsentMethod,
    givenAt: row.givenAt.toISOString(),
    givenBy: row.givenBy,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revokedBy: row.revokedBy,
    version: row.version,
  };
}
