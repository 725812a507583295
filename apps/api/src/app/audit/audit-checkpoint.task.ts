import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { AUDIT_CHECKPOINT_WITHIN_SECONDS } from '@harbour/domain';
import { Db } from '../../infra/database/transaction';
import { Scheduler, type TaskContext } from '../../infra/jobs/scheduler';
import { describeError } from '../../infra/logging/logger';
import { Clock } from '../../infra/time/clock';
import { AccessLog } from './access-log.service';
import { AuditWitness } from './audit-witness.service';
import { AuditLogQueries } from '../../data/audit/audit-log.queries';

/** Every event is covered by a signed checkpoint within this long (T27). */
export const CHECKPOINT_WITHIN_MS = AUDIT_CHECKPOINT_WITHIN_SECONDS * 1000;

/** How often each API instance looks for uncovered events (one instance at a time runs it). */
export const CHECKPOINT_TASK_EVERY_MS = 10_000;

/**
 * A log is checkpointed once its last checkpoint is this old and events follow it. An event
 * logged at t is covered by the first tick at or after max(t, last checkpoint + 40 s), at most
 * 10 s later: within 50 s, leaving 10 s for a slow run. A busy log gets one timed checkpoint
 * every 40–50 s (and one every 1,000 events from the writer).
 */
export const CHECKPOINT_COVER_AFTER_MS = CHECKPOINT_WITHIN_MS - 2 * CHECKPOINT_TASK_EVERY_MS;

export const CHECKPOINT_TASK = 'audit.checkpoint';

/**
 * The periodic task that keeps the log's uncovered tail short (docs/security.md T27): signs a
 * checkpoint for every organisation whose events have waited long enough, and exports
 * checkpoints the witness has not received yet (a failed export is retried every tick).
 */
@Injectable()
export class AuditCheckpointTask implements OnModuleInit {
  private readonly logger = new Logger('AuditCheckpointTask');

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly log: AccessLog,
    private readonly witness: AuditWitness,
    private readonly scheduler: Scheduler,
    private readonly auditLog: AuditLogQueries,
  ) {}

  onModuleInit(): void {
    this.scheduler.register(CHECKPOINT_TASK, CHECKPOINT_TASK_EVERY_MS, (context) =>
      this.run(context),
    );
  }

  /** One pass over every organisation that is due. */
  async run({ signal }: TaskContext): Promise<void> {
    const coveredBefore = new Date(this.clock.now().getTime() - CHECKPOINT_COVER_AFTER_MS);
    const due = await this.db.transaction(null, (tx) =>
      this.auditLog.checkpointsDue(tx, coveredBefore, this.witness.enabled),
    );
    for (const organisationId of due) {
      if (signal.aborted) return;
      try {
        await this.db.transaction(organisationId, (tx) =>
          this.log.checkpointNow(tx, organisationId),
        );
        await this.witness.flush(organisationId);
      } catch (error) {
        // One organisation's failure (a head that is not authentic, a witness away) must not
        // keep the others' tails open; it is tried again next tick.
        this.logger.error(
          `checkpoint task failed for an organisation ${JSON.stringify({ organisationId, err: describeError(error) })}`,
        );
      }
    }
  }
}
