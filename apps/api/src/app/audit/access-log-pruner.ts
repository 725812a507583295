import { Inject, Injectable } from '@nestjs/common';
import type { HarbourCrypto } from '@harbour/crypto';
import type { AccessLogPruning, PrunePlan } from '../../infra/audit/access-log-pruning';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import { Db, type Tx } from '../../infra/database/transaction';
import { KeyringService } from '../../core/keyring/keyring.service';
import { AccessLogPrunedQueries, type PruneRow } from '../../data/audit/access-log-pruned.queries';
import { prunedMacOf, prunedPrefixOf } from './pruned-prefix';

export type { PrunePlan };

/**
 * Prunes an organisation's old access events while its log stays verifiable
 * (docs/adr/0011-pruning-the-access-log.md, docs/security.md T16, T23). Only a prefix goes:
 * events older than `olderThan` (and, whatever is asked, than a year before the database's
 * clock), up to the largest signed checkpoint that every one of them is under; the prefix stops
 * at the first event that is not old enough, never leaving holes. The database computes the
 * plan and performs the prune (`access_log_prune`, the API role's only way to delete an access
 * event), so `prune` removes exactly what `plan` lists at the same moment; this service MACs the
 * kept frontier under the audit key in the same transaction.
 */
@Injectable()
export class AccessLogPruner implements AccessLogPruning {
  constructor(
    private readonly db: Db,
    private readonly keyring: KeyringService,
    private readonly rows: AccessLogPrunedQueries,
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
  ) {}

  /** What `prune` would remove now. */
  plan(organisationId: string, olderThan: Date): Promise<PrunePlan> {
    return this.db.transaction(organisationId, (tx) => this.planIn(tx, organisationId, olderThan));
  }

  /** Removes the prefix `plan` lists and keeps its frontier; answers what it removed. */
  prune(organisationId: string, olderThan: Date): Promise<PrunePlan> {
    return this.db.transaction(organisationId, (tx) => this.pruneIn(tx, organisationId, olderThan));
  }

  /** `plan` in a transaction whose tenant is the organisation. */
  async planIn(tx: Tx, organisationId: string, olderThan: Date): Promise<PrunePlan> {
    return planOf(await this.rows.plan(tx, organisationId, olderThan));
  }

  /** `prune` in a transaction whose tenant is the organisation. */
  async pruneIn(tx: Tx, organisationId: string, olderThan: Date): Promise<PrunePlan> {
    const removed = planOf(await this.rows.prune(tx, organisationId, olderThan));
    if (removed.count === 0) return removed;
    const prefix = prunedPrefixOf(await this.rows.pruned(tx, organisationId));
    if (prefix === null) throw new Error('the pruned prefix was not kept');
    const macKey = this.crypto.auditMacKey(await this.keyring.auditKey(tx, organisationId));
    const mac = prunedMacOf(macKey, organisationId, prefix);
    await this.rows.setMac(tx, organisationId, String(prefix.size), mac);
    return removed;
  }
}

function planOf(row: PruneRow): PrunePlan {
  const count = Math.max(0, Number(row.to_size) - Number(row.from_size));
  return {
    count,
    oldest: count === 0 || row.oldest === null ? null : new Date(row.oldest),
    newest: count === 0 || row.newest === null ? null : new Date(row.newest),
  };
}
