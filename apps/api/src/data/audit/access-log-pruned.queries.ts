import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/database/transaction';
import { query, statement } from '../sql';

/** What `access_log_prune_plan` and `access_log_prune` answer: the prefix `[from, to)`. */
export interface PruneRow {
  from_size: string;
  to_size: string;
  oldest: Date | null;
  newest: Date | null;
}

/** The kept prefix as stored, before its MAC is checked. */
export interface PrunedRow {
  pruned_size: string;
  frontier: Buffer[];
  newest_pruned_at: Date;
  pruned_at: Date;
  mac: Buffer | null;
}

const plan = statement<{ organisationId: string; olderThan: Date }, PruneRow>(
  'audit.prunePlan',
  `SELECT from_size, to_size, oldest, newest FROM access_log_prune_plan(:organisationId, :olderThan)`,
);

const prune = statement<{ organisationId: string; olderThan: Date }, PruneRow>(
  'audit.prune',
  `SELECT from_size, to_size, oldest, newest FROM access_log_prune(:organisationId, :olderThan)`,
);

const pruned = statement<{ organisationId: string }, PrunedRow>(
  'audit.pruned',
  `SELECT pruned_size, frontier, newest_pruned_at, pruned_at, mac FROM access_log_pruned
 WHERE organisation_id = :organisationId`,
);

const setPrunedMac = statement<{ organisationId: string; size: string; mac: Buffer }>(
  'audit.setPrunedMac',
  `UPDATE access_log_pruned SET mac = :mac
 WHERE organisation_id = :organisationId AND pruned_size = :size`,
);

/**
 * The pruned prefix of the access log (docs/adr/0011-pruning-the-access-log.md): the plan and
 * the prune (both computed by the database, the prune through its SECURITY DEFINER function),
 * and the kept frontier row.
 */
@Injectable()
export class AccessLogPrunedQueries {
  async plan(tx: Tx, organisationId: string, olderThan: Date): Promise<PruneRow> {
    const [row] = await query(tx.manager, plan, { organisationId, olderThan });
    return row!;
  }

  async prune(tx: Tx, organisationId: string, olderThan: Date): Promise<PruneRow> {
    const [row] = await query(tx.manager, prune, { organisationId, olderThan });
    return row!;
  }

  async pruned(tx: Tx, organisationId: string): Promise<PrunedRow | undefined> {
    const [row] = await query(tx.manager, pruned, { organisationId });
    return row;
  }

  async setMac(tx: Tx, organisationId: string, size: string, mac: Buffer): Promise<void> {
    await query(tx.manager, setPrunedMac, { organisationId, size, mac });
  }
}
