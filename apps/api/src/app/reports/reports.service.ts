import { Injectable } from '@nestjs/common';
import {
  CIRCUMSTANCES,
  defaultReportPeriod,
  EXTERNAL_TIER,
  FUNNEL_STAGES,
  monthsOfQuarter,
  periodBounds,
  quarterBounds,
  quartersOfPeriod,
  reportFilterValuesFor,
  REPORT_FILTERS,
  REPORT_FILTERS_BY_REPORT,
  type ContactsReport,
  type DisclosureTier,
  type FieldError,
  type FunnelReport,
  type NeedsReport,
  type PublishedQuarter,
  type ReferralsReport,
  type ReportCount,
  type ReportFilterAttribute,
  type ReportMeta,
  type ReportName,
  type ReportQuery,
  type ReportTierName,
  type TimeToOutcomeReport,
} from '@harbour/domain';
import { ValidationFailedError } from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import { ReplicaReads } from '../../infra/database/replica';
import type { Tx } from '../../infra/database/transaction';
import { CanaryRegistry } from '../../core/canaries/canary-registry';
import type { TenantScope } from '../../core/scope/request-scope';
import { publishedRate as rate, sumOf } from './report-cube';
import {
  addedUp,
  besideEachOther,
  buildCountsPublication,
  buildOutcomesPublication,
  FAMILY_SPECS,
  quarterColumns,
  sliceKey,
  zeroSlice,
  type CountsFamily,
  type CountsPublication,
  type OutcomesPublication,
  type SliceViews,
} from './report-publication';
import {
  ReportsRepository,
  type OutcomeRow,
  type PublishedSlice,
} from '../../data/reports/reports.repository';

/** A validated report request. */
export interface ReportRequest {
  readonly report: ReportName;
  readonly period: string;
  /** The closed quarters the period is made of. */
  readonly quarters: readonly string[];
  readonly tier: ReportTierName;
  readonly filter: { readonly attribute: ReportFilterAttribute; readonly value: string } | null;
  /** The organisation's partner directory, oldest first. */
  readonly partners: readonly { readonly id: string; readonly name: string }[];
  /** The organisation's k now (used for quarters published by this request). */
  readonly reportK: number;
}

/** Where a quarter's figures are computed: a transaction (replica or primary) and the decoys. */
interface Source {
  readonly tx: Tx;
  readonly organisationId: string;
  readonly excluded: readonly string[];
}

const ANSWERED: readonly string[] = ['accepted', 'completed', 'declined_by_partner'];
const ACCEPTED: readonly string[] = ['accepted', 'completed'];

