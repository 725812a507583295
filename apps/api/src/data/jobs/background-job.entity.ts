import { Check, Column, Entity, Index } from 'typeorm';
import { TenantRecord } from '../tenant-entity';
import { CreatedAtColumn, UpdatedAtColumn } from '../record-columns';

/**
 * A long job of one organisation (a key rotation, later purges): its kind, state and progress,
 * as `GET /api/jobs/:id` shows them. The job runner's own job (`pgboss.job`) carries only this
 * row's id; the work itself is resumable from what the job has recorded here.
 */
@Entity({ name: 'background_job' })
@Index('background_job_recent', ['organisationId', 'createdAt'])
@Check('background_job_kind', `"kind" IN ('rotate_data_key', 'rotate_kek')`)
@Check('background_job_state', `"state" IN ('queued', 'running', 'completed', 'failed')`)
@Check('background_job_progress', `"done" >= 0 AND ("total" IS NULL OR "total" >= 0)`)
export class BackgroundJobEntity extends TenantRecord {
  @Column({ type: 'text' })
  kind!: string;

  @Column({ type: 'text' })
  state!: string;

  /** Units of work done (for a rotation: fields re-encrypted). */
  @Column({ type: 'integer', default: 0 })
  done!: number;

  /** Units of work known so far, or null before the job has counted them. */
  @Column({ type: 'integer', nullable: true })
  total!: number | null;

  /** The job's parameters and resume point: ids and counters, never case data. */
  @Column({ type: 'jsonb' })
  detail!: Record<string, unknown>;

  /** A stable error code when the job failed (never a message). */
  @Column({ name: 'error_code', type: 'text', nullable: true })
  errorCode!: string | null;

  /** The staff member who started it; null for the system's own jobs. */
  @Column({ name: 'created_by', type: 'uuid', nullable: true })
  createdBy!: string | null;

  @CreatedAtColumn()
  createdAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @UpdatedAtColumn()
  updatedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
