import { Injectable } from '@nestjs/common';
import type {
  ConsentMethod,
  ConsentPurpose,
  ConsentView,
  RecordConsentRequest,
} from '@harbour/domain';
import { ConsentRecords } from '../../core/records/consent-records';
import type { SignedInScope } from '../../core/scope/request-scope';
import type { ConsentEntity } from '../../data/consents/consent.entity';
import { ConsentsRepository } from '../../data/consents/consents.repository';
import type { PersonEntity } from '../../data/persons/person.entity';
import { PersonsRepository } from '../../data/persons/persons.repository';
import { DomainError, NotFoundError, VersionConflictError } from '../../infra/http/domain-error';

/** 409 `conflict`: a consent for this purpose is already in force. */
export class ConsentInForceError extends DomainError {
  constructor() {
    super('conflict', 'A consent for this purpose is already in force.');
  }
}

/**
 * A person's consents, per purpose and revocable (docs/design.md §3), as caseworkers record and
 * revoke them. Giving and revoking, and keeping `person.consent_to_reporting` in step with an
 * `aggregate_reporting` consent, is `ConsentRecords` (core/records).
 */
@Injectable()
export class ConsentsService {
  constructor(
    private readonly consents: ConsentsRepository,
    private readonly persons: PersonsRepository,
    private readonly records: ConsentRecords,
  ) {}

  async list(scope: SignedInScope, personId: string): Promise<ConsentView[]> {
    const person = await this.person(scope, personId, false);
    scope.note({ resourceIds: [person.code] });
    const rows = await this.consents.list(scope.tx, scope.organisationId, personId);
    return rows.map(view);
  }

  async record(
    scope: SignedInScope,
    personId: string,
    request: RecordConsentRequest,
  ): Promise<ConsentView> {
    const { tx, organisationId, principal } = scope;
    const person = await this.person(scope, personId, true);
    scope.note({ resourceIds: [person.code] });
    if ((await this.consents.inForce(tx, organisationId, personId, request.purpose)) !== null)
      throw new ConsentInForceError();
    const row = await this.records.give(tx, principal, personId, request.purpose, request.method);
    if (request.purpose === 'aggregate_reporting')
      await this.records.mirrorReporting(tx, organisationId, personId, true);
    return view(row);
  }

  async revoke(
    scope: SignedInScope,
    personId: string,
    consentId: string,
    version: number,
  ): Promise<ConsentView> {
    const { tx, organisationId, principal } = scope;
    const person = await this.person(scope, personId, true);
    scope.note({ resourceIds: [person.code] });
    const consent = await this.consents.find(tx, organisationId, consentId, personId);
    if (consent === null) throw new NotFoundError();
    if (consent.version !== version || consent.revokedAt !== null) throw new VersionConflictError();
    await this.records.revoke(tx, principal, consent);
    if (consent.purpose === 'aggregate_reporting')
      await this.records.mirrorReporting(tx, organisationId, personId, false);
    const revoked = await this.consents.find(tx, organisationId, consentId);
    if (revoked === null) throw new NotFoundError();
    return view(revoked);
  }

  /** The person (404 in another organisation); locked when consents are about to change. */
  private async person(scope: SignedInScope, id: string, lock: boolean): Promise<PersonEntity> {
    const { tx, organisationId } = scope;
    const person = lock
      ? await this.persons.lock(tx, organisationId, id)
      : await this.persons.find(tx, organisationId, id);
    if (person === null) throw new NotFoundError();
    return person;
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
