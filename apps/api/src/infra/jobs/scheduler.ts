import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DataSource } from 'typeorm';
import type { HarbourConfig } from '../config/config';
import { describeError } from '../logging/logger';
import { TimerSource, type CancelTimer } from './timers';
import { advisoryUnlock, tryAdvisoryLock } from '../database/advisory-lock';

/** What a task's run is told: stop early when `signal` aborts (the application is stopping). */
export interface TaskContext {
  readonly signal: AbortSignal;
}

export type TaskRun = (context: TaskContext) => Promise<void>;

/** The outcome of one tick of a task on this instance. */
export type TickOutcome = 'ran' | 'failed' | 'busy' | 'stopped';

interface Task {
  readonly name: string;
  readonly everyMs: number;
  readonly run: TaskRun;
  cancel: CancelTimer | null;
  running: Promise<TickOutcome> | null;
}

/** Injection token: whether this process runs periodic tasks at all (the CLI does not). */
export const JOBS_OPTIONS = Symbol('JOBS_OPTIONS');

export interface JobsOptions {
  /** Whether this process runs periodic tasks (the operator CLI does not). */
  readonly enabled: boolean;
  /** Whether this process works jobs (the operator CLI does not; tests only when they say so). */
  readonly work: boolean;
  /** The application role's connection string (the job runner keeps a small pool of its own). */
  readonly databaseUrl: string;
  readonly settings: HarbourConfig['jobs'];
}

/**
 * The first key of every task's PostgreSQL advisory lock (the second is `hashtext(name)`).
 * Two-key advisory locks never collide with the one-key locks used elsewhere.
 */
export const JOB_LOCK_CLASS = 0x48424a42; // "HBJB"

/** Task names: lower-case words joined by dots, dashes or underscores (`audit.checkpoint`). */
const TASK_NAME = /^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)*$/;

/**
 * Named periodic tasks (checkpoints of the access log, and later e.g. publishing closed report
 * periods), for any number of API instances on one database:
 *
 * - `register(name, everyMs, run)` in a provider's `onModuleInit`; the scheduler starts every
 *   registered task when the application has bootstrapped, and stops them on shutdown
 *   (cancelling pending ticks and waiting for a run in progress, whose `signal` aborts).
 * - Every `everyMs`, each instance tries to take the task's PostgreSQL advisory lock
 *   (`pg_try_advisory_lock`, on a connection of its own held for the run): one instance runs
 *   the task, the others skip that tick. A crashed instance's lock goes with its connection.
 * - So a task must be idempotent and decide for itself what is due (from the database, by the
 *   injected clock): two instances may each run it once in the same period, one after the other.
 * - A run never overlaps itself on one instance; the next tick is scheduled when a run ends.
 *   Errors are logged (class and codes, never messages) and the task runs again next tick.
 *
 * Timers come from `TimerSource`: real timers in a running API, hand-driven `ManualTimers` in
 * tests (the medium-test harness never leaves a real timer running).
 */
@Injectable()
export class Scheduler implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger('Scheduler');
  private readonly tasks = new Map<string, Task>();
  private readonly stopping = new AbortController();
  private started = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly timers: TimerSource,
    @Inject(JOBS_OPTIONS) private readonly options: Pick<JobsOptions, 'enabled'>,
  ) {}

  /** Adds a periodic task. Names are unique; `everyMs` at least one second. */
  register(name: string, everyMs: number, run: TaskRun): void {
    if (!TASK_NAME.test(name)) throw new Error(`invalid task name: ${name}`);
    if (this.tasks.has(name)) throw new Error(`task already registered: ${name}`);
    if (!Number.isInteger(everyMs) || everyMs < 1000) {
      throw new Error(`task ${name}: everyMs must be a whole number of at least 1000`);
    }
    const task: Task = { name, everyMs, run, cancel: null, running: null };
    this.tasks.set(name, task);
    if (this.started) this.plan(task);
  }

  /** The registered task names. */
  get taskNames(): string[] {
    return [...this.tasks.keys()];
  }

  onApplicationBootstrap(): void {
    if (!this.options.enabled || this.started) return;
    this.started = true;
    for (const task of this.tasks.values()) this.plan(task);
  }

  async onModuleDestroy(): Promise<void> {
    this.stopping.abort();
    for (const task of this.tasks.values()) {
      task.cancel?.();
      task.cancel = null;
    }
    await Promise.all(
      [...this.tasks.values()].map((task) => task.running ?? Promise.resolve('stopped')),
    );
  }

  /**
   * Runs one tick of `name` now on this instance (what the timer does): takes the task's lock,
   * runs it, releases the lock. `busy` when another instance (or this one) holds the lock.
   */
  async runNow(name: string): Promise<TickOutcome> {
    const task = this.tasks.get(name);
    if (task === undefined) throw new Error(`no task named ${name}`);
    return this.tick(task);
  }

  private plan(task: Task): void {
    if (this.stopping.signal.aborted) return;
    task.cancel = this.timers.schedule(task.everyMs, async () => {
      task.cancel = null;
      await this.tick(task);
      this.plan(task);
    });
  }

  private tick(task: Task): Promise<TickOutcome> {
    if (this.stopping.signal.aborted) return Promise.resolve('stopped');
    if (task.running !== null) return Promise.resolve('busy');
    const running = this.lockedRun(task).finally(() => {
      task.running = null;
    });
    task.running = running;
    return running;
  }

  private async lockedRun(task: Task): Promise<TickOutcome> {
    const runner = this.dataSource.createQueryRunner();
    try {
      await runner.connect();
      if (!(await tryAdvisoryLock(runner, JOB_LOCK_CLASS, task.name))) return 'busy';
      try {
        await task.run({ signal: this.stopping.signal });
        return 'ran';
      } catch (error) {
        this.logger.error(
          `periodic task failed ${JSON.stringify({ task: task.name, err: describeError(error) })}`,
        );
        return 'failed';
      } finally {
        await advisoryUnlock(runner, JOB_LOCK_CLASS, task.name);
      }
    } catch (error) {
      // The database is away (or the pool closed under a stopping app): try again next tick.
      if (!this.stopping.signal.aborted) {
        this.logger.warn(
          `periodic task skipped ${JSON.stringify({ task: task.name, err: describeError(error) })}`,
        );
      }
      return 'failed';
    } finally {
      await runner.release();
    }
  }
}
