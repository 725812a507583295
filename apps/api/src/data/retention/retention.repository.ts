import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/database/transaction';
import { query, queryReturning, statement } from '../sql';

/** A record due for purge: its id, the date its period runs from, and a person's code. */
export interface DueRow {
  readonly id: string;
  readonly at: Date;
  readonly code?: string;
}

export interface PolicyRow {
  readonly record_class: string;
  readonly keep: number | null;
  readonly version: number;
}

export interface PurgeRunRow {
  readonly id: string;
  readonly trigger: string;
  readonly started_at: Date;
  readonly finished_at: Date;
  readonly counts: Record<string, number>;
}

const policies = statement<{ organisationId: string }, PolicyRow>(
  'retention.policies',
  `SELECT record_class, keep, version FROM retention_policy
 WHERE organisation_id = :organisationId ORDER BY record_class`,
);

const upsertPolicy = statement<
  {
    organisationId: string;
    recordClass: string;
    keep: number | null;
    version: number;
    now: Date;
    userId: string;
  },
  { record_class: string }
>(
  'retention.upsertPolicy',
  `INSERT INTO retention_policy (organisation_id, record_class, keep, version, updated_at, updated_by)
VALUES (:organisationId, :recordClass, :keep, :version, :now, :userId)
ON CONFLICT (organisation_id, record_class) DO UPDATE
   SET keep = EXCLUDED.keep, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at,
       updated_by = EXCLUDED.updated_by
RETURNING record_class`,
);

const bumpVersion = statement<{ organisationId: string; version: number }>(
  'retention.bumpVersion',
  `UPDATE retention_policy SET version = :version WHERE organisation_id = :organisationId`,
);

const organisations = statement<Record<string, never>, { organisation_id: string }>(
  'retention.organisations',
  `SELECT organisation_id FROM retention_organisations()`,
);

const insertRun = statement<{
  organisationId: string;
  id: string;
  trigger: string;
  startedAt: Date;
  finishedAt: Date;
  counts: string;
}>(
  'retention.insertRun',
  `INSERT INTO purge_run (organisation_id, id, trigger, started_at, finished_at, counts)
VALUES (:organisationId, :id, :trigger, :startedAt, :finishedAt, :counts::jsonb)`,
);

const lastRunAt = statement<{ organisationId: string; trigger: string }, { at: Date | null }>(
  'retention.lastRunAt',
  `SELECT max(finished_at) AS at FROM purge_run
 WHERE organisation_id = :organisationId AND trigger = :trigger`,
);

const lockSettings = statement<{ organisationId: string }>(
  'retention.lockSettings',
  `SELECT pg_advisory_xact_lock(hashtextextended('retention_policy:' || :organisationId, 0))`,
);

const recentRuns = statement<{ organisationId: string; limit: number }, PurgeRunRow>(
  'retention.recentRuns',
  `SELECT id, trigger, started_at, finished_at, counts FROM purge_run
 WHERE organisation_id = :organisationId
 ORDER BY finished_at DESC, id DESC LIMIT :limit`,
);

/**
 * People with no activity since the cutoff: not created or changed since, no contact on or after
 * the cutoff's day, no referral closed since and none open, no open follow-up. Erased and merged
 * records are left alone, and so are decoys (`excluded`). The date is the last activity.
 *
 * Legal hold: a person named in a disclosure request that is still open (recorded, under review
 * or approved) is held — their record, contacts and referrals are listed by no class until the
 * request is refused, disclosed or closed. Destroying what an authority has asked for while the
 * organisation is deciding would be unlawful in most places, and a purge must never be the
 * quiet answer to a request.
 */
const inactivePeople = statement<
  { organisationId: string; cutoff: Date; excluded: string[] },
  DueRow
