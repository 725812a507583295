import { Injectable } from '@nestjs/common';
import { uuidv7, type JobKind, type JobState, type JobView } from '@harbour/domain';
import type { Tx } from '../../infra/database/transaction';
import { JobQueue } from '../../infra/jobs/job-queue';
import { Clock } from '../../infra/time/clock';
import {
  BackgroundJobsRepository,
  type BackgroundJobRow,
} from '../../data/jobs/background-jobs.repository';

/** What the job runner carries for a background job: which one, of which organisation. */
export interface BackgroundJobRef {
  readonly organisationId: string;
  readonly jobId: string;
}

/** A job's progress as a slice leaves it. */
export interface JobProgress {
  readonly state: JobState;
  readonly done: number;
  readonly total: number | null;
  readonly detail: Record<string, unknown>;
  readonly errorCode: string | null;
}

/**
 * Long jobs of one organisation (docs/design.md §10): Harbour's record of each (`background_job`,
 * under row-level security) and its dispatch through the job runner (`JobQueue`), sent in the
 * same transaction. A job works in slices: each slice locks the job's row, works, records its
 * progress and, when work is left, sends the next slice — all in its transactions — so a slice
 * that dies leaves the job where its last committed transaction left it.
 */
@Injectable()
export class BackgroundJobs {
  constructor(
    private readonly jobs: BackgroundJobsRepository,
    private readonly queue: JobQueue,
    private readonly clock: Clock,
  ) {}

  /** Records a new job and sends its first slice to `queue`, in `tx`. Returns the job's id. */
  async start(
    tx: Tx,
    organisationId: string,
    job: {
      kind: JobKind;
      queue: string;
      detail: Record<string, unknown>;
      createdBy: string | null;
    },
  ): Promise<string> {
    const id = uuidv7();
    await this.jobs.insert(tx, {
      organisationId,
      id,
      kind: job.kind,
      detail: job.detail,
      createdBy: job.createdBy,
      createdAt: this.clock.now(),
    });
    const ref: BackgroundJobRef = { organisationId, jobId: id };
    await this.queue.send(this.jobs.connection(tx), job.queue, ref);
    return id;
  }

  /** Sends the job's next slice, in `tx` (optionally not before `startAfter`). */
  async continueLater(
    tx: Tx,
    queue: string,
    ref: BackgroundJobRef,
    startAfter?: Date,
  ): Promise<void> {
    await this.queue.send(
      this.jobs.connection(tx),
      queue,
      ref,
      startAfter === undefined ? {} : { startAfter },
    );
  }

  /** The job's row, locked for this slice's transaction; null when there is none. */
  lockForWork(tx: Tx, ref: BackgroundJobRef) {
    return this.jobs.lockForWork(tx, ref.organisationId, ref.jobId);
  }

  record(tx: Tx, ref: BackgroundJobRef, progress: JobProgress): Promise<void> {
    return this.jobs.recordProgress(tx, ref.organisationId, ref.jobId, progress, this.clock.now());
  }

  async view(tx: Tx, organisationId: string, id: string): Promise<JobView | null> {
    const row = await this.jobs.find(tx, organisationId, id);
    return row === null ? null : jobView(row);
  }

  async recent(tx: Tx, organisationId: string, limit = 20): Promise<JobView[]> {
    return (await this.jobs.recent(tx, organisationId, limit)).map(jobView);
  }
}

function jobView(row: BackgroundJobRow): JobView {
  return {
    id: row.id,
    kind: row.kind as JobKind,
    state: row.state as JobState,
    done: row.done,
    total: row.total,
    errorCode: row.errorCode,
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
