import { Inject, Injectable } from '@nestjs/common';
import {
  ANOMALY_KINDS,
  auditPurposeOf,
  isRole,
  type AccessEventPage,
  type AccessEventQuery,
  type AccessEventView,
  type AuditAction,
  type AuditAnomaly,
  type AuditOutcome,
  type StaffLanguage,
} from '@harbour/domain';
import type { HarbourConfig } from '../../infra/config/config';
import { HARBOUR_CONFIG } from '../../infra/config/config.module';
import { ReplicaReads } from '../../infra/database/replica';
import type { Tx } from '../../infra/database/transaction';
import { NotFoundError } from '../../infra/http/domain-error';
import { accessLogCsv } from './access-log-csv';
import { CanaryRegistry } from '../../core/canaries/canary-registry';
import type { SignedInScope, TenantScope } from '../../core/scope/request-scope';
import {
  AuditReadQueries,
  type EventListRow,
  type FlagRow,
} from '../../data/audit/audit-read.queries';

/** Thresholds of the anomaly flags (computed on request; never stored as truth). */
export const ANOMALY_THRESHOLDS = {
  /** More than this many reveals by one person in an hour. */
  revealsPerHour: 20,
  /** At least this many refused requests by one signed-in person in an hour. */
  denialsPerHour: 5,
  /** At least this many different records refused or missing for one person in an hour. */
  distinctMissesPerHour: 10,
} as const;

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
  'contact.amended',
  'need.listed',
  'consent.listed',
  'referral.listed',
  'key_worker.people_listed',
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
  'person.subject_exported',
  'person.erasure_receipt_downloaded',
  'consent.listed',
  'consent.recorded',
  'consent.revoked',
  'outcome.listed',
  'outcome.recorded',
  'contact.viewed',
  'contact.created',
  'contact.amended',
  'need.created',
  'referral.created',
  'key_worker.listed',
  'key_worker.assigned',
  'key_worker.removed',
  'person.restriction_changed',
] as const satisfies readonly AuditAction[];

/** An anomaly review is itself an access event naming the flag's id. */
const REVIEW_ACTION = 'audit.anomaly_reviewed' satisfies AuditAction;

/** Reading the access log for auditors: filters, pages, CSV, anomaly flags. */
@Injectable()
export class AuditQueries {
  constructor(
    private readonly canaries: CanaryRegistry,
    private readonly log: AuditReadQueries,
    @Inject(HARBOUR_CONFIG) private readonly config: HarbourConfig,
    private readonly replica: ReplicaReads,
  ) {}

  async events(scope: TenantScope, query: AccessEventQuery): Promise<AccessEventPage> {
    const limit = query.limit ?? 50;
    const rows = await this.select(scope.tx, query, limit + 1);
    const events = rows.slice(0, limit).map(toView);
    return { events, nextBefore: rows.length > limit ? (events.at(-1)?.seq ?? null) : null };
  }

  /** Every matching event as CSV in `language` (see `accessLogCsv`), newest first. */
  /**
   * Up to 100,000 events: read on the read replica when there is one (the log as of at most its
   * lag bound ago, docs/operations.md "Read replica"); the export's own event goes to the primary.
   */
  async csv(scope: TenantScope, query: AccessEventQuery, language: StaffLanguage): Promise<string> {
    const rows = await this.replica.read(scope, (tx) =>
      this.select(tx, { ...query, before: undefined }, 100_000),
    );
    return accessLogCsv(rows, language);
  }

  /**
   * The flags of the last 30 days of the log, open ones first (most serious kind first, then
   * newest). Each kind is one query (`manyReveals`, `repeatedDenials`, …); a flag is open until
   * an auditor reviews it, and open again if it grows after that.
   */
  async anomalies(scope: TenantScope): Promise<AuditAnomaly[]> {
    const { tx } = scope;
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
    const actorIds = [...new Set(flags.map((f) => f.actor_id).filter((id) => id !== null))];
    const names = await this.log.actorNames(tx, actorIds);
    const reviews = await this.log.reviews(tx, REVIEW_ACTION);
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
  async review(scope: SignedInScope, id: string): Promise<void> {
    const flags = await this.anomalies(scope);
    if (!flags.some((f) => f.id === id)) throw new NotFoundError();
    scope.note({ resourceIds: [id] });
  }

  // ---- one function per flag ------------------------------------------------------------------

  /** Many identities revealed by one person within an hour. */
  private manyReveals(tx: Tx): Promise<FlagRow[]> {
    return this.log.manyReveals(tx, REVEAL_ACTIONS, ANOMALY_THRESHOLDS.revealsPerHour);
  }

  /**
   * Separation of duties (docs/security.md T26, ADR 0008): one flag per event — an admin tried to
   * change their own roles; a guarded role (caseworker, coordinator, admin) was requested for an
   * account, new or not; a guarded account's password or MFA reset was requested; a second
   * admin approved a staff change. Each is a path by which an admin could reach case content, so
   * an auditor sees every one, even when it was refused or is legitimate.
   */
  private separationOfDuties(tx: Tx): Promise<FlagRow[]> {
    return this.log.separationOfDuties(tx);
  }

  /** One signed-in person refused again and again within an hour (probing for access). */
  private repeatedDenials(tx: Tx): Promise<FlagRow[]> {
    return this.log.repeatedDenials(tx, ANOMALY_THRESHOLDS.denialsPerHour);
  }

  /** Many different records refused or not found for one person within an hour (an id sweep). */
  private idSweep(tx: Tx): Promise<FlagRow[]> {
    return this.log.idSweep(tx, ANOMALY_THRESHOLDS.distinctMissesPerHour);
  }

  /** Case records opened outside working hours (UTC, `HARBOUR_AUDIT_WORKING_HOURS`). */
  private offHours(tx: Tx): Promise<FlagRow[]> {
    const [start, end] = this.config.audit.workingHours;
    return this.log.offHours(tx, RECORD_ACCESS_ACTIONS, start, end);
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
    return this.log.canaryAccess(tx, people, CANARY_TRIPWIRE_ACTIONS);
  }

  private async select(tx: Tx, query: AccessEventQuery, limit: number): Promise<EventListRow[]> {
    return this.log.events(tx, {
      actor: query.actor ?? null,
      action: query.action ?? null,
      resource: query.resource ?? null,
      outcome: query.outcome ?? null,
      from: query.from === undefined ? null : new Date(query.from),
      to: query.to === undefined ? null : new Date(query.to),
      before: query.before ?? null,
      limit,
    });
  }
}

function toView(row: EventListRow): AccessEventView {
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
