import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { uuidv7, type ReferralQuery, type ReferralStatus } from '@harbour/domain';
import type { Tx } from '../../infra/database/transaction';
import { ReferralEventEntity } from './referral-event.entity';
import { ReferralEntity } from './referral.entity';

/** What a transition may change on a referral. */
export type ReferralPatch = Partial<
  Pick<
    ReferralEntity,
    | 'status'
    | 'consentMethod'
    | 'consentScope'
    | 'consentAt'
    | 'consentBy'
    | 'overrideReason'
    | 'overrideBy'
    | 'closedAt'
  >
>;

/** Referrals and their history (insert-only for the API role). */
@Injectable()
export class ReferralsRepository {
  find(tx: Tx, organisationId: string, id: string): Promise<ReferralEntity | null> {
    return tx.manager.getRepository(ReferralEntity).findOneBy({ organisationId, id });
  }

  /** The referral, locked for the rest of the transaction. */
  lock(tx: Tx, organisationId: string, id: string): Promise<ReferralEntity | null> {
    return tx.manager
      .getRepository(ReferralEntity)
      .createQueryBuilder('r')
      .setLock('pessimistic_write')
      .where('r.organisation_id = :organisationId AND r.id = :id', { organisationId, id })
      .getOne();
  }

  async insert(
    tx: Tx,
    row: Pick<
      ReferralEntity,
      'organisationId' | 'id' | 'needId' | 'personId' | 'partnerId' | 'status' | 'createdBy'
    >,
  ): Promise<void> {
    await tx.manager.getRepository(ReferralEntity).insert(row);
  }

  async update(tx: Tx, organisationId: string, id: string, patch: ReferralPatch, now: Date) {
    await tx.manager
      .createQueryBuilder()
      .update(ReferralEntity)
      .set({ ...patch, version: () => 'version + 1', updatedAt: now })
      .where('organisation_id = :organisationId AND id = :id', { organisationId, id })
      .execute();
  }

  /** The newest 200 referrals matching the filter, newest first, in one query. */
  list(
    tx: Tx,
    organisationId: string,
    query: Pick<ReferralQuery, 'status' | 'partner' | 'person'>,
  ): Promise<ReferralEntity[]> {
    const qb = tx.manager
      .getRepository(ReferralEntity)
      .createQueryBuilder('r')
      .where('r.organisation_id = :organisationId', { organisationId });
    if (query.status !== undefined) qb.andWhere('r.status = :status', { status: query.status });
    if (query.partner !== undefined)
      qb.andWhere('r.partner_id = :partner', { partner: query.partner });
    if (query.person !== undefined) qb.andWhere('r.person_id = :person', { person: query.person });
    return qb.orderBy('r.id', 'DESC').limit(200).getMany();
  }

  /** One step of the referral's history. */
  async addEvent(
    tx: Tx,
    event: {
      organisationId: string;
      referralId: string;
      from: ReferralStatus | null;
      to: ReferralStatus;
      actorId: string;
      at: Date;
    },
  ): Promise<void> {
    await tx.manager.getRepository(ReferralEventEntity).insert({
      organisationId: event.organisationId,
      id: uuidv7(),
      referralId: event.referralId,
      fromStatus: event.from,
      toStatus: event.to,
      actorId: event.actorId,
      at: event.at,
    });
  }

  events(tx: Tx, organisationId: string, referralId: string): Promise<ReferralEventEntity[]> {
    return this.eventsOf(tx, organisationId, [referralId]);
  }

  /** The history of several referrals in one query, oldest step first. */
  eventsOf(
    tx: Tx,
    organisationId: string,
    referralIds: readonly string[],
  ): Promise<ReferralEventEntity[]> {
    if (referralIds.length === 0) return Promise.resolve([]);
    return tx.manager.getRepository(ReferralEventEntity).find({
      where: { organisationId, referralId: In([...referralIds]) },
      order: { id: 'ASC' },
    });
  }
}