>(
  'retention.inactivePeople',
  `SELECT p.id, p.code, a.at
  FROM person p
 CROSS JOIN LATERAL (
       SELECT greatest(
                p.created_at, p.updated_at,
                (SELECT ((max(c.occurred_on) + 1)::timestamp AT TIME ZONE 'UTC') FROM contact c
                  WHERE c.organisation_id = p.organisation_id AND c.person_id = p.id),
                (SELECT max(r.closed_at) FROM referral r
                  WHERE r.organisation_id = p.organisation_id AND r.person_id = p.id)) AS at) a
 WHERE p.organisation_id = :organisationId AND p.erased_at IS NULL AND p.merged_into IS NULL
   AND NOT (p.id = ANY (:excluded::uuid[]))
   AND a.at < :cutoff
   AND NOT EXISTS (SELECT 1 FROM referral r
                    WHERE r.organisation_id = p.organisation_id AND r.person_id = p.id
                      AND r.closed_at IS NULL)
   AND NOT EXISTS (SELECT 1 FROM follow_up f
                    WHERE f.organisation_id = p.organisation_id AND f.person_id = p.id
                      AND f.status = 'open')
   AND NOT EXISTS (SELECT 1 FROM disclosure_request_person dp
                     JOIN disclosure_request d
                       ON d.organisation_id = dp.organisation_id AND d.id = dp.request_id
                    WHERE dp.organisation_id = p.organisation_id AND dp.person_id = p.id
                      AND d.status IN ('recorded', 'under_review', 'approved'))
 ORDER BY a.at, p.id`,
);

/**
 * Referrals closed before the cutoff with no open follow-up, except those of people on legal
 * hold; the date is the closing.
 */
const closedReferrals = statement<{ organisationId: string; cutoff: Date }, DueRow>(
  'retention.closedReferrals',
  `SELECT r.id, r.closed_at AS at
  FROM referral r
 WHERE r.organisation_id = :organisationId AND r.closed_at IS NOT NULL AND r.closed_at < :cutoff
   AND NOT EXISTS (SELECT 1 FROM follow_up f
                    WHERE f.organisation_id = r.organisation_id AND f.referral_id = r.id
                      AND f.status = 'open')
   AND NOT EXISTS (SELECT 1 FROM disclosure_request_person dp
                     JOIN disclosure_request d
                       ON d.organisation_id = dp.organisation_id AND d.id = dp.request_id
                    WHERE dp.organisation_id = r.organisation_id AND dp.person_id = r.person_id
                      AND d.status IN ('recorded', 'under_review', 'approved'))
 ORDER BY r.closed_at, r.id`,
);

const purgeReferrals = statement<{ ids: string[]; cutoff: Date }, { removed: number }>(
  'retention.purgeReferrals',
  `SELECT retention_purge_referrals(:ids::uuid[], :cutoff) AS removed`,
);

/**
 * Contacts that happened before the cutoff's day, except those with a need of an anonymous
 * contact that a referral or a follow-up still points at (they go once that is gone). The date
 * is the day the contact happened.
 */
const oldContacts = statement<{ organisationId: string; cutoffDay: string }, DueRow>(
  'retention.oldContacts',
  `SELECT c.id, (c.occurred_on::timestamp AT TIME ZONE 'UTC') AS at
  FROM contact c
 WHERE c.organisation_id = :organisationId AND c.occurred_on < :cutoffDay::date
   AND NOT EXISTS (
         SELECT 1 FROM support_need n
          WHERE n.organisation_id = c.organisation_id AND n.contact_id = c.id
            AND n.person_id IS NULL
            AND (EXISTS (SELECT 1 FROM referral r
                          WHERE r.organisation_id = n.organisation_id AND r.need_id = n.id)
                 OR EXISTS (SELECT 1 FROM follow_up f
                             WHERE f.organisation_id = n.organisation_id AND f.need_id = n.id)))
   AND NOT EXISTS (SELECT 1 FROM disclosure_request_person dp
                     JOIN disclosure_request d
                       ON d.organisation_id = dp.organisation_id AND d.id = dp.request_id
                    WHERE dp.organisation_id = c.organisation_id AND dp.person_id = c.person_id
                      AND d.status IN ('recorded', 'under_review', 'approved'))
 ORDER BY c.occurred_on, c.id`,
);

