import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { tenantScope } from '../../core/scope/request-scope';
import { RetentionRepository } from '../../data/retention/retention.repository';
import { Db } from '../../infra/database/transaction';
import { Scheduler, type TaskContext } from '../../infra/jobs/scheduler';
import { describeError } from '../../infra/logging/logger';
import { Clock } from '../../infra/time/clock';
import { RetentionService } from './retention.service';

export const RETENTION_PURGE_TASK = 'retention.purge';
/** The task looks every hour; each organisation is purged once a day (decided from its runs). */
const RETENTION_PURGE_EVERY_MS = 60 * 60 * 1000;
export const RETENTION_PURGE_INTERVAL_MS = 24 * 60 * 60 * 1000;

/**
 * The daily purge (docs/design.md §9): every hour, for every organisation not in lockdown whose
 * last scheduled purge finished a day or more ago, one purge run in one transaction — what a dry
 * run at that moment lists is removed, a `purge_run` is recorded and one access event written.
 * Idempotent: a second instance in the same hour finds the run and skips.
 */
@Injectable()
export class RetentionPurgeTask implements OnModuleInit {
  private readonly logger = new Logger('RetentionPurgeTask');

  constructor(
    private readonly db: Db,
    private readonly retention: RetentionService,
    private readonly runs: RetentionRepository,
    private readonly scheduler: Scheduler,
    private readonly clock: Clock,
  ) {}

  onModuleInit(): void {
    this.scheduler.register(RETENTION_PURGE_TASK, RETENTION_PURGE_EVERY_MS, (context) =>
      this.run(context).then(() => undefined),
    );
  }

  /** One pass; how many organisations were purged. */
  async run({ signal }: TaskContext = { signal: new AbortController().signal }): Promise<number> {
    const organisations = await this.db.transaction(null, (tx) => this.runs.organisations(tx));
    let purged = 0;
    for (const organisationId of organisations) {
      if (signal.aborted) break;
      try {
        const ran = await this.db.transaction(organisationId, async (tx) => {
          const now = this.clock.now();
          const last = await this.runs.lastRunAt(tx, organisationId, 'job');
          if (last !== null && now.getTime() - last.getTime() < RETENTION_PURGE_INTERVAL_MS)
            return false;
          await this.retention.purge(tenantScope(tx), now, 'job');
          return true;
        });
        if (ran) purged += 1;
      } catch (error) {
        // One organisation's failure must not hold up the others; the next tick tries again.
        this.logger.error(
          `retention purge failed for an organisation ${JSON.stringify({ organisationId, err: describeError(error) })}`,
        );
      }
    }
    return purged;
  }
}
