import {
  CIRCUMSTANCES,
  FUNNEL_STAGES,
  LANGUAGE_GROUPS,
  NOT_RECORDED,
  type ContactsReport,
  type FunnelReport,
  type NeedsReport,
  type ReferralsReport,
  type ReportName,
  type ReportQuery,
  type ReportTable,
  type TimeToOutcomeReport,
} from '@harbour/domain';

/**
 * What the benchmark runs: each report as the API serves it, next to the SQL an analyst would
 * write by hand for the same numbers with no disclosure control — one statement returning every
 * figure the report shows (its tables' cells and totals, rates, quartiles), with the same
 * consent rule and date range. `check` proves the two equivalent on every run: each number the
 * report publishes must equal the hand SQL's.
 */

export type HandRow = Readonly<Record<string, string | number | null>>;

export interface Subject {
  readonly id: string;
  readonly label: string;
  readonly report: ReportName;
  readonly query: ReportQuery;
  /** The hand-written statement: `$1` organisation, `$2`/`$3` date bounds, `$4` the filter. */
  readonly sql: string;
  readonly params: readonly string[];
  /** Throws when a published number differs from the hand SQL; returns how many were compared. */
  check(report: unknown, rows: readonly HandRow[]): number;
}

/** Records behind each report, with the consent rule (DESIGN.md §8) written out by hand. */
const NEEDS_FROM = `support_need n
  LEFT JOIN person p ON p.organisation_id = n.organisation_id AND p.id = n.person_id
  WHERE n.organisation_id = $1 AND (n.person_id IS NULL OR p.consent_to_reporting)
    AND n.identified_on >= $2::date AND n.identified_on < $3::date`;
const NEEDS_FROM_WITH_CONTACT = NEEDS_FROM.replace(
  '\n  WHERE',
  `\n  LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id\n  WHERE`,
);
const REFERRALS_FROM = `referral r
  JOIN support_need n ON n.organisation_id = r.organisation_id AND n.id = r.need_id
  LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = coalesce(r.person_id, n.person_id)
  WHERE r.organisation_id = $1 AND (coalesce(r.person_id, n.person_id) IS NULL OR p.consent_to_reporting)
    AND r.created_at >= $2::timestamptz AND r.created_at < $3::timestamptz`;
const REFERRALS_FROM_WITH_CONTACT = REFERRALS_FROM.replace(
  '\n  WHERE',
  `\n  LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id\n  WHERE`,
);
const CONTACTS_FROM = `contact c
  LEFT JOIN person p ON p.organisation_id = c.organisation_id AND p.id = c.person_id
  WHERE c.organisation_id = $1 AND (c.person_id IS NULL OR p.consent_to_reporting)
    AND c.occurred_on >= $2::date AND c.occurred_on < $3::date`;

const needsSql = (from: string, where = '') => `
SELECT n.category, n.status, to_char(n.identified_on, 'YYYY-MM') AS month, count(*)::int AS n
  FROM ${from} ${where}
 GROUP BY GROUPING SETS ((1, 3), (1), (3), (), (1, 2), (2))`;

const referralsSql = (from: string, where = '') => `
SELECT r.partner_id::text AS partner, r.status, to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month,
       count(*)::int AS n,
       (count(*) FILTER (WHERE r.status IN ('accepted', 'completed')))::float8
         / nullif(count(*) FILTER (WHERE r.status IN ('accepted', 'completed', 'declined_by_partner')), 0) AS acceptance,
       (count(*) FILTER (WHERE r.status = 'completed'))::float8
         / nullif(count(*) FILTER (WHERE r.status IN ('accepted', 'completed')), 0) AS completion
  FROM ${from} ${where}
 GROUP BY GROUPING SETS ((1, 2), (1), (2), (), (1, 3), (3))`;

const FUNNEL_SQL = `
SELECT 'identified' AS stage, to_char(n.identified_on, 'YYYY-MM') AS month, count(*)::int AS n
  FROM ${NEEDS_FROM}
 GROUP BY ROLLUP (2)
UNION ALL
SELECT v.stage, month, v.n
  FROM (SELECT to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS month, count(*)::int AS referred,
               (count(*) FILTER (WHERE r.status IN ('accepted', 'completed')))::int AS accepted,
               (count(*) FILTER (WHERE r.status = 'completed'))::int AS completed
          FROM ${REFERRALS_FROM}
         GROUP BY ROLLUP (1)) m
  CROSS JOIN LATERAL (VALUES ('referred', m.referred), ('accepted', m.accepted),
                             ('completed', m.completed)) AS v(stage, n)`;

