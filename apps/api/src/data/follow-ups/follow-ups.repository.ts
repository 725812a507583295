import { Injectable } from '@nestjs/common';
import { AWAITING_PARTNER_STATUSES, CASE_ROLES } from '@harbour/domain';
import type { Tx } from '../../infra/database/transaction';
import { sqlList } from '../../infra/database/sql-list';
import { query, queryReturning, statement } from '../sql';

/** A follow-up as read back: the row, its person's code and whether they were erased. */
export interface FollowUpRow {
  id: string;
  person_id: string | null;
  person_code: string | null;
  person_erased: boolean;
  need_id: string | null;
  referral_id: string | null;
  source: string;
  text: Buffer | null;
  due_on: string;
  assigned_to: string;
  assigned_to_name: string | null;
  status: string;
  snoozed_count: number;
  completed_at: Date | null;
  completed_by: string | null;
  created_by: string;
  created_at: Date;
  version: number;
}

export interface NewFollowUp {
  organisationId: string;
  id: string;
  personId: string;
  needId: string | null;
  referralId: string | null;
  text: Buffer;
  dueOn: string;
  assignedTo: string;
  createdBy: string;
  now: Date;
}

/** A referral on the caseworker's day. */
export interface DayReferralRow {
  id: string;
  person_id: string | null;
  person_code: string | null;
  partner_name: string;
  status: string;
  since: Date;
  created_at: Date;
}

const AWAITING = sqlList(AWAITING_PARTNER_STATUSES);

const SELECT_VIEW = `SELECT f.id, f.person_id, p.code AS person_code,
       coalesce(p.erased_at IS NOT NULL, false) AS person_erased, f.need_id, f.referral_id,
       f.source, f.text, f.due_on::text AS due_on, f.assigned_to, s.display_name AS assigned_to_name,
       f.status, f.snoozed_count, f.completed_at, f.completed_by, f.created_by, f.created_at,
       f.version
  FROM follow_up f
  LEFT JOIN person p ON p.organisation_id = f.organisation_id AND p.id = f.person_id
  LEFT JOIN staff_user s ON s.organisation_id = f.organisation_id AND s.id = f.assigned_to`;

const personOf = statement<
  { organisationId: string; personId: string },
  { code: string; erased: boolean }
>(
  'followUps.person',
  `SELECT code, erased_at IS NOT NULL AS erased FROM person
  WHERE organisation_id = :organisationId AND id = :personId
    FOR KEY SHARE`,
);

const needPerson = statement<
  { organisationId: string; needId: string },
  { person_id: string | null }
>(
  'followUps.needPerson',
  `SELECT person_id FROM support_need WHERE organisation_id = :organisationId AND id = :needId`,
);

const referralPerson = statement<
  { organisationId: string; referralId: string },
  { person_id: string | null }
>(
  'followUps.referralPerson',
  `SELECT person_id FROM referral WHERE organisation_id = :organisationId AND id = :referralId`,
);

const eligibleAssignee = statement<{ organisationId: string; userId: string }, { id: string }>(
  'followUps.eligibleAssignee',
  `SELECT id FROM staff_user
  WHERE organisation_id = :organisationId AND id = :userId AND status = 'active'
    AND roles && ARRAY[${sqlList(CASE_ROLES)}]::text[]`,
);

const setDueOn = statement<{ organisationId: string; id: string; dueOn: string }, { id: string }>(
  'followUps.setDueOn',
  `UPDATE follow_up SET due_on = :dueOn::date
  WHERE organisation_id = :organisationId AND id = :id RETURNING id`,
);

const assignees = statement<{ organisationId: string }, { id: string; display_name: string }>(
  'followUps.assignees',
  `SELECT id, display_name FROM staff_user
  WHERE organisation_id = :organisationId AND status = 'active'
    AND roles && ARRAY[${sqlList(CASE_ROLES)}]::text[]
  ORDER BY display_name, id`,
);

const insert = statement<NewFollowUp, { id: string }>(
  'followUps.insert',
  `INSERT INTO follow_up (organisation_id, id, person_id, need_id, referral_id, source, text,
    due_on, assigned_to, status, created_by, created_at, updated_at)
  VALUES (:organisationId, :id, :personId, :needId, :referralId, 'manual', :text,
    :dueOn::date, :assignedTo, 'open', :createdBy, :now, :now)
  RETURNING id`,
);

const byId = statement<{ organisationId: string; id: string }, FollowUpRow>(
  'followUps.byId',
  `${SELECT_VIEW}
  WHERE f.organisation_id = :organisationId AND f.id = :id`,
);

