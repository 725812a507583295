import { Injectable } from '@nestjs/common';
import { RETENTION_RULES, retentionCutoff } from '@harbour/domain';
import { CanaryRegistry } from '../../../core/canaries/canary-registry';
import { PersonRecords } from '../../../core/records/person-records';
import type { TenantScope } from '../../../core/scope/request-scope';
import { RetentionRepository } from '../../../data/retention/retention.repository';
import { planOf, type RetentionClass, type RetentionPlan } from '../retention-class';

/**
 * People with no activity for the period (see `retention.inactivePeople`) are crypto-shredded
 * through the erasure path itself (`PersonRecords.eraseForRetention`): keys destroyed, identity
 * and index rows deleted, the pseudonymous record kept for statistics. Decoys are never listed.
 */
@Injectable()
export class InactivePeopleClass implements RetentionClass {
  readonly name = 'inactive_people' as const;

  constructor(
    private readonly retention: RetentionRepository,
    private readonly records: PersonRecords,
    private readonly canaries: CanaryRegistry,
  ) {}

  async plan(scope: TenantScope, keep: number, now: Date): Promise<RetentionPlan> {
    const cutoff = retentionCutoff(now, RETENTION_RULES[this.name].unit, keep);
    const decoys = (await this.canaries.people(scope.tx, scope.organisationId)).map(
      (c) => c.personId,
    );
    const rows = await this.retention.inactivePeople(
      scope.tx,
      scope.organisationId,
      cutoff,
      decoys,
    );
    return planOf(cutoff, rows, true);
  }

  async purge(scope: TenantScope, plan: RetentionPlan): Promise<number> {
    let erased = 0;
    for (const id of plan.ids) {
      if ((await this.records.eraseForRetention(scope, id)) !== null) erased += 1;
    }
    return erased;
  }
}