const OUTCOME_SQL = `
SELECT n.category, r.partner_id::text AS partner,
       count(*)::int AS n,
       percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (
         ORDER BY extract(epoch FROM r.closed_at - r.created_at) / 86400) AS q
  FROM ${REFERRALS_FROM} AND r.closed_at IS NOT NULL
 GROUP BY GROUPING SETS ((n.category), (r.partner_id))`;

const CONTACT_LANGUAGE = `coalesce(c.language_group, '${NOT_RECORDED}')`;
const CONTACTS_SQL = `
SELECT c.channel, c.kind, ${CONTACT_LANGUAGE} AS language, c.location_type, NULL AS tag,
       sum(c.headcount)::int AS n
  FROM ${CONTACTS_FROM}
 GROUP BY GROUPING SETS ((1, 2), (1), (2), (), (4, 2), (4), (3, 2), (3))
UNION ALL
SELECT NULL, NULL, NULL, NULL, tag, sum(c.headcount)::int
  FROM ${CONTACTS_FROM.replace('\n  LEFT JOIN', '\n  CROSS JOIN LATERAL unnest(c.circumstances) AS tag\n  LEFT JOIN')}
 GROUP BY tag`;

// ---- checks ---------------------------------------------------------------------------------

/** Hand rows by their key columns (a rolled-up column, NULL in SQL, is `*`). */
function index(rows: readonly HandRow[], columns: readonly string[]): Map<string, HandRow> {
  const map = new Map<string, HandRow>();
  for (const row of rows) {
    const key = columns.map((c) => (row[c] === null ? '*' : String(row[c]))).join('|');
    if (map.has(key)) throw new Error(`hand SQL returned ${key} twice`);
    map.set(key, row);
  }
  return map;
}

function expectEqual(what: string, published: number, expected: number): void {
  if (published !== expected) {
    throw new Error(`${what}: the report publishes ${published}, the hand SQL says ${expected}`);
  }
}

/**
 * Every published cell and total of `table` against the hand rows; `key(row, column)` names
 * the hand row of an entry (`*` for a total). Absent hand rows count zero.
 */
function checkTable(
  name: string,
  table: ReportTable,
  hand: Map<string, HandRow>,
  key: (row: string, column: string) => string,
  withColumnTotals = true,
): number {
  let compared = 0;
  const value = (k: string) => Number(hand.get(k)?.['n'] ?? 0);
  const compare = (k: string, published: number | null) => {
    if (published === null) return;
    expectEqual(`${name} ${k}`, published, value(k));
    compared++;
  };
  table.rows.forEach((r, i) => {
    table.columns.forEach((c, j) => compare(key(r, c), table.cells[i]![j]!));
    compare(key(r, '*'), table.rowTotals[i]!);
  });
  if (withColumnTotals) {
    table.columns.forEach((c, j) => compare(key('*', c), table.columnTotals[j]!));
    compare(key('*', '*'), table.total);
  }
  return compared;
}

const checkNeeds = (report: unknown, rows: readonly HandRow[]): number => {
  const r = report as NeedsReport;
  const hand = index(rows, ['category', 'status', 'month']);
  return (
    checkTable('by month', r.byMonth, hand, (c, m) => `${c}|*|${m}`) +
    checkTable('by status', r.byStatus, hand, (c, s) => `${c}|${s}|*`)
  );
};

const checkReferrals = (report: unknown, rows: readonly HandRow[]): number => {
  const r = report as ReferralsReport;
  const hand = index(rows, ['partner', 'status', 'month']);
  let compared =
    checkTable('by status', r.byStatus, hand, (p, s) => `${p}|${s}|*`) +
    checkTable('by month', r.byMonth, hand, (p, m) => `${p}|*|${m}`);
  for (const rate of r.rates) {
    const row = hand.get(`${rate.partner}|*|*`);
    for (const which of ['acceptance', 'completion'] as const) {
      if (rate[which] === null) continue;
      const expected = Math.round(Number(row?.[which]) * 1000) / 1000;
      expectEqual(`${which} of ${rate.partner}`, rate[which], expected);
      compared++;
    }
  }
  return compared;
};

const checkFunnel = (report: unknown, rows: readonly HandRow[]): number => {
  const r = report as FunnelReport;
  if (r.byMonth.rows.join() !== FUNNEL_STAGES.join()) throw new Error('funnel stages differ');
  const hand = index(rows, ['stage', 'month']);
  return checkTable('funnel', r.byMonth, hand, (s, m) => `${s}|${m}`, false);
};

