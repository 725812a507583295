import {
  addMonths,
  closedQuartersOf,
  defaultReportPeriod,
  isQuarterClosed,
  latestClosedQuarter,
  monthsOfQuarter,
  quarterBounds,
  quarterOf,
  quartersOfPeriod,
  reportFilterValues,
} from './reports';

describe('report periods and filters', () => {
  it('moves whole months across years', () => {
    expect(addMonths('2026-11', -11)).toBe('2025-12');
    expect(addMonths('2026-12', 1)).toBe('2027-01');
    expect(addMonths('2026-01', 0)).toBe('2026-01');
  });

  it('knows the quarter of a month and the months of a quarter', () => {
    expect(quarterOf('2026-01')).toBe('2026-Q1');
    expect(quarterOf('2026-03-31')).toBe('2026-Q1');
    expect(quarterOf('2026-04')).toBe('2026-Q2');
    expect(quarterOf('2026-12')).toBe('2026-Q4');
    expect(monthsOfQuarter('2026-Q4')).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(quarterBounds('2026-Q4')).toEqual({
      start: new Date('2026-10-01T00:00:00Z'),
      end: new Date('2027-01-01T00:00:00Z'),
    });
    expect(() => monthsOfQuarter('2026-Q5')).toThrow(RangeError);
  });

  it('closes a quarter an hour after its last instant, never before', () => {
    expect(isQuarterClosed('2026-Q3', new Date('2026-10-01T00:59:59.999Z'))).toBe(false);
    expect(isQuarterClosed('2026-Q3', new Date('2026-10-01T01:00:00Z'))).toBe(true);
    expect(isQuarterClosed('2026-Q4', new Date('2026-12-04T12:00:00Z'))).toBe(false);
    expect(latestClosedQuarter(new Date('2026-12-04T12:00:00Z'))).toBe('2026-Q3');
    expect(latestClosedQuarter(new Date('2027-01-01T00:30:00Z'))).toBe('2026-Q3');
    expect(latestClosedQuarter(new Date('2027-01-01T01:00:00Z'))).toBe('2026-Q4');
    expect(latestClosedQuarter(new Date('2026-02-01T00:00:00Z'))).toBe('2025-Q4');
    expect(defaultReportPeriod(new Date('2026-02-01T00:00:00Z'))).toBe('2025');
    expect(closedQuartersOf(2026, new Date('2026-12-04T12:00:00Z'))).toEqual([
      '2026-Q1',
      '2026-Q2',
      '2026-Q3',
    ]);
  });

  it('answers a period with its closed quarters, or says why it cannot', () => {
    const now = new Date('2026-12-04T12:00:00Z');
    expect(quartersOfPeriod('2026', now)).toEqual({ quarters: ['2026-Q1', '2026-Q2', '2026-Q3'] });
    expect(quartersOfPeriod('2026', now, true)).toEqual({ problem: 'not_closed' });
    expect(quartersOfPeriod('2025', now, true)).toEqual({
      quarters: ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4'],
    });
    expect(quartersOfPeriod('2026-Q3', now)).toEqual({ quarters: ['2026-Q3'] });
    expect(quartersOfPeriod('2026-Q4', now)).toEqual({ problem: 'not_closed' });
    expect(quartersOfPeriod('2027', now)).toEqual({ problem: 'not_closed' });
    expect(quartersOfPeriod('1999', now)).toEqual({ problem: 'range' });
    for (const bad of ['2026-03', '26', '2026-Q0', '2026-q1', ' 2026', '2026-Q1x', '']) {
      expect(quartersOfPeriod(bad, now)).toEqual({ problem: 'period' });
    }
  });

  it('lists the values each filter accepts, with a bucket for nothing recorded', () => {
    expect(reportFilterValues('language', [])).toContain('not_recorded');
    expect(reportFilterValues('circumstance', [])).toContain('cjsv');
    expect(reportFilterValues('partner', ['p1', 'p2'])).toEqual(['p1', 'p2']);
  });
});