const lock = statement<
  { organisationId: string; id: string },
  { status: string; version: number; due_on: string }
>(
  'followUps.lock',
  `SELECT status, version, due_on::text AS due_on FROM follow_up
  WHERE organisation_id = :organisationId AND id = :id FOR UPDATE`,
);

const list = statement<
  {
    organisationId: string;
    assignedTo: string | null;
    personId: string | null;
    status: string | null;
    dueBefore: string | null;
  },
  FollowUpRow
>(
  'followUps.list',
  `${SELECT_VIEW}
  WHERE f.organisation_id = :organisationId
    AND (:assignedTo::uuid IS NULL OR f.assigned_to = :assignedTo::uuid)
    AND (:personId::uuid IS NULL OR f.person_id = :personId::uuid)
    AND (:status::text IS NULL OR f.status = :status::text)
    AND (:dueBefore::date IS NULL OR f.due_on <= :dueBefore::date)
  ORDER BY f.status = 'open' DESC, f.due_on, f.id
  LIMIT 200`,
);

const update = statement<
  {
    organisationId: string;
    id: string;
    version: number;
    status: string;
    dueOn: string;
    assignedTo: string;
    snoozed: number;
    closedBy: string | null;
    now: Date;
  },
  { id: string }
>(
  'followUps.update',
  `UPDATE follow_up SET status = :status, due_on = :dueOn::date, assigned_to = :assignedTo,
    snoozed_count = snoozed_count + :snoozed::int,
    completed_at = CASE WHEN :status = 'open' THEN NULL ELSE :now::timestamptz END,
    completed_by = CASE WHEN :status = 'open' THEN NULL ELSE :closedBy::uuid END,
    updated_at = :now, version = version + 1
  WHERE organisation_id = :organisationId AND id = :id AND version = :version
  RETURNING id`,
);

const dueFor = statement<
  { organisationId: string; userId: string; today: string; upcoming: number },
  FollowUpRow
>(
  'followUps.dueFor',
  `(${SELECT_VIEW}
  WHERE f.organisation_id = :organisationId AND f.assigned_to = :userId AND f.status = 'open'
    AND f.due_on <= :today::date
  ORDER BY f.due_on, f.id LIMIT 200)
  UNION ALL
  (${SELECT_VIEW}
  WHERE f.organisation_id = :organisationId AND f.assigned_to = :userId AND f.status = 'open'
    AND f.due_on > :today::date
  ORDER BY f.due_on, f.id LIMIT :upcoming)`,
);

/** When a referral's status last changed: its newest event (or its creation). */
const QUIET_SINCE = `coalesce((SELECT max(e.at) FROM referral_event e
      WHERE e.organisation_id = r.organisation_id AND e.referral_id = r.id), r.created_at)`;

const DAY_REFERRAL = `SELECT r.id, r.person_id, p.code AS person_code, pa.name AS partner_name,
       r.status, ${QUIET_SINCE} AS since, r.created_at
  FROM referral r
  JOIN partner pa ON pa.organisation_id = r.organisation_id AND pa.id = r.partner_id
  LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = r.person_id`;

const staleReferralsOf = statement<
  { organisationId: string; userId: string; quietBefore: Date },
  DayReferralRow
>(
  'followUps.staleReferralsOf',
  `SELECT * FROM (${DAY_REFERRAL}
  WHERE r.organisation_id = :organisationId AND r.created_by = :userId
    AND r.status IN (${AWAITING})) d
  WHERE d.since < :quietBefore
  ORDER BY d.since, d.id LIMIT 100`,
);

const draftsOf = statement<{ organisationId: string; userId: string }, DayReferralRow>(
  'followUps.draftsOf',
  `${DAY_REFERRAL}
  WHERE r.organisation_id = :organisationId AND r.created_by = :userId AND r.status = 'draft'
  ORDER BY r.created_at DESC, r.id LIMIT 50`,
);

const recentlySeen = statement<
  { organisationId: string; userId: string; since: string },
  { person_id: string; person_code: string; last_seen_on: string }
>(
  'followUps.recentlySeen',
  `SELECT c.person_id, p.code AS person_code, max(c.occurred_on)::text AS last_seen_on
  FROM contact c
  JOIN person p ON p.organisation_id = c.organisation_id AND p.id = c.person_id
  WHERE c.organisation_id = :organisationId AND c.caseworker_id = :userId
    AND c.occurred_on >= :since::date AND p.erased_at IS NULL
  GROUP BY c.person_id, p.code
  ORDER BY max(c.occurred_on) DESC, p.code LIMIT 50`,
);

const counts = statement<
  { organisationId: string; userId: string; today: string; quietBefore: Date | null },
  { follow_ups_due: number; stale_referrals: number }
