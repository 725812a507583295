import { Injectable } from '@nestjs/common';
import {
  NOT_RECORDED,
  OUTCOME_DOMAINS,
  REPORT_FILTERS,
  type ReportFilterAttribute,
} from '@harbour/domain';
import type { Tx } from '../../infra/database/transaction';
import { query, statement, type Statement } from '../sql';

/** Counts keyed by each dimension's value, as SQL returns them (one row per non-zero cell). */
export interface CountRow {
  readonly keys: readonly string[];
  readonly count: number;
}

/** The kinds of record the reports count, each read by the quarter it was entered in. */
export type ReportSource = 'needs' | 'referrals' | 'contacts' | 'checkIns' | 'disclosures';

/** SQL for one kind of record: where it comes from, what it counts, how each attribute reads. */
interface Source {
  readonly from: string;
  /** When the record was entered: it counts in that month (docs/adr/0007). */
  readonly enteredAt: string;
  /** What a record counts for: one, or a group contact's headcount. */
  readonly measure: string;
  readonly attributes: Readonly<Partial<Record<ReportFilterAttribute, string>>>;
  /** The record's circumstance tags. */
  readonly circumstances: string;
}

// People without reporting consent in force are left out: a record linked to a person counts
// only when that person agreed (docs/design.md §8). Anonymous records have nobody to ask and count.
// Canary people (decoys, `:excluded`) are never counted.
const NEEDS: Source = {
  from: `support_need n
    LEFT JOIN person p ON p.organisation_id = n.organisation_id AND p.id = n.person_id
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE n.organisation_id = :organisationId AND (n.person_id IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[])))`,
  enteredAt: 'n.created_at',
  measure: 'count(*)',
  attributes: {
    language: `coalesce(p.language_group, c.language_group, '${NOT_RECORDED}')`,
    channel: `coalesce(c.channel, '${NOT_RECORDED}')`,
    region: `coalesce(p.region_of_origin, 'unknown')`,
    category: 'n.category',
  },
  circumstances: `coalesce(c.circumstances, '{}')`,
};

const REFERRALS: Source = {
  from: `referral r
    JOIN support_need n ON n.organisation_id = r.organisation_id AND n.id = r.need_id
    LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = coalesce(r.person_id, n.person_id)
    LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
    WHERE r.organisation_id = :organisationId AND (coalesce(r.person_id, n.person_id) IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[])))`,
  enteredAt: 'r.created_at',
  measure: 'count(*)',
  attributes: { ...NEEDS.attributes, partner: 'r.partner_id::text' },
  circumstances: NEEDS.circumstances,
};

const CONTACTS: Source = {
  from: `contact c
    LEFT JOIN person p ON p.organisation_id = c.organisation_id AND p.id = c.person_id
    WHERE c.organisation_id = :organisationId AND (c.person_id IS NULL OR (p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[])))`,
  enteredAt: 'c.created_at',
  measure: 'sum(c.headcount)',
  attributes: {
    language: `coalesce(c.language_group, '${NOT_RECORDED}')`,
    channel: 'c.channel',
    region: `coalesce(p.region_of_origin, 'unknown')`,
  },
  circumstances: 'c.circumstances',
};

/** A check-in domain's rating column (the domains are the columns' names). */
const ratingOf = (alias: string) =>
  `CASE d.domain ${OUTCOME_DOMAINS.map((x) => `WHEN '${x}' THEN ${alias}.${x}`).join(' ')} END`;

/**
 * Follow-up ratings (docs/adr/0007; `OutcomeChangeReport`): one row per domain rated at a
 * check-in of someone who had rated it before, with that previous rating — the latest check-in
 * dated on or before it among those entered before it, so a rating's comparison is fixed when it
 * is entered. Counted in the month the check-in was entered.
 */
const CHECK_INS: Source = {
  from: `outcome_check_in ci
    CROSS JOIN LATERAL (VALUES ${OUTCOME_DOMAINS.map((x) => `('${x}', ci.${x})`).join(', ')}) d(domain, rating)
    CROSS JOIN LATERAL (
      SELECT ${ratingOf('pr')} AS rating FROM outcome_check_in pr
       WHERE pr.organisation_id = ci.organisation_id AND pr.person_id = ci.person_id
         AND (pr.created_at, pr.id) < (ci.created_at, ci.id) AND pr.checked_on <= ci.checked_on
         AND ${ratingOf('pr')} IS NOT NULL
       ORDER BY pr.checked_on DESC, pr.created_at DESC, pr.id DESC LIMIT 1) prev
    JOIN person p ON p.organisation_id = ci.organisation_id AND p.id = ci.person_id
    WHERE ci.organisation_id = :organisationId AND d.rating IS NOT NULL
      AND p.consent_to_reporting AND p.id <> ALL (:excluded::uuid[])`,
  enteredAt: 'ci.created_at',
  measure: 'count(*)',
  attributes: {},
  circumstances: `'{}'::text[]`,
};

