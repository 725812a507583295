import { Injectable } from '@nestjs/common';
import type { AnomalyKind } from '@harbour/domain';
import type { Tx } from '../../infra/database/transaction';
import { query, statement } from '../sql';

/** An access event as auditors page through it, with the actor's display name. */
export interface EventListRow {
  seq: string;
  occurred_at: Date;
  actor_id: string | null;
  actor_name: string | null;
  actor_roles: string[];
  action: string;
  resource_type: string | null;
  resource_ids: string[];
  fields: string[];
  purpose: string | null;
  outcome: string;
  request_id: string;
}

/** The auditor's filters; null for "any". */
export interface EventFilter {
  actor: string | null;
  action: string | null;
  resource: string | null;
  outcome: string | null;
  from: Date | null;
  to: Date | null;
  before: number | null;
  limit: number;
}

/** One flag as its query finds it (one query per kind of flag). */
export interface FlagRow {
  kind: AnomalyKind;
  actor_id: string | null;
  /** Start of its window: the hour, or the UTC day. */
  window: Date;
  subject: string | null;
  count: number;
  first_seq: string;
  last_seq: string;
  from: Date;
  to: Date;
}

/** How far back the flags look: the last 30 days of the log. */
export const FLAG_DAYS = 30;

/** Every flag query reads `e`: the events of the last 30 days of the log. */
const RECENT = `WITH e AS (
  SELECT seq, occurred_at, actor_id, action, outcome, resource_ids, fields FROM access_event
   WHERE occurred_at > (SELECT max(occurred_at) FROM access_event) - interval '${FLAG_DAYS} days')`;

/** The columns every flag query selects, after its own `kind`. */
const FLAG_COLUMNS = `min(seq) AS first_seq, max(seq) AS last_seq,
       min(occurred_at) AS "from", max(occurred_at) AS "to"`;
