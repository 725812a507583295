import { Injectable } from '@nestjs/common';
import type { ConsentPurpose } from '@harbour/domain';
import type { Tx } from '../../infra/database/transaction';
import { ConsentEntity } from './consent.entity';

/** A person's consents (one row per consent given; revoking marks it, history is kept). */
@Injectable()
export class ConsentsRepository {
  /** Newest first. */
  list(tx: Tx, organisationId: string, personId: string): Promise<ConsentEntity[]> {
    return tx.manager
      .getRepository(ConsentEntity)
      .find({ where: { organisationId, personId }, order: { givenAt: 'DESC', id: 'DESC' } });
  }

  find(
    tx: Tx,
    organisationId: string,
    id: string,
    personId?: string,
  ): Promise<ConsentEntity | null> {
    return tx.manager
      .getRepository(ConsentEntity)
      .findOneBy({ organisationId, id, ...(personId === undefined ? {} : { personId }) });
  }

  /** The consent for `purpose` in force, if any. */
  inForce(
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

  async insert(tx: Tx, row: ConsentEntity): Promise<void> {
    await tx.manager.getRepository(ConsentEntity).insert(row);
  }

  async markRevoked(tx: Tx, consent: ConsentEntity, revokedBy: string, at: Date): Promise<void> {
    await tx.manager
      .getRepository(ConsentEntity)
      .update(
        { organisationId: consent.organisationId, id: consent.id },
        { revokedAt: at, revokedBy, version: consent.version + 1 },
      );
  }
}
