import {
  CIRCUMSTANCES,
  CONTACT_CHANNELS,
  LANGUAGE_GROUPS,
  NEED_CATEGORIES,
  REGIONS_OF_ORIGIN,
} from './cases';

/**
 * Reports for coordinators (docs/design.md §8): aggregates of class C data with disclosure control
 * (`disclosure.ts`). A report covers closed calendar quarters: each quarter's tables are
 * protected once, together (its three months, every filter, both tiers), when it is first asked
 * for after it has closed, and kept as published; a year is the sum of its closed quarters. A
 * record counts in the month it was entered. One filter at a time narrows a report to a group
 * (docs/adr/0006, 0007). Every number here has already been protected on the server: `null`
 * means not published (fewer than k people, or hidden so that a small number cannot be worked
 * out from the others), and raw counts never leave the server.
 */

/** What a report can be narrowed to, one at a time. */
export const REPORT_FILTERS = [
  'language',
  'circumstance',
  'channel',
  'region',
  'partner',
  'category',
] as const;
export type ReportFilterAttribute = (typeof REPORT_FILTERS)[number];

/** The bucket of records with nothing recorded for a filter attribute. */
export const NOT_RECORDED = 'not_recorded' as const;

export const REPORT_NAMES = [
  'needs',
  'referrals',
  'funnel',
  'time-to-outcome',
  'contacts',
  'outcome-change',
  'disclosures',
] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

/** Filters each report accepts (attributes that mean something for its records). */
export const REPORT_FILTERS_BY_REPORT: Readonly<
  Record<ReportName, readonly ReportFilterAttribute[]>
> = {
  needs: ['language', 'circumstance', 'channel', 'region', 'category'],
  referrals: ['language', 'circumstance', 'channel', 'region', 'partner', 'category'],
  funnel: ['language', 'circumstance', 'channel', 'region', 'category'],
  'time-to-outcome': ['language', 'circumstance', 'channel', 'region', 'partner', 'category'],
  contacts: ['language', 'circumstance', 'channel', 'region'],
  // People's own ratings: unfiltered, so no group small enough to single out is ever asked for.
  'outcome-change': [],
  // Requests from authorities: unfiltered (no people, no attributes).
  disclosures: [],
};

export type ReportTierName = 'internal' | 'external';

export interface ReportQuery {
  /**
   * A closed quarter (`2026-Q3`) or a year (`2026`: its closed quarters). Default: the year of
   * the latest closed quarter.
   */
  readonly period?: string;
  /** `external` for reports leaving the organisation: k = 11, rounded to 5; needs step-up. */
  readonly tier?: ReportTierName;
  readonly language?: string;
  readonly circumstance?: string;
  readonly channel?: string;
  readonly region?: string;
  readonly partner?: string;
  readonly category?: string;
}

/** A published count: a number, or null when suppressed. */
export type ReportCount = number | null;

/** A two-way view of a protected table, with its margins. */
export interface ReportTable {
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  readonly cells: readonly (readonly ReportCount[])[];
  readonly rowTotals: readonly ReportCount[];
  readonly columnTotals: readonly ReportCount[];
  readonly total: ReportCount;
}

/** One quarter a report is made of, as it was published. */
export interface PublishedQuarter {
  readonly quarter: string;
  /** When its figures were fixed (the first report asked for after it closed). */
  readonly publishedAt: string;
  /** The internal tier's k when it was published (the organisation's k may have changed since). */
  readonly k: number;
}

/** What every report says about itself. */
export interface ReportMeta {
  readonly report: ReportName;
  /** The period asked for: `YYYY-Qn` or `YYYY`. */
  readonly period: string;
  /** The closed quarters the report is made of, oldest first. */
  readonly quarters: readonly PublishedQuarter[];
  /** The months of those quarters (columns of the by-month tables). */
  readonly months: readonly string[];
  readonly tier: ReportTierName;
  /** Published counts are zero or at least k (the largest k of its quarters). */
  readonly k: number;
  /** Published counts are multiples of this (external tier), or null for exact counts. */
  readonly roundedTo: number | null;
  readonly filter: { readonly attribute: ReportFilterAttribute; readonly value: string } | null;
  /** Partner names for partner ids in rows (class C: the organisation's own directory). */
  readonly partners: Readonly<Record<string, string>>;
}

