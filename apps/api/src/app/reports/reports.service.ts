import { Injectable } from '@nestjs/common';
import {
  addMonths,
  reportFilterValues,
  CIRCUMSTANCES,
  CONTACT_CHANNELS,
  CONTACT_KINDS,
  EXTERNAL_TIER,
  FUNNEL_STAGES,
  internalTier,
  LANGUAGE_GROUPS,
  LOCATION_TYPES,
  MAX_REPORT_MONTHS,
  monthsBetween,
  MONTH_PATTERN,
  NEED_CATEGORIES,
  NEED_STATUSES,
  NOT_RECORDED,
  protectRate,
  REFERRAL_STATUSES,
  REPORT_FILTERS,
  REPORT_FILTERS_BY_REPORT,
  TOTAL,
  type ContactsReport,
  type DisclosureTier,
  type FieldError,
  type FunnelReport,
  type NeedsReport,
  type OutcomeTimes,
  type ReferralsReport,
  type ReportCount,
  type ReportFilterAttribute,
  type ReportMeta,
  type ReportName,
  type ReportQuery,
  type ReportTable,
  type TimeToOutcomeReport,
} from '@harbour/domain';
import { Db } from '../../infra/database/transaction';
import { ValidationFailedError } from '../../infra/http/domain-error';
import { Clock } from '../../infra/time/clock';
import { CanaryRegistry } from '../canaries/canary-registry';
import { count, ReportCube, sumOf, type CountRow, type Dimension } from './report-cube';

/** A validated report request. */
export interface ReportRequest {
  readonly report: ReportName;
  readonly months: readonly string[];
  readonly tier: DisclosureTier;
  readonly filter: { readonly attribute: ReportFilterAttribute; readonly value: string } | null;
  /** The organisation's partner directory, oldest first (rows of the referrals report). */
  readonly partners: readonly { readonly id: string; readonly name: string }[];
  /** Canary people (decoys): never counted, whatever their consent (`$4` of every query). */
  readonly excludedPeople: readonly string[];
}

/** SQL for one kind of record a report counts, and how each filter attribute reads on it. */
interface Source {
  readonly from: string;
  /** The record's month, `YYYY-MM`. */
  readonly month: string;
  /** Range condition on `$2` (first day) and `$3` (day after the last). */
  readonly inRange: string;
  /** What a record counts for: one, or a group contact's headcount. */
  readonly measure: string;
  readonly filters: Readonly<Partial<Record<ReportFilterAttribute, string>>>;
}

// People without reporting consent in force are left out: a record linked to a person counts
// only when that person agreed (DESIGN.md §8). Anonymous records have nobody to ask and count.
// Canary people ($4) are never counted.
const NEEDS: Source = {
  from: `support_need n
    LEFT JOIN person p ON p.organisation_id = n.organisation_id AND p.id = n.person_id
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE n.organisation_id = $1 AND (n.person_id IS NULL OR (p.consent_to_reporting AND p.id <> ALL ($4::uuid[])))`,
  month: `to_char(n.identified_on, 'YYYY-MM')`,
  inRange: `n.identified_on >= $2::date AND n.identified_on < $3::date`,
  measure: 'count(*)',
  filters: {
    language: `coalesce(p.language_group, c.language_group, '${NOT_RECORDED}')`,
    channel: `coalesce(c.channel, '${NOT_RECORDED}')`,
    region: `coalesce(p.region_of_origin, 'unknown')`,
    category: `n.category`,
  },
};

const REFERRALS: Source = {
  from: `referral r
    JOIN support_need n ON n.organisation_id = r.organisation_id AND n.id = r.need_id
    LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = coalesce(r.person_id, n.person_id)
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE r.organisation_id = $1 AND (coalesce(r.person_id, n.person_id) IS NULL OR (p.consent_to_reporting AND p.id <> ALL ($4::uuid[])))`,
  month: `to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM')`,
  inRange: `r.created_at >= $2::timestamptz AND r.created_at < $3::timestamptz`,
  measure: 'count(*)',
  filters: { ...NEEDS.filters, partner: `r.partner_id::text` },
};

