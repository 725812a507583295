import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/database/transaction';
import { query, statement } from '../sql';
import { IsNull } from 'typeorm';
import { AuditCheckpointEntity } from './audit-checkpoint.entity';

/** The log head as stored (`audit_log_state`), before its MAC is checked. */
export interface HeadRow {
  tree_size: string;
  frontier: Buffer[];
  checkpoint_size: string;
  checkpoint_at: Date | null;
  head_mac: Buffer | null;
}

const eventCount = statement<Record<string, never>, { total: string }>(
  'audit.eventCount',
  `SELECT count(*) AS total FROM access_event`,
);

const eventTime = statement<{ organisationId: string; seq: number }, { occurred_at: Date }>(
  'audit.eventTime',
  `SELECT occurred_at FROM access_event WHERE organisation_id = :organisationId AND seq = :seq`,
);

const leafHashes = statement<{ from: number; treeSize: number }, { leaf_hash: Buffer }>(
  'audit.leafHashes',
  `SELECT leaf_hash FROM access_event WHERE seq >= :from AND seq < :treeSize ORDER BY seq`,
);

const head = statement<{ organisationId: string }, HeadRow>(
  'audit.head',
  `SELECT tree_size, frontier, checkpoint_size, checkpoint_at, head_mac FROM audit_log_state
 WHERE organisation_id = :organisationId`,
);

const eventBytesConstraint = statement<
  Record<string, never>,
  { definition: string | null; body: string | null }
>(
  'audit.eventBytesConstraint',
  `SELECT (SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
          WHERE c.conrelid = 'access_event'::regclass AND c.conname = 'access_event_bytes'
            AND c.contype = 'c' AND c.convalidated) AS definition,
       (SELECT p.prosrc FROM pg_proc p
          WHERE p.oid = to_regprocedure('access_event_matches(bytea, uuid, bigint, timestamptz, uuid, text[], text, text, text[], text[], text, text, text)')
            AND p.provolatile = 'i') AS body`,
);

/** Organisations with events a checkpoint should cover by now, or checkpoints to export. */
const checkpointsDue = statement<
  { coveredBefore: Date; witnessEnabled: boolean },
  { organisation_id: string }
>(
  'audit.checkpointsDue',
  `SELECT organisation_id FROM audit_checkpoints_due(:coveredBefore, :witnessEnabled)`,
);

const markWitnessed = statement<{ organisationId: string; treeSize: string; at: Date }>(
  'audit.markWitnessed',
  `UPDATE audit_checkpoint SET witnessed_at = :at
 WHERE organisation_id = :organisationId AND tree_size = :treeSize`,
);

/**
 * What the verifier and the proof routes read of the access log (the tenant's rows only, by
 * row-level security). The writer's statements are in `AccessLog`.
 */
@Injectable()
export class AuditLogQueries {
  /** Signed checkpoints, oldest first, or newest first (`take` of them) for listing. */
  checkpoints(
    tx: Tx,
    organisationId: string,
    order: 'ASC' | 'DESC' = 'ASC',
    take?: number,
  ): Promise<AuditCheckpointEntity[]> {
    return tx.manager.getRepository(AuditCheckpointEntity).find({
      where: { organisationId },
      order: { treeSize: order },
      ...(take === undefined ? {} : { take }),
    });
  }

  /**
   * Ids of organisations due a checkpoint (a SECURITY DEFINER function that answers ids only,
   * in a transaction without a tenant).
   */
  async checkpointsDue(tx: Tx, coveredBefore: Date, witnessEnabled: boolean): Promise<string[]> {
    const rows = await query(tx.manager, checkpointsDue, { coveredBefore, witnessEnabled });
    return rows.map((r) => r.organisation_id);
  }

  /**
   * Checkpoints not yet exported to the witness, oldest first, locked until `tx` ends: with
   * several instances flushing at once, the others wait here and then find them exported (the
   * lock re-checks `witnessed_at`), so each checkpoint is sent once and in order.
   */
  unwitnessed(tx: Tx, organisationId: string): Promise<AuditCheckpointEntity[]> {
    return tx.manager.getRepository(AuditCheckpointEntity).find({
      where: { organisationId, witnessedAt: IsNull() },
      order: { treeSize: 'ASC' },
      lock: { mode: 'pessimistic_write' },
    });
  }

  async markWitnessed(tx: Tx, organisationId: string, treeSize: string, at: Date): Promise<void> {
    await query(tx.manager, markWitnessed, { organisationId, treeSize, at });
  }

  async eventCount(tx: Tx): Promise<number> {
    const [row] = await query(tx.manager, eventCount, {});
    return Number(row?.total ?? 0);
  }

  async eventTime(tx: Tx, organisationId: string, seq: number): Promise<Date | null> {
    const [row] = await query(tx.manager, eventTime, { organisationId, seq });
    return row === undefined ? null : new Date(row.occurred_at);
  }

  /** Stored leaf hashes of the events in [from, treeSize), in order. */
  async leafHashes(tx: Tx, from: number, treeSize: number): Promise<Buffer[]> {
    return (await query(tx.manager, leafHashes, { from, treeSize })).map((r) => r.leaf_hash);
  }

  async head(tx: Tx, organisationId: string): Promise<HeadRow | undefined> {
    const [row] = await query(tx.manager, head, { organisationId });
    return row;
  }

  /** The `access_event_bytes` constraint's definition (if validated) and its function's body. */
  async eventBytesConstraint(
    tx: Tx,
  ): Promise<{ definition: string | null; body: string | null } | undefined> {
    const [row] = await query(tx.manager, eventBytesConstraint, {});
    return row;
  }
}
