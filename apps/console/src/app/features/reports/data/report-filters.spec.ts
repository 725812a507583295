import { LANGUAGE_GROUPS, NEED_CATEGORIES, REGIONS_OF_ORIGIN } from '@harbour/domain';
import {
  addMonths,
  defaultFilters,
  exportFileName,
  filterValues,
  monthOf,
  monthsOffered,
  rangeProblem,
  supportsFilter,
  toParams,
  toQuery,
} from './report-filters';

describe('report filters', () => {
  it('counts months in UTC, like the API', () => {
    // 1 February 00:30 in UTC+10 is still 31 January in UTC.
    expect(monthOf(Date.UTC(2026, 0, 31, 14, 30))).toBe('2026-01');
    expect(monthOf(Date.UTC(2026, 1, 1, 0, 0))).toBe('2026-02');
  });

  it('moves across years in both directions', () => {
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(addMonths('2025-12', 1)).toBe('2026-01');
    expect(addMonths('2026-03', -27)).toBe('2023-12');
  });

  it('starts with the last twelve months, internal, unfiltered', () => {
    expect(defaultFilters(Date.UTC(2026, 0, 15))).toEqual({
      from: '2025-02',
      to: '2026-01',
      tier: 'internal',
      filter: null,
    });
  });

  it('offers months newest first', () => {
    expect(monthsOffered(Date.UTC(2026, 1, 3), 3)).toEqual(['2026-02', '2026-01', '2025-12']);
  });

  it.each([
    ['2025-01', '2025-01', null],
    ['2024-02', '2026-01', null],
    ['2024-01', '2026-01', 'tooLong'],
    ['2026-02', '2026-01', 'order'],
    ['2026-13', '2026-01', 'invalid'],
    ['', '2026-01', 'invalid'],
  ] as const)('range %s to %s: %s', (from, to, problem) => {
    expect(rangeProblem(from, to)).toBe(problem);
  });

  it('knows which reports take which filter', () => {
    const partner = { attribute: 'partner', value: 'p-1' } as const;
    expect(supportsFilter('referrals', partner)).toBe(true);
    expect(supportsFilter('time-to-outcome', partner)).toBe(true);
    expect(supportsFilter('needs', partner)).toBe(false);
    expect(supportsFilter('funnel', partner)).toBe(false);
    expect(supportsFilter('needs', null)).toBe(true);
    expect(supportsFilter('funnel', { attribute: 'circumstance', value: 'post_raid' })).toBe(true);
  });

  it('offers every value the API accepts, "not recorded" where there is one', () => {
    expect(filterValues('language', [])).toEqual([...LANGUAGE_GROUPS, 'not_recorded']);
    expect(filterValues('channel', [])).toContain('not_recorded');
    expect(filterValues('region', [])).toEqual(REGIONS_OF_ORIGIN);
    expect(filterValues('category', [])).toEqual(NEED_CATEGORIES);
    expect(filterValues('partner', [{ id: 'p-1', name: 'Safe House' }])).toEqual(['p-1']);
  });

  it('sends the range, the tier and the one filter as query parameters', () => {
    const query = toQuery({
      from: '2025-06',
      to: '2025-12',
      tier: 'external',
      filter: { attribute: 'circumstance', value: 'post_raid' },
    });
    expect(query).toEqual({
      from: '2025-06',
      to: '2025-12',
      tier: 'external',
      circumstance: 'post_raid',
    });
    expect(toParams(query).toString()).toBe(
      'from=2025-06&to=2025-12&tier=external&circumstance=post_raid',
    );
  });

  it('names an export after the report, its months, tier and filter', () => {
    const filters = { from: '2025-06', to: '2025-12', tier: 'internal', filter: null } as const;
    expect(exportFileName('funnel', filters)).toBe('harbour-funnel-2025-06-2025-12-internal.csv');
    expect(
      exportFileName('time-to-outcome', {
        ...filters,
        filter: { attribute: 'partner', value: 'p-1' },
      }),
    ).toBe('harbour-time-to-outcome-2025-06-2025-12-internal-partner.csv');
  });
});
