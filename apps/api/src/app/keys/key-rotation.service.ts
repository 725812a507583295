import { Inject, Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DecryptionError } from '@harbour/crypto';
import type { JobView } from '@harbour/domain';
import { HARBOUR_CONFIG } from '../../infra/config/config.module';
import type { HarbourConfig } from '../../infra/config/config';
import { LockdownActiveError } from '../../infra/auth/lockdown';
import { Db, type Tx } from '../../infra/database/transaction';
import { DomainError } from '../../infra/http/domain-error';
import { JobQueue, type JobRun } from '../../infra/jobs/job-queue';
import { describeError } from '../../infra/logging/logger';
import { Clock } from '../../infra/time/clock';
import {
  BackgroundJobs,
  type BackgroundJobRef,
  type JobProgress,
} from '../../core/jobs/background-jobs';
import { KeyLifecycle, type RetireOutcome } from '../../core/keyring/key-lifecycle';
import { KeyringService } from '../../core/keyring/keyring.service';
import type { SignedInScope } from '../../core/scope/request-scope';
import {
  FieldRotationRepository,
  ROTATION_FIELDS,
  type RotatableField,
} from '../../data/keys/field-rotation.repository';

/** The job runner's queue of rotation slices (created by the migration that made the runner). */
export const KEY_ROTATION_QUEUE = 'key-rotation';

/** How long a slice waits before asking again for the lock a retirement needs. */
const RETIRE_RETRY_MS = 100;

/** How long a rotation waits while its organisation is in lockdown before looking again. */
const LOCKDOWN_RETRY_MS = 60_000;

/** Where a rotation is: its keys, and the field and row it has reached in this pass. */
interface RotationDetail {
  readonly fromKeyId: number;
  readonly toKeyId: number;
  /** Index into `ROTATION_FIELDS`; past the end: the final count. */
  readonly field: number;
  /** The last row id re-encrypted in this field (rows are visited in id order). */
  readonly after: string | null;
  readonly pass: number;
  /** Values found unreadable in this pass (never moved: the old key stays for them). */
  readonly unreadable: number;
}

/** Where a KEK rotation is: its KEKs, and the last key it re-wrapped in this pass. */
interface KekRotationDetail {
  readonly fromKeyId: number;
  readonly toKeyId: number;
  readonly after: number;
  readonly pass: number;
}

/** How a step of a slice ended. */
type Step = 'more' | 'busy' | 'handed_over' | 'finished';

export class RotationInProgressError extends DomainError {
  constructor() {
    super('conflict', 'A rotation of this key is already under way.');
  }
}

/**
 * Rotation of an organisation's data key (docs/operations.md "Key rotation"): `start` makes a
 * new key current and the old one decrypt-only, and records a job; the job's slices then
 * re-encrypt every value under the old key, field by field in batches (rows locked with
 * `FOR UPDATE SKIP LOCKED`, written with a compare-and-swap on the old ciphertext), while
 * caseworkers keep working. A full count under the data-key lock then finds no value left and
 * retires the old key, whose material is destroyed after the backup window
 * (`KeyMaintenance`); values written under the old key meanwhile (by a request that began
 * before the switch) or skipped because a row was locked are found by the count, and another
 * pass moves them.
 *
 * Every step is one transaction that also records the job's progress, so a slice that dies
 * (a crashed process) leaves the job consistent: the job runner retries the slice elsewhere,
 * and it resumes where the last step committed.
 */
@Injectable()
export class KeyRotation implements OnModuleInit {
  private readonly logger = new Logger('KeyRotation');

  constructor(
    private readonly db: Db,
    private readonly keyring: KeyringService,
    private readonly lifecycle: KeyLifecycle,
    private readonly jobs: BackgroundJobs,
    private readonly fields: FieldRotationRepository,
    private readonly queue: JobQueue,
    private readonly clock: Clock,
    @Inject(HARBOUR_CONFIG) private readonly config: HarbourConfig,
  ) {}

  onModuleInit(): void {
    this.queue.register<BackgroundJobRef>(KEY_ROTATION_QUEUE, (run) => this.work(run));
  }

  /**
   * Starts rotating the organisation data key (re-encrypting values) or its KEK (re-wrapping
   * the keyring's keys); the job's first view.
   */
  async start(scope: SignedInScope, purpose: 'organisation_data' | 'kek'): Promise<JobView> {
    const { tx, organisationId, principal } = scope;
    const keys =
      purpose === 'kek'
        ? await this.lifecycle.rotateKek(tx, organisationId)
        : await this.lifecycle.rotate(tx, organisationId);
    if (keys === null) throw new RotationInProgressError();
    const detail: RotationDetail | KekRotationDetail =
      purpose === 'kek'
        ? { ...keys, after: 0, pass: 1 }
        : { ...keys, field: 0, after: null, pass: 1, unreadable: 0 };
    const id = await this.jobs.start(tx, organisationId, {
      kind: purpose === 'kek' ? 'rotate_kek' : 'rotate_data_key',
      queue: KEY_ROTATION_QUEUE,
      detail: { ...detail },
      createdBy: principal.userId,
    });
    scope.note({ resourceIds: [id] });
    return (await this.jobs.view(tx, organisationId, id))!;
  }

