/**
 * Backups as the admin's home page shows them (`GET /api/backups/status`): the newest
 * `harbour backup`, the newest `harbour backup --verify` (a restore rehearsed into a throw-away
 * database and checked), and a failure newer than the last success. Counts only: never the
 * per-table detail a run records, never an error's text.
 */

/** What a recorded run did: a backup, a rehearsed restore (`--verify`), or a real restore. */
export const BACKUP_RUN_KINDS = ['backup', 'verify', 'restore'] as const;

export type BackupRunKind = (typeof BACKUP_RUN_KINDS)[number];

/** A backup or a rehearsed restore older than this many days is stale (and so is none at all). */
export const BACKUP_STALE_AFTER_DAYS = 7;

/** One run, as the console shows it. */
export interface BackupRunSummary {
  readonly kind: BackupRunKind;
  /** ISO timestamp. */
  readonly finishedAt: string;
  /** The backup file's name (no folder); null when the run failed before it had one. */
  readonly fileName: string | null;
  readonly tables: number;
  readonly rows: number;
  readonly bytes: number;
  /** The stable code of a failed run (e.g. `backup_key_mismatch`); null when it succeeded. */
  readonly errorCode: string | null;
}

export interface BackupStatus {
  /** The newest successful `harbour backup`. */
  readonly lastBackup: BackupRunSummary | null;
  /** The newest successful `harbour backup --verify`. */
  readonly lastVerifiedRestore: BackupRunSummary | null;
  /** The newest failed run that is newer than the newest success of its kind, if any. */
  readonly lastFailure: BackupRunSummary | null;
  readonly staleAfterDays: number;
  /** No successful backup, or the newest is older than `staleAfterDays`. */
  readonly backupStale: boolean;
  /** No successful rehearsed restore, or the newest is older than `staleAfterDays`. */
  readonly verifyStale: boolean;
}

/**
 * Whether a run that finished at `finishedAt` (or none: null) is stale at `now`: none at all,
 * or more than `days` days ago. A run exactly `days` days old still counts.
 */
export function isBackupStale(finishedAt: Date | null, now: Date, days: number): boolean {
  if (finishedAt === null) return true;
  return now.getTime() - finishedAt.getTime() > days * 86_400_000;
}
