import { HttpParams } from '@angular/common/http';
import type {
  ReportFilterAttribute,
  ReportName,
  ReportQuery,
  ReportTierName,
} from '@harbour/domain';
import {
  reportFilterValues,
  MAX_REPORT_MONTHS,
  MONTH_PATTERN,
  monthsBetween,
  REPORT_FILTERS_BY_REPORT,
} from '@harbour/domain';

/** The reports the dashboard shows, in the order it shows them. */
export const REPORT_VIEWS = [
  'needs',
  'referrals',
  'funnel',
  'time-to-outcome',
  'contacts',
] as const satisfies readonly ReportName[];
export type ReportView = (typeof REPORT_VIEWS)[number];

/** Default length of the range, in months (the API's default too). */
export const DEFAULT_REPORT_MONTHS = 12;

/** How many months back the month pickers reach. */
export const MONTHS_OFFERED = 60;

/** One filter: an attribute and one of its values. */
export interface ReportFilter {
  readonly attribute: ReportFilterAttribute;
  readonly value: string;
}

/** What the dashboard asks for: whole months (`YYYY-MM`, both included), a tier, one filter. */
export interface ReportFilters {
  readonly from: string;
  readonly to: string;
  readonly tier: ReportTierName;
  readonly filter: ReportFilter | null;
}

/** A partner as a filter value. */
export interface PartnerOption {
  readonly id: string;
  readonly name: string;
}

/** `YYYY-MM` of a time, in UTC (the API counts months in UTC). */
export function monthOf(time: number): string {
  const date = new Date(time);
  return `${date.getUTCFullYear()}-${String(date.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** The month `delta` months after `month` (before, when negative). */
export function addMonths(month: string, delta: number): string {
  const [year, index] = month.split('-').map(Number) as [number, number];
  const total = year * 12 + (index - 1) + delta;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

/** The last twelve months up to the current one, internal tier, no filter. */
export function defaultFilters(now: number): ReportFilters {
  const to = monthOf(now);
  return { from: addMonths(to, 1 - DEFAULT_REPORT_MONTHS), to, tier: 'internal', filter: null };
}

/** The months the pickers offer, newest first. */
export function monthsOffered(now: number, count = MONTHS_OFFERED): string[] {
  const to = monthOf(now);
  return Array.from({ length: count }, (_, i) => addMonths(to, -i));
}

/** Why a range cannot be asked for, or null when it can. */
export function rangeProblem(from: string, to: string): 'invalid' | 'order' | 'tooLong' | null {
  if (!MONTH_PATTERN.test(from) || !MONTH_PATTERN.test(to)) return 'invalid';
  if (to < from) return 'order';
  return monthsBetween(from, to).length > MAX_REPORT_MONTHS ? 'tooLong' : null;
}

/** Whether a report accepts the filter (each report accepts only attributes of its records). */
export function supportsFilter(report: ReportView, filter: ReportFilter | null): boolean {
  return filter === null || REPORT_FILTERS_BY_REPORT[report].includes(filter.attribute);
}

/** Every value the API accepts for an attribute, in display order. */
export function filterValues(
  attribute: ReportFilterAttribute,
  partners: readonly PartnerOption[],
): readonly string[] {
  return reportFilterValues(
    attribute,
    partners.map((partner) => partner.id),
  );
}

/** The query of every report endpoint. */
export function toQuery(filters: ReportFilters): ReportQuery {
  return {
    from: filters.from,
    to: filters.to,
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

/** The saved file's name (the same name the API gives it in `Content-Disposition`). */
export function exportFileName(report: ReportView, filters: ReportFilters): string {
  const filter = filters.filter === null ? '' : `-${filters.filter.attribute}`;
  return `harbour-${report}-${filters.from}-${filters.to}-${filters.tier}${filter}.csv`;
}