const HOUR = `date_trunc('hour', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;
const DAY = `date_trunc('day', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;

const events = statement<EventFilter, EventListRow>(
  'audit.events',
  `SELECT e.seq, e.occurred_at, e.actor_id, u.display_name AS actor_name, e.actor_roles, e.action,
       e.resource_type, e.resource_ids, e.fields, e.purpose, e.outcome, e.request_id
  FROM access_event e
  LEFT JOIN staff_user u ON u.organisation_id = e.organisation_id AND u.id = e.actor_id
 WHERE (:actor::uuid IS NULL OR e.actor_id = :actor::uuid)
   AND (:action::text IS NULL OR e.action = :action::text)
   AND (:resource::text IS NULL OR :resource::text = ANY (e.resource_ids))
   AND (:outcome::text IS NULL OR e.outcome = :outcome::text)
   AND (:from::timestamptz IS NULL OR e.occurred_at >= :from::timestamptz)
   AND (:to::timestamptz IS NULL OR e.occurred_at <= :to::timestamptz)
   AND (:before::bigint IS NULL OR e.seq < :before::bigint)
 ORDER BY e.seq DESC
 LIMIT :limit`,
);

const manyReveals = statement<{ actions: string[]; threshold: number }, FlagRow>(
  'audit.flagManyReveals',
  `${RECENT}
SELECT 'many_reveals' AS kind, actor_id, ${HOUR} AS "window", NULL AS subject,
       count(*)::int AS count, ${FLAG_COLUMNS}
  FROM e WHERE action = ANY(:actions::text[]) AND outcome = 'success'
 GROUP BY actor_id, 3 HAVING count(*) > :threshold`,
);

const separationOfDuties = statement<Record<string, never>, FlagRow>(
  'audit.flagSeparationOfDuties',
  `${RECENT}
SELECT CASE
         WHEN action = 'staff.own_roles_refused' THEN 'own_role_change'
         WHEN action = 'staff.change_approved' THEN 'staff_change_approved'
         WHEN fields && ARRAY['change:create_account', 'change:grant_roles'] THEN 'guarded_role_grant'
         ELSE 'guarded_account_reset'
       END AS kind, actor_id, ${HOUR} AS "window", seq::text AS subject,
       1 AS count, seq AS first_seq, seq AS last_seq, occurred_at AS "from", occurred_at AS "to"
  FROM e
 WHERE action = 'staff.own_roles_refused'
    OR (action = 'staff.change_approved' AND outcome = 'success')
    OR (action = 'staff.change_requested' AND outcome = 'success'
        AND fields && ARRAY['change:create_account', 'change:grant_roles',
                            'change:reset_password', 'change:reset_mfa'])`,
);

const repeatedDenials = statement<{ threshold: number }, FlagRow>(
  'audit.flagRepeatedDenials',
  `${RECENT}
SELECT 'repeated_denials' AS kind, actor_id, ${HOUR} AS "window", NULL AS subject,
       count(*)::int AS count, ${FLAG_COLUMNS}
  FROM e WHERE outcome = 'denied' AND actor_id IS NOT NULL
 GROUP BY actor_id, 3 HAVING count(*) >= :threshold`,
);

const idSweep = statement<{ threshold: number }, FlagRow>(
  'audit.flagIdSweep',
  `${RECENT}
SELECT 'id_sweep' AS kind, actor_id, ${HOUR} AS "window", NULL AS subject,
       count(DISTINCT r)::int AS count, ${FLAG_COLUMNS}
  FROM e, unnest(resource_ids) AS r
 WHERE outcome IN ('failure', 'denied') AND actor_id IS NOT NULL
 GROUP BY actor_id, 3 HAVING count(DISTINCT r) >= :threshold`,
);

const offHours = statement<{ actions: string[]; start: number; end: number }, FlagRow>(
  'audit.flagOffHours',
  `${RECENT}
SELECT 'off_hours' AS kind, actor_id, ${DAY} AS "window", NULL AS subject,
       count(*)::int AS count, ${FLAG_COLUMNS}
  FROM e WHERE actor_id IS NOT NULL AND outcome = 'success' AND action = ANY(:actions::text[])
   AND (extract(hour FROM occurred_at AT TIME ZONE 'UTC') < :start
        OR extract(hour FROM occurred_at AT TIME ZONE 'UTC') >= :end)
 GROUP BY actor_id, 3`,
);

const canaryAccess = statement<
  { personIds: string[]; codes: string[]; actions: string[] },
  FlagRow
>(
  'audit.flagCanaryAccess',
  `${RECENT}
SELECT 'canary_access' AS kind, actor_id, ${DAY} AS "window", k.code AS subject,
       count(DISTINCT seq)::int AS count, ${FLAG_COLUMNS}
  FROM e, unnest(resource_ids) AS r
  JOIN unnest(:personIds::text[], :codes::text[]) AS k(person_id, code) ON r IN (k.person_id, k.code)
 WHERE action = ANY(:actions::text[])
 GROUP BY actor_id, 3, k.code`,
);

const actorNames = statement<{ ids: string[] }, { id: string; display_name: string }>(
  'audit.actorNames',
  `SELECT id, display_name FROM staff_user WHERE id = ANY(:ids::uuid[])`,
);

const reviews = statement<
  { action: string },
  { id: string; seq: string; at: Date; by: string | null }
>(
  'audit.flagReviews',
  `SELECT DISTINCT ON (r) r AS id, e.seq, e.occurred_at AS at, u.display_name AS by
  FROM access_event e CROSS JOIN unnest(e.resource_ids) AS r
  LEFT JOIN staff_user u ON u.organisation_id = e.organisation_id AND u.id = e.actor_id
 WHERE e.action = :action AND e.outcome = 'success'
 ORDER BY r, e.seq DESC`,
);

/**
 * What auditors read of the access log: filtered pages of events, and one query per kind of
 * anomaly flag over the last 30 days (the actions and thresholds a flag looks at are the
 * service's, passed in).
 */
@Injectable()
export class AuditReadQueries {
  events(tx: Tx, filter: EventFilter): Promise<EventListRow[]> {
    return query(tx.manager, events, filter);
  }

  manyReveals(tx: Tx, actions: readonly string[], threshold: number): Promise<FlagRow[]> {
    return query(tx.manager, manyReveals, { actions: [...actions], threshold });
  }

  separationOfDuties(tx: Tx): Promise<FlagRow[]> {
    return query(tx.manager, separationOfDuties, {});
  }

  repeatedDenials(tx: Tx, threshold: number): Promise<FlagRow[]> {
    return query(tx.manager, repeatedDenials, { threshold });
  }

  idSweep(tx: Tx, threshold: number): Promise<FlagRow[]> {
    return query(tx.manager, idSweep, { threshold });
  }

  offHours(tx: Tx, actions: readonly string[], start: number, end: number): Promise<FlagRow[]> {
    return query(tx.manager, offHours, { actions: [...actions], start, end });
  }

  canaryAccess(
    tx: Tx,
    people: readonly { personId: string; code: string }[],
    actions: readonly string[],
  ): Promise<FlagRow[]> {
    return query(tx.manager, canaryAccess, {
      personIds: people.map((p) => p.personId),
      codes: people.map((p) => p.code),
      actions: [...actions],
    });
  }

  async actorNames(tx: Tx, ids: readonly string[]): Promise<Map<string, string>> {
    const rows = await query(tx.manager, actorNames, { ids: [...ids] });
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  /** The latest review of each flag id: when, by whom, at which position of the log. */
  async reviews(
    tx: Tx,
    action: string,
  ): Promise<Map<string, { seq: number; at: Date; by: string | null }>> {
    const rows = await query(tx.manager, reviews, { action });
    return new Map(rows.map((r) => [r.id, { seq: Number(r.seq), at: new Date(r.at), by: r.by }]));
  }
}
