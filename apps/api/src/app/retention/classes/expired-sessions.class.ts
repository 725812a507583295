import { Injectable } from '@nestjs/common';
import { RETENTION_RULES, retentionCutoff } from '@harbour/domain';
import type { TenantScope } from '../../../core/scope/request-scope';
import { RetentionRepository } from '../../../data/retention/retention.repository';
import { planOf, type RetentionClass, type RetentionPlan } from '../retention-class';

/** Sign-in sessions that ended (expired or revoked) longer ago than the period. */
@Injectable()
export class ExpiredSessionsClass implements RetentionClass {
  readonly name = 'expired_sessions' as const;

  constructor(private readonly retention: RetentionRepository) {}

  async plan(scope: TenantScope, keep: number, now: Date): Promise<RetentionPlan> {
    const cutoff = retentionCutoff(now, RETENTION_RULES[this.name].unit, keep);
    return planOf(
      cutoff,
      await this.retention.endedSessions(scope.tx, scope.organisationId, cutoff),
    );
  }

  async purge(scope: TenantScope, plan: RetentionPlan): Promise<number> {
    if (plan.ids.length === 0) return 0;
    return this.retention.deleteSessions(
      scope.tx,
      scope.organisationId,
      [...plan.ids],
      plan.cutoff,
    );
  }
}
