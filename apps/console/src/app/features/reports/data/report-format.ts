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
      return new Intl.NumberFormat(language, { maximumFractionDigits: 0 }).format(value);
    case 'days':
      return new Intl.NumberFormat(language, { maximumFractionDigits: 1 }).format(value);
    case 'percent':
      return new Intl.NumberFormat(language, {
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
  return new Intl.DateTimeFormat(language, {
    year: 'numeric',
    month: style,
    timeZone: 'UTC',
  }).format(time);
}
