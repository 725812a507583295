import { addMonths, monthsBetween, reportFilterValues } from './reports';

describe('report months and filters', () => {
  it('moves whole months across years', () => {
    expect(addMonths('2026-11', -11)).toBe('2025-12');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', 0)).toBe('2026-01');
    expect(monthsBetween('2025-11', '2026-02')).toEqual([
      '2025-11',
      '2025-12',
      '2026-01',
      '2026-02',
    ]);
    expect(monthsBetween('2026-02', '2026-01')).toEqual([]);
  });

  it('lists the values each filter accepts, with a bucket for nothing recorded', () => {
    expect(reportFilterValues('language', [])).toContain('not_recorded');
    expect(reportFilterValues('circumstance', [])).toContain('cjsv');
    expect(reportFilterValues('partner', ['p1', 'p2'])).toEqual(['p1', 'p2']);
  });
});