const CONTACTS: Source = {
  from: `contact c
    LEFT JOIN person p ON p.organisation_id = c.organisation_id AND p.id = c.person_id
    WHERE c.organisation_id = $1 AND (c.person_id IS NULL OR (p.consent_to_reporting AND p.id <> ALL ($4::uuid[])))`,
  month: `to_char(c.occurred_on, 'YYYY-MM')`,
  inRange: `c.occurred_on >= $2::date AND c.occurred_on < $3::date`,
  measure: 'sum(c.headcount)',
  filters: {
    language: `coalesce(c.language_group, '${NOT_RECORDED}')`,
    channel: `c.channel`,
    region: `coalesce(p.region_of_origin, 'unknown')`,
  },
};

/** A circumstance filter splits records into those with the tag and those without. */
const WITH = 'with';
const WITHOUT = 'without';
const circumstanceSql = (param: string) =>
  `CASE WHEN ${param} = ANY(c.circumstances) THEN '${WITH}' ELSE '${WITHOUT}' END`;

const CONTACT_KEYS = ['c.channel', 'c.kind', CONTACTS.filters.language!, 'c.location_type'];
const CONTACT_DIMENSIONS: readonly Dimension[] = [
  { values: CONTACT_CHANNELS },
  { values: CONTACT_KINDS },
  { values: [...LANGUAGE_GROUPS, NOT_RECORDED] },
  { values: LOCATION_TYPES },
];

const ANSWERED: readonly string[] = ['accepted', 'completed', 'declined_by_partner'];
const ACCEPTED: readonly string[] = ['accepted', 'completed'];

/**
 * Reports (DESIGN.md §8): every number is aggregated in SQL and protected here before it is
 * returned; see `ReportCube` for how a filter stays consistent with the unfiltered report.
 */
