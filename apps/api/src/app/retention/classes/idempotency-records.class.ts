import { Injectable } from '@nestjs/common';
import { RETENTION_RULES, retentionCutoff } from '@harbour/domain';
import type { TenantScope } from '../../../core/scope/request-scope';
import { RetentionRepository } from '../../../data/retention/retention.repository';
import { planOf, type RetentionClass, type RetentionPlan } from '../retention-class';

/** Expired Idempotency-Key records (keyed MACs and an encrypted answer) older than the period. */
@Injectable()
export class IdempotencyRecordsClass implements RetentionClass {
  readonly name = 'idempotency_records' as const;

  constructor(private readonly retention: RetentionRepository) {}

  async plan(scope: TenantScope, keep: number, now: Date): Promise<RetentionPlan> {
    const cutoff = retentionCutoff(now, RETENTION_RULES[this.name].unit, keep);
    return planOf(
      cutoff,
      await this.retention.idempotencyRecords(scope.tx, scope.organisationId, cutoff, now),
    );
  }

  async purge(scope: TenantScope, plan: RetentionPlan, now: Date): Promise<number> {
    if (plan.ids.length === 0) return 0;
    return this.retention.deleteIdempotencyRecords(
      scope.tx,
      scope.organisationId,
      [...plan.ids],
      plan.cutoff,
      now,
    );
  }
}