/**
 * Disclosure requests (issue 18): one row per request, counted in the month it was recorded, by
 * authority and outcome as it stands when its quarter is published (disclosed, refused, or
 * neither: recorded). No people, no filters.
 */
const DISCLOSURES: Source = {
  from: `disclosure_request dr WHERE dr.organisation_id = :organisationId`,
  enteredAt: 'dr.created_at',
  measure: 'count(*)',
  attributes: {},
  circumstances: `'{}'::text[]`,
};

const SOURCES: Readonly<Record<ReportSource, Source>> = {
  needs: NEEDS,
  referrals: REFERRALS,
  contacts: CONTACTS,
  checkIns: CHECK_INS,
  disclosures: DISCLOSURES,
};

/** The columns each report table is keyed by (its own dimensions), in dimension order. */
const KEYS: Readonly<Record<ReportSource, readonly string[]>> = {
  needs: ['n.category', 'n.status', `to_char(n.created_at AT TIME ZONE 'UTC', 'YYYY-MM')`],
  referrals: [
    'r.partner_id::text',
    'r.status',
    `to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM')`,
  ],
  contacts: ['c.channel', 'c.kind', CONTACTS.attributes.language!, 'c.location_type'],
  checkIns: [
    'd.domain',
    `CASE WHEN d.rating > prev.rating THEN 'improved' WHEN d.rating < prev.rating THEN 'worsened' ELSE 'same' END`,
    `to_char(ci.created_at AT TIME ZONE 'UTC', 'YYYY-MM')`,
  ],
  disclosures: [
    'dr.authority',
    `CASE WHEN dr.disclosed_at IS NOT NULL THEN 'disclosed' WHEN dr.refusal_reason IS NOT NULL THEN 'refused' ELSE 'recorded' END`,
    `to_char(dr.created_at AT TIME ZONE 'UTC', 'YYYY-MM')`,
  ],
};

/** The parameters of every counting statement: records entered in [start, end). */
interface CountParams {
  organisationId: string;
  start: Date;
  end: Date;
  /** Canary people, never counted. */
  excluded: readonly string[];
}

type Row = Record<string, string | number>;

const capitalised = (name: string): string => name.charAt(0).toUpperCase() + name.slice(1);

/**
 * The counting statements are a fixed set of named variants, one per kind of record and
 * filter attribute (the attribute's value is one more key column), all declared here so each
 * is committed to `apps/api/sql/reports.sql` and planned on its own. The attribute is a key,
 * not a filter, so no index hangs on it; but where a need's or referral's keys do not read its
 * contact (unfiltered, by category, region or partner) PostgreSQL drops that LEFT JOIN, which a
 * `CASE :attribute …` key would keep in a generic plan.
 */
function countsStatement(
  source: ReportSource,
  attribute?: ReportFilterAttribute,
): CountsVariant | null {
  const s = SOURCES[source];
  const extra = attribute === undefined ? [] : [s.attributes[attribute]];
  if (extra.includes(undefined)) return null;
  const select = [...KEYS[source], ...(extra as string[])];
  const name = `reports.${source}Counts${attribute === undefined ? '' : `By${capitalised(attribute)}`}`;
  const stmt = statement<CountParams, Row>(
    name,
    `SELECT ${select.map((e, i) => `${e} AS k${i}`).join(', ')}, ${s.measure}::int AS n
       FROM ${s.from} AND ${s.enteredAt} >= :start AND ${s.enteredAt} < :end
      GROUP BY ${select.map((_, i) => i + 1).join(', ')}`,
  );
  return { stmt, keys: select.length };
}

interface CountsVariant {
  readonly stmt: Statement<CountParams, Row>;
  /** Key columns, k0 … */
  readonly keys: number;
}

/** A source's unfiltered counts (key ''), and its counts by each attribute it has. */
function countsVariants(
  source: ReportSource,
): ReadonlyMap<ReportFilterAttribute | '', CountsVariant> {
  return new Map(
    (['', ...REPORT_FILTERS] as const).flatMap((attribute) => {
      const made = countsStatement(source, attribute === '' ? undefined : attribute);
      return made === null ? [] : [[attribute, made] as const];
    }),
  );
}