  /**
   * One slice of a rotation job: steps until the job is finished or the slice's time is up
   * (then it hands over to a next slice). Returns how it ended.
   */
  async runSlice(ref: BackgroundJobRef): Promise<'finished' | 'handed_over'> {
    const deadline = Date.now() + this.config.jobs.sliceSeconds * 1000;
    for (;;) {
      let step: Step;
      try {
        step = await this.db.transaction(ref.organisationId, (tx) => this.step(tx, ref, deadline));
      } catch (error) {
        if (!(error instanceof LockdownActiveError)) throw error;
        // No key is served in lockdown: look again later, leaving the job as it is.
        await this.db.transaction(ref.organisationId, async (tx) => {
          const at = new Date(this.clock.now().getTime() + LOCKDOWN_RETRY_MS);
          await this.jobs.continueLater(tx, KEY_ROTATION_QUEUE, ref, at);
        });
        return 'handed_over';
      }
      if (step === 'finished' || step === 'handed_over') return step;
      if (step === 'busy') await sleep(RETIRE_RETRY_MS);
    }
  }

  private async work(run: JobRun<BackgroundJobRef>): Promise<void> {
    try {
      await this.runSlice(run.data);
    } catch (error) {
      this.logger.warn(
        { err: describeError(error), job: run.data.jobId, retry: run.retryCount },
        'rotation slice failed',
      );
      if (run.retryCount >= run.retryLimit) await this.fail(run.data, 'internal_error');
      throw error;
    }
  }

  private async step(tx: Tx, ref: BackgroundJobRef, deadline: number): Promise<Step> {
    const job = await this.jobs.lockForWork(tx, ref);
    if (job === null || job.state === 'completed' || job.state === 'failed') return 'finished';
    if (job.kind === 'rotate_kek') return this.kekStep(tx, ref, job, deadline);
    const detail = job.detail as unknown as RotationDetail;
    const { organisationId } = ref;
    const total =
      job.total ?? (await this.fields.fieldsUnderKey(tx, organisationId, detail.fromKeyId));
    const progress = { state: 'running' as const, done: job.done, total, errorCode: null };

    if (await this.handOverIfDue(tx, ref, { ...progress, detail: { ...detail } }, deadline)) {
      return 'handed_over';
    }

    const field = ROTATION_FIELDS[detail.field];
    if (field === undefined) return this.finalCount(tx, ref, detail, progress);

    const rows = await this.fields.batch(
      tx,
      field,
      detail.fromKeyId,
      detail.after,
      this.config.keys.rotationBatch,
    );
    if (rows.length === 0) {
      const next: RotationDetail = { ...detail, field: detail.field + 1, after: null };
      await this.jobs.record(tx, ref, { ...progress, detail: { ...next } });
      return 'more';
    }
    const from = await this.keyring.organisationDataKeyById(tx, organisationId, detail.fromKeyId);
    const to = await this.keyring.organisationDataKeyById(tx, organisationId, detail.toKeyId);
    const moves: { id: string; old: Buffer; new: Buffer }[] = [];
    let unreadable = 0;
    for (const row of rows) {
      try {
        const moved = this.keyring.cipher.reencryptField(
          from,
          to,
          placeOf(field, organisationId, row.id),
          new Uint8Array(row.ciphertext),
        );
        moves.push({ id: row.id, old: row.ciphertext, new: Buffer.from(moved) });
      } catch (error) {
        if (!(error instanceof DecryptionError)) throw error;
        unreadable++;
      }
    }
    const moved = moves.length === 0 ? 0 : await this.fields.apply(tx, field, moves);
    const next: RotationDetail = {
      ...detail,
      after: rows[rows.length - 1]!.id,
      unreadable: detail.unreadable + unreadable,
    };
    await this.jobs.record(tx, ref, { ...progress, done: job.done + moved, detail: { ...next } });
    return 'more';
  }

