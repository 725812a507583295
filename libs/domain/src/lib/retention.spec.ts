import {
  RETENTION_CLASSES,
  RETENTION_RULES,
  retentionCutoff,
  retentionKeepProblem,
} from './retention';

describe('retentionCutoff', () => {
  it('counts calendar months back in UTC, clamping the day to the month end', () => {
    const now = new Date('2026-03-31T10:20:30.400Z');
    expect(retentionCutoff(now, 'months', 1).toISOString()).toBe('2026-02-28T10:20:30.400Z');
    expect(retentionCutoff(now, 'months', 24).toISOString()).toBe('2024-03-31T10:20:30.400Z');
    expect(retentionCutoff(now, 'months', 13).toISOString()).toBe('2025-02-28T10:20:30.400Z');
  });

  it('counts days as 24 hours', () => {
    const now = new Date('2026-03-01T00:00:00.000Z');
    expect(retentionCutoff(now, 'days', 2).toISOString()).toBe('2026-02-27T00:00:00.000Z');
  });
});

describe('retentionKeepProblem', () => {
  it('accepts every default', () => {
    for (const cls of RETENTION_CLASSES)
      expect(retentionKeepProblem(cls, RETENTION_RULES[cls].defaultKeep)).toBeNull();
  });

  it('refuses forever where not allowed, fractions, and values out of bounds', () => {
    expect(retentionKeepProblem('inactive_people', null)).toBe('forever');
    expect(retentionKeepProblem('contacts', null)).toBeNull();
    expect(retentionKeepProblem('contacts', 12.5)).toBe('integer');
    expect(retentionKeepProblem('expired_sessions', 0)).toBe('min');
    expect(retentionKeepProblem('throttle_rows', 91)).toBe('max');
  });
});
