import { monthsOfQuarter, QUARTER_PATTERN } from '@harbour/domain';

import { intlLocale } from '../../../core/i18n/languages';
/** How a published number reads: a count, a number of days, or a rate (0 to 1) as a percentage. */
export type ReportValueFormat = 'count' | 'days' | 'percent';

/** A published number in `language` (`Intl`, no locale data in the bundle). */
export function formatReportValue(
  value: number,
  format: ReportValueFormat,
  language: string,
): string {
  switch (format) {
    case 'count':
      return new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits: 0 }).format(
        value,
      );
    case 'days':
      return new Intl.NumberFormat(intlLocale(language), { maximumFractionDigits: 1 }).format(
        value,
      );
    case 'percent':
      return new Intl.NumberFormat(intlLocale(language), {
        style: 'percent',
        maximumFractionDigits: 1,
      }).format(value);
  }
}

/** A month (`YYYY-MM`) as "Jan 2026" in `language`; formatted in UTC so no time zone moves it. */
export function formatMonth(
  month: string,
  language: string,
  style: 'short' | 'long' = 'short',
): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (match === null) return month;
  const time = Date.UTC(Number(match[1]), Number(match[2]) - 1, 1);
  return new Intl.DateTimeFormat(intlLocale(language), {
    year: 'numeric',
    month: style,
    timeZone: 'UTC',
  }).format(time);
}

/** Translation parameters for a quarter or a period, with a key to read them with. */
export interface TextKey {
  readonly key: string;
  readonly params: Readonly<Record<string, string | number>>;
}

/**
 * A year's number as `language` writes it in dates (Thai counts the Buddhist era: 2026 is 2569),
 * without any era or suffix, for texts such as "Q3 {{year}}".
 */
export function formatYearNumber(year: number, language: string): string {
  const parts = new Intl.DateTimeFormat(intlLocale(language), {
    year: 'numeric',
    timeZone: 'UTC',
  }).formatToParts(Date.UTC(year, 6, 1));
  return parts.find((part) => part.type === 'year')?.value ?? String(year);
}

/** A year as `language` writes it on its own (Thai: "พ.ศ. 2569"; Chinese: "2026年"). */
export function formatYear(year: number, language: string): string {
  return new Intl.DateTimeFormat(intlLocale(language), { year: 'numeric', timeZone: 'UTC' }).format(
    Date.UTC(year, 6, 1),
  );
}

/** A month's name alone ("July") in `language`. */
export function formatMonthName(month: string, language: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (match === null) return month;
  return new Intl.DateTimeFormat(intlLocale(language), { month: 'long', timeZone: 'UTC' }).format(
    Date.UTC(Number(match[1]), Number(match[2]) - 1, 1),
  );
}

/** The parts of a quarter (`2026-Q3`): its number, its year and its first and last months. */
function quarterParts(quarter: string, language: string): Record<string, string | number> {
  const match = QUARTER_PATTERN.exec(quarter);
  if (match === null) return { quarter, year: quarter, first: '', last: '' };
  const months = monthsOfQuarter(quarter);
  return {
    quarter: Number(match[2]),
    year: formatYearNumber(Number(match[1]), language),
    first: formatMonthName(months[0]!, language),
    last: formatMonthName(months[2]!, language),
  };
}

/** A quarter's short name ("Q3 2026"), as a column heading. */
export function quarterText(quarter: string, language: string): TextKey {
  return { key: 'reports.period.quarter', params: quarterParts(quarter, language) };
}

/** A quarter within a year chosen apart ("Q3: July to September"), for the period picker. */
export function quarterOptionText(quarter: string, language: string): TextKey {
  return { key: 'reports.filters.quarterOption', params: quarterParts(quarter, language) };
}

/**
 * What a period covers, in words: a quarter ("July to September 2026 (Q3)"), a whole year, or a
 * year whose closed quarters so far are `quarters` ("2026 so far: January to September").
 */
export function periodText(period: string, quarters: readonly string[], language: string): TextKey {
  if (QUARTER_PATTERN.test(period)) {
    return { key: 'reports.period.quarterLong', params: quarterParts(period, language) };
  }
  const year = Number(period.slice(0, 4));
  const last = quarters[quarters.length - 1];
  if (quarters.length === 4 || last === undefined) {
    return { key: 'reports.period.year', params: { year: formatYearNumber(year, language) } };
  }
  return {
    key: 'reports.period.yearSoFar',
    params: {
      year: formatYearNumber(year, language),
      first: formatMonthName(`${year}-01`, language),
      last: formatMonthName(monthsOfQuarter(last)[2]!, language),
    },
  };
}

/** When a quarter was published (an ISO time), as a date and time in `language`. */
export function formatPublishedAt(iso: string, language: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return iso;
  return new Intl.DateTimeFormat(intlLocale(language), {
    dateStyle: 'medium',
    timeStyle: 'short',
  }).format(time);
}
