import type { Tx } from '../database/transaction';

/** What a prune removes (or removed): how many events, the oldest and newest of their times. */
export interface PrunePlan {
  readonly count: number;
  readonly oldest: Date | null;
  readonly newest: Date | null;
}

/**
 * Pruning the access log (docs/adr/0011-pruning-the-access-log.md), as other features use it
 * (the `access_events` retention class): `AccessLogPruner` in the audit feature implements it.
 * The `…In` forms run in a transaction whose tenant is the organisation.
 */
export interface AccessLogPruning {
  plan(organisationId: string, olderThan: Date): Promise<PrunePlan>;
  prune(organisationId: string, olderThan: Date): Promise<PrunePlan>;
  planIn(tx: Tx, organisationId: string, olderThan: Date): Promise<PrunePlan>;
  pruneIn(tx: Tx, organisationId: string, olderThan: Date): Promise<PrunePlan>;
}

export const ACCESS_LOG_PRUNING = Symbol('ACCESS_LOG_PRUNING');
