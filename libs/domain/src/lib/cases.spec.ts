import {
  AGE_BANDS,
  ageBandOn,
  canChangeNeedStatus,
  CIRCUMSTANCES,
  latestCalendarDay,
  NEED_CATEGORIES,
  NEED_STATUSES,
  NEED_TRANSITIONS,
  parseIsoDate,
} from './cases';

describe('case taxonomies', () => {
  it('hold the circumstance tags and need categories of docs/design.md §3, each once', () => {
    expect(CIRCUMSTANCES).toEqual([
      'post_raid',
      'cjsv',
      'immigration_detention',
      'police_contact',
      'court_process',
      'visa_concern',
      'debt_or_contract',
      'workplace_exploitation',
      'violence',
      'health_emergency',
    ]);
    expect(new Set(NEED_CATEGORIES).size).toBe(15);
    expect(NEED_STATUSES).toEqual([
      'identified',
      'in_progress',
      'met',
      'unmet',
      'declined',
      'withdrawn',
    ]);
  });

  it('only move needs forward, with unmet reopenable and met/declined/withdrawn final', () => {
    expect(canChangeNeedStatus('identified', 'in_progress')).toBe(true);
    expect(canChangeNeedStatus('in_progress', 'met')).toBe(true);
    expect(canChangeNeedStatus('unmet', 'in_progress')).toBe(true);
    expect(canChangeNeedStatus('met', 'in_progress')).toBe(false);
    expect(canChangeNeedStatus('in_progress', 'identified')).toBe(false);
    expect(canChangeNeedStatus('identified', 'identified')).toBe(false);
    for (const status of ['met', 'declined', 'withdrawn'] as const) {
      expect(NEED_TRANSITIONS[status]).toEqual([]);
    }
  });
});

describe('ageBandOn', () => {
  it('counts whole years, the birthday itself included', () => {
    expect(ageBandOn('2008-11-23', '2026-11-23')).toBe('18_24');
    expect(ageBandOn('2008-11-24', '2026-11-23')).toBe('under_18');
    expect(ageBandOn('2001-11-24', '2026-11-23')).toBe('18_24');
    expect(ageBandOn('2001-11-23', '2026-11-23')).toBe('25_34');
    expect(ageBandOn('1961-01-01', '2026-11-23')).toBe('65_plus');
    expect(ageBandOn('1980-02-29', '2026-02-28')).toBe('45_54');
  });

  it('answers unknown for impossible, malformed or future dates', () => {
    for (const bad of ['2026-02-30', '2026-13-01', '26-01-01', '2030-01-01', '1800-01-01', ''])
      expect(ageBandOn(bad, '2026-11-23')).toBe('unknown');
    expect(AGE_BANDS).toContain('unknown');
  });

  it('parses only real calendar dates', () => {
    expect(parseIsoDate('2024-02-29')).toEqual({ year: 2024, month: 2, day: 29 });
    expect(parseIsoDate('2023-02-29')).toBeNull();
    expect(parseIsoDate('2024-2-29')).toBeNull();
  });
});

describe('latestCalendarDay', () => {
  it('is the day at UTC+14: already tomorrow in Kiribati late in the UTC day', () => {
    expect(latestCalendarDay(new Date('2026-03-10T09:59:59Z'))).toBe('2026-03-10');
    expect(latestCalendarDay(new Date('2026-03-10T10:00:00Z'))).toBe('2026-03-11');
  });
});