const purgeContacts = statement<{ ids: string[]; cutoffDay: string }, { removed: number }>(
  'retention.purgeContacts',
  `SELECT retention_purge_contacts(:ids::uuid[], :cutoffDay::date) AS removed`,
);

/** Expired Idempotency-Key records created before the cutoff. */
const idempotencyRecords = statement<{ organisationId: string; cutoff: Date; now: Date }, DueRow>(
  'retention.idempotencyRecords',
  `SELECT id, created_at AS at FROM idempotency_key
 WHERE organisation_id = :organisationId AND created_at < :cutoff AND expires_at <= :now
 ORDER BY created_at, id`,
);

const deleteIdempotencyRecords = statement<
  { organisationId: string; ids: string[]; cutoff: Date; now: Date },
  { id: string }
>(
  'retention.deleteIdempotencyRecords',
  `DELETE FROM idempotency_key
 WHERE organisation_id = :organisationId AND id = ANY (:ids::uuid[])
   AND created_at < :cutoff AND expires_at <= :now
RETURNING id`,
);

const SESSION_END = `least(idle_expires_at, absolute_expires_at, coalesce(revoked_at, 'infinity'::timestamptz))`;

/** Sessions that ended (idle or absolute expiry, or revocation) before the cutoff. */
const endedSessions = statement<{ organisationId: string; cutoff: Date }, DueRow>(
  'retention.endedSessions',
  `SELECT id, ${SESSION_END} AS at FROM staff_session
 WHERE organisation_id = :organisationId AND ${SESSION_END} < :cutoff
 ORDER BY ${SESSION_END}, id`,
);

const deleteSessions = statement<
  { organisationId: string; ids: string[]; cutoff: Date },
  { id: string }
>(
  'retention.deleteSessions',
  `DELETE FROM staff_session
 WHERE organisation_id = :organisationId AND id = ANY (:ids::uuid[]) AND ${SESSION_END} < :cutoff
RETURNING id`,
);

/**
 * Sign-in throttle rows (deployment-wide, no tenant) idle since the cutoff that hold no delay
 * and no lock: forgetting them changes nothing a guesser could use.
 */
const idleThrottleRows = statement<{ cutoff: Date; now: Date; lockAfter: number }, DueRow>(
  'retention.idleThrottleRows',
  `SELECT key AS id, updated_at AS at FROM login_throttle
 WHERE updated_at < :cutoff AND consecutive_failures < :lockAfter
   AND (next_attempt_at IS NULL OR next_attempt_at <= :now)
 ORDER BY updated_at, key`,
);

const deleteThrottleRows = statement<
  { keys: string[]; cutoff: Date; now: Date; lockAfter: number },
  { key: string }
>(
  'retention.deleteThrottleRows',
  `DELETE FROM login_throttle
 WHERE key = ANY (:keys::text[]) AND updated_at < :cutoff AND consecutive_failures < :lockAfter
   AND (next_attempt_at IS NULL OR next_attempt_at <= :now)
RETURNING key`,
);

/**
 * Retention settings, purge runs, and the queries of the retention classes: for each class one
 * statement lists what is due (the dry run and the real run both use it) and one removes the
 * listed rows, re-checking the rule.
 */
@Injectable()
export class RetentionRepository {
  policies(tx: Tx, organisationId: string): Promise<PolicyRow[]> {
    return query(tx.manager, policies, { organisationId });
  }

  async upsertPolicy(
    tx: Tx,
    row: {
      organisationId: string;
      recordClass: string;
      keep: number | null;
      version: number;
      now: Date;
      userId: string;
    },
  ): Promise<void> {
    await query(tx.manager, upsertPolicy, row);
  }