/** A source's counts by its own dimensions and circumstance tag, in one scan. */
function tagCountsStatement(source: ReportSource): Statement<CountParams, Row> {
  const s = SOURCES[source];
  const keys = KEYS[source].map((_, i) => `k${i}`);
  return statement<CountParams, Row>(
    `reports.${source}TagCounts`,
    `SELECT ${keys.join(', ')}, tag, sum(m)::int AS n
       FROM (SELECT ${KEYS[source].map((e, i) => `${e} AS k${i}`).join(', ')},
                    unnest(${s.circumstances}) AS tag,
                    ${s.measure === 'count(*)' ? '1' : 'c.headcount'} AS m
               FROM ${s.from} AND ${s.enteredAt} >= :start AND ${s.enteredAt} < :end) tagged
      GROUP BY ${keys.map((_, i) => i + 1).join(', ')}, tag`,
  );
}

const COUNTS: Readonly<
  Record<ReportSource, ReadonlyMap<ReportFilterAttribute | '', CountsVariant>>
> = {
  needs: countsVariants('needs'),
  referrals: countsVariants('referrals'),
  contacts: countsVariants('contacts'),
  checkIns: countsVariants('checkIns'),
  disclosures: countsVariants('disclosures'),
};

/** Check-ins and disclosure requests carry no circumstance tags. */
const TAG_COUNTS: Readonly<Partial<Record<ReportSource, Statement<CountParams, Row>>>> = {
  needs: tagCountsStatement('needs'),
  referrals: tagCountsStatement('referrals'),
  contacts: tagCountsStatement('contacts'),
};

interface OutcomeSqlRow {
  value: string | null;
  by_partner: number;
  category: string | null;
  partner: string | null;
  n: number;
  q: number[];
}

/**
 * Outcome times for all referrals (key '') and by each attribute; a set-returning value (the
 * circumstance tags) gives a referral one row per tag it carries.
 */
const OUTCOMES = new Map(
  (['', ...REPORT_FILTERS] as const).flatMap((attribute) => {
    const value =
      attribute === ''
        ? 'NULL::text'
        : attribute === 'circumstance'
          ? `unnest(${REFERRALS.circumstances})`
          : REFERRALS.attributes[attribute];
    if (value === undefined) return [];
    const stmt = statement<CountParams, OutcomeSqlRow>(
      `reports.outcomes${attribute === '' ? '' : `By${capitalised(attribute)}`}`,
      `SELECT x.value, GROUPING(x.category) AS by_partner, x.category, x.partner,
              count(*)::int AS n,
              percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY x.days) AS q
         FROM (SELECT ${value} AS value, n.category, r.partner_id::text AS partner,
                      extract(epoch FROM r.closed_at - r.created_at) / 86400 AS days
                 FROM ${REFERRALS.from} AND r.closed_at >= :start AND r.closed_at < :end) x
        GROUP BY GROUPING SETS ((x.value, x.category), (x.value, x.partner))`,
    );
    return [[attribute, stmt] as const];
  }),
);

const organisation = statement<
  { organisationId: string },
  { report_k: number; partners: { id: string; name: string }[] }
>(
  'reports.organisation',
  `SELECT o.report_k,
          (SELECT coalesce(json_agg(json_build_object('id', p.id, 'name', p.name)
                                    ORDER BY p.created_at, p.id), '[]')
             FROM partner p WHERE p.organisation_id = o.id) AS partners
     FROM organisation o WHERE o.id = :organisationId`,
);

const slices = statement<
  {
    organisationId: string;
    family: string;
    periods: readonly string[];
    tier: string;
    slice: string;
  },
  { period: string; published_at: Date; k: number; slice: unknown }
>(
  'reports.slices',
  `SELECT period, published_at, k, content -> 'tiers' -> :tier -> :slice AS slice
     FROM report_publication
    WHERE organisation_id = :organisationId AND family = :family AND period = ANY(:periods::text[])`,
);

const publishedPeriods = statement<
  { organisationId: string; family: string; periods: readonly string[] },
  { period: string }
>(
  'reports.publishedPeriods',
  `SELECT period FROM report_publication
    WHERE organisation_id = :organisationId AND family = :family AND period = ANY(:periods::text[])`,
);

const publish = statement<{
  organisationId: string;
  family: string;
  period: string;
  publishedAt: Date;
  k: number;
  content: string;
}>(
  'reports.publish',
  `INSERT INTO report_publication (organisation_id, family, period, published_at, k, content)
   VALUES (:organisationId, :family, :period, :publishedAt, :k, :content::jsonb) ON CONFLICT DO NOTHING`,
);

/** A slice of a stored publication as read back. */
export interface PublishedSlice {
  readonly period: string;
  readonly publishedAt: Date;
  readonly k: number;
  /** The slice's JSON, or null when the publication has no such slice. */
  readonly slice: unknown;
}

/** Quartiles of days to outcome, per group of one grouping (category or partner). */
export interface OutcomeRow {
  /** The filter attribute's value, or null for every record. */
  readonly value: string | null;
  readonly group: 'category' | 'partner';
  readonly key: string;
  readonly n: number;
  readonly quartiles: readonly [number, number, number];
}

