import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/database/transaction';
import type { JobSendConnection } from '../../infra/jobs/job-queue';
import { query, statement } from '../sql';
import { BackgroundJobEntity } from './background-job.entity';

/** A background job as its repository hands it out. */
export type BackgroundJobRow = Pick<
  BackgroundJobEntity,
  | 'id'
  | 'kind'
  | 'state'
  | 'done'
  | 'total'
  | 'detail'
  | 'errorCode'
  | 'createdBy'
  | 'createdAt'
  | 'startedAt'
  | 'updatedAt'
  | 'finishedAt'
>;

const insert = statement<{
  organisationId: string;
  id: string;
  kind: string;
  detail: string;
  createdBy: string | null;
  createdAt: Date;
}>(
  'jobs.insert',
  `INSERT INTO background_job (organisation_id, id, kind, state, done, total, detail, created_by,
                            created_at, updated_at)
VALUES (:organisationId, :id, :kind, 'queued', 0, NULL, :detail::jsonb, :createdBy,
        :createdAt, :createdAt)`,
);

const lockForWork = statement<
  { organisationId: string; id: string },
  {
    id: string;
    kind: string;
    state: string;
    done: number;
    total: number | null;
    detail: Record<string, unknown>;
  }
>(
  'jobs.lockForWork',
  `SELECT id, kind, state, done, total, detail FROM background_job
 WHERE organisation_id = :organisationId AND id = :id
   FOR UPDATE`,
);

const recordProgress = statement<{
  organisationId: string;
  id: string;
  state: string;
  done: number;
  total: number | null;
  detail: string;
  errorCode: string | null;
  now: Date;
}>(
  'jobs.recordProgress',
  `UPDATE background_job
   SET state = :state, done = :done, total = :total, detail = :detail::jsonb,
       error_code = :errorCode, updated_at = :now,
       started_at = COALESCE(started_at, :now),
       finished_at = CASE WHEN :state IN ('completed', 'failed') THEN :now ELSE NULL END
 WHERE organisation_id = :organisationId AND id = :id`,
);

/** Background jobs (`background_job`): kind, state and progress of one organisation's long jobs. */
@Injectable()
export class BackgroundJobsRepository {
  async insert(
    tx: Tx,
    row: Pick<BackgroundJobEntity, 'organisationId' | 'id' | 'kind' | 'detail' | 'createdBy'> & {
      createdAt: Date;
    },
  ): Promise<void> {
    await query(tx.manager, insert, { ...row, detail: JSON.stringify(row.detail) });
  }

  find(tx: Tx, organisationId: string, id: string): Promise<BackgroundJobRow | null> {
    return tx.manager.getRepository(BackgroundJobEntity).findOneBy({ organisationId, id });
  }

  /** The organisation's newest jobs, newest first. */
  recent(tx: Tx, organisationId: string, limit: number): Promise<BackgroundJobRow[]> {
    return tx.manager
      .getRepository(BackgroundJobEntity)
      .find({ where: { organisationId }, order: { createdAt: 'DESC', id: 'DESC' }, take: limit });
  }

  /** The job's row, locked until the transaction ends (one slice works a job at a time). */
  async lockForWork(tx: Tx, organisationId: string, id: string) {
    const [row] = await query(tx.manager, lockForWork, { organisationId, id });
    return row ?? null;
  }

  async recordProgress(
    tx: Tx,
    organisationId: string,
    id: string,
    progress: {
      state: string;
      done: number;
      total: number | null;
      detail: Record<string, unknown>;
      errorCode: string | null;
    },
    now: Date,
  ): Promise<void> {
    await query(tx.manager, recordProgress, {
      organisationId,
      id,
      ...progress,
      detail: JSON.stringify(progress.detail),
      now,
    });
  }

  /** The transaction as a connection the job runner can send a job through. */
  connection(tx: Tx): JobSendConnection {
    return {
      executeSql: async (text, values) => ({
        rows: await tx.manager.query<unknown[]>(text, values),
      }),
    };
  }
}