  /** Past the last field: retire the old key if nothing is left under it, else another pass. */
  private async finalCount(
    tx: Tx,
    ref: BackgroundJobRef,
    detail: RotationDetail,
    progress: { state: 'running'; done: number; total: number; errorCode: null },
  ): Promise<Step> {
    const { organisationId } = ref;
    const result = await this.lifecycle.retireIfUnused(
      tx,
      organisationId,
      detail.fromKeyId,
      () => this.fields.fieldsUnderKey(tx, organisationId, detail.fromKeyId),
      this.retirementTimes(),
    );
    if (result.outcome === 'in_use' && result.fields <= detail.unreadable) {
      // Everything left is unreadable under the old key: it stays decrypt-only, and an admin
      // is told (the values were lost before the rotation; retiring would not bring them back).
      await this.jobs.record(tx, ref, {
        ...progress,
        state: 'failed',
        errorCode: 'unreadable_fields',
        detail: { ...detail },
      });
      return 'finished';
    }
    const next: RotationDetail = {
      ...detail,
      field: 0,
      after: null,
      pass: detail.pass + 1,
      unreadable: 0,
    };
    return this.afterFinalCount(tx, ref, result, { ...progress, detail: { ...detail } }, next);
  }

  /**
   * A step of a KEK rotation: a batch of keys the old KEK wraps is re-wrapped under the new one;
   * past the last, the old KEK is retired if it wraps nothing any more (else another pass).
   */
  private async kekStep(
    tx: Tx,
    ref: BackgroundJobRef,
    job: { done: number; total: number | null; detail: Record<string, unknown> },
    deadline: number,
  ): Promise<Step> {
    const detail = job.detail as unknown as KekRotationDetail;
    const { organisationId } = ref;
    const total =
      job.total ?? (await this.lifecycle.countWrappedBy(organisationId, detail.fromKeyId));
    const progress = { state: 'running' as const, done: job.done, total, errorCode: null };
    if (await this.handOverIfDue(tx, ref, { ...progress, detail: { ...detail } }, deadline)) {
      return 'handed_over';
    }
    const batch = await this.lifecycle.rewrapBatch(
      tx,
      organisationId,
      detail,
      detail.after,
      this.config.keys.rotationBatch,
    );
    if (batch.last !== null) {
      const next: KekRotationDetail = { ...detail, after: batch.last };
      await this.jobs.record(tx, ref, {
        ...progress,
        done: job.done + batch.moved,
        detail: { ...next },
      });
      return 'more';
    }
    const result = await this.lifecycle.retireKekIfUnused(
      tx,
      organisationId,
      detail.fromKeyId,
      this.retirementTimes(),
    );
    const next: KekRotationDetail = { ...detail, after: 0, pass: detail.pass + 1 };
    return this.afterFinalCount(tx, ref, result, { ...progress, detail: { ...detail } }, next);
  }

  /**
   * After the final count: the job is done when the old key was retired; when something is
   * left, another pass starts at `nextPass` (the total grows by what was found).
   */
  private async afterFinalCount(
    tx: Tx,
    ref: BackgroundJobRef,
    result: RetireOutcome,
    progress: JobProgress & { total: number },
    nextPass: object,
  ): Promise<Step> {
    if (result.outcome === 'busy') return 'busy';
    if (result.outcome === 'retired') {
      await this.jobs.record(tx, ref, { ...progress, state: 'completed', total: progress.done });
      return 'finished';
    }
    await this.jobs.record(tx, ref, {
      ...progress,
      total: Math.max(progress.total, progress.done + result.fields),
      detail: { ...nextPass },
    });
    return 'more';
  }

  /** At the slice's end: records where the job is and sends its next slice. */
  private async handOverIfDue(
    tx: Tx,
    ref: BackgroundJobRef,
    progress: JobProgress,
    deadline: number,
  ): Promise<boolean> {
    if (Date.now() < deadline) return false;
    await this.jobs.record(tx, ref, progress);
    await this.jobs.continueLater(tx, KEY_ROTATION_QUEUE, ref);
    return true;
  }

  /** When a key retired now is destroyed: after the backup window. */
  private retirementTimes(): { now: Date; destroyAfter: Date } {
    const now = this.clock.now();
    const windowMs = this.config.keys.backupWindowDays * 86_400_000;
    return { now, destroyAfter: new Date(now.getTime() + windowMs) };
  }

  private async fail(ref: BackgroundJobRef, errorCode: string): Promise<void> {
    await this.db
      .transaction(ref.organisationId, async (tx) => {
        const job = await this.jobs.lockForWork(tx, ref);
        if (job === null || job.state === 'completed') return;
        await this.jobs.record(tx, ref, {
          state: 'failed',
          done: job.done,
          total: job.total,
          detail: job.detail,
          errorCode,
        });
      })
      .catch(() => undefined);
  }
}

/** The associated data a value of `field` in row `id` was sealed with. */
function placeOf(field: RotatableField, organisationId: string, rowId: string) {
  const [table, column] = field.split('.') as [string, string];
  return { organisationId, table, column, rowId };
}