>(
  'followUps.counts',
  `SELECT (SELECT count(*) FROM follow_up f
            WHERE f.organisation_id = :organisationId AND f.assigned_to = :userId
              AND f.status = 'open' AND f.due_on <= :today::date)::int AS follow_ups_due,
          (SELECT count(*) FROM referral r
            WHERE r.organisation_id = :organisationId AND r.created_by = :userId
              AND r.status IN (${AWAITING}) AND :quietBefore::timestamptz IS NOT NULL
              AND ${QUIET_SINCE} < :quietBefore::timestamptz)::int AS stale_referrals`,
);

const staleReferralDays = statement<{ organisationId: string }, { days: number | null }>(
  'followUps.staleReferralDays',
  `SELECT stale_referral_days AS days FROM organisation WHERE id = :organisationId`,
);

const staleOrganisations = statement<Record<string, never>, { organisation_id: string }>(
  'followUps.staleOrganisations',
  `SELECT organisation_id FROM stale_referral_organisations()`,
);

/**
 * Referrals waiting on their partner that have been quiet for the organisation's threshold:
 * no status change, and no automatic follow-up closed, since `quietBefore`; and none open. Not
 * those of an erased person: nobody is to be followed up who asked to be forgotten (their
 * erasure cancelled the open ones).
 */
const quietReferrals = statement<
  { organisationId: string; quietBefore: Date },
  { id: string; person_id: string | null; need_id: string; assignee: string }
>(
  'followUps.quietReferrals',
  `SELECT r.id, r.person_id, r.need_id,
          coalesce((SELECT k.staff_id FROM person_key_worker k
                      JOIN staff_user s ON s.organisation_id = k.organisation_id AND s.id = k.staff_id
                     WHERE k.organisation_id = r.organisation_id AND k.person_id = r.person_id
                       AND s.status = 'active'
                       AND s.roles && ARRAY['caseworker', 'coordinator']::text[]
                     ORDER BY k.assigned_at, k.staff_id LIMIT 1),
                   r.created_by) AS assignee
     FROM referral r
  WHERE r.organisation_id = :organisationId AND r.status IN (${AWAITING})
    AND ${QUIET_SINCE} < :quietBefore
    AND NOT EXISTS (SELECT 1 FROM person p
      WHERE p.organisation_id = r.organisation_id AND p.id = r.person_id
        AND p.erased_at IS NOT NULL)
    AND NOT EXISTS (SELECT 1 FROM follow_up f
      WHERE f.organisation_id = r.organisation_id AND f.referral_id = r.id
        AND f.source = 'stale_referral'
        AND (f.status = 'open' OR f.completed_at >= :quietBefore))
  ORDER BY r.id LIMIT 1000`,
);

const insertAutomatic = statement<
  {
    organisationId: string;
    ids: string[];
    referralIds: string[];
    personIds: (string | null)[];
    needIds: string[];
    assignees: string[];
    dueOn: string;
    now: Date;
  },
  { id: string }
>(
  'followUps.insertAutomatic',
  `INSERT INTO follow_up (organisation_id, id, person_id, need_id, referral_id, source, text,
    due_on, assigned_to, status, created_by, created_at, updated_at)
  SELECT :organisationId, v.id, v.person_id, v.need_id, v.referral_id, 'stale_referral', NULL,
    :dueOn::date, v.assignee, 'open', v.assignee, :now, :now
  FROM unnest(:ids::uuid[], :personIds::uuid[], :needIds::uuid[], :referralIds::uuid[],
    :assignees::uuid[]) AS v(id, person_id, need_id, referral_id, assignee)
  ON CONFLICT (organisation_id, referral_id) WHERE source = 'stale_referral' AND status = 'open'
  DO NOTHING
  RETURNING id`,
);

/** Follow-ups: manual ones, automatic ones for quiet referrals, and the caseworker's day. */
@Injectable()
export class FollowUpsRepository {
  async person(
    tx: Tx,
    organisationId: string,
    personId: string,
  ): Promise<{ code: string; erased: boolean } | undefined> {
    const [row] = await query(tx.manager, personOf, { organisationId, personId });
    return row;
  }

  /** The person of a need (undefined: no such need here; null: an anonymous contact's). */
  async needPerson(tx: Tx, organisationId: string, needId: string) {
    const [row] = await query(tx.manager, needPerson, { organisationId, needId });
    return row === undefined ? undefined : row.person_id;
  }

  async referralPerson(tx: Tx, organisationId: string, referralId: string) {
    const [row] = await query(tx.manager, referralPerson, { organisationId, referralId });
    return row === undefined ? undefined : row.person_id;
  }

