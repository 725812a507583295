import { csvCell } from '../../infra/http/csv';
import { Inject, Injectable } from '@nestjs/common';
import {
  ANOMALY_KINDS,
  auditPurposeOf,
  isRole,
  type AnomalyKind,
  type AccessEventPage,
  type AccessEventQuery,
  type AccessEventView,
  type AuditAction,
  type AuditAnomaly,
  type AuditOutcome,
} from '@harbour/domain';
import type { HarbourConfig } from '../../infra/config/config';
import { HARBOUR_CONFIG } from '../../infra/config/config.module';
import { noteAudit } from '../../infra/audit/audit-notes';
import { Db, type Tx } from '../../infra/database/transaction';
import { NotFoundError } from '../../infra/http/domain-error';
import { CanaryRegistry } from '../../core/canaries/canary-registry';

interface EventRow {
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

/** Thresholds of the anomaly flags (computed on request; never stored as truth). */
export const ANOMALY_THRESHOLDS = {
  /** More than this many reveals by one person in an hour. */
  revealsPerHour: 20,
  /** At least this many refused requests by one signed-in person in an hour. */
  denialsPerHour: 5,
  /** At least this many different records refused or missing for one person in an hour. */
  distinctMissesPerHour: 10,
} as const;

/** How far back flags are looked for: the last 30 days of the log. */
const FLAG_DAYS = 30;

/**
 * The actions each flag looks at, named from the one list in `@harbour/domain` (`satisfies`
 * makes a renamed or removed action fail the type check here, never silently match nothing).
 */
export const REVEAL_ACTIONS = [
  'person.identity_revealed',
] as const satisfies readonly AuditAction[];

/** Opening case records: what counts as access out of hours. */
export const RECORD_ACCESS_ACTIONS = [
  'person.viewed',
  'person.identity_revealed',
  'person.looked_up',
  'person.updated',
  'contact.viewed',
  'contact.listed',
  'consent.listed',
  'referral.listed',
  'report.viewed',
  'report.exported',
  'audit.events_exported',
] as const satisfies readonly AuditAction[];

/**
 * What trips a canary: any request that names a decoy person (a lookup that finds one, its
 * page and the reads the page makes, a reveal, a change, an erasure), whatever its outcome.
 * Lists (contacts, referrals) are not here: showing a decoy among others is not opening it.
 */
export const CANARY_TRIPWIRE_ACTIONS = [
  'person.looked_up',
  'person.viewed',
  'person.identity_revealed',
  'person.updated',
  'person.erased',
  'consent.listed',
  'consent.recorded',
  'consent.revoked',
  'contact.viewed',
  'contact.created',
  'need.created',
  'referral.created',
] as const satisfies readonly AuditAction[];

/** An anomaly review is itself an access event naming the flag's id. */
const REVIEW_ACTION = 'audit.anomaly_reviewed' satisfies AuditAction;

/** One flag as its query finds it (one query per kind of flag). */
interface FlagRow {
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

/** The columns every flag query selects, after its own `kind`. */
const FLAG_COLUMNS = `min(seq) AS first_seq, max(seq) AS last_seq,
                      min(occurred_at) AS "from", max(occurred_at) AS "to"`;
const HOUR = `date_trunc('hour', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;
const DAY = `date_trunc('day', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC'`;

/** Reading the access log for auditors: filters, pages, CSV, anomaly flags. */
@Injectable()
export class AuditQueries {
  constructor(
    private readonly db: Db,
    private readonly canaries: CanaryRegistry,
    @Inject(HARBOUR_CONFIG) private readonly config: HarbourConfig,
  ) {}

  async events(query: AccessEventQuery): Promise<AccessEventPage> {
    const limit = query.limit ?? 50;
    const rows = await this.select(query, limit + 1);
    const events = rows.slice(0, limit).map(toView);
    return { events, nextBefore: rows.length > limit ? (events.at(-1)?.seq ?? null) : null };
  }

  /** Every matching event as CSV (RFC 4180), newest first; cells are guarded against formula injection. */
  async csv(query: AccessEventQuery): Promise<string> {
    const rows = await this.select({ ...query, before: undefined }, 100_000);
    const header = [
      'seq',
      'occurred_at',
      'actor_id',
      'actor_name',
      'actor_roles',
      'action',
      'resource_type',
      'resource_ids',
      'fields',
      'purpose',
      'outcome',
      'request_id',
    ];
    const lines = [header.join(',')];
    for (const row of rows) {
      lines.push(
        [
          row.seq,
          new Date(row.occurred_at).toISOString(),
          row.actor_id ?? '',
          row.actor_name ?? '',
          row.actor_roles.join(' '),
          row.action,
          row.resource_type ?? '',
          row.resource_ids.join(' '),
          row.fields.join(' '),
          auditPurposeOf(row.purpose) ?? '',
          row.outcome,
          row.request_id,
        ]
          .map(csvCell)
          .join(','),
      );
    }
    return `${lines.join('\r\n')}\r\n`;
  }

  /**
   * The flags of the last 30 days of the log, open ones first (most serious kind first, then
   * newest). Each kind is one query (`manyReveals`, `repeatedDenials`, …); a flag is open until
   * an auditor reviews it, and open again if it grows after that.
   */
  async anomalies(): Promise<AuditAnomaly[]> {
    const tx = this.db.current();
    // One kind after another: they share the request's one connection. Another flag is one
    // more function here and one more line in this list.
    const flags: FlagRow[] = [
      ...(await this.canaryAccess(tx)),
      ...(await this.manyReveals(tx)),
      ...(await this.idSweep(tx)),
      ...(await this.repeatedDenials(tx)),
      ...(await this.offHours(tx)),
      ...(await this.separationOfDuties(tx)),
    ];
    if (flags.length === 0) return [];
    const names = await this.actorNames(tx, flags);
    const reviews = await this.reviews(tx);
    const anomalies = flags.map((row): AuditAnomaly => {
      const id = anomalyId(row);
      const review = reviews.get(id);
      const reviewed = review !== undefined && review.seq > Number(row.last_seq);
      return {
        id,
        kind: row.kind,
        actorId: row.actor_id,
        actorName: row.actor_id === null ? null : (names.get(row.actor_id) ?? null),
        subject: row.subject,
        count: row.count,
        firstSeq: Number(row.first_seq),
        lastSeq: Number(row.last_seq),
        from: new Date(row.from).toISOString(),
        to: new Date(row.to).toISOString(),
        status: reviewed ? 'reviewed' : 'open',
        reviewedAt: reviewed ? review.at.toISOString() : null,
        reviewedBy: reviewed ? review.by : null,
      };
    });
    return anomalies.sort(anomalyOrder).slice(0, 500);
  }

  /**
   * Marks a flag reviewed: the route's own access event (`audit.anomaly_reviewed`, naming the
   * flag's id) is the review, as tamper-evident as the rest of the log. Only a flag that exists
   * now can be reviewed.
   */
  async review(id: string): Promise<void> {
    const flags = await this.anomalies();
    if (!flags.some((f) => f.id === id)) throw new NotFoundError();
    noteAudit({ resourceIds: [id] });
  }

  // ---- one function per flag ------------------------------------------------------------------

  /** Many identities revealed by one person within an hour. */
  private manyReveals(tx: Tx): Promise<FlagRow[]> {
    return this.flagQuery(
      tx,
      `SELECT 'many_reveals' AS kind, actor_id, ${HOUR} AS "window", NULL AS subject,
              count(*)::int AS count, ${FLAG_COLUMNS}
         FROM e WHERE action = ANY($1::text[]) AND outcome = 'success'
        GROUP BY actor_id, 3 HAVING count(*) > $2`,
      [[...REVEAL_ACTIONS], ANOMALY_THRESHOLDS.revealsPerHour],
    );
  }

  /**
   * Separation of duties (docs/security.md T26, ADR 0008): one flag per event — an admin tried to
   * change their own roles; a guarded role (caseworker, coordinator, admin) was requested for an
   * account, new or not; a guarded account's password or MFA reset was requested; a second
   * admin approved a staff change. Each is a path by which an admin could reach case content, so
   * an auditor sees every one, even when it was refused or is legitimate.
   */
  private separationOfDuties(tx: Tx): Promise<FlagRow[]> {
    return this.flagQuery(
      tx,
      `SELECT CASE
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
      [],
    );
  }

  /** One signed-in person refused again and again within an hour (probing for access). */
  private repeatedDenials(tx: Tx): Promise<FlagRow[]> {
    return this.flagQuery(
      tx,
      `SELECT 'repeated_denials' AS kind, actor_id, ${HOUR} AS "window", NULL AS subject,
              count(*)::int AS count, ${FLAG_COLUMNS}
         FROM e WHERE outcome = 'denied' AND actor_id IS NOT NULL
        GROUP BY actor_id, 3 HAVING count(*) >= $1`,
      [ANOMALY_THRESHOLDS.denialsPerHour],
    );
  }

  /** Many different records refused or not found for one person within an hour (an id sweep). */
  private idSweep(tx: Tx): Promise<FlagRow[]> {
    return this.flagQuery(
      tx,
      `SELECT 'id_sweep' AS kind, actor_id, ${HOUR} AS "window", NULL AS subject,
              count(DISTINCT r)::int AS count, ${FLAG_COLUMNS}
         FROM e, unnest(resource_ids) AS r
        WHERE outcome IN ('failure', 'denied') AND actor_id IS NOT NULL
        GROUP BY actor_id, 3 HAVING count(DISTINCT r) >= $1`,
      [ANOMALY_THRESHOLDS.distinctMissesPerHour],
    );
  }

  /** Case records opened outside working hours (UTC, `HARBOUR_AUDIT_WORKING_HOURS`). */
  private offHours(tx: Tx): Promise<FlagRow[]> {
    const [start, end] = this.config.audit.workingHours;
    return this.flagQuery(
      tx,
      `SELECT 'off_hours' AS kind, actor_id, ${DAY} AS "window", NULL AS subject,
              count(*)::int AS count, ${FLAG_COLUMNS}
         FROM e WHERE actor_id IS NOT NULL AND outcome = 'success' AND action = ANY($1::text[])
          AND (extract(hour FROM occurred_at AT TIME ZONE 'UTC') < $2
               OR extract(hour FROM occurred_at AT TIME ZONE 'UTC') >= $3)
        GROUP BY actor_id, 3`,
      [[...RECORD_ACCESS_ACTIONS], start, end],
    );
  }

  /**
   * Any request naming a canary person (by id or code), per person, decoy and UTC day: raised
   * by the request's own event, so it is there as soon as the request has been answered.
   */
  private async canaryAccess(tx: Tx): Promise<FlagRow[]> {
    const organisationId = tx.organisationId;
    if (organisationId === null) return [];
    const people = await this.canaries.people(tx, organisationId);
    if (people.length === 0) return [];
    return this.flagQuery(
      tx,
      `SELECT 'canary_access' AS kind, actor_id, ${DAY} AS "window", k.code AS subject,
              count(DISTINCT seq)::int AS count, ${FLAG_COLUMNS}
         FROM e, unnest(resource_ids) AS r
         JOIN unnest($1::text[], $2::text[]) AS k(person_id, code) ON r IN (k.person_id, k.code)
        WHERE action = ANY($3::text[])
        GROUP BY actor_id, 3, k.code`,
      [people.map((p) => p.personId), people.map((p) => p.code), [...CANARY_TRIPWIRE_ACTIONS]],
    );
  }

  /** Runs a flag's query over `e`, the events of the last 30 days of the log. */
  private flagQuery(tx: Tx, sql: string, params: unknown[]): Promise<FlagRow[]> {
    return tx.manager.query<FlagRow[]>(
      `WITH e AS (
         SELECT seq, occurred_at, actor_id, action, outcome, resource_ids, fields FROM access_event
          WHERE occurred_at > (SELECT max(occurred_at) FROM access_event) - interval '${FLAG_DAYS} days'
       ) ${sql}`,
      params,
    );
  }

  private async actorNames(tx: Tx, flags: readonly FlagRow[]): Promise<Map<string, string>> {
    const ids = [...new Set(flags.map((f) => f.actor_id).filter((id) => id !== null))];
    const rows = await tx.manager.query<{ id: string; display_name: string }[]>(
      `SELECT id, display_name FROM staff_user WHERE id = ANY($1::uuid[])`,
      [ids],
    );
    return new Map(rows.map((r) => [r.id, r.display_name]));
  }

  /** The latest review of each flag id: when, by whom, at which position of the log. */
  private async reviews(
    tx: Tx,
  ): Promise<Map<string, { seq: number; at: Date; by: string | null }>> {
    const rows = await tx.manager.query<{ id: string; seq: string; at: Date; by: string | null }[]>(
      `SELECT DISTINCT ON (r) r AS id, e.seq, e.occurred_at AS at, u.display_name AS by
         FROM access_event e CROSS JOIN unnest(e.resource_ids) AS r
         LEFT JOIN staff_user u ON u.organisation_id = e.organisation_id AND u.id = e.actor_id
        WHERE e.action = $1 AND e.outcome = 'success'
        ORDER BY r, e.seq DESC`,
      [REVIEW_ACTION],
    );
    return new Map(rows.map((r) => [r.id, { seq: Number(r.seq), at: new Date(r.at), by: r.by }]));
  }

  private async select(query: AccessEventQuery, limit: number): Promise<EventRow[]> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (sql: string, value: unknown): void => {
      params.push(value);
      where.push(sql.replace('?', `$${params.length}`));
    };
    if (query.actor !== undefined) add('e.actor_id = ?', query.actor);
    if (query.action !== undefined) add('e.action = ?', query.action);
    if (query.resource !== undefined) add('? = ANY (e.resource_ids)', query.resource);
    if (query.outcome !== undefined) add('e.outcome = ?', query.outcome);
    if (query.from !== undefined) add('e.occurred_at >= ?', new Date(query.from));
    if (query.to !== undefined) add('e.occurred_at <= ?', new Date(query.to));
    if (query.before !== undefined) add('e.seq < ?', query.before);
    params.push(limit);
    return this.db.current().manager.query<EventRow[]>(
      `SELECT e.seq, e.occurred_at, e.actor_id, u.display_name AS actor_name, e.actor_roles, e.action,
              e.resource_type, e.resource_ids, e.fields, e.purpose, e.outcome, e.request_id
         FROM access_event e
         LEFT JOIN staff_user u ON u.organisation_id = e.organisation_id AND u.id = e.actor_id
        ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''}
        ORDER BY e.seq DESC
        LIMIT $${params.length}`,
      params,
    );
  }
}

function toView(row: EventRow): AccessEventView {
  return {
    seq: Number(row.seq),
    occurredAt: new Date(row.occurred_at).toISOString(),
    actorId: row.actor_id,
    actorName: row.actor_name,
    actorRoles: row.actor_roles.filter(isRole),
    action: row.action as AuditAction,
    resourceType: row.resource_type,
    resourceIds: row.resource_ids,
    fields: row.fields,
    purpose: auditPurposeOf(row.purpose),
    outcome: row.outcome as AuditOutcome,
    requestId: row.request_id,
  };
}

/** `kind:actor:window[:subject]` (ANOMALY_ID_PATTERN). */
function anomalyId(row: FlagRow): string {
  const window = new Date(row.window).toISOString();
  return `${row.kind}:${row.actor_id ?? 'none'}:${window}${row.subject === null ? '' : `:${row.subject}`}`;
}

/** Open first; then the most serious kind; then the newest. */
function anomalyOrder(a: AuditAnomaly, b: AuditAnomaly): number {
  if (a.status !== b.status) return a.status === 'open' ? -1 : 1;
  const kind = ANOMALY_KINDS.indexOf(a.kind) - ANOMALY_KINDS.indexOf(b.kind);
  return kind !== 0 ? kind : b.lastSeq - a.lastSeq;
}
