import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { checkpointBody, leafHash, type HarbourCrypto } from '@harbour/crypto';
import type { AccessEventInput, AuditWriter } from '../../infra/audit/audit-writer';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import { Db, type Tx } from '../../infra/database/transaction';
import { Clock } from '../../infra/time/clock';
import { KeyringService } from '../keyring/keyring.service';
import { AuditWitness } from './audit-witness.service';
import { eventBytes, logOrigin, macInput, wellFormedEvent } from './event-format';
import { appendToFrontier, frontierRoot } from './frontier';

/** A checkpoint every 1,000 events or 5 minutes, whichever comes first (DESIGN.md §7). */
export const CHECKPOINT_EVERY_EVENTS = 1_000;
export const CHECKPOINT_EVERY_MS = 5 * 60 * 1000;

interface StateRow {
  tree_size: string;
  frontier: Buffer[];
  checkpoint_size: string;
  checkpoint_at: Date | null;
}

/**
 * The writer of the tamper-evident access log. Appends are serialised per organisation by
 * locking its `audit_log_state` row, so sequence numbers are gap-free and the log never forks;
 * the event, the new frontier and any checkpoint commit with the action they record.
 */
@Injectable()
export class AccessLog implements AuditWriter {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly keyring: KeyringService,
    private readonly witness: AuditWitness,
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
  ) {}

  async append(tx: Tx, input: AccessEventInput): Promise<void> {
    const organisationId = input.organisationId;
    if (tx.organisationId === null) await tx.setTenant(organisationId);
    if (tx.organisationId !== organisationId)
      throw new Error('an event must be logged in its own organisation');

    const state = await this.lockState(tx, organisationId);
    const seq = Number(state.tree_size);
    const now = this.clock.now();
    const event = wellFormedEvent({ ...input, seq, occurredAt: now });
    const bytes = eventBytes(event);
    const leaf = leafHash(bytes);
    const auditKey = await this.keyring.auditKey(tx, organisationId);
    const mac = createHmac('sha256', this.crypto.auditMacKey(auditKey))
      .update(macInput(seq, leaf))
      .digest();

    const frontier = appendToFrontier(
      state.frontier.map((b) => new Uint8Array(b)),
      seq,
      leaf,
    );
    const size = seq + 1;
    let checkpointSize = Number(state.checkpoint_size);
    let checkpointAt = state.checkpoint_at === null ? now : new Date(state.checkpoint_at);
    const due =
      size - checkpointSize >= CHECKPOINT_EVERY_EVENTS ||
      (size > checkpointSize && now.getTime() - checkpointAt.getTime() >= CHECKPOINT_EVERY_MS);
    if (due) {
      await this.checkpoint(tx, organisationId, size, frontierRoot(frontier), now);
      checkpointSize = size;
      checkpointAt = now;
      tx.afterCommit(async () => {
        await this.witness.flush(organisationId);
      });
    }
    // The event and the log head it moves, in one statement (the head is locked above).
    await tx.prepared(
      'audit_append',
      `WITH event AS (
         INSERT INTO access_event (organisation_id, seq, occurred_at, actor_id, actor_roles, action,
                                   resource_type, resource_ids, fields, purpose, outcome, request_id,
                                   event, leaf_hash, mac)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15))
       UPDATE audit_log_state SET tree_size = $16, frontier = $17, checkpoint_size = $18,
                                  checkpoint_at = $19
        WHERE organisation_id = $1`,
      [
        organisationId,
        seq,
        now,
        event.actorId,
        [...event.actorRoles],
        event.action,
        event.resourceType,
        [...event.resourceIds],
        [...event.fields],
        event.purpose,
        event.outcome,
        event.requestId,
        Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
        Buffer.from(leaf),
        mac,
        size,
        frontier.map((h) => Buffer.from(h)),
        checkpointSize,
        checkpointAt,
      ],
    );
  }

  /** Locks the organisation's log position (creating it on the first event). */
  private async lockState(tx: Tx, organisationId: string): Promise<StateRow> {
    const select = `SELECT tree_size, frontier, checkpoint_size, checkpoint_at FROM audit_log_state
                     WHERE organisation_id = $1 FOR UPDATE`;
    let [state] = await tx.prepared<StateRow>('audit_lock_state', select, [organisationId]);
    if (state === undefined) {
      await tx.manager.query(
        `INSERT INTO audit_log_state (organisation_id) VALUES ($1) ON CONFLICT (organisation_id) DO NOTHING`,
        [organisationId],
      );
      [state] = await tx.manager.query<StateRow[]>(select, [organisationId]);
    }
    if (state === undefined) throw new Error('audit log state missing');
    return state;
  }

  appendSeparately(input: AccessEventInput): Promise<void> {
    return this.db.transaction(input.organisationId, (tx) => this.append(tx, input));
  }

  /** Signs the current tree head now (also used by the CLI before exporting to a witness). */
  async checkpointNow(tx: Tx, organisationId: string): Promise<number> {
    const [state] = await tx.manager.query<StateRow[]>(
      `SELECT tree_size, frontier, checkpoint_size, checkpoint_at FROM audit_log_state
        WHERE organisation_id = $1 FOR UPDATE`,
      [organisationId],
    );
    if (state === undefined || Number(state.tree_size) === 0) return 0;
    const size = Number(state.tree_size);
    if (size === Number(state.checkpoint_size)) return size;
    const now = this.clock.now();
    await this.checkpoint(
      tx,
      organisationId,
      size,
      frontierRoot(state.frontier.map((b) => new Uint8Array(b))),
      now,
    );
    await tx.manager.query(
      `UPDATE audit_log_state SET checkpoint_size = $2, checkpoint_at = $3 WHERE organisation_id = $1`,
      [organisationId, size, now],
    );
    tx.afterCommit(async () => {
      await this.witness.flush(organisationId);
    });
    return size;
  }

  private async checkpoint(
    tx: Tx,
    organisationId: string,
    treeSize: number,
    root: Uint8Array,
    now: Date,
  ): Promise<void> {
    const body = checkpointBody({
      origin: logOrigin(organisationId),
      treeSize,
      rootHash: root,
      timestamp: now.toISOString(),
    });
    const signing = this.crypto.auditSigningKey(await this.keyring.auditKey(tx, organisationId));
    try {
      const signature = this.crypto.sign(signing, new TextEncoder().encode(body));
      await tx.manager.query(
        `INSERT INTO audit_checkpoint (organisation_id, tree_size, root_hash, signed_at, body, signature, public_key)
         VALUES ($1, $2, $3, $4, $5, $6, $7)`,
        [
          organisationId,
          treeSize,
          Buffer.from(root),
          now,
          body,
          Buffer.from(signature),
          Buffer.from(signing.publicKey),
        ],
      );
    } finally {
      signing.destroy();
    }
  }
}
