import { basename } from 'node:path';
import { Client } from 'pg';
import { uuidv7 } from '@harbour/domain';

export type BackupRunKind = 'backup' | 'verify' | 'restore';

export interface BackupRun {
  readonly kind: BackupRunKind;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  readonly ok: boolean;
  /** The backup file (only its name is recorded). */
  readonly file: string | null;
  readonly tables: number;
  readonly rows: number;
  readonly bytes: number;
  readonly errorCode: string | null;
  /** Counts only (per table, per sealed field): never a value, a path or a key. */
  readonly detail: Readonly<Record<string, unknown>>;
}

/** Records a run in `backup_run`, as the owner role (the API role may only read it). */
export async function recordBackupRun(ownerUrl: string, run: BackupRun): Promise<string> {
  const id = uuidv7();
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    await client.query(
      `INSERT INTO backup_run (id, kind, started_at, finished_at, ok, file_name, tables, rows, bytes, error_code, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`,
      [
        id,
        run.kind,
        run.startedAt,
        run.finishedAt,
        run.ok,
        run.file === null ? null : basename(run.file),
        run.tables,
        run.rows,
        run.bytes,
        run.errorCode,
        JSON.stringify(run.detail),
      ],
    );
  } finally {
    await client.end();
  }
  return id;
}
