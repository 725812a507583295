import {
  CIRCUMSTANCES,
  CONTACT_CHANNELS,
  EXTERNAL_TIER,
  FUNNEL_STAGES,
  LANGUAGE_GROUPS,
  NOT_RECORDED,
  REGIONS_OF_ORIGIN,
  type ContactsReport,
  type FunnelReport,
  type NeedsReport,
  type ReferralsReport,
  type ReportName,
  type ReportQuery,
  type ReportTable,
  type ReportTierName,
  type TimeToOutcomeReport,
} from '@harbour/domain';

/**
 * What the serving half of the benchmark runs: each report over a year of stored quarters as the
 * API serves it, next to the SQL an analyst would write by hand for the same figures with no
 * disclosure control — one statement per report, with the same consent rule, counting each
 * record in the month and quarter it was entered (`created_at`, UTC). A report over a year shows
 * quarter columns and adds its quarters' published figures up, so the counting statements group
 * by quarter in every grouping set; the check adds the quarters up (for the external tier, each
 * quarter's figure rounded to 5 first, as that tier publishes them). `check` proves the two
 * equivalent on every run: each number the report publishes must equal the hand SQL's.
 */

export type HandRow = Readonly<Record<string, string | number | number[] | null>>;

export interface Subject {
  readonly id: string;
  readonly label: string;
  readonly report: ReportName;
  /** The query string, less the period (added by the caller). */
  readonly query: Omit<ReportQuery, 'period'>;
  /** The hand-written statement: `$1` organisation, `$2`/`$3` the year's bounds, `$4` the filter. */
  readonly sql: string;
  readonly params: readonly string[];
  /** Throws when a published number differs from the hand SQL; returns how many were compared. */
  check(report: unknown, rows: readonly HandRow[]): number;
}

// ---- the hand-written SQL ------------------------------------------------------------------

/** Records behind each report, with the consent rule (docs/design.md §8) written out by hand. */
const NEEDS_FROM = `support_need n
  LEFT JOIN person p ON p.organisation_id = n.organisation_id AND p.id = n.person_id
  WHERE n.organisation_id = $1 AND (n.person_id IS NULL OR p.consent_to_reporting)`;
const REFERRALS_FROM = `referral r
  JOIN support_need n ON n.organisation_id = r.organisation_id AND n.id = r.need_id
  LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = coalesce(r.person_id, n.person_id)
  WHERE r.organisation_id = $1 AND (coalesce(r.person_id, n.person_id) IS NULL OR p.consent_to_reporting)`;
const CONTACTS_FROM = `contact c
  LEFT JOIN person p ON p.organisation_id = c.organisation_id AND p.id = c.person_id
  WHERE c.organisation_id = $1 AND (c.person_id IS NULL OR p.consent_to_reporting)`;

/** The same records with the need's contact joined (for the contact's attributes). */
const withContact = (from: string) =>
  from.replace(
    '\n  WHERE',
    `\n  LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id\n  WHERE`,
  );

/** Entered in the year (`$2` ≤ column < `$3`). */
const entered = (column: string) =>
  `AND ${column} >= $2::timestamptz AND ${column} < $3::timestamptz`;
const quarterOf = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-"Q"Q')`;
const monthOf = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM')`;

/** Category × status × month, by quarter. */
const needsSql = (from: string, where = '') => `
SELECT ${quarterOf('n.created_at')} AS q, n.category, n.status, ${monthOf('n.created_at')} AS month,
       count(*)::int AS n
  FROM ${from} ${entered('n.created_at')} ${where}
 GROUP BY GROUPING SETS ((1, 2, 4), (1, 2), (1, 4), (1), (1, 2, 3), (1, 3))`;

/** Partner × status × month, by quarter; each partner's rates over the year. */
const referralsSql = (from: string, where = '') => `
SELECT ${quarterOf('r.created_at')} AS q, r.partner_id::text AS partner, r.status,
       ${monthOf('r.created_at')} AS month, count(*)::int AS n,
       (count(*) FILTER (WHERE r.status IN ('accepted', 'completed')))::float8
         / nullif(count(*) FILTER (WHERE r.status IN ('accepted', 'completed', 'declined_by_partner')), 0) AS acceptance,
       (count(*) FILTER (WHERE r.status = 'completed'))::float8
         / nullif(count(*) FILTER (WHERE r.status IN ('accepted', 'completed')), 0) AS completion
  FROM ${from} ${entered('r.created_at')} ${where}
 GROUP BY GROUPING SETS ((1, 2, 3), (1, 2), (1, 3), (1), (1, 2, 4), (1, 4), (2))`;