/**
 * The reports' SQL: counts of each kind of record entered in a period, by a report's own
 * dimensions and by one filter attribute or circumstance tag, and the stored publications.
 * Everything runs in the request transaction with the tenant set.
 */
@Injectable()
export class ReportsRepository {
  /** The organisation's internal k and its partner directory (oldest first), in one statement. */
  async organisation(
    tx: Tx,
    organisationId: string,
  ): Promise<{ reportK: number; partners: { id: string; name: string }[] }> {
    const [row] = await query(tx.manager, organisation, { organisationId });
    return { reportK: row!.report_k, partners: row!.partners };
  }

  /**
   * Counts of records entered in [start, end) by the source's own dimensions, and by the
   * attribute too when given (its value last in the keys).
   */
  async counts(
    tx: Tx,
    organisationId: string,
    source: ReportSource,
    start: Date,
    end: Date,
    excluded: readonly string[],
    attribute?: ReportFilterAttribute,
  ): Promise<CountRow[]> {
    const variant = COUNTS[source].get(attribute ?? '');
    if (variant === undefined) throw new Error(`${source} are not counted by ${attribute}`);
    const result = await query(tx.manager, variant.stmt, { organisationId, start, end, excluded });
    return result.map((r) => ({
      keys: Array.from({ length: variant.keys }, (_, i) => String(r[`k${i}`])),
      count: Number(r['n']),
    }));
  }

  /**
   * Counts of records entered in [start, end) by the source's own dimensions and circumstance
   * tag, in one scan: each record once per tag it carries.
   */
  async tagCounts(
    tx: Tx,
    organisationId: string,
    source: ReportSource,
    start: Date,
    end: Date,
    excluded: readonly string[],
  ): Promise<Map<string, CountRow[]>> {
    const keys = KEYS[source].map((_, i) => `k${i}`);
    const stmt = TAG_COUNTS[source];
    if (stmt === undefined) return new Map();
    const result = await query(tx.manager, stmt, {
      organisationId,
      start,
      end,
      excluded,
    });
    const byTag = new Map<string, CountRow[]>();
    for (const r of result) {
      const tag = String(r['tag']);
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag)!.push({ keys: keys.map((k) => String(r[k])), count: Number(r['n']) });
    }
    return byTag;
  }

  /**
   * Quartiles of days from a referral being made to its final status, for referrals closed in
   * [start, end), per need category and per partner, for every value of the attribute (or for
   * all referrals).
   */
  async outcomes(
    tx: Tx,
    organisationId: string,
    start: Date,
    end: Date,
    excluded: readonly string[],
    attribute?: ReportFilterAttribute,
  ): Promise<OutcomeRow[]> {
    const stmt = OUTCOMES.get(attribute ?? '');
    if (stmt === undefined) throw new Error(`outcome times are not grouped by ${attribute}`);
    const rows = await query(tx.manager, stmt, { organisationId, start, end, excluded });
    return rows.map((r) => ({
      value: r.value,
      group: r.by_partner === 1 ? ('partner' as const) : ('category' as const),
      key: (r.by_partner === 1 ? r.partner : r.category)!,
      n: r.n,
      quartiles: [r.q[0]!, r.q[1]!, r.q[2]!] as const,
    }));
  }

  /**
   * One tier's slice of stored publications of one family (the rest of each publication stays
   * in the database), with when and how each was published; periods not stored are absent.
   */
  async slices(
    tx: Tx,
    organisationId: string,
    family: string,
    periods: readonly string[],
    tier: string,
    slice: string,
  ): Promise<PublishedSlice[]> {
    const rows = await query(tx.manager, slices, { organisationId, family, periods, tier, slice });
    return rows.map((r) => ({
      period: r.period,
      publishedAt: r.published_at,
      k: r.k,
      slice: r.slice,
    }));
  }

  /** Which of these periods have a stored publication of one family. */
  async publishedPeriods(
    tx: Tx,
    organisationId: string,
    family: string,
    periods: readonly string[],
  ): Promise<string[]> {
    const rows = await query(tx.manager, publishedPeriods, { organisationId, family, periods });
    return rows.map((r) => r.period);
  }

  /**
   * Stores a publication unless one is there already (two first requests at once: the first to
   * commit wins, and both then serve what was stored).
   */
  async publish(
    tx: Tx,
    organisationId: string,
    family: string,
    period: string,
    k: number,
    publishedAt: Date,
    content: unknown,
  ): Promise<void> {
    await query(tx.manager, publish, {
      organisationId,
      family,
      period,
      publishedAt,
      k,
      content: JSON.stringify(content),
    });
  }
}