const checkOutcome = (report: unknown, rows: readonly HandRow[]): number => {
  const r = report as TimeToOutcomeReport;
  const hand = index(rows, ['category', 'partner']);
  let compared = 0;
  const compare = (key: string, group: TimeToOutcomeReport['byCategory'][number]) => {
    if (group.days === null) return;
    const q = hand.get(key)?.['q'] as unknown as number[] | undefined;
    if (q === undefined) throw new Error(`no hand quartiles for ${key}`);
    const [q1, median, q3] = q.map((d) => Math.round(d * 10) / 10);
    expectEqual(`q1 ${key}`, group.days.q1, q1!);
    expectEqual(`median ${key}`, group.days.median, median!);
    expectEqual(`q3 ${key}`, group.days.q3, q3!);
    compared += 3;
  };
  for (const g of r.byCategory) compare(`${g.group}|*`, g);
  for (const g of r.byPartner) compare(`*|${g.group}`, g);
  return compared;
};

const checkContacts = (report: unknown, rows: readonly HandRow[]): number => {
  const r = report as ContactsReport;
  const hand = index(rows, ['channel', 'kind', 'language', 'location_type', 'tag']);
  let compared =
    checkTable('by channel', r.byChannel, hand, (ch, k) => `${ch}|${k}|*|*|*`) +
    checkTable('by location', r.byLocation, hand, (l, k) => `*|${k}|*|${l}|*`) +
    checkTable('by language', r.byLanguage, hand, (l, k) => `*|${k}|${l}|*|*`);
  for (const c of r.byCircumstance) {
    if (c.people === null) continue;
    expectEqual(
      `circumstance ${c.circumstance}`,
      c.people,
      Number(hand.get(`*|*|*|*|${c.circumstance}`)?.['n'] ?? 0),
    );
    compared++;
  }
  if (r.byCircumstance.length !== CIRCUMSTANCES.length) throw new Error('circumstances missing');
  return compared;
};

/** The language a filtered run narrows to: mid-frequency, so many of its cells are small. */
export const FILTER_LANGUAGE: string = LANGUAGE_GROUPS[4];
export const FILTER_CIRCUMSTANCE = 'post_raid';

/** The five reports (no filter), then two filtered runs, whose tables gain a dimension. */
export function subjects(months: { from: string; to: string }): Subject[] {
  const query = { from: months.from, to: months.to };
  return [
    {
      id: 'needs',
      label: 'needs (category × status × month)',
      report: 'needs',
      query,
      sql: needsSql(NEEDS_FROM),
      params: [],
      check: checkNeeds,
    },
    {
      id: 'referrals',
      label: 'referrals (partner × status × month, rates)',
      report: 'referrals',
      query,
      sql: referralsSql(REFERRALS_FROM),
      params: [],
      check: checkReferrals,
    },
    {
      id: 'funnel',
      label: 'funnel (identified → referred → accepted → completed)',
      report: 'funnel',
      query,
      sql: FUNNEL_SQL,
      params: [],
      check: checkFunnel,
    },
    {
      id: 'time-to-outcome',
      label: 'time to outcome (quartiles per category, per partner)',
      report: 'time-to-outcome',
      query,
      sql: OUTCOME_SQL,
      params: [],
      check: checkOutcome,
    },
    {
      id: 'contacts',
      label: 'contacts (channel, location, language × kind; circumstances)',
      report: 'contacts',
      query,
      sql: CONTACTS_SQL,
      params: [],
      check: checkContacts,
    },
    {
      id: 'needs-language',
      label: `needs, language = ${FILTER_LANGUAGE}`,
      report: 'needs',
      query: { ...query, language: FILTER_LANGUAGE },
      sql: needsSql(
        NEEDS_FROM_WITH_CONTACT,
        `AND coalesce(p.language_group, c.language_group, '${NOT_RECORDED}') = $4`,
      ),
      params: [FILTER_LANGUAGE],
      check: checkNeeds,
    },
    {
      id: 'referrals-circumstance',
      label: `referrals, circumstance = ${FILTER_CIRCUMSTANCE}`,
      report: 'referrals',
      query: { ...query, circumstance: FILTER_CIRCUMSTANCE },
      sql: referralsSql(REFERRALS_FROM_WITH_CONTACT, `AND $4 = ANY(c.circumstances)`),
      params: [FILTER_CIRCUMSTANCE],
      check: checkReferrals,
    },
  ];
}
