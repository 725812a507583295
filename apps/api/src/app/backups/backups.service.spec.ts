import type { BackupRunRow } from '../../data/backups/backup-runs.repository';
import { backupStatusOf } from './backups.service';

const NOW = new Date('2026-11-22T09:00:00.000Z');
const DAY = 86_400_000;

function run(kind: string, ok: boolean, daysAgo: number, extra: Partial<BackupRunRow> = {}) {
  return {
    kind,
    ok,
    finished_at: new Date(NOW.getTime() - daysAgo * DAY),
    file_name: `harbour-${kind}-${daysAgo}.hbk`,
    tables: 30,
    rows: '12345',
    bytes: '9007199254740991',
    error_code: ok ? null : 'backup_write_failed',
    ...extra,
  } satisfies BackupRunRow;
}

describe('backupStatusOf', () => {
  it('with no runs: nothing to show, and both stale', () => {
    expect(backupStatusOf([], NOW)).toEqual({
      lastBackup: null,
      lastVerifiedRestore: null,
      lastFailure: null,
      staleAfterDays: 7,
      backupStale: true,
      verifyStale: true,
    });
  });

  it('summarises the newest successes with numbers for the counts, and flags the stale one', () => {
    const status = backupStatusOf([run('backup', true, 2), run('verify', true, 9)], NOW);
    expect(status.lastBackup).toEqual({
      kind: 'backup',
      finishedAt: '2026-11-20T09:00:00.000Z',
      fileName: 'harbour-backup-2.hbk',
      tables: 30,
      rows: 12345,
      bytes: 9007199254740991,
      errorCode: null,
    });
    expect(status.lastVerifiedRestore?.kind).toBe('verify');
    expect(status).toMatchObject({ backupStale: false, verifyStale: true, lastFailure: null });
  });

  it('reports the newest failure that is newer than the last success of its kind', () => {
    const status = backupStatusOf(
      [
        run('backup', true, 2),
        run('backup', false, 1),
        run('verify', true, 1),
        run('verify', false, 3, { error_code: 'verify_mismatch' }),
        run('restore', false, 4, { error_code: 'restore_failed' }),
      ],
      NOW,
    );
    expect(status.lastFailure).toMatchObject({
      kind: 'backup',
      errorCode: 'backup_write_failed',
      finishedAt: '2026-11-21T09:00:00.000Z',
    });
    // A failed restore with no success after it counts when it is the newest such failure.
    expect(
      backupStatusOf([run('backup', true, 1), run('restore', false, 4)], NOW).lastFailure,
    ).toMatchObject({ kind: 'restore' });
  });

  it('forgets a failure once a later run of its kind succeeded', () => {
    const status = backupStatusOf([run('backup', false, 3), run('backup', true, 1)], NOW);
    expect(status.lastFailure).toBeNull();
    expect(status.lastBackup?.finishedAt).toBe('2026-11-21T09:00:00.000Z');
  });
});
