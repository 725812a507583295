import { csvCell } from '../../infra/http/csv';
import { Inject, Injectable } from '@nestjs/common';
import {
  auditPurposeOf,
  isRole,
  type AccessEventPage,
  type AccessEventQuery,
  type AccessEventView,
  type AuditAction,
  type AuditAnomaly,
  type AuditOutcome,
} from '@harbour/domain';
import type { HarbourConfig } from '../../infra/config/config';
import { HARBOUR_CONFIG } from '../../infra/config/config.module';
import { Db } from '../../infra/database/transaction';

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
  revealsPerHour: 20,
  denialsPerHour: 5,
  distinctMissesPerHour: 10,
} as const;

/** Reading the access log for auditors: filters, pages, CSV, anomalies. */
@Injectable()
export class AuditQueries {
  constructor(
    private readonly db: Db,
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
   * Anomalies of the last 30 days of the log: many reveals in an hour, repeated denials, an id
   * sweep (many different ids refused in an hour), activity outside working hours. Canary
   * records arrive with case records; their flag will join this list then.
   */
  async anomalies(): Promise<AuditAnomaly[]> {
    const manager = this.db.current().manager;
    const [start, end] = this.config.audit.workingHours;
    const rows = await manager.query<
      {
        kind: AuditAnomaly['kind'];
        actor_id: string | null;
        actor_name: string | null;
        count: number;
        first_seq: string;
        last_seq: string;
        from: Date;
        to: Date;
      }[]
    >(
      `WITH e AS (
         SELECT seq, occurred_at, actor_id, action, outcome, resource_ids, date_trunc('hour', occurred_at) AS hour
           FROM access_event
          WHERE occurred_at > (SELECT max(occurred_at) FROM access_event) - interval '30 days'
       ), flagged AS (
         SELECT 'many_reveals' AS kind, actor_id, count(*)::int AS count, min(seq) AS first_seq, max(seq) AS last_seq,
                min(occurred_at) AS "from", max(occurred_at) AS "to"
           FROM e WHERE action LIKE '%.revealed' AND outcome = 'success'
          GROUP BY actor_id, hour HAVING count(*) > $1
         UNION ALL
         SELECT 'repeated_denials', actor_id, count(*)::int, min(seq), max(seq), min(occurred_at), max(occurred_at)
           FROM e WHERE outcome = 'denied' AND actor_id IS NOT NULL
          GROUP BY actor_id, hour HAVING count(*) >= $2
         UNION ALL
         SELECT 'id_sweep', actor_id, count(DISTINCT r)::int, min(seq), max(seq), min(occurred_at), max(occurred_at)
           FROM e, unnest(resource_ids) AS r WHERE outcome IN ('failure', 'denied') AND actor_id IS NOT NULL
          GROUP BY actor_id, hour HAVING count(DISTINCT r) >= $3
         UNION ALL
         SELECT 'off_hours', actor_id, count(*)::int, min(seq), max(seq), min(occurred_at), max(occurred_at)
           FROM e WHERE actor_id IS NOT NULL AND outcome = 'success'
            AND (extract(hour FROM occurred_at AT TIME ZONE 'UTC') < $4 OR extract(hour FROM occurred_at AT TIME ZONE 'UTC') >= $5)
          GROUP BY actor_id, date_trunc('day', occurred_at)

       )
       SELECT f.kind, f.actor_id, u.display_name AS actor_name, f.count, f.first_seq, f.last_seq, f."from", f."to"
         FROM flagged f LEFT JOIN staff_user u ON u.id = f.actor_id
        ORDER BY f.last_seq DESC
        LIMIT 500`,
      [
        ANOMALY_THRESHOLDS.revealsPerHour,
        ANOMALY_THRESHOLDS.denialsPerHour,
        ANOMALY_THRESHOLDS.distinctMissesPerHour,
        start,
        end,
      ],
    );
    return rows.map((r) => ({
      kind: r.kind,
      actorId: r.actor_id,
      actorName: r.actor_name,
      count: r.count,
      firstSeq: Number(r.first_seq),
      lastSeq: Number(r.last_seq),
      from: new Date(r.from).toISOString(),
      to: new Date(r.to).toISOString(),
    }));
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