/**
 * Needs recorded, then referrals made and by status (accepted = accepted + completed), by month
 * and quarter.
 */
const funnelSql = (where = '') => `
SELECT 'identified' AS stage, ${quarterOf('n.created_at')} AS q, ${monthOf('n.created_at')} AS month,
       count(*)::int AS n
  FROM ${where === '' ? NEEDS_FROM : withContact(NEEDS_FROM)} ${entered('n.created_at')} ${where}
 GROUP BY GROUPING SETS ((2, 3), (2))
UNION ALL
SELECT CASE WHEN GROUPING(r.status) = 1 THEN 'referred' ELSE r.status END,
       ${quarterOf('r.created_at')}, ${monthOf('r.created_at')}, count(*)::int
  FROM ${where === '' ? REFERRALS_FROM : withContact(REFERRALS_FROM)} ${entered('r.created_at')} ${where}
 GROUP BY GROUPING SETS ((r.status, 2, 3), (r.status, 2), (2, 3), (2))`;

/** Quartiles of days to outcome for referrals closed in the year, per category and partner. */
const outcomeSql = (where = '') => `
SELECT n.category, r.partner_id::text AS partner,
       count(*)::int AS n,
       percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (
         ORDER BY extract(epoch FROM r.closed_at - r.created_at) / 86400) AS quartiles
  FROM ${REFERRALS_FROM} ${entered('r.closed_at')} ${where}
 GROUP BY GROUPING SETS ((n.category), (r.partner_id))`;

const CONTACT_LANGUAGE = `coalesce(c.language_group, '${NOT_RECORDED}')`;
/**
 * People reached by channel, location and language × kind, by quarter; and per circumstance tag
 * (shown only without a filter).
 */
const contactsSql = (where = '') => `
SELECT ${quarterOf('c.created_at')} AS q, c.channel, c.kind, ${CONTACT_LANGUAGE} AS language,
       c.location_type, NULL AS tag, sum(c.headcount)::int AS n
  FROM ${CONTACTS_FROM} ${entered('c.created_at')} ${where}
 GROUP BY GROUPING SETS ((1, 2, 3), (1, 2), (1, 3), (1), (1, 5, 3), (1, 5), (1, 4, 3), (1, 4))${
   where !== ''
     ? ''
     : `
UNION ALL
SELECT ${quarterOf('c.created_at')}, NULL, NULL, NULL, NULL, tag, sum(c.headcount)::int
  FROM ${CONTACTS_FROM.replace('\n  LEFT JOIN', '\n  CROSS JOIN LATERAL unnest(c.circumstances) AS tag\n  LEFT JOIN')}
       ${entered('c.created_at')}
 GROUP BY 1, tag`
 }`;

// ---- checks ---------------------------------------------------------------------------------

/** A tier's published value of one quarter's count: exact, or rounded to 5 (halves up). */
function tierValue(tier: ReportTierName): (n: number) => number {
  const base = EXTERNAL_TIER.roundTo!;
  return tier === 'external' ? (n) => Math.floor(n / base + 0.5) * base : (n) => n;
}

/**
 * Hand rows by their key columns (a rolled-up column, NULL in SQL, is `*`), per quarter (`q`),
 * and the rows over the whole year (no quarter). `count(key)` adds a key's quarters up, each as
 * the tier publishes it; absent rows count zero.
 */
class Hand {
  private readonly quarters = new Map<string, number[]>();
  private readonly byQuarter = new Map<string, number>();
  private readonly years = new Map<string, HandRow>();

  constructor(
    rows: readonly HandRow[],
    columns: readonly string[],
    private readonly value: (n: number) => number,
  ) {
    for (const row of rows) {
      const key = columns.map((c) => (row[c] === null ? '*' : String(row[c]))).join('|');
      const q = row['q'] ?? null;
      const n = Number(row['n']);
      if (q === null) {
        if (this.years.has(key)) throw new Error(`hand SQL returned ${key} twice`);
        this.years.set(key, row);
        continue;
      }
      const at = `${String(q)}@${key}`;
      if (this.byQuarter.has(at)) throw new Error(`hand SQL returned ${at} twice`);
      this.byQuarter.set(at, n);
      this.quarters.set(key, [...(this.quarters.get(key) ?? []), n]);
    }
  }

