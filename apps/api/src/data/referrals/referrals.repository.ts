import { Injectable } from '@nestjs/common';
import { In } from 'typeorm';
import { uuidv7, type ReferralQuery, type ReferralStatus } from '@harbour/domain';
import type { Tx } from '../../infra/database/transaction';
import { prepared, statement } from '../sql';
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

/** A referral as the views show it (the consent-override reason only as present or not). */
export type ReferralSummary = Pick<
  ReferralEntity,
  | 'id'
  | 'needId'
  | 'personId'
  | 'partnerId'
  | 'status'
  | 'consentMethod'
  | 'consentScope'
  | 'consentAt'
  | 'createdAt'
  | 'closedAt'
  | 'version'
> & { readonly consentOverridden: boolean };

/** One step of a referral's history as the views show it. */
export type ReferralStep = Pick<ReferralEventEntity, 'fromStatus' | 'toStatus' | 'at' | 'actorId'>;

interface ReferralPageRow {
  id: string;
  need_id: string;
  person_id: string | null;
  partner_id: string;
  status: string;
  consent_method: string | null;
  consent_scope: string[];
  consent_at: Date | null;
  consent_overridden: boolean;
  created_at: Date;
  closed_at: Date | null;
  version: number;
  history: { from: string | null; to: string; at: string; actorId: string }[];
}

/**
 * The newest 200 referrals matching the filter, each with its whole history (oldest step first,
 * times as UTC ISO strings to the millisecond, as `Date.toISOString` writes them): one round trip.
 */
const page = statement<
  { organisationId: string; status: string | null; partner: string | null; person: string | null },
  ReferralPageRow
>(
  'referrals.page',
  `SELECT r.id, r.need_id, r.person_id, r.partner_id, r.status, r.consent_method, r.consent_scope,
       r.consent_at, r.override_reason IS NOT NULL AS consent_overridden, r.created_at,
       r.closed_at, r.version,
       coalesce((SELECT json_agg(json_build_object(
                          'from', e.from_status, 'to', e.to_status, 'actorId', e.actor_id,
                          'at', to_char(e.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))
                        ORDER BY e.id)
                   FROM referral_event e
                  WHERE e.organisation_id = :organisationId AND e.referral_id = r.id),
                '[]'::json) AS history
  FROM referral r
 WHERE r.organisation_id = :organisationId
   AND (:status::text IS NULL OR r.status = :status::text)
   AND (:partner::uuid IS NULL OR r.partner_id = :partner::uuid)
   AND (:person::uuid IS NULL OR r.person_id = :person::uuid)
 ORDER BY r.id DESC
 LIMIT 200`,
);

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

  /** The newest 200 referrals matching the filter, newest first, with their history. */
  async list(
    tx: Tx,
    organisationId: string,
    query: Pick<ReferralQuery, 'status' | 'partner' | 'person'>,
  ): Promise<{ referral: ReferralSummary; history: ReferralStep[] }[]> {
    const rows = await prepared(tx, page, {
      organisationId,
      status: query.status ?? null,
      partner: query.partner ?? null,
      person: query.person ?? null,
    });
    return rows.map((r) => ({
      referral: {
        id: r.id,
        needId: r.need_id,
        personId: r.person_id,
        partnerId: r.partner_id,
        status: r.status,
        consentMethod: r.consent_method,
        consentScope: r.consent_scope,
        consentAt: r.consent_at,
        consentOverridden: r.consent_overridden,
        createdAt: r.created_at,
        closedAt: r.closed_at,
        version: r.version,
      },
      history: r.history.map((e) => ({
        fromStatus: e.from,
        toStatus: e.to,
        at: new Date(e.at),
        actorId: e.actorId,
      })),
    }));
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