/**
 * Reports over closed quarters (docs/adr/0007): each quarter's figures are protected once, the
 * first time a report asks for it after it has closed, stored, and from then on only read; a
 * report over a year adds its quarters up. So no two requests — other periods, filters, tiers,
 * or the same one after new records — can be played against each other.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly repository: ReportsRepository,
    private readonly clock: Clock,
    private readonly canaries: CanaryRegistry,
    private readonly replica: ReplicaReads,
  ) {}

  /** Canary people (decoys): never counted in any report, whatever their consent. */
  private async excluded(scope: TenantScope): Promise<string[]> {
    return (await this.canaries.people(scope.tx, scope.organisationId)).map((c) => c.personId);
  }

  /** Checks a report query: a closed period, at most one filter, values it knows. */
  async request(
    scope: TenantScope,
    report: ReportName,
    query: ReportQuery,
  ): Promise<ReportRequest> {
    const problems: FieldError[] = [];
    const organisation = await this.repository.organisation(scope.tx, scope.organisationId);
    const partnerIds = organisation.partners.map((p) => p.id);
    const now = this.clock.now();
    const period = query.period ?? defaultReportPeriod(now);
    // Outcome times are not made of their quarters': a year only once all of it has closed.
    const answer = quartersOfPeriod(period, now, report === 'time-to-outcome');
    if ('problem' in answer) problems.push({ path: 'period', reason: answer.problem });
    const given = REPORT_FILTERS.filter((a) => query[a] !== undefined);
    if (given.length > 1) {
      for (const a of given) problems.push({ path: a, reason: 'one_filter_at_a_time' });
    }
    let filter: ReportRequest['filter'] = null;
    if (given.length === 1) {
      const attribute = given[0]!;
      const value = query[attribute]!;
      if (!REPORT_FILTERS_BY_REPORT[report].includes(attribute)) {
        problems.push({ path: attribute, reason: 'not_supported' });
      } else if (!reportFilterValuesFor(report, attribute, partnerIds).includes(value)) {
        problems.push({ path: attribute, reason: 'unknown_value' });
      } else {
        filter = { attribute, value };
      }
    }
    if (problems.length > 0 || 'problem' in answer) throw new ValidationFailedError(problems);
    return {
      report,
      period,
      quarters: answer.quarters,
      tier: query.tier ?? 'internal',
      filter,
      partners: organisation.partners,
      reportK: organisation.reportK,
    };
  }

  async needs(scope: TenantScope, request: ReportRequest): Promise<NeedsReport> {
    const { meta, slices } = await this.quarterly(scope, 'needs', request);
    return {
      meta,
      byMonth: besideEachOther(slices.map((s) => s['byMonth']!)),
      byQuarter: quarterColumns(
        slices.map((s) => s['byMonth']!),
        request.quarters,
      ),
      byStatus: addedUp(slices.map((s) => s['byStatus']!)),
    };
  }

  async referrals(scope: TenantScope, request: ReportRequest): Promise<ReferralsReport> {
    const { meta, slices } = await this.quarterly(scope, 'referrals', request);
    const order = request.partners.map((p) => p.id);
    const byStatus = addedUp(
      slices.map((s) => s['byStatus']!),
      order,
    );
    const statusCount = (p: number, wanted: readonly string[]) =>
      sumOf(
        byStatus.columns.flatMap((s, i) => (wanted.includes(s) ? [byStatus.cells[p]![i]!] : [])),
      );
    const tier = this.tier(request, meta);
    return {
      meta,
      byStatus,
      byMonth: besideEachOther(
        slices.map((s) => s['byMonth']!),
        order,
      ),
      byQuarter: quarterColumns(
        slices.map((s) => s['byMonth']!),
        request.quarters,
        order,
      ),
      rates: byStatus.rows.map((partner, p) => ({
        partner,
        acceptance: rate(statusCount(p, ACCEPTED), statusCount(p, ANSWERED), tier),
        completion: rate(statusCount(p, ['completed']), statusCount(p, ACCEPTED), tier),
      })),
    };
  }

  /**
   * Needs recorded, then referrals made, accepted and completed, by month and by quarter: read
   * from the published entries of the needs and referrals reports, so it adds nothing to them.
   */
  async funnel(scope: TenantScope, request: ReportRequest): Promise<FunnelReport> {
    const needs = await this.quarterly(scope, 'needs', request);
    const referrals = await this.quarterly(scope, 'referrals', request);
    const identified = besideEachOther(needs.slices.map((s) => s['byMonth']!));
    const stages = besideEachOther(referrals.slices.map((s) => s['byStage']!));
    const stageOf = (wanted: readonly string[], column: (row: number) => ReportCount) =>
      sumOf(stages.rows.flatMap((s, r) => (wanted.includes(s) ? [column(r)] : [])));
    const months = stages.columns;
    const byMonthRows: Record<string, { cells: ReportCount[]; total: ReportCount }> = {
      identified: { cells: [...identified.columnTotals], total: identified.total },
      referred: { cells: [...stages.columnTotals], total: stages.total },
      accepted: {
        cells: months.map((_, m) => stageOf(ACCEPTED, (r) => stages.cells[r]![m]!)),
        total: stageOf(ACCEPTED, (r) => stages.rowTotals[r]!),
      },
      completed: {
        cells: months.map((_, m) => stageOf(['completed'], (r) => stages.cells[r]![m]!)),
        total: stageOf(['completed'], (r) => stages.rowTotals[r]!),
      },
    };
    // Each quarter's own totals (published with the quarter), not sums of its months.
    const quarterStage = (q: number, wanted: readonly string[] | null): ReportCount => {
      const table = referrals.slices[q]!['byStage']!;
      if (wanted === null) return table.total;
      return sumOf(table.rows.flatMap((s, r) => (wanted.includes(s) ? [table.rowTotals[r]!] : [])));
    };
    const quarters = request.quarters.map((_, q) => ({
      identified: needs.slices[q]!['byMonth']!.total,
      referred: quarterStage(q, null),
      accepted: quarterStage(q, ACCEPTED),
      completed: quarterStage(q, ['completed']),
    }));
    const byQuarterRows: Record<string, ReportCount[]> = {
      identified: quarters.map((q) => q.identified),
      referred: quarters.map((q) => q.referred),
      accepted: quarters.map((q) => q.accepted),
      completed: quarters.map((q) => q.completed),
    };
    // Stages are not parts of a whole: no column totals.
    return {
      meta: needs.meta,
      byMonth: {
        rows: FUNNEL_STAGES,
        columns: months,
        cells: FUNNEL_STAGES.map((s) => byMonthRows[s]!.cells),
        rowTotals: FUNNEL_STAGES.map((s) => byMonthRows[s]!.total),
        columnTotals: months.map(() => null),
        total: null,
      },
      byQuarter: {
        rows: FUNNEL_STAGES,
        columns: request.quarters,
        cells: FUNNEL_STAGES.map((s) => byQuarterRows[s]!),
        rowTotals: FUNNEL_STAGES.map((s) => sumOf(byQuarterRows[s]!)),
        columnTotals: request.quarters.map(() => null),
        total: null,
      },
    };
  }

  /**
   * Days from a referral being made to its final status, for referrals closed in the period, per
   * need category and per partner: quartiles only for groups of at least k, and no counts (the
   * referrals report publishes those, protected).
   */
  async timeToOutcome(scope: TenantScope, request: ReportRequest): Promise<TimeToOutcomeReport> {
    const [row] = await this.load(scope, 'outcomes', [request.period], request);
    // A partner added after the period was published had no outcomes in it.
    const none = row!.slice === null;
    const slice = (
      none
        ? (
            await this.load(scope, 'outcomes', [request.period], {
              ...request,
              filter: null,
            })
          )[0]!.slice
        : row!.slice
    ) as OutcomesPublication['tiers']['internal'][string];
    const quarters: PublishedQuarter[] = request.quarters.map((quarter) => ({
      quarter,
      publishedAt: row!.publishedAt.toISOString(),
      k: row!.k,
    }));
    return {
      meta: this.meta(request, quarters),
      byCategory: slice.categories.map((group, i) => ({
        group,
        days: none ? null : slice.byCategory[i]!,
      })),
      byPartner: slice.partners.map((group, i) => ({
        group,
        days: none ? null : slice.byPartner[i]!,
      })),
    };
  }

  /** People reached by channel, place and language, and per circumstance tag. */
  async contacts(scope: TenantScope, request: ReportRequest): Promise<ContactsReport> {
    const { meta, slices } = await this.quarterly(scope, 'contacts', request);
    const circumstances =
      request.filter === null ? addedUp(slices.map((s) => s['byCircumstance']!)) : null;
    return {
      meta,
      byChannel: addedUp(slices.map((s) => s['byChannel']!)),
      byLocation: addedUp(slices.map((s) => s['byLocation']!)),
      byLanguage: addedUp(slices.map((s) => s['byLanguage']!)),
      byCircumstance:
        circumstances === null
          ? []
          : CIRCUMSTANCES.map((circumstance) => ({
              circumstance,
              people: circumstances.cells[circumstances.rows.indexOf(circumstance)]?.[0] ?? null,
            })),
    };
  }

  // ---- publications ---------------------------------------------------------------------------

  /**
   * The request's slice of each of its quarters, published first where not yet (also read by
   * the outcome change report, `outcome-change.report.ts`).
   */
  async quarterly(
    scope: TenantScope,
    family: CountsFamily,
    request: ReportRequest,
  ): Promise<{ meta: ReportMeta; slices: SliceViews[] }> {
    const rows = await this.load(scope, family, request.quarters, request);
    const quarters = rows.map((row) => ({
      quarter: row.period,
      publishedAt: row.publishedAt.toISOString(),
      k: row.k,
    }));
    const missing = rows.some((row) => row.slice === null);
    // A filter value a quarter could not have had: read its unfiltered slice for the shape.
    const unfiltered = missing
      ? await this.load(scope, family, request.quarters, { ...request, filter: null })
      : rows;
    const slices = rows.map((row, i) =>
      row.slice !== null
        ? (row.slice as SliceViews)
        : zeroSlice(family, unfiltered[i]!.slice as SliceViews, request.filter!),
    );
    return { meta: this.meta(request, quarters), slices };
  }

  /**
   * The request's slice of the stored publications for these periods, oldest first: any period
   * not yet stored is computed from the records, protected and stored now, and then read back
   * (so two first requests at once both serve whichever was stored first).
   */
  private async load(
    scope: TenantScope,
    family: CountsFamily | 'outcomes',
    periods: readonly string[],
    request: ReportRequest,
  ): Promise<PublishedSlice[]> {
    const stored = await this.repository.publishedPeriods(
      scope.tx,
      scope.organisationId,
      family,
      periods,
    );
    const now = this.clock.now();
    const missing = periods.filter((p) => !stored.includes(p));
    // Decoys are read on the primary; the figures are computed on the read replica when there
    // is one (docs/operations.md "Read replica"), and published on the primary.
    const excluded = missing.length > 0 ? await this.excluded(scope) : [];
    const contents =
      missing.length === 0
        ? []
        : await this.replica.read(scope, async (tx) => {
            const computed: (CountsPublication | OutcomesPublication)[] = [];
            for (const period of missing) {
              const on = { tx, organisationId: scope.organisationId, excluded };
              computed.push(
                family === 'outcomes'
                  ? await this.computeOutcomes(on, period, request)
                  : await this.computeQuarter(on, family, period, request),
              );
            }
            return computed;
          });
    for (const [i, period] of missing.entries()) {
      await this.repository.publish(
        scope.tx,
        scope.organisationId,
        family,
        period,
        request.reportK,
        now,
        contents[i]!,
      );
    }
    const rows = await this.repository.slices(
      scope.tx,
      scope.organisationId,
      family,
      periods,
      request.tier,
      sliceKey(request.filter),
    );
    return periods.map((p) => {
      const row = rows.find((r) => r.period === p);
      if (row === undefined) throw new Error('a publication was not stored');
      // A null slice: a filter value the period could not have had (see `zeroSlice`).
      if (row.slice === null && request.filter === null) {
        throw new Error('a publication lacks its unfiltered slice');
      }
      return row;
    });
  }

  private async computeQuarter(
    on: Source,
    family: CountsFamily,
    quarter: string,
    request: ReportRequest,
  ): Promise<CountsPublication> {
    const { start, end } = quarterBounds(quarter);
    const spec = FAMILY_SPECS[family];
    const { tx, organisationId, excluded } = on;
    const counts = (attribute?: ReportFilterAttribute) =>
      this.repository.counts(tx, organisationId, family, start, end, excluded, attribute);
    const extra = new Map<ReportFilterAttribute, Awaited<ReturnType<typeof counts>>>();
    for (const attribute of spec.extra) extra.set(attribute, await counts(attribute));
    return buildCountsPublication(family, {
      months: monthsOfQuarter(quarter),
      partnerIds: request.partners.map((p) => p.id),
      k: request.reportK,
      unfiltered: await counts(),
      extra,
      tags: await this.repository.tagCounts(tx, organisationId, family, start, end, excluded),
    });
  }

  private async computeOutcomes(
    on: Source,
    period: string,
    request: ReportRequest,
  ): Promise<OutcomesPublication> {
    const { start, end } = periodBounds(period);
    const { tx, organisationId, excluded } = on;
    const partnerIds = request.partners.map((p) => p.id);
    const slices = new Map<string, OutcomeRow[]>();
    slices.set('', await this.repository.outcomes(tx, organisationId, start, end, excluded));
    for (const attribute of REPORT_FILTERS_BY_REPORT['time-to-outcome']) {
      const rows = await this.repository.outcomes(
        tx,
        organisationId,
        start,
        end,
        excluded,
        attribute,
      );
      for (const value of reportFilterValuesFor('time-to-outcome', attribute, partnerIds)) {
        slices.set(
          sliceKey({ attribute, value }),
          rows.filter((r) => r.value === value),
        );
      }
    }
    return buildOutcomesPublication({ k: request.reportK, partnerIds, slices });
  }

  // ---- helpers --------------------------------------------------------------------------------

  private tier(request: ReportRequest, meta: ReportMeta): DisclosureTier {
    return request.tier === 'external'
      ? EXTERNAL_TIER
      : { name: 'internal', k: meta.k, roundTo: null };
  }

  private meta(request: ReportRequest, quarters: readonly PublishedQuarter[]): ReportMeta {
    const k =
      request.tier === 'external'
        ? EXTERNAL_TIER.k
        : Math.max(...quarters.map((q) => q.k), 0) || request.reportK;
    return {
      report: request.report,
      period: request.period,
      quarters,
      months: request.quarters.flatMap((q) => monthsOfQuarter(q)),
      tier: request.tier,
      k,
      roundedTo: request.tier === 'external' ? EXTERNAL_TIER.roundTo : null,
      filter: request.filter,
      partners: Object.fromEntries(request.partners.map((p) => [p.id, p.name])),
    };
  }
}
