import { HttpParams } from '@angular/common/http';
import type {
  ReportFilterAttribute,
  ReportName,
  ReportQuery,
  ReportTierName,
} from '@harbour/domain';
import {
  closedQuartersOf,
  defaultReportPeriod,
  FIRST_REPORT_YEAR,
  latestClosedQuarter,
  QUARTER_PATTERN,
  quartersOfPeriod,
  REPORT_FILTERS_BY_REPORT,
  reportFilterValues,
  reportFilterValuesFor,
  YEAR_PATTERN,
} from '@harbour/domain';

/** The reports the dashboard shows, in the order it shows them. */
export const REPORT_VIEWS = [
  'needs',
  'referrals',
  'funnel',
  'time-to-outcome',
  'contacts',
  'outcome-change',
  'disclosures',
] as const satisfies readonly ReportName[];
export type ReportView = (typeof REPORT_VIEWS)[number];

/** How many years the period picker offers, up to the year of the latest closed quarter. */
export const YEARS_OFFERED = 5;

/** One filter: an attribute and one of its values. */
export interface ReportFilter {
  readonly attribute: ReportFilterAttribute;
  readonly value: string;
}

/**
 * What the dashboard asks for: a closed period (a year, `2026`, made of its closed quarters, or
 * one closed quarter, `2026-Q3`), a tier and at most one filter.
 */
export interface ReportFilters {
  readonly period: string;
  readonly tier: ReportTierName;
  readonly filter: ReportFilter | null;
}

/** The time columns a table is shown with: a year by quarter or by month, a quarter by month. */
export type TimeColumns = 'quarter' | 'month';

/** A partner as a filter value. */
export interface PartnerOption {
  readonly id: string;
  readonly name: string;
}

/** The year of the latest closed quarter (the API's default period), internal, no filter. */
export function defaultFilters(now: number): ReportFilters {
  return { period: defaultReportPeriod(new Date(now)), tier: 'internal', filter: null };
}

/** The years the period picker offers, newest first: each has at least one closed quarter. */
export function yearsOffered(now: number, count = YEARS_OFFERED): number[] {
  const latest = Number(latestClosedQuarter(new Date(now)).slice(0, 4));
  const first = Math.max(FIRST_REPORT_YEAR, latest - count + 1);
  return Array.from({ length: latest - first + 1 }, (_, i) => latest - i);
}

/** The closed quarters of a year (`2026-Q1`…), oldest first; an open quarter is never offered. */
export function quartersOffered(year: number, now: number): string[] {
  return closedQuartersOf(year, new Date(now));
}

/** A period's year. */
export function yearOf(period: string): number {
  return Number(period.slice(0, 4));
}

/** Whether a period is one quarter (`2026-Q3`) rather than a year. */
export function isQuarter(period: string): boolean {
  return QUARTER_PATTERN.test(period);
}

/** Whether a period can be reported at `now`: well-formed, and something of it has closed. */
export function isReportable(period: string, now: number): boolean {
  return (
    (YEAR_PATTERN.test(period) || isQuarter(period)) &&
    !('problem' in quartersOfPeriod(period, new Date(now)))
  );
}

/**
 * Whether time to outcome can be reported for a period: a closed quarter, or a year only once
 * all of it has closed (quartiles of a year are not made of its quarters' quartiles).
 */
export function timesReportable(period: string, now: number): boolean {
  return !('problem' in quartersOfPeriod(period, new Date(now), true));
}

/** The time columns tables are shown with: a quarter has only its months. */
export function timeColumnsFor(period: string, chosen: TimeColumns): TimeColumns {
  return isQuarter(period) ? 'month' : chosen;
}

/** Whether a report accepts the filter: its attribute, and its value for this report. */
export function supportsFilter(report: ReportView, filter: ReportFilter | null): boolean {
  if (filter === null) return true;
  if (!REPORT_FILTERS_BY_REPORT[report].includes(filter.attribute)) return false;
  // "Not recorded" is not a value of every report's records (every contact has a channel).
  return (
    filter.attribute === 'partner' ||
    reportFilterValuesFor(report, filter.attribute, []).includes(filter.value)
  );
}

/** Every value the API accepts for an attribute in some report, in display order. */
export function filterValues(
  attribute: ReportFilterAttribute,
  partners: readonly PartnerOption[],
): readonly string[] {
  return reportFilterValues(
    attribute,
    partners.map((partner) => partner.id),
  );
}

/** The query of every report endpoint, for `period` (the filters' own unless given). */
export function toQuery(filters: ReportFilters, period = filters.period): ReportQuery {
  return {
    period,
    tier: filters.tier,
    ...(filters.filter === null ? {} : { [filters.filter.attribute]: filters.filter.value }),
  };
}

/** A query as URL parameters, leaving out what is not set. */
export function toParams(query: ReportQuery): HttpParams {
  let params = new HttpParams();
  for (const [key, value] of Object.entries(query) as [string, string | undefined][]) {
    if (value !== undefined) params = params.set(key, value);
  }
  return params;
}

/** The saved file's name: the report, its period, tier and filter attribute (never a value). */
export function exportFileName(
  report: ReportView,
  filters: ReportFilters,
  period = filters.period,
): string {
  const filter = filters.filter === null ? '' : `-${filters.filter.attribute}`;
  return `harbour-${report}-${period}-${filters.tier}${filter}.csv`;
}
