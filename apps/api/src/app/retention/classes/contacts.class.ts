import { Injectable } from '@nestjs/common';
import { RETENTION_RULES, retentionCutoff } from '@harbour/domain';
import type { TenantScope } from '../../../core/scope/request-scope';
import { RetentionRepository } from '../../../data/retention/retention.repository';
import { planOf, type RetentionClass, type RetentionPlan } from '../retention-class';

/** The calendar day (UTC) of a moment: contacts are dated by day. */
function dayOf(moment: Date): string {
  return moment.toISOString().slice(0, 10);
}

/**
 * Contacts that happened before the cutoff's day, with their amendments and the needs of an
 * anonymous contact; a person's needs stay with the person (see `retention_purge_contacts`).
 */
@Injectable()
export class ContactsClass implements RetentionClass {
  readonly name = 'contacts' as const;

  constructor(private readonly retention: RetentionRepository) {}

  async plan(scope: TenantScope, keep: number, now: Date): Promise<RetentionPlan> {
    const cutoff = retentionCutoff(now, RETENTION_RULES[this.name].unit, keep);
    return planOf(
      cutoff,
      await this.retention.oldContacts(scope.tx, scope.organisationId, dayOf(cutoff)),
    );
  }

  async purge(scope: TenantScope, plan: RetentionPlan): Promise<number> {
    if (plan.ids.length === 0) return 0;
    return this.retention.purgeContacts(scope.tx, [...plan.ids], dayOf(plan.cutoff));
  }
}
