import { seenAgo } from './seen-ago';

describe('seenAgo', () => {
  const now = Date.parse('2026-03-20T15:00:00Z');

  it('says days, weeks, months and years the way people say them', () => {
    expect(seenAgo('2026-03-20', now, 'en')).toBe('today');
    expect(seenAgo('2026-03-17', now, 'en')).toBe('3 days ago');
    expect(seenAgo('2026-02-27', now, 'en')).toBe('3 weeks ago');
    expect(seenAgo('2025-12-01', now, 'en')).toBe('3 months ago');
    expect(seenAgo('2023-01-05', now, 'en')).toBe('3 years ago');
  });

  it('speaks the active language', () => {
    expect(seenAgo('2026-02-27', now, 'th')).not.toBe(seenAgo('2026-02-27', now, 'en'));
    expect(seenAgo('2026-02-27', now, 'ko')).toContain('3');
  });

  it('never says a day in the future', () => {
    expect(seenAgo('2026-03-25', now, 'en')).toBe('today');
  });
});
