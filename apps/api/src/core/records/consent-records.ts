import { Injectable } from '@nestjs/common';
import { uuidv7, type ConsentMethod, type ConsentPurpose } from '@harbour/domain';
import type { ConsentEntity } from '../../data/consents/consent.entity';
import { ConsentsRepository } from '../../data/consents/consents.repository';
import { PersonsRepository } from '../../data/persons/persons.repository';
import type { Principal } from '../../infra/auth/principal';
import type { Tx } from '../../infra/database/transaction';
import { Clock } from '../../infra/time/clock';

/**
 * Giving and revoking a consent (docs/design.md §3). The consent table is the record;
 * `person.consent_to_reporting` mirrors whether an `aggregate_reporting` consent is in force
 * (reports read that flag). Used by the consents feature and by person records, which take
 * consent to be counted when a person is recorded or updated.
 */
@Injectable()
export class ConsentRecords {
  constructor(
    private readonly consents: ConsentsRepository,
    private readonly persons: PersonsRepository,
    private readonly clock: Clock,
  ) {}

  async give(
    tx: Tx,
    principal: Principal,
    personId: string,
    purpose: ConsentPurpose,
    method: ConsentMethod,
  ): Promise<ConsentEntity> {
    const row: ConsentEntity = {
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
    };
    await this.consents.insert(tx, row);
    return row;
  }

  async revoke(tx: Tx, principal: Principal, consent: ConsentEntity): Promise<void> {
    await this.consents.markRevoked(tx, consent, principal.userId, this.clock.now());
  }

  /** Sets the person's reporting flag to match a consent just given or revoked. */
  async mirrorReporting(
    tx: Tx,
    organisationId: string,
    personId: string,
    agreed: boolean,
  ): Promise<void> {
    const now = this.clock.now();
    await this.persons.update(
      tx,
      organisationId,
      personId,
      { consentToReporting: agreed },
      null,
      now,
    );
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
    const organisationId = principal.organisationId;
    const current = await this.consents.inForce(
      tx,
      organisationId,
      personId,
      'aggregate_reporting',
    );
    if (agreed && current === null) {
      await this.give(tx, principal, personId, 'aggregate_reporting', 'verbal');
    } else if (!agreed && current !== null) {
      await this.revoke(tx, principal, current);
    }
  }
}