  /** Whether the user is an active staff member of the organisation with a case role. */
  async eligibleAssignee(tx: Tx, organisationId: string, userId: string): Promise<boolean> {
    return (await query(tx.manager, eligibleAssignee, { organisationId, userId })).length > 0;
  }

  /**
   * Moves a follow-up's due date without the rules of a snooze (no count, any date): for demo
   * data written as if made days ago. No route reaches it.
   */
  async setDueOn(tx: Tx, organisationId: string, id: string, dueOn: string): Promise<void> {
    await queryReturning(tx.manager, setDueOn, { organisationId, id, dueOn });
  }

  /** Everyone a follow-up may be assigned to. */
  assignees(tx: Tx, organisationId: string) {
    return query(tx.manager, assignees, { organisationId });
  }

  async insert(tx: Tx, row: NewFollowUp): Promise<void> {
    await query(tx.manager, insert, row);
  }

  async find(tx: Tx, organisationId: string, id: string): Promise<FollowUpRow | undefined> {
    const [row] = await query(tx.manager, byId, { organisationId, id });
    return row;
  }

  async lock(tx: Tx, organisationId: string, id: string) {
    const [row] = await query(tx.manager, lock, { organisationId, id });
    return row;
  }

  list(
    tx: Tx,
    organisationId: string,
    filter: {
      assignedTo: string | null;
      personId: string | null;
      status: string | null;
      dueBefore: string | null;
    },
  ): Promise<FollowUpRow[]> {
    return query(tx.manager, list, { organisationId, ...filter });
  }

  /** Writes the new state if the version still matches; whether it did. */
  async update(
    tx: Tx,
    organisationId: string,
    id: string,
    version: number,
    next: { status: string; dueOn: string; assignedTo: string; snoozed: number },
    closedBy: string | null,
    now: Date,
  ): Promise<boolean> {
    const rows = await queryReturning(tx.manager, update, {
      organisationId,
      id,
      version,
      ...next,
      closedBy,
      now,
    });
    return rows.length > 0;
  }

  /** Open follow-ups of the user due by `today`, then the next `upcoming` after it. */
  dueFor(tx: Tx, organisationId: string, userId: string, today: string, upcoming: number) {
    return query(tx.manager, dueFor, { organisationId, userId, today, upcoming });
  }

  staleReferralsOf(tx: Tx, organisationId: string, userId: string, quietBefore: Date) {
    return query(tx.manager, staleReferralsOf, { organisationId, userId, quietBefore });
  }

  draftsOf(tx: Tx, organisationId: string, userId: string) {
    return query(tx.manager, draftsOf, { organisationId, userId });
  }

  recentlySeen(tx: Tx, organisationId: string, userId: string, since: string) {
    return query(tx.manager, recentlySeen, { organisationId, userId, since });
  }

  async counts(
    tx: Tx,
    organisationId: string,
    userId: string,
    today: string,
    quietBefore: Date | null,
  ): Promise<{ followUpsDue: number; staleReferrals: number }> {
    const [row] = await query(tx.manager, counts, { organisationId, userId, today, quietBefore });
    return { followUpsDue: row!.follow_ups_due, staleReferrals: row!.stale_referrals };
  }

  async staleReferralDays(tx: Tx, organisationId: string): Promise<number | null> {
    const [row] = await query(tx.manager, staleReferralDays, { organisationId });
    return row?.days ?? null;
  }

  /** Organisations with automatic follow-ups on (outside any tenant; ids only). */
  async staleOrganisations(tx: Tx): Promise<string[]> {
    return (await query(tx.manager, staleOrganisations, {})).map((r) => r.organisation_id);
  }

  quietReferrals(tx: Tx, organisationId: string, quietBefore: Date) {
    return query(tx.manager, quietReferrals, { organisationId, quietBefore });
  }

  /** One open automatic follow-up per referral given (none where one is open already). */
  async insertAutomatic(
    tx: Tx,
    organisationId: string,
    rows: readonly {
      id: string;
      referralId: string;
      personId: string | null;
      needId: string;
      assignedTo: string;
    }[],
    dueOn: string,
    now: Date,
  ): Promise<number> {
    if (rows.length === 0) return 0;
    const made = await query(tx.manager, insertAutomatic, {
      organisationId,
      ids: rows.map((r) => r.id),
      referralIds: rows.map((r) => r.referralId),
      personIds: rows.map((r) => r.personId),
      needIds: rows.map((r) => r.needId),
      assignees: rows.map((r) => r.assignedTo),
      dueOn,
      now,
    });
    return made.length;
  }
}