  /** The key over the year: its quarters, each as published, added up. */
  count(key: string): number {
    return (this.quarters.get(key) ?? []).reduce((sum, n) => sum + this.value(n), 0);
  }

  /** The key in one quarter, as published. */
  inQuarter(quarter: string, key: string): number {
    return this.value(this.byQuarter.get(`${quarter}@${key}`) ?? 0);
  }

  /** A row over the whole year (no quarter). */
  year(key: string): HandRow | undefined {
    return this.years.get(key);
  }
}

function expectEqual(what: string, published: number, expected: number): void {
  if (published !== expected) {
    throw new Error(`${what}: the report publishes ${published}, the hand SQL says ${expected}`);
  }
}

/**
 * Every published cell and total of `table` against the hand figures; `expected(row, column)`
 * gives the figure of an entry (`*` for a total).
 */
function checkTable(
  name: string,
  table: ReportTable,
  expected: (row: string, column: string) => number,
  withColumnTotals = true,
): number {
  let compared = 0;
  const compare = (row: string, column: string, published: number | null) => {
    if (published === null) return;
    expectEqual(`${name} ${row} × ${column}`, published, expected(row, column));
    compared++;
  };
  table.rows.forEach((r, i) => {
    table.columns.forEach((c, j) => compare(r, c, table.cells[i]![j]!));
    compare(r, '*', table.rowTotals[i]!);
  });
  if (withColumnTotals) {
    table.columns.forEach((c, j) => compare('*', c, table.columnTotals[j]!));
    compare('*', '*', table.total);
  }
  return compared;
}

/** A by-quarter table (rows × quarters) whose entries are `key(row)` in each quarter. */
function checkQuarters(
  name: string,
  table: ReportTable,
  hand: Hand,
  key: (row: string) => string,
  withColumnTotals = true,
): number {
  return checkTable(
    name,
    table,
    (r, q) => (q === '*' ? hand.count(key(r)) : hand.inQuarter(q, key(r))),
    withColumnTotals,
  );
}

const checkNeeds =
  (tier: ReportTierName) =>
  (report: unknown, rows: readonly HandRow[]): number => {
    const r = report as NeedsReport;
    const hand = new Hand(rows, ['category', 'status', 'month'], tierValue(tier));
    return (
      checkTable('by month', r.byMonth, (c, m) => hand.count(`${c}|*|${m}`)) +
      checkTable('by status', r.byStatus, (c, s) => hand.count(`${c}|${s}|*`)) +
      checkQuarters('by quarter', r.byQuarter, hand, (c) => `${c}|*|*`)
    );
  };

const checkReferrals =
  (tier: ReportTierName) =>
  (report: unknown, rows: readonly HandRow[]): number => {
    const r = report as ReferralsReport;
    const hand = new Hand(rows, ['partner', 'status', 'month'], tierValue(tier));
    let compared =
      checkTable('by status', r.byStatus, (p, s) => hand.count(`${p}|${s}|*`)) +
      checkTable('by month', r.byMonth, (p, m) => hand.count(`${p}|*|${m}`)) +
      checkQuarters('by quarter', r.byQuarter, hand, (p) => `${p}|*|*`);
    const statuses = (p: string, wanted: readonly string[]) =>
      wanted.reduce((sum, s) => sum + hand.count(`${p}|${s}|*`), 0);
    for (const rate of r.rates) {
      // Exact counts: the SQL's rate over the year; rounded ones: the rate of the rounded counts.
      const accepted = statuses(rate.partner, ['accepted', 'completed']);
      const expected = {
        acceptance:
          tier === 'internal'
            ? Number(hand.year(`${rate.partner}|*|*`)?.['acceptance'])
            : accepted / statuses(rate.partner, ['accepted', 'completed', 'declined_by_partner']),
        completion:
          tier === 'internal'
            ? Number(hand.year(`${rate.partner}|*|*`)?.['completion'])
            : statuses(rate.partner, ['completed']) / accepted,
      };
      for (const which of ['acceptance', 'completion'] as const) {
        if (rate[which] === null) continue;
        expectEqual(
          `${which} of ${rate.partner}`,
          rate[which],
          Math.round(expected[which] * 1000) / 1000,
        );
        compared++;
      }
    }
    return compared;
  };

