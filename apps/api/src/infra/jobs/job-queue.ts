import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import PgBoss from 'pg-boss';
import { describeError } from '../logging/logger';
import { JOBS_OPTIONS, type JobsOptions } from './scheduler';

/** The job runner's schema (created by a migration; the API never changes it). */
export const JOB_SCHEMA = 'pgboss';

/**
 * How a job is sent inside a caller's database transaction: pg-boss runs its own INSERT through
 * this, so the job exists exactly when the caller's transaction commits.
 */
export interface JobSendConnection {
  executeSql(text: string, values: unknown[]): Promise<{ rows: unknown[] }>;
}

/** What a handler learns about the job it runs. */
export interface JobRun<T> {
  readonly data: T;
  /** How many times this job has been retried before (0 on the first run). */
  readonly retryCount: number;
  /** How many retries the job runner allows before it gives up on the job. */
  readonly retryLimit: number;
}

export type JobHandler<T> = (run: JobRun<T>) => Promise<void>;

/** When and how a job may run (every field optional). */
export interface JobSendOptions {
  /** Not before this moment. */
  readonly startAfter?: Date;
}

/**
 * Durable jobs shared by every API instance, on pg-boss over Harbour's own PostgreSQL
 * (docs/adr/0009-jobs-on-pg-boss.md). A feature registers a handler for its queue in `onModuleInit`;
 * sends a job inside its own transaction (`send(connection, queue, data)`); each instance with
 * jobs enabled polls for work, and a job whose process died is retried by whichever instance
 * runs the job runner's maintenance next (after `expireSeconds`).
 *
 * Queues are created by migrations (creating one is DDL). Job data holds ids only, never case
 * data: the job runner's tables are outside row-level security.
 */
@Injectable()
export class JobQueue implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('JobQueue');
  private readonly handlers = new Map<string, JobHandler<never>>();
  /** Used to send jobs (through the caller's connection) and, when enabled, to work them. */
  private readonly boss: PgBoss;
  private started = false;

  constructor(@Inject(JOBS_OPTIONS) private readonly options: JobsOptions) {
    this.boss = new PgBoss({
      connectionString: options.databaseUrl,
      schema: JOB_SCHEMA,
      application_name: 'harbour-jobs',
      max: 2,
      // The schema is the migrations' business; periodic work is the Scheduler's.
      migrate: false,
      schedule: false,
      supervise: true,
      maintenanceIntervalSeconds: options.settings.maintenanceSeconds,
      monitorStateIntervalSeconds: 60,
      expireInSeconds: options.settings.expireSeconds,
    });
    this.boss.on('error', (error: unknown) =>
      this.logger.warn({ err: describeError(error) }, 'job runner error'),
    );
  }

  /** Registers the handler of `queue` (once per queue; from a provider's `onModuleInit`). */
  register<T>(queue: string, handler: JobHandler<T>): void {
    if (this.handlers.has(queue)) throw new Error(`job queue ${queue} has a handler already`);
    this.handlers.set(queue, handler);
  }

  /**
   * Sends a job through `connection` (the caller's transaction): it runs once that commits.
   * Returns the job runner's id of the job.
   */
  async send(
    connection: JobSendConnection,
    queue: string,
    data: object,
    options: JobSendOptions = {},
  ): Promise<string> {
    const id = await this.boss.send(queue, data, {
      db: connection,
      expireInSeconds: this.options.settings.expireSeconds,
      ...(options.startAfter === undefined ? {} : { startAfter: options.startAfter }),
    });
    if (id === null) throw new Error(`job runner refused a job for ${queue}`);
    return id;
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.options.work) return;
    await this.boss.start();
    this.started = true;
    for (const [queue, handler] of this.handlers) {
      await this.boss.work(
        queue,
        {
          batchSize: 1,
          includeMetadata: true,
          pollingIntervalSeconds: this.options.settings.pollSeconds,
        },
        async ([job]) => {
          if (job === undefined) return;
          // Which instance works which job (ids only; job data never holds case data): with
          // several instances, each job id appears on one instance's log once per attempt.
          this.logger.log(
            `job started ${JSON.stringify({ queue, job: job.id, retry: job.retryCount })}`,
          );
          await handler({
            data: job.data as never,
            retryCount: job.retryCount,
            retryLimit: job.retryLimit,
          });
        },
      );
    }
  }

  async onModuleDestroy(): Promise<void> {
    if (!this.started) return;
    this.started = false;
    // Waits for handlers in progress (each ends its slice well within `expireSeconds`).
    await this.boss.stop({ graceful: true, wait: true, timeout: 30_000 });
  }
}
