import { Inject, Injectable } from '@nestjs/common';
import { RETENTION_RULES, retentionCutoff } from '@harbour/domain';
import type { TenantScope } from '../../../core/scope/request-scope';
import { ACCESS_LOG_PRUNING, type AccessLogPruning } from '../../../infra/audit/access-log-pruning';
import type { RetentionClass, RetentionPlan } from '../retention-class';

/**
 * Access events older than the period, as far as a signed checkpoint covers them: the access
 * log's pruned prefix (docs/adr/0011-pruning-the-access-log.md). The log keeps its frontier and
 * still verifies; the plan and the purge are the same computation in the database, in the
 * purge's transaction, and a purge that would remove anything else than its plan is refused.
 */
@Injectable()
export class AccessEventsClass implements RetentionClass {
  readonly name = 'access_events' as const;

  constructor(@Inject(ACCESS_LOG_PRUNING) private readonly pruner: AccessLogPruning) {}

  async plan(scope: TenantScope, keep: number, now: Date): Promise<RetentionPlan> {
    const cutoff = retentionCutoff(now, RETENTION_RULES[this.name].unit, keep);
    const plan = await this.pruner.planIn(scope.tx, scope.organisationId, cutoff);
    // Events are a prefix of the log, not rows with ids: the plan is its count and dates.
    return { cutoff, ids: [], ...plan };
  }

  async purge(scope: TenantScope, plan: RetentionPlan): Promise<number> {
    if (plan.count === 0) return 0;
    const removed = await this.pruner.pruneIn(scope.tx, scope.organisationId, plan.cutoff);
    if (
      removed.count !== plan.count ||
      removed.oldest?.getTime() !== plan.oldest?.getTime() ||
      removed.newest?.getTime() !== plan.newest?.getTime()
    ) {
      throw new Error('the access log changed between the plan and the purge');
    }
    return removed.count;
  }
}