export interface NeedsReport {
  readonly meta: ReportMeta;
  /** Needs recorded, category × month. */
  readonly byMonth: ReportTable;
  /** The same needs, category × quarter. */
  readonly byQuarter: ReportTable;
  /** The same needs, category × status when their quarter was published. */
  readonly byStatus: ReportTable;
}

export interface ReferralsReport {
  readonly meta: ReportMeta;
  /** Referrals made, partner × status when their quarter was published. */
  readonly byStatus: ReportTable;
  /** Referrals made, partner × month. */
  readonly byMonth: ReportTable;
  /** Referrals made, partner × quarter. */
  readonly byQuarter: ReportTable;
  /** Per partner: accepted ÷ answered (accepted, completed, declined by the partner), and
   *  completed ÷ accepted (accepted or completed); null when suppressed. */
  readonly rates: readonly {
    readonly partner: string;
    readonly acceptance: number | null;
    readonly completion: number | null;
  }[];
}

export const FUNNEL_STAGES = ['identified', 'referred', 'accepted', 'completed'] as const;
export type FunnelStage = (typeof FUNNEL_STAGES)[number];

export interface FunnelReport {
  readonly meta: ReportMeta;
  /** Stage × month: needs recorded, then referrals made, accepted (accepted or completed when
   *  published) and completed, by month recorded / made. */
  readonly byMonth: ReportTable;
  /** The same stages by quarter. */
  readonly byQuarter: ReportTable;
}

/** Days from a referral being made to its final status, for one group. */
export interface OutcomeTimes {
  readonly group: string;
  /** Null when the group has fewer than k closed referrals. */
  readonly days: { readonly q1: number; readonly median: number; readonly q3: number } | null;
}

/**
 * Days from a referral being made to its final status, for referrals closed in the period: a
 * closed quarter, or a closed year (quartiles of a year are not made of its quarters', so a year
 * is only reported once it has closed).
 */
export interface TimeToOutcomeReport {
  readonly meta: ReportMeta;
  readonly byCategory: readonly OutcomeTimes[];
  readonly byPartner: readonly OutcomeTimes[];
}

export interface ContactsReport {
  readonly meta: ReportMeta;
  /** People reached (a group contact counts its headcount): channel × individual or group. */
  readonly byChannel: ReportTable;
  /** The same people, location type × individual or group. */
  readonly byLocation: ReportTable;
  /** The same people, language × individual or group. */
  readonly byLanguage: ReportTable;
  /**
   * People reached with each circumstance tag (tags overlap: one contact may carry several).
   * Only without a filter (a tag within a filter would need a table of its own); filter by
   * `circumstance` for one tag's breakdown.
   */
  readonly byCircumstance: readonly {
    readonly circumstance: string;
    readonly people: ReportCount;
  }[];
}

/**
 * Every value the API accepts for a filter attribute, in display order (the organisation's
 * partner ids for `partner`). Shared by the API's checks and the console's filter form.
 */
export function reportFilterValues(
  attribute: ReportFilterAttribute,
  partnerIds: readonly string[],
): readonly string[] {
  switch (attribute) {
    case 'language':
      return [...LANGUAGE_GROUPS, NOT_RECORDED];
    case 'circumstance':
      return CIRCUMSTANCES;
    case 'channel':
      return [...CONTACT_CHANNELS, NOT_RECORDED];
    case 'region':
      return REGIONS_OF_ORIGIN;
    case 'category':
      return NEED_CATEGORIES;
    case 'partner':
      return partnerIds;
  }
}

/**
 * The values a report accepts for a filter: `reportFilterValues`, less the "nothing recorded"
 * bucket where a report's records always have the attribute (every contact has a channel).
 */
export function reportFilterValuesFor(
  report: ReportName,
  attribute: ReportFilterAttribute,
  partnerIds: readonly string[],
): readonly string[] {
  const values = reportFilterValues(attribute, partnerIds);
  return report === 'contacts' && attribute === 'channel'
    ? values.filter((v) => v !== NOT_RECORDED)
    : values;
}