/** The hand statement's stages that make up each funnel stage. */
const FUNNEL_PARTS: Readonly<Record<(typeof FUNNEL_STAGES)[number], readonly string[]>> = {
  identified: ['identified'],
  referred: ['referred'],
  accepted: ['accepted', 'completed'],
  completed: ['completed'],
};

const checkFunnel =
  (tier: ReportTierName) =>
  (report: unknown, rows: readonly HandRow[]): number => {
    const r = report as FunnelReport;
    if (r.byMonth.rows.join() !== FUNNEL_STAGES.join()) throw new Error('funnel stages differ');
    const hand = new Hand(rows, ['stage', 'month'], tierValue(tier));
    const parts = (stage: string) => FUNNEL_PARTS[stage as (typeof FUNNEL_STAGES)[number]];
    // Stages are not parts of a whole: no column totals.
    return (
      checkTable(
        'funnel by month',
        r.byMonth,
        (s, m) => parts(s).reduce((sum, part) => sum + hand.count(`${part}|${m}`), 0),
        false,
      ) +
      checkTable(
        'funnel by quarter',
        r.byQuarter,
        (s, q) =>
          parts(s).reduce(
            (sum, part) =>
              sum + (q === '*' ? hand.count(`${part}|*`) : hand.inQuarter(q, `${part}|*`)),
            0,
          ),
        false,
      )
    );
  };

const checkOutcome = (report: unknown, rows: readonly HandRow[]): number => {
  const r = report as TimeToOutcomeReport;
  const hand = new Hand(rows, ['category', 'partner'], (n) => n);
  let compared = 0;
  const compare = (key: string, group: TimeToOutcomeReport['byCategory'][number]) => {
    if (group.days === null) return;
    const row = hand.year(key);
    if (row === undefined) throw new Error(`no hand quartiles for ${key}`);
    if (Number(row['n']) < r.meta.k) throw new Error(`${key}: quartiles of fewer than k`);
    const [q1, median, q3] = (row['quartiles'] as number[]).map((d) => Math.round(d * 10) / 10);
    expectEqual(`q1 ${key}`, group.days.q1, q1!);
    expectEqual(`median ${key}`, group.days.median, median!);
    expectEqual(`q3 ${key}`, group.days.q3, q3!);
    compared += 3;
  };
  for (const g of r.byCategory) compare(`${g.group}|*`, g);
  for (const g of r.byPartner) compare(`*|${g.group}`, g);
  return compared;
};

const checkContacts =
  (tier: ReportTierName, filtered: boolean) =>
  (report: unknown, rows: readonly HandRow[]): number => {
    const r = report as ContactsReport;
    const hand = new Hand(
      rows,
      ['channel', 'kind', 'language', 'location_type', 'tag'],
      tierValue(tier),
    );
    let compared =
      checkTable('by channel', r.byChannel, (ch, k) => hand.count(`${ch}|${k}|*|*|*`)) +
      checkTable('by location', r.byLocation, (l, k) => hand.count(`*|${k}|*|${l}|*`)) +
      checkTable('by language', r.byLanguage, (l, k) => hand.count(`*|${k}|${l}|*|*`));
    for (const c of r.byCircumstance) {
      if (c.people === null) continue;
      expectEqual(
        `circumstance ${c.circumstance}`,
        c.people,
        hand.count(`*|*|*|*|${c.circumstance}`),
      );
      compared++;
    }
    // Tags are shown only without a filter.
    if (r.byCircumstance.length !== (filtered ? 0 : CIRCUMSTANCES.length)) {
      throw new Error('circumstances missing');
    }
    return compared;
  };

// ---- the subjects ---------------------------------------------------------------------------

/** Filters, one per report: each adds a dimension to the table its quarter was protected as. */
export const FILTERS = {
  /** Mid-frequency, so many of its cells are small. */
  language: LANGUAGE_GROUPS[4],
  circumstance: 'post_raid',
  channel: CONTACT_CHANNELS[3],
  region: REGIONS_OF_ORIGIN[3],
} as const;

