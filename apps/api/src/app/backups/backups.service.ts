import { Injectable } from '@nestjs/common';
import {
  BACKUP_STALE_AFTER_DAYS,
  isBackupStale,
  type BackupRunKind,
  type BackupRunSummary,
  type BackupStatus,
} from '@harbour/domain';
import { Clock } from '../../infra/time/clock';
import type { SignedInScope } from '../../core/scope/request-scope';
import { BackupRunsRepository, type BackupRunRow } from '../../data/backups/backup-runs.repository';

/**
 * The deployment's backups as the admin's home page shows them: the newest backup and rehearsed
 * restore, whether either is older than a week (by the injected clock), and a failure newer
 * than the last success of its kind. Counts and codes only, never a run's `detail`.
 */
@Injectable()
export class BackupsService {
  constructor(
    private readonly runs: BackupRunsRepository,
    private readonly clock: Clock,
  ) {}

  async status(scope: SignedInScope): Promise<BackupStatus> {
    return backupStatusOf(await this.runs.newestPerKindAndOutcome(scope.tx), this.clock.now());
  }
}

/** The status from the newest successful and failed run of each kind, at `now`. */
export function backupStatusOf(rows: readonly BackupRunRow[], now: Date): BackupStatus {
  const newest = (kind: BackupRunKind, ok: boolean): BackupRunRow | null =>
    rows.find((row) => row.kind === kind && row.ok === ok) ?? null;
  const backup = newest('backup', true);
  const verify = newest('verify', true);
  const failures = (['backup', 'verify', 'restore'] as const)
    .map((kind) => ({ failed: newest(kind, false), succeeded: newest(kind, true) }))
    .filter(
      (pair): pair is { failed: BackupRunRow; succeeded: BackupRunRow | null } =>
        pair.failed !== null &&
        (pair.succeeded === null || pair.failed.finished_at > pair.succeeded.finished_at),
    )
    .map((pair) => pair.failed)
    .sort((a, b) => b.finished_at.getTime() - a.finished_at.getTime());
  return {
    lastBackup: summaryOf(backup),
    lastVerifiedRestore: summaryOf(verify),
    lastFailure: summaryOf(failures[0] ?? null),
    staleAfterDays: BACKUP_STALE_AFTER_DAYS,
    backupStale: isBackupStale(backup?.finished_at ?? null, now, BACKUP_STALE_AFTER_DAYS),
    verifyStale: isBackupStale(verify?.finished_at ?? null, now, BACKUP_STALE_AFTER_DAYS),
  };
}

function summaryOf(row: BackupRunRow | null): BackupRunSummary | null {
  if (row === null) return null;
  return {
    kind: row.kind as BackupRunKind,
    finishedAt: row.finished_at.toISOString(),
    fileName: row.file_name,
    tables: row.tables,
    rows: Number(row.rows),
    bytes: Number(row.bytes),
    errorCode: row.ok ? null : row.error_code,
  };
}