/** The month `delta` months after `month` (`YYYY-MM`; negative for before). */
export function addMonths(month: string, delta: number): string {
  const [year, m] = month.split('-').map(Number);
  const index = year! * 12 + (m! - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
export const QUARTER_PATTERN = /^(\d{4})-Q([1-4])$/;
export const YEAR_PATTERN = /^\d{4}$/;

/** The first year a report can cover. */
export const FIRST_REPORT_YEAR = 2000;

/**
 * A quarter closes (and can be published) this long after its last instant, so that a
 * transaction that began before the end and writes a record of the quarter has committed (the
 * API's transactions are bounded far below this).
 */
export const QUARTER_CLOSE_GRACE_MS = 60 * 60 * 1000;

/** The quarter (`YYYY-Qn`) a month or a date (`YYYY-MM…`) falls in. */
export function quarterOf(month: string): string {
  const year = month.slice(0, 4);
  const m = Number(month.slice(5, 7));
  return `${year}-Q${Math.floor((m - 1) / 3) + 1}`;
}

/** The three months of a quarter, `YYYY-MM`. */
export function monthsOfQuarter(quarter: string): string[] {
  const match = QUARTER_PATTERN.exec(quarter);
  if (match === null) throw new RangeError('not a quarter');
  const first = (Number(match[2]) - 1) * 3 + 1;
  return [0, 1, 2].map((i) => `${match[1]}-${String(first + i).padStart(2, '0')}`);
}

/** The first instant of a quarter, and the first instant after it (UTC). */
export function quarterBounds(quarter: string): { readonly start: Date; readonly end: Date } {
  const [first] = monthsOfQuarter(quarter);
  const start = new Date(`${first}-01T00:00:00Z`);
  const end = new Date(`${addMonths(first!, 3)}-01T00:00:00Z`);
  return { start, end };
}

/** The first instant of a period (`YYYY` or `YYYY-Qn`) and the first instant after it (UTC). */
export function periodBounds(period: string): { readonly start: Date; readonly end: Date } {
  if (YEAR_PATTERN.test(period)) {
    return { start: quarterBounds(`${period}-Q1`).start, end: quarterBounds(`${period}-Q4`).end };
  }
  return quarterBounds(period);
}

/** Whether a quarter has closed at `now` (its end plus the grace period has passed). */
export function isQuarterClosed(quarter: string, now: Date): boolean {
  return now.getTime() >= quarterBounds(quarter).end.getTime() + QUARTER_CLOSE_GRACE_MS;
}

/** The closed quarters of a year at `now`, oldest first. */
export function closedQuartersOf(year: number, now: Date): string[] {
  return [1, 2, 3, 4].map((q) => `${year}-Q${q}`).filter((q) => isQuarterClosed(q, now));
}

/** The latest quarter that has closed at `now`. */
export function latestClosedQuarter(now: Date): string {
  const month = `${now.getUTCFullYear()}-${String(now.getUTCMonth() + 1).padStart(2, '0')}`;
  let quarter = quarterOf(month);
  while (!isQuarterClosed(quarter, now))
    quarter = quarterOf(addMonths(monthsOfQuarter(quarter)[0]!, -3));
  return quarter;
}

/** The default period of a report: the year of the latest closed quarter. */
export function defaultReportPeriod(now: Date): string {
  return latestClosedQuarter(now).slice(0, 4);
}

/**
 * The quarters a period is made of, or why it cannot be reported: `period` (not `YYYY` or
 * `YYYY-Qn`), `range` (before the first report year) or `not_closed` (nothing of it has closed;
 * for a year when `wholeYear`, not every quarter has).
 */
export function quartersOfPeriod(
  period: string,
  now: Date,
  wholeYear = false,
):
  | { readonly quarters: readonly string[] }
  | { readonly problem: 'period' | 'range' | 'not_closed' } {
  const quarter = QUARTER_PATTERN.exec(period);
  const year =
    quarter !== null ? Number(quarter[1]) : YEAR_PATTERN.test(period) ? Number(period) : null;
  if (year === null) return { problem: 'period' };
  if (year < FIRST_REPORT_YEAR) return { problem: 'range' };
  if (quarter !== null) {
    return isQuarterClosed(period, now) ? { quarters: [period] } : { problem: 'not_closed' };
  }
  const quarters = closedQuartersOf(year, now);
  if (quarters.length === 0 || (wholeYear && quarters.length < 4)) return { problem: 'not_closed' };
  return { quarters };
}
