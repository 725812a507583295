import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';

/**
 * One run of `harbour backup`, `backup --verify` or `restore` (written by the operator CLI as
 * the owner role; the API reads it). Deployment-wide: no organisation, no row-level security.
 * `detail` holds counts per table and per sealed field only, never a value or a key.
 */
@Entity({ name: 'backup_run' })
@Index('backup_run_recent', ['kind', 'finishedAt'])
@Check('backup_run_kind', `"kind" IN ('backup', 'verify', 'restore')`)
@Check(
  'backup_run_file_name',
  `"file_name" IS NULL OR ("file_name" !~ '[/\\\\]' AND char_length("file_name") BETWEEN 1 AND 255)`,
)
@Check('backup_run_counts', `"tables" >= 0 AND "rows" >= 0 AND "bytes" >= 0`)
@Check('backup_run_times', `"finished_at" >= "started_at"`)
export class BackupRunEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  kind!: 'backup' | 'verify' | 'restore';

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz' })
  finishedAt!: Date;

  @Column({ type: 'boolean' })
  ok!: boolean;

  /** The backup file's name (no folder). */
  @Column({ name: 'file_name', type: 'text', nullable: true })
  fileName!: string | null;

  @Column({ type: 'integer', default: 0 })
  tables!: number;

  @Column({ type: 'bigint', default: 0 })
  rows!: string;

  @Column({ type: 'bigint', default: 0 })
  bytes!: string;

  /** The stable code of a failure, or null. */
  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: string | null;

  @Column({ type: 'jsonb' })
  detail!: Record<string, unknown>;
}
