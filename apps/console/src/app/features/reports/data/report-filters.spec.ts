import { LANGUAGE_GROUPS, NEED_CATEGORIES, REGIONS_OF_ORIGIN } from '@harbour/domain';
import {
  defaultFilters,
  exportFileName,
  filterValues,
  isReportable,
  quartersOffered,
  supportsFilter,
  timeColumnsFor,
  timesReportable,
  toParams,
  toQuery,
  yearsOffered,
} from './report-filters';

/** 15 August 2026, in UTC: 2026-Q1 and Q2 have closed, Q3 has not. */
const AUGUST = Date.UTC(2026, 7, 15, 10);

describe('report filters', () => {
  it('starts with the year of the latest closed quarter, internal, unfiltered', () => {
    expect(defaultFilters(AUGUST)).toEqual({ period: '2026', tier: 'internal', filter: null });
    // On 1 January the last quarter of the year before has not closed yet (an hour's grace).
    expect(defaultFilters(Date.UTC(2027, 0, 1, 0, 30)).period).toBe('2026');
    expect(defaultFilters(Date.UTC(2027, 0, 1, 1, 0)).period).toBe('2026');
    expect(defaultFilters(Date.UTC(2027, 3, 1, 1, 0)).period).toBe('2027');
  });

  it('offers five years up to the year of the latest closed quarter, newest first', () => {
    expect(yearsOffered(AUGUST)).toEqual([2026, 2025, 2024, 2023, 2022]);
    // In January, the year just ended is the newest with a closed quarter.
    expect(yearsOffered(Date.UTC(2027, 0, 10), 2)).toEqual([2026, 2025]);
  });

  it('offers only the closed quarters of a year, never an open one', () => {
    expect(quartersOffered(2026, AUGUST)).toEqual(['2026-Q1', '2026-Q2']);
    expect(quartersOffered(2025, AUGUST)).toEqual(['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']);
    expect(quartersOffered(2027, AUGUST)).toEqual([]);
    // A quarter closes an hour after its last instant.
    expect(quartersOffered(2026, Date.UTC(2026, 6, 1, 0, 59))).toEqual(['2026-Q1']);
    expect(quartersOffered(2026, Date.UTC(2026, 6, 1, 1, 0))).toEqual(['2026-Q1', '2026-Q2']);
  });

  it('knows which periods can be reported, and which time to outcome can be', () => {
    expect(isReportable('2026', AUGUST)).toBe(true);
    expect(isReportable('2026-Q2', AUGUST)).toBe(true);
    expect(isReportable('2026-Q3', AUGUST)).toBe(false);
    expect(isReportable('2027', AUGUST)).toBe(false);
    expect(isReportable('2026-08', AUGUST)).toBe(false);
    // Quartiles of a year are not made of its quarters': only a year that has fully closed.
    expect(timesReportable('2026', AUGUST)).toBe(false);
    expect(timesReportable('2026-Q2', AUGUST)).toBe(true);
    expect(timesReportable('2025', AUGUST)).toBe(true);
  });

  it('shows a year by quarter or by month as chosen, a quarter by month', () => {
    expect(timeColumnsFor('2026', 'quarter')).toBe('quarter');
    expect(timeColumnsFor('2026', 'month')).toBe('month');
    expect(timeColumnsFor('2026-Q2', 'quarter')).toBe('month');
  });

  it('knows which reports take which filter', () => {
    const partner = { attribute: 'partner', value: 'p-1' } as const;
    expect(supportsFilter('referrals', partner)).toBe(true);
    expect(supportsFilter('time-to-outcome', partner)).toBe(true);
    expect(supportsFilter('needs', partner)).toBe(false);
    expect(supportsFilter('funnel', partner)).toBe(false);
    expect(supportsFilter('needs', null)).toBe(true);
    expect(supportsFilter('funnel', { attribute: 'circumstance', value: 'post_raid' })).toBe(true);
    // Every contact has a channel: the contacts report has no "not recorded" channel.
    const noChannel = { attribute: 'channel', value: 'not_recorded' } as const;
    expect(supportsFilter('needs', noChannel)).toBe(true);
    expect(supportsFilter('contacts', noChannel)).toBe(false);
    expect(supportsFilter('contacts', { attribute: 'channel', value: 'phone' })).toBe(true);
  });

  it('offers every value the API accepts, "not recorded" where there is one', () => {
    expect(filterValues('language', [])).toEqual([...LANGUAGE_GROUPS, 'not_recorded']);
    expect(filterValues('channel', [])).toContain('not_recorded');
    expect(filterValues('region', [])).toEqual(REGIONS_OF_ORIGIN);
    expect(filterValues('category', [])).toEqual(NEED_CATEGORIES);
    expect(filterValues('partner', [{ id: 'p-1', name: 'Safe House' }])).toEqual(['p-1']);
  });

  it('sends the period, the tier and the one filter as query parameters', () => {
    const filters = {
      period: '2026',
      tier: 'external',
      filter: { attribute: 'circumstance', value: 'post_raid' },
    } as const;
    const query = toQuery(filters);
    expect(query).toEqual({ period: '2026', tier: 'external', circumstance: 'post_raid' });
    expect(toParams(query).toString()).toBe('period=2026&tier=external&circumstance=post_raid');
    // Time to outcome may be asked for one quarter of the year.
    expect(toQuery(filters, '2026-Q2')).toMatchObject({ period: '2026-Q2' });
  });

  it('names an export after the report, its period, tier and filter attribute', () => {
    const filters = { period: '2026', tier: 'internal', filter: null } as const;
    expect(exportFileName('funnel', filters)).toBe('harbour-funnel-2026-internal.csv');
    expect(
      exportFileName(
        'time-to-outcome',
        { ...filters, filter: { attribute: 'partner', value: 'p-1' } },
        '2026-Q2',
      ),
    ).toBe('harbour-time-to-outcome-2026-Q2-internal-partner.csv');
  });
});
