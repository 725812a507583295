import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/database/transaction';
import { query, statement } from '../sql';

/**
 * A recorded run as the API reads it: counts and a code, never `detail` (which the statement
 * does not select). `rows` and `bytes` are `bigint`, which the driver hands back as text.
 */
export interface BackupRunRow {
  readonly kind: string;
  readonly ok: boolean;
  readonly finished_at: Date;
  readonly file_name: string | null;
  readonly tables: number;
  readonly rows: string;
  readonly bytes: string;
  readonly error_code: string | null;
}

/**
 * The newest successful and the newest failed run of each kind (up to six rows), each found
 * through `backup_run_recent` (kind, finished_at) rather than by reading the whole history.
 */
const newestPerKindAndOutcome = statement<Record<string, never>, BackupRunRow>(
  'backups.newestPerKindAndOutcome',
  `SELECT r.kind, r.ok, r.finished_at, r.file_name, r."tables", r."rows"::text AS "rows",
       r.bytes::text AS bytes, r.error_code
  FROM (VALUES ('backup'), ('verify'), ('restore')) AS k (kind)
 CROSS JOIN (VALUES (true), (false)) AS o (ok)
 CROSS JOIN LATERAL (
       SELECT b.kind, b.ok, b.finished_at, b.file_name, b."tables", b."rows", b.bytes,
              b.error_code
         FROM backup_run b
        WHERE b.kind = k.kind AND b.ok = o.ok
        ORDER BY b.finished_at DESC, b.id DESC
        LIMIT 1) AS r`,
);

/** `backup_run` (deployment-wide; the operator CLI writes it as the owner, the API reads it). */
@Injectable()
export class BackupRunsRepository {
  async newestPerKindAndOutcome(tx: Tx): Promise<BackupRunRow[]> {
    return await query(tx.manager, newestPerKindAndOutcome, {});
  }
}
