/**
 * Background jobs (docs/design.md §10): long work of one organisation, such as re-encrypting its
 * data under a new key, that runs beside the requests and can be followed while it runs.
 */
export const JOB_KINDS = ['rotate_data_key', 'rotate_kek'] as const;
export type JobKind = (typeof JOB_KINDS)[number];

export const JOB_STATES = ['queued', 'running', 'completed', 'failed'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** A job as `GET /api/jobs/:id` shows it. Progress counts units of work (fields, for a rotation). */
export interface JobView {
  readonly id: string;
  readonly kind: JobKind;
  readonly state: JobState;
  readonly done: number;
  /** Null until the job has counted its work. */
  readonly total: number | null;
  /** A stable error code when the job failed or is retrying, else null. */
  readonly errorCode: string | null;
  readonly createdAt: string;
  readonly startedAt: string | null;
  readonly finishedAt: string | null;
}

/** Whole percent done (0–100), or null while the total is unknown. */
export function jobPercent(job: Pick<JobView, 'done' | 'total' | 'state'>): number | null {
  if (job.state === 'completed') return 100;
  if (job.total === null) return null;
  if (job.total === 0) return 0;
  return Math.min(100, Math.floor((job.done / job.total) * 100));
}
