import { Injectable } from '@nestjs/common';
import { RETENTION_RULES, retentionCutoff } from '@harbour/domain';
import { LOCK_AFTER_FAILURES } from '../../../core/sessions/login-throttle';
import type { TenantScope } from '../../../core/scope/request-scope';
import { RetentionRepository } from '../../../data/retention/retention.repository';
import { planOf, type RetentionClass, type RetentionPlan } from '../retention-class';

/**
 * Sign-in throttle rows idle for the period, never one holding a delay or a lock (T3: a locked
 * account stays locked until an admin's reset). The table is deployment-wide (keys are an
 * address or a keyed hash of an e-mail, not tenant data): each organisation's run prunes it with
 * that organisation's period, so the shortest period set anywhere applies.
 */
@Injectable()
export class ThrottleRowsClass implements RetentionClass {
  readonly name = 'throttle_rows' as const;

  constructor(private readonly retention: RetentionRepository) {}

  async plan(scope: TenantScope, keep: number, now: Date): Promise<RetentionPlan> {
    const cutoff = retentionCutoff(now, RETENTION_RULES[this.name].unit, keep);
    return planOf(
      cutoff,
      await this.retention.idleThrottleRows(scope.tx, cutoff, now, LOCK_AFTER_FAILURES),
    );
  }

  async purge(scope: TenantScope, plan: RetentionPlan, now: Date): Promise<number> {
    if (plan.ids.length === 0) return 0;
    return this.retention.deleteThrottleRows(
      scope.tx,
      [...plan.ids],
      plan.cutoff,
      now,
      LOCK_AFTER_FAILURES,
    );
  }
}