  async bumpVersion(tx: Tx, organisationId: string, version: number): Promise<void> {
    await query(tx.manager, bumpVersion, { organisationId, version });
  }

  async organisations(tx: Tx): Promise<string[]> {
    return (await query(tx.manager, organisations, {})).map((r) => r.organisation_id);
  }

  async insertRun(
    tx: Tx,
    run: {
      organisationId: string;
      id: string;
      trigger: string;
      startedAt: Date;
      finishedAt: Date;
      counts: Record<string, number>;
    },
  ): Promise<void> {
    await query(tx.manager, insertRun, { ...run, counts: JSON.stringify(run.counts) });
  }

  /** When the newest run with this trigger finished, or null. */
  async lastRunAt(tx: Tx, organisationId: string, trigger: string): Promise<Date | null> {
    const [row] = await query(tx.manager, lastRunAt, { organisationId, trigger });
    return row?.at ?? null;
  }

  /** Serialises changes to one organisation's settings until the transaction ends. */
  async lockSettings(tx: Tx, organisationId: string): Promise<void> {
    await query(tx.manager, lockSettings, { organisationId });
  }

  recentRuns(tx: Tx, organisationId: string, limit: number): Promise<PurgeRunRow[]> {
    return query(tx.manager, recentRuns, { organisationId, limit });
  }

  inactivePeople(
    tx: Tx,
    organisationId: string,
    cutoff: Date,
    excluded: string[],
  ): Promise<DueRow[]> {
    return query(tx.manager, inactivePeople, { organisationId, cutoff, excluded });
  }

  closedReferrals(tx: Tx, organisationId: string, cutoff: Date): Promise<DueRow[]> {
    return query(tx.manager, closedReferrals, { organisationId, cutoff });
  }

  async purgeReferrals(tx: Tx, ids: string[], cutoff: Date): Promise<number> {
    const [row] = await query(tx.manager, purgeReferrals, { ids, cutoff });
    return row?.removed ?? 0;
  }

  oldContacts(tx: Tx, organisationId: string, cutoffDay: string): Promise<DueRow[]> {
    return query(tx.manager, oldContacts, { organisationId, cutoffDay });
  }

  async purgeContacts(tx: Tx, ids: string[], cutoffDay: string): Promise<number> {
    const [row] = await query(tx.manager, purgeContacts, { ids, cutoffDay });
    return row?.removed ?? 0;
  }

  idempotencyRecords(tx: Tx, organisationId: string, cutoff: Date, now: Date): Promise<DueRow[]> {
    return query(tx.manager, idempotencyRecords, { organisationId, cutoff, now });
  }

  async deleteIdempotencyRecords(
    tx: Tx,
    organisationId: string,
    ids: string[],
    cutoff: Date,
    now: Date,
  ): Promise<number> {
    const rows = await queryReturning(tx.manager, deleteIdempotencyRecords, {
      organisationId,
      ids,
      cutoff,
      now,
    });
    return rows.length;
  }

  endedSessions(tx: Tx, organisationId: string, cutoff: Date): Promise<DueRow[]> {
    return query(tx.manager, endedSessions, { organisationId, cutoff });
  }

  async deleteSessions(
    tx: Tx,
    organisationId: string,
    ids: string[],
    cutoff: Date,
  ): Promise<number> {
    return (await queryReturning(tx.manager, deleteSessions, { organisationId, ids, cutoff }))
      .length;
  }

  idleThrottleRows(tx: Tx, cutoff: Date, now: Date, lockAfter: number): Promise<DueRow[]> {
    return query(tx.manager, idleThrottleRows, { cutoff, now, lockAfter });
  }

  async deleteThrottleRows(
    tx: Tx,
    keys: string[],
    cutoff: Date,
    now: Date,
    lockAfter: number,
  ): Promise<number> {
    return (await queryReturning(tx.manager, deleteThrottleRows, { keys, cutoff, now, lockAfter }))
      .length;
  }
}