@Injectable()
export class ReportsService {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly canaries: CanaryRegistry,
  ) {}

  /** Checks a report query: whole months, at most one filter, values it knows. */
  async request(
    organisationId: string,
    report: ReportName,
    query: ReportQuery,
  ): Promise<ReportRequest> {
    const problems: FieldError[] = [];
    const organisation = await this.organisation(organisationId);
    const partnerIds = organisation.partners.map((p) => p.id);
    const now = this.clock.now();
    const current = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
    const to = query.to ?? current;
    if (!MONTH_PATTERN.test(to)) problems.push({ path: 'to', reason: 'month' });
    const from = query.from ?? (MONTH_PATTERN.test(to) ? addMonths(to, -11) : to);
    if (!MONTH_PATTERN.test(from)) problems.push({ path: 'from', reason: 'month' });
    const months = problems.length === 0 ? monthsBetween(from, to) : [];
    if (problems.length === 0 && (months.length === 0 || months.length > MAX_REPORT_MONTHS)) {
      problems.push({ path: 'from', reason: 'range' });
    }
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
      } else if (!reportFilterValues(attribute, partnerIds).includes(value)) {
        problems.push({ path: attribute, reason: 'unknown_value' });
      } else {
        filter = { attribute, value };
      }
    }
    if (problems.length > 0) throw new ValidationFailedError(problems);
    return {
      report,
      months,
      tier: query.tier === 'external' ? EXTERNAL_TIER : internalTier(organisation.reportK),
      filter,
      partners: organisation.partners,
      excludedPeople: (await this.canaries.people(this.db.current(), organisationId)).map(
        (p) => p.personId,
      ),
    };
  }

  async needs(organisationId: string, request: ReportRequest): Promise<NeedsReport> {
    const cube = await this.needsCube(organisationId, request);
    return {
      meta: this.meta(request),
      byMonth: cube.table(0, 2),
      byStatus: cube.table(0, 1),
    };
  }

  async referrals(organisationId: string, request: ReportRequest): Promise<ReferralsReport> {
    const cube = await this.referralsCube(organisationId, request);
    const partners = cube.dimensions[0]!.values;
    const statuses = cube.dimensions[1]!.values;
    const byStatus = cube.table(0, 1);
    const statusCount = (p: number, wanted: readonly string[]) =>
      sumOf(statuses.flatMap((s, i) => (wanted.includes(s) ? [byStatus.cells[p]![i]!] : [])));
    return {
      meta: this.meta(request),
      byStatus,
      byMonth: cube.table(0, 2),
      rates: partners.map((partner, p) => ({
        partner,
        acceptance: rate(statusCount(p, ACCEPTED), statusCount(p, ANSWERED), request.tier),
        completion: rate(statusCount(p, ['completed']), statusCount(p, ACCEPTED), request.tier),
      })),
    };
  }

  /**
   * Needs identified, then referrals made, accepted and completed, by month: read from the
   * published entries of the needs and referrals tables, so it adds nothing they do not show.
   */
  async funnel(organisationId: string, request: ReportRequest): Promise<FunnelReport> {
    const needs = (await this.needsCube(organisationId, request)).table(0, 2);
    const referrals = await this.referralsCube(organisationId, request);
    const byStatus = referrals.table(1, 2);
    const statuses = referrals.dimensions[1]!.values;
    const stage = (wanted: readonly string[], column: number | null): ReportCount =>
      sumOf(
        statuses.flatMap((s, i) =>
          wanted.includes(s)
            ? [column === null ? byStatus.rowTotals[i]! : byStatus.cells[i]![column]!]
            : [],
        ),
      );
    const rows: Record<string, { cells: ReportCount[]; total: ReportCount }> = {
      identified: { cells: [...needs.columnTotals], total: needs.total },
      referred: { cells: [...byStatus.columnTotals], total: byStatus.total },
      accepted: {
        cells: request.months.map((_, m) => stage(ACCEPTED, m)),
        total: stage(ACCEPTED, null),
      },
      completed: {
        cells: request.months.map((_, m) => stage(['completed'], m)),
        total: stage(['completed'], null),
      },
    };
    const byMonth: ReportTable = {
      rows: FUNNEL_STAGES,
      columns: request.months,
      cells: FUNNEL_STAGES.map((s) => rows[s]!.cells),
      rowTotals: FUNNEL_STAGES.map((s) => rows[s]!.total),
      // Stages are not parts of a whole: no column totals.
      columnTotals: request.months.map(() => null),
      total: null,
    };
    return { meta: this.meta(request), byMonth };
  }

  /**
   * Days from a referral being made to its final status, per need category and per partner:
   * quartiles only for groups of at least k closed referrals (`protectQuantiles`' rule), and
   * no counts (the referrals report publishes those, protected).
   */
  async timeToOutcome(
    organisationId: string,
    request: ReportRequest,
  ): Promise<TimeToOutcomeReport> {
    const tx = this.db.current();
    const { where, params } = this.filterCondition(REFERRALS, request, 5);
    const rows = await tx.manager.query<
      { category: string | null; partner: string | null; n: number; q: number[] }[]
    >(
      `SELECT n.category, r.partner_id::text AS partner, count(*)::int AS n,
              percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (
                ORDER BY extract(epoch FROM r.closed_at - r.created_at) / 86400) AS q
         FROM ${REFERRALS.from} AND ${REFERRALS.inRange} AND r.closed_at IS NOT NULL ${where}
        GROUP BY GROUPING SETS ((n.category), (r.partner_id))`,
      [organisationId, ...this.bounds(request), ...params],
    );
    const publish = (group: string, row: (typeof rows)[number] | undefined): OutcomeTimes => {
      if (row === undefined || row.n < request.tier.k) return { group, days: null };
      const [q1, median, q3] = row.q.map((d) => Math.round(d * 10) / 10) as [
        number,
        number,
        number,
      ];
      return { group, days: { q1, median, q3 } };
    };
    const partners = request.partners.map((p) => p.id);
    return {
      meta: this.meta(request),
      byCategory: NEED_CATEGORIES.map((c) =>
        publish(
          c,
          rows.find((r) => r.category === c),
        ),
      ),
      byPartner: partners.map((p) =>
        publish(
          p,
          rows.find((r) => r.partner === p),
        ),
      ),
    };
  }

  /**
   * People reached (group contacts count their headcount): one table channel × individual or
   * group × language × location type, so its three views share their margins. Per circumstance
   * tag, the entry of that tag's filter table (the same one `circumstance=<tag>` serves), so the
   * breakdown agrees with every filtered report.
   */
  async contacts(organisationId: string, request: ReportRequest): Promise<ContactsReport> {
    const filter = request.filter;
    if (filter !== null) {
      const cube = await this.cube(
        organisationId,
        request,
        CONTACTS,
        CONTACT_KEYS,
        CONTACT_DIMENSIONS,
        filter.attribute === 'channel' ? 0 : filter.attribute === 'language' ? 2 : null,
      );
      return { meta: this.meta(request), ...contactViews(cube), byCircumstance: [] };
    }
    const { all, withTag } = await this.contactCounts(organisationId, request);
    const cube = ReportCube.protect(CONTACT_DIMENSIONS, all, request.tier);
    return {
      meta: this.meta(request),
      ...contactViews(cube),
      byCircumstance: CIRCUMSTANCES.map((circumstance) => {
        // The tag's filter table (with the tag, without), protected against the unfiltered
        // one just as `circumstance=<tag>` protects it: its total is what that report shows.
        const rows: CountRow[] = all.flatMap((row) => {
          const n = withTag.get(`${circumstance}|${row.keys.join('|')}`) ?? 0;
          return [
            { keys: [...row.keys, WITH], count: n },
            { keys: [...row.keys, WITHOUT], count: row.count - n },
          ];
        });
        const tagged = ReportCube.protect(CONTACT_DIMENSIONS, rows, request.tier, {
          dimension: { values: [WITH, WITHOUT] },
          value: WITH,
          margin: cube,
        });
        return { circumstance, people: count(tagged.at(CONTACT_DIMENSIONS.map(() => TOTAL))) };
      }),
    };
  }

  /**
   * People reached by the contacts table's keys, and by keys and circumstance tag, in one scan:
   * each contact is counted once with no tag (the unfiltered table) and once per tag it has.
   */
  private async contactCounts(
    organisationId: string,
    request: ReportRequest,
  ): Promise<{ all: CountRow[]; withTag: Map<string, number> }> {
    const keys = CONTACT_KEYS.map((_, i) => `k${i}`);
    const result = await this.db.current().manager.query<Record<string, string | number | null>[]>(
      `SELECT ${keys.join(', ')}, tag, sum(h)::int AS n
         FROM (SELECT ${CONTACT_KEYS.map((e, i) => `${e} AS k${i}`).join(', ')},
                      unnest(array_append(c.circumstances, NULL::text)) AS tag, c.headcount AS h
                 FROM ${CONTACTS.from} AND ${CONTACTS.inRange}) tagged
        GROUP BY ${keys.map((_, i) => i + 1).join(', ')}, tag`,
      [organisationId, ...this.bounds(request)],
    );
    const all: CountRow[] = [];
    const withTag = new Map<string, number>();
    for (const r of result) {
      const rowKeys = keys.map((k) => String(r[k]));
      if (r['tag'] === null) all.push({ keys: rowKeys, count: Number(r['n']) });
      else withTag.set(`${String(r['tag'])}|${rowKeys.join('|')}`, Number(r['n']));
    }
    return { all, withTag };
  }

  // ---- tables -----------------------------------------------------------------------------

  /** Needs identified: category × status × month. */
  private async needsCube(organisationId: string, request: ReportRequest): Promise<ReportCube> {
    const dimensions: Dimension[] = [
      { values: NEED_CATEGORIES },
      { values: NEED_STATUSES },
      { values: request.months },
    ];
    return this.cube(
      organisationId,
      request,
      NEEDS,
      ['n.category', 'n.status', NEEDS.month],
      dimensions,
      request.filter?.attribute === 'category' ? 0 : null,
    );
  }

  /** Referrals made: partner × status × month. */
  private async referralsCube(organisationId: string, request: ReportRequest): Promise<ReportCube> {
    const dimensions: Dimension[] = [
      { values: request.partners.map((p) => p.id) },
      { values: REFERRAL_STATUSES },
      { values: request.months },
    ];
    return this.cube(
      organisationId,
      request,
      REFERRALS,
      ['r.partner_id::text', 'r.status', REFERRALS.month],
      dimensions,
      request.filter?.attribute === 'partner' ? 0 : null,
    );
  }

  /**
   * Aggregates a source by `keys` (and the filter attribute), and protects it. A filter on an
   * attribute that is already a dimension (`sliceDimension`: e.g. the category of the needs
   * report) selects its rows from the unfiltered table instead: that adds nothing new.
   */
  private async cube(
    organisationId: string,
    request: ReportRequest,
    source: Source,
    keys: readonly string[],
    dimensions: readonly Dimension[],
    sliceDimension: number | null,
  ): Promise<ReportCube> {
    const filter = request.filter;
    const inline = filter !== null && sliceDimension === null;
    const filterKey = inline
      ? filter.attribute === 'circumstance'
        ? circumstanceSql('$5')
        : source.filters[filter.attribute]!
      : null;
    const rows = await this.counts(
      organisationId,
      request,
      source,
      [...keys, ...(filterKey === null ? [] : [filterKey])],
      filter?.attribute === 'circumstance' && inline ? [filter.value] : [],
    );
    if (!inline) {
      const cube = ReportCube.protect(dimensions, rows, request.tier);
      if (filter === null || sliceDimension === null) return cube;
      // The filter is one of the table's own dimensions: the rows of that value.
      return cube.restrictedTo(
        sliceDimension,
        dimensions[sliceDimension]!.values.indexOf(filter.value),
      );
    }
    // A circumstance tag splits the records in two: with the tag, and without.
    return ReportCube.protect(
      dimensions,
      rows,
      request.tier,
      filter.attribute === 'circumstance'
        ? { dimension: { values: [WITH, WITHOUT] }, value: WITH }
        : {
            dimension: {
              values: reportFilterValues(
                filter.attribute,
                request.partners.map((p) => p.id),
              ),
            },
            value: filter.value,
          },
    );
  }

  /** One row per non-zero combination of `select` (SQL expressions), with its measure. */
  private async counts(
    organisationId: string,
    request: ReportRequest,
    source: Source,
    select: readonly string[],
    params: readonly string[],
  ): Promise<CountRow[]> {
    const result = await this.db.current().manager.query<Record<string, string | number>[]>(
      `SELECT ${select.map((e, i) => `${e} AS k${i}`).join(', ')}, ${source.measure}::int AS n
         FROM ${source.from} AND ${source.inRange}
        GROUP BY ${select.map((_, i) => i + 1).join(', ')}`,
      [organisationId, ...this.bounds(request), ...params],
    );
    return result.map((r) => ({
      keys: select.map((_, i) => String(r[`k${i}`])),
      count: Number(r['n']),
    }));
  }

  // ---- helpers ----------------------------------------------------------------------------

  /**
   * `$2`, `$3`, `$4` of every query: the first day of the first month, the first day after the
   * last month, and the people never counted.
   */
  private bounds(request: ReportRequest): [string, string, readonly string[]] {
    const first = request.months[0]!;
    const after = addMonths(request.months.at(-1)!, 1);
    return [`${first}-01`, `${after}-01`, request.excludedPeople];
  }

  /** The filter as a WHERE condition (for reports that narrow rather than add a dimension). */
  private filterCondition(
    source: Source,
    request: ReportRequest,
    param: number,
  ): { where: string; params: string[] } {
    const filter = request.filter;
    if (filter === null) return { where: '', params: [] };
    if (filter.attribute === 'circumstance') {
      return { where: `AND $${param} = ANY(c.circumstances)`, params: [filter.value] };
    }
    return {
      where: `AND ${source.filters[filter.attribute]!} = $${param}`,
      params: [filter.value],
    };
  }

  /** What a report needs of its organisation, in one round trip: its k and its partners. */
  private async organisation(
    organisationId: string,
  ): Promise<{ reportK: number; partners: ReportRequest['partners'] }> {
    const [row] = await this.db
      .current()
      .manager.query<{ report_k: number; partners: { id: string; name: string }[] }[]>(
        `SELECT o.report_k,
              (SELECT coalesce(json_agg(json_build_object('id', p.id, 'name', p.name)
                                        ORDER BY p.created_at, p.id), '[]')
                 FROM partner p WHERE p.organisation_id = o.id) AS partners
         FROM organisation o WHERE o.id = $1`,
        [organisationId],
      );
    return { reportK: row!.report_k, partners: row!.partners };
  }

  private meta(request: ReportRequest): ReportMeta {
    return {
      report: request.report,
      from: request.months[0]!,
      to: request.months.at(-1)!,
      months: request.months,
      tier: request.tier.name,
      k: request.tier.k,
      roundedTo: request.tier.roundTo,
      filter: request.filter,
      partners: Object.fromEntries(request.partners.map((p) => [p.id, p.name])),
    };
  }
}

/** A rate from two published counts (`protectRate`), null when suppressed. */
function rate(
  numerator: ReportCount,
  denominator: ReportCount,
  tier: DisclosureTier,
): number | null {
  const published = protectRate(
    numerator === null ? { suppressed: true } : { suppressed: false, value: numerator },
    denominator === null ? { suppressed: true } : { suppressed: false, value: denominator },
    tier,
  );
  return published.suppressed ? null : Math.round(published.value * 1000) / 1000;
}

/** The contacts report's three views of its one table: channel, location, language × kind. */
function contactViews(
  cube: ReportCube,
): Pick<ContactsReport, 'byChannel' | 'byLocation' | 'byLanguage'> {
  return {
    byChannel: cube.table(0, 1),
    byLocation: cube.table(3, 1),
    byLanguage: cube.table(2, 1),
  };
}
