import { PURGE_TRIGGERS, RETENTION_CLASSES } from '@harbour/domain';
import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { sqlList } from '../../infra/database/sql-list';
import { TenantEntity, TenantRecord } from '../tenant-entity';

/**
 * One organisation's retention setting for one record class: how many units (the class's unit,
 * `RETENTION_RULES`) to keep; null keeps forever (only where the rules allow it). A class with
 * no row uses its default. Every row of an organisation carries the settings' version.
 */
@Entity({ name: 'retention_policy' })
@Check('retention_policy_class', `"record_class" IN (${sqlList(RETENTION_CLASSES)})`)
@Check('retention_policy_keep', `"keep" IS NULL OR "keep" >= 1`)
export class RetentionPolicyEntity extends TenantEntity {
  @PrimaryColumn({ name: 'record_class', type: 'text' })
  recordClass!: string;

  @Column({ type: 'integer', nullable: true })
  keep!: number | null;

  @Column({ type: 'integer' })
  version!: number;

  @Column({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;

  @Column({ name: 'updated_by', type: 'uuid' })
  updatedBy!: string;
}

/**
 * One purge run in one organisation (the daily job, `harbour purge`, or an admin): when, by what,
 * and how many records each class removed. Counts only: never an id, a code or an identity.
 */
@Entity({ name: 'purge_run' })
@Index('purge_run_recent', ['organisationId', 'finishedAt'])
@Check('purge_run_trigger', `"trigger" IN (${sqlList(PURGE_TRIGGERS)})`)
@Check('purge_run_times', `"finished_at" >= "started_at"`)
export class PurgeRunEntity extends TenantRecord {
  @Column({ type: 'text' })
  trigger!: string;

  @Column({ name: 'started_at', type: 'timestamptz' })
  startedAt!: Date;

  @Column({ name: 'finished_at', type: 'timestamptz' })
  finishedAt!: Date;

  /** `{ <class>: <count> }`. */
  @Column({ type: 'jsonb' })
  counts!: Record<string, number>;
}
