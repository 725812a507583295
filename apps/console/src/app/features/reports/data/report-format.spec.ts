import {
  formatMonth,
  formatMonthName,
  formatPublishedAt,
  formatReportValue,
  formatYear,
  formatYearNumber,
  periodText,
  quarterOptionText,
  quarterText,
} from './report-format';

describe('report formats', () => {
  it('formats counts, days and rates in the given language', () => {
    expect(formatReportValue(12345, 'count', 'en')).toBe('12,345');
    expect(formatReportValue(7.5, 'days', 'en')).toBe('7.5');
    expect(formatReportValue(0.375, 'percent', 'en')).toBe('37.5%');
    expect(formatReportValue(0.8, 'percent', 'en')).toBe('80%');
  });

  it('formats a month without letting a time zone move it', () => {
    expect(formatMonth('2026-01', 'en')).toBe('Jan 2026');
    expect(formatMonth('2025-12', 'en', 'long')).toBe('December 2025');
    expect(formatMonth('not a month', 'en')).toBe('not a month');
    expect(formatMonthName('2026-07', 'en')).toBe('July');
  });

  it("writes years in the language's calendar", () => {
    expect(formatYearNumber(2026, 'en')).toBe('2026');
    // Thai dates count the Buddhist era.
    expect(formatYearNumber(2026, 'th')).toBe('2569');
    expect(formatYearNumber(2026, 'zh-Hans')).toBe('2026');
    expect(formatYear(2026, 'en')).toBe('2026');
    expect(formatYear(2026, 'zh-Hans')).toBe('2026年');
  });

  it('names a quarter with its number, year and months', () => {
    expect(quarterText('2026-Q3', 'en')).toEqual({
      key: 'reports.period.quarter',
      params: { quarter: 3, year: '2026', first: 'July', last: 'September' },
    });
    expect(quarterText('2026-Q1', 'th').params).toMatchObject({ quarter: 1, year: '2569' });
    expect(quarterOptionText('2026-Q2', 'en')).toEqual({
      key: 'reports.filters.quarterOption',
      params: { quarter: 2, year: '2026', first: 'April', last: 'June' },
    });
  });

  it('says what a period covers: a quarter, a whole year, or a year so far', () => {
    expect(periodText('2026-Q3', ['2026-Q3'], 'en')).toEqual({
      key: 'reports.period.quarterLong',
      params: { quarter: 3, year: '2026', first: 'July', last: 'September' },
    });
    expect(periodText('2025', ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4'], 'en')).toEqual({
      key: 'reports.period.year',
      params: { year: '2025' },
    });
    expect(periodText('2026', ['2026-Q1', '2026-Q2'], 'en')).toEqual({
      key: 'reports.period.yearSoFar',
      params: { year: '2026', first: 'January', last: 'June' },
    });
  });

  it('writes when a quarter was published as a date and time', () => {
    expect(formatPublishedAt('2026-07-02T14:05:00.000Z', 'en')).toBe('Jul 2, 2026, 2:05 PM');
    expect(formatPublishedAt('nonsense', 'en')).toBe('nonsense');
  });
});
