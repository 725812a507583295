import {
  CIRCUMSTANCES,
  CONTACT_CHANNELS,
  LANGUAGE_GROUPS,
  NEED_CATEGORIES,
  REGIONS_OF_ORIGIN,
} from './cases';

/**
 * Reports for coordinators (DESIGN.md §8, §11): aggregates of class C data with disclosure
 * control (`disclosure.ts`). A report covers whole months; one filter at a time narrows it to a
 * group (docs/adr/0006). Every number here has already been protected on the server: `null`
 * means suppressed (shown as "< k"), and raw counts never leave the server.
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
};

/** Longest range a report covers, in months. */
export const MAX_REPORT_MONTHS = 24;

export type ReportTierName = 'internal' | 'external';

export interface ReportQuery {
  /** First month, `YYYY-MM` (default: eleven months before `to`). */
  readonly from?: string;
  /** Last month, `YYYY-MM`, included (default: the current month). */
  readonly to?: string;
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

/** What every report says about itself. */
export interface ReportMeta {
  readonly report: ReportName;
  readonly from: string;
  readonly to: string;
  readonly months: readonly string[];
  readonly tier: ReportTierName;
  /** Published counts are zero or at least k. */
  readonly k: number;
  /** Published counts are multiples of this (external tier), or null for exact counts. */
  readonly roundedTo: number | null;
  readonly filter: { readonly attribute: ReportFilterAttribute; readonly value: string } | null;
  /** Partner names for partner ids in rows (class C: the organisation's own directory). */
  readonly partners: Readonly<Record<string, string>>;
}

export interface NeedsReport {
  readonly meta: ReportMeta;
  /** Needs identified, category × month. */
  readonly byMonth: ReportTable;
  /** The same needs, category × current status. */
  readonly byStatus: ReportTable;
}

export interface ReferralsReport {
  readonly meta: ReportMeta;
  /** Referrals made, partner × current status. */
  readonly byStatus: ReportTable;
  /** Referrals made, partner × month. */
  readonly byMonth: ReportTable;
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
  /** Stage × month: needs identified, then referrals made, accepted (now accepted or completed)
   *  and completed, by month identified / made. */
  readonly byMonth: ReportTable;
}

/** Days from a referral being made to its final status, for one group. */
export interface OutcomeTimes {
  readonly group: string;
  /** Null when the group has fewer than k closed referrals. */
  readonly days: { readonly q1: number; readonly median: number; readonly q3: number } | null;
}

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

/** The month `delta` months after `month` (`YYYY-MM`; negative for before). */
export function addMonths(month: string, delta: number): string {
  const [year, m] = month.split('-').map(Number);
  const index = year! * 12 + (m! - 1) + delta;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/** `YYYY-MM` months from `from` to `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const parse = (m: string) => {
    const [y, mo] = m.split('-').map(Number);
    return y! * 12 + (mo! - 1);
  };
  const months: string[] = [];
  for (let i = parse(from); i <= parse(to); i++) {
    months.push(`${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}`);
  }
  return months;
}

export const MONTH_PATTERN = /^\d{4}-(0[1-9]|1[0-2])$/;