const NEED_LANGUAGE = `coalesce(p.language_group, c.language_group, '${NOT_RECORDED}')`;
const REGION = `coalesce(p.region_of_origin, 'unknown')`;

/**
 * The five reports over the year at the internal tier; each with one filter (its table gains a
 * dimension); each at the external tier (k = 11, rounded to 5).
 */
export function subjects(): Subject[] {
  const external = { tier: 'external' } as const;
  return [
    {
      id: 'needs',
      label: 'needs (category × status × month)',
      report: 'needs',
      query: {},
      sql: needsSql(NEEDS_FROM),
      params: [],
      check: checkNeeds('internal'),
    },
    {
      id: 'referrals',
      label: 'referrals (partner × status × month, rates)',
      report: 'referrals',
      query: {},
      sql: referralsSql(REFERRALS_FROM),
      params: [],
      check: checkReferrals('internal'),
    },
    {
      id: 'funnel',
      label: 'funnel (identified → referred → accepted → completed)',
      report: 'funnel',
      query: {},
      sql: funnelSql(),
      params: [],
      check: checkFunnel('internal'),
    },
    {
      id: 'time-to-outcome',
      label: 'time to outcome (quartiles per category, per partner)',
      report: 'time-to-outcome',
      query: {},
      sql: outcomeSql(),
      params: [],
      check: checkOutcome,
    },
    {
      id: 'contacts',
      label: 'contacts (channel, location, language × kind; circumstances)',
      report: 'contacts',
      query: {},
      sql: contactsSql(),
      params: [],
      check: checkContacts('internal', false),
    },
    {
      id: 'needs-language',
      label: `needs, language = ${FILTERS.language}`,
      report: 'needs',
      query: { language: FILTERS.language },
      sql: needsSql(withContact(NEEDS_FROM), `AND ${NEED_LANGUAGE} = $4`),
      params: [FILTERS.language],
      check: checkNeeds('internal'),
    },
    {
      id: 'referrals-circumstance',
      label: `referrals, circumstance = ${FILTERS.circumstance}`,
      report: 'referrals',
      query: { circumstance: FILTERS.circumstance },
      sql: referralsSql(withContact(REFERRALS_FROM), `AND $4 = ANY(c.circumstances)`),
      params: [FILTERS.circumstance],
      check: checkReferrals('internal'),
    },
    {
      id: 'funnel-channel',
      label: `funnel, channel = ${FILTERS.channel}`,
      report: 'funnel',
      query: { channel: FILTERS.channel },
      sql: funnelSql(`AND coalesce(c.channel, '${NOT_RECORDED}') = $4`),
      params: [FILTERS.channel],
      check: checkFunnel('internal'),
    },
    {
      id: 'time-to-outcome-region',
      label: `time to outcome, region = ${FILTERS.region}`,
      report: 'time-to-outcome',
      query: { region: FILTERS.region },
      sql: outcomeSql(`AND ${REGION} = $4`),
      params: [FILTERS.region],
      check: checkOutcome,
    },
    {
      id: 'contacts-region',
      label: `contacts, region = ${FILTERS.region}`,
      report: 'contacts',
      query: { region: FILTERS.region },
      sql: contactsSql(`AND ${REGION} = $4`),
      params: [FILTERS.region],
      check: checkContacts('internal', true),
    },
    {
      id: 'needs-external',
      label: 'needs, external tier',
      report: 'needs',
      query: external,
      sql: needsSql(NEEDS_FROM),
      params: [],
      check: checkNeeds('external'),
    },
    {
      id: 'referrals-external',
      label: 'referrals, external tier',
      report: 'referrals',
      query: external,
      sql: referralsSql(REFERRALS_FROM),
      params: [],
      check: checkReferrals('external'),
    },
    {
      id: 'funnel-external',
      label: 'funnel, external tier',
      report: 'funnel',
      query: external,
      sql: funnelSql(),
      params: [],
      check: checkFunnel('external'),
    },
    {
      id: 'time-to-outcome-external',
      label: 'time to outcome, external tier',
      report: 'time-to-outcome',
      query: external,
      sql: outcomeSql(),
      params: [],
      check: checkOutcome,
    },
    {
      id: 'contacts-external',
      label: 'contacts, external tier',
      report: 'contacts',
      query: external,
      sql: contactsSql(),
      params: [],
      check: checkContacts('external', false),
    },
  ];
}
