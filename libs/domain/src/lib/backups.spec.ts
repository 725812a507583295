import { BACKUP_STALE_AFTER_DAYS, isBackupStale } from './backups';

describe('isBackupStale', () => {
  const now = new Date('2026-11-22T09:00:00.000Z');
  const daysAgo = (days: number, ms = 0): Date => new Date(now.getTime() - days * 86_400_000 - ms);

  it('is stale with no run at all', () => {
    expect(isBackupStale(null, now, BACKUP_STALE_AFTER_DAYS)).toBe(true);
  });

  it('is fresh up to exactly the limit, and stale a millisecond after it', () => {
    expect(isBackupStale(daysAgo(2), now, 7)).toBe(false);
    expect(isBackupStale(daysAgo(7), now, 7)).toBe(false);
    expect(isBackupStale(daysAgo(7, 1), now, 7)).toBe(true);
    expect(isBackupStale(daysAgo(9), now, 7)).toBe(true);
  });
});
