import { formatMonth, formatReportValue } from './report-format';

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
  });
});
