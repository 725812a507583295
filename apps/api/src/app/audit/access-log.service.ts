import { timingSafeEqual } from 'node:crypto';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { HarbourCrypto, SecretKey } from '@harbour/crypto';
import type { AccessEventInput, AuditWriter } from '../../infra/audit/audit-writer';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import { Db, type Tx } from '../../infra/database/transaction';
import { ServiceUnavailableError } from '../../infra/http/domain-error';
import { runOutsideContext } from '../../infra/logging/request-context';
import { Clock } from '../../infra/time/clock';
import { KeyringService } from '../../core/keyring/keyring.service';
import {
  AccessLogRepository,
  type EventRow,
  type ExpectedHead,
  type NewCheckpoint,
} from '../../data/audit/access-log.repository';
import type { HeadRow } from '../../data/audit/audit-log.queries';
import { AuditVerifier } from './audit-verifier.service';
import { AuditWitness } from './audit-witness.service';
import { frontierRoot } from './frontier';
import { GroupCommit } from './group-commit';
import { HeadTurns } from './head-turns';
import { headMacOf, headOf, sealEvent, signCheckpoint } from './log-sealing';

/** A checkpoint every 1,000 events or 5 minutes, whichever comes first (docs/design.md §7). */
export const CHECKPOINT_EVERY_EVENTS = 1_000;
export const CHECKPOINT_EVERY_MS = 5 * 60 * 1000;

type StateRow = HeadRow;

/**
 * A head as this process wrote it (every column of its `audit_log_state` row), possibly not yet
 * committed: what its next append expects to find (docs/adr/0018).
 */
interface KnownHead {
  readonly treeSize: number;
  readonly frontier: Buffer[];
  readonly checkpointSize: number;
  readonly checkpointAt: Date;
  readonly headMac: Buffer;
}

/**
 * The log head is not what this writer last wrote (its MAC does not match, or a head without a
 * MAC could not be verified): the writer refuses to extend it, so a head rewritten in the
 * database is never made authentic by the next event. Every request that logs fails (503).
 */
export class LogHeadNotAuthenticError extends ServiceUnavailableError {
  constructor(readonly organisationId: string) {
    super();
  }
}

/**
 * The writer of the tamper-evident access log. Appends are serialised per organisation by
 * locking its `audit_log_state` row, so sequence numbers are gap-free and the log never forks;
 * the event, the new frontier and any checkpoint commit with the action they record. Separate
 * appends of one organisation are batched under one lock (group commit, docs/adr/0017).
 */
@Injectable()
export class AccessLog implements AuditWriter {
  private readonly logger = new Logger('AccessLog');
  /** Per organisation, the head this process wrote last (docs/adr/0018); a hint, never trusted. */
  private readonly knownHeads = new Map<string, KnownHead>();
  /** One single-event append per organisation at a time until it holds the head. */
  private readonly turns = new HeadTurns();
  /** Transactions that hold their organisation's head (locked it, and keep it until they end). */
  private readonly holding = new WeakSet<Tx>();
  private readonly groupCommit = new GroupCommit<AccessEventInput>(
    // A batch is written for many requests: its log lines carry none of their ids.
    (organisationId, inputs) => runOutsideContext(() => this.writeBatch(organisationId, inputs)),
    (error) => !(error instanceof LogHeadNotAuthenticError),
  );

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly keyring: KeyringService,
    private readonly witness: AuditWitness,
    private readonly verifier: AuditVerifier,
    private readonly rows: AccessLogRepository,
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
  ) {}

  async append(tx: Tx, input: AccessEventInput): Promise<void> {
    await this.appendAll(tx, input.organisationId, [input]);
  }

  /**
   * Appends `inputs` (all of `organisationId`), in order, inside `tx`: the head is locked once,
   * each event is sealed in turn (seq, canonical bytes, leaf hash, MAC, frontier), a checkpoint
   * is signed at exactly the event where one falls due (as if appended one by one), and the
   * events and the new head are written in one statement.
   */
  async appendAll(
    tx: Tx,
    organisationId: string,
    inputs: readonly AccessEventInput[],
  ): Promise<void> {
    if (inputs.length === 0) return;
    if (tx.organisationId === null) await tx.setTenant(organisationId);
    if (
      tx.organisationId !== organisationId ||
      inputs.some((input) => input.organisationId !== organisationId)
    )
      throw new Error('an event must be logged in its own organisation');

    const auditKey = await this.keyring.auditKey(tx, organisationId);
    // One event in a transaction that does not hold the head yet waits for its turn (the
    // process's earlier writers of the organisation hold the head or have failed); a transaction
    // that holds it never waits, or it would wait for writers waiting for it.
    if (inputs.length === 1 && !this.holding.has(tx)) {
      await this.turns.take(organisationId, () => this.write(tx, organisationId, inputs, auditKey));
    } else {
      await this.write(tx, organisationId, inputs, auditKey);
    }
  }

  /** `appendAll` once its turn has come. */
  private async write(
    tx: Tx,
    organisationId: string,
    inputs: readonly AccessEventInput[],
    auditKey: SecretKey,
  ): Promise<void> {
    const macKey = this.crypto.auditMacKey(auditKey);
    let state: StateRow | undefined;
    if (inputs.length === 1) {
      const attempt = await this.appendAtKnownHead(tx, organisationId, inputs[0]!, macKey);
      if (attempt === 'appended') return;
      state = attempt; // the head as it is, locked by the attempt (or none: lock it below)
    }
    state ??= await this.rows.lockHead(tx, organisationId);
    this.holding.add(tx);
    this.checkHead(organisationId, state, macKey);
    const now = this.clock.now();
    let frontier: Uint8Array[] = state.frontier.map((b) => new Uint8Array(b));
    let size = Number(state.tree_size);
    let checkpointSize = Number(state.checkpoint_size);
    let checkpointAt = state.checkpoint_at === null ? now : new Date(state.checkpoint_at);
    const events: EventRow[] = [];
    const checkpoints: NewCheckpoint[] = [];
    for (const input of inputs) {
      const sealed = sealEvent(macKey, input, size, now, frontier);
      frontier = sealed.frontier;
      size += 1;
      events.push({
        ...sealed.event,
        event: Buffer.from(sealed.bytes.buffer, sealed.bytes.byteOffset, sealed.bytes.byteLength),
        leafHash: Buffer.from(sealed.leaf),
        mac: sealed.mac,
      });
      const due =
        size - checkpointSize >= CHECKPOINT_EVERY_EVENTS ||
        (size > checkpointSize && now.getTime() - checkpointAt.getTime() >= CHECKPOINT_EVERY_MS);
      if (due) {
        checkpoints.push(
          signCheckpoint(this.crypto, auditKey, organisationId, size, frontierRoot(frontier), now),
        );
        checkpointSize = size;
        checkpointAt = now;
      }
    }
    for (const checkpoint of checkpoints) await this.rows.insertCheckpoint(tx, checkpoint);
    if (checkpoints.length > 0) {
      tx.afterCommit(async () => {
        await this.witness.flush(organisationId);
      });
    }
    const headMac = headMacOf(macKey, {
      organisationId,
      treeSize: size,
      frontier,
      checkpointSize,
      checkpointAt,
    });
    const written: KnownHead = {
      treeSize: size,
      frontier: frontier.map((h) => Buffer.from(h)),
      checkpointSize,
      checkpointAt,
      headMac,
    };
    // The events and the log head they move, in one statement (the head is locked above).
    await this.rows.appendMany(tx, organisationId, events, written);
    this.knownHeads.set(organisationId, written);
  }

  /**
   * The fast path of one event (docs/adr/0018): seals it on the head this process last wrote
   * and extends that head in one statement that locks the row, checks that every column of it
   * is still that head, and only then moves it and inserts the event. The head it wrote becomes
   * the known head as soon as the statement returns, while this transaction still holds it: the
   * process's next writer (its turn comes now) seals on it and its statement waits in
   * PostgreSQL for this transaction to end. Answers
   * 'appended', or the head as it is (locked by the statement) when it was not the expected one
   * — another process wrote, a writer of this one rolled back, or the row was tampered with —
   * for the locking path to check and extend; undefined when nothing is known or a checkpoint
   * falls due (the locking path signs it).
   */
  private async appendAtKnownHead(
    tx: Tx,
    organisationId: string,
    input: AccessEventInput,
    macKey: Uint8Array,
  ): Promise<'appended' | StateRow | undefined> {
    const sealed = this.sealOnKnownHead(organisationId, input, macKey);
    if (sealed === undefined) return undefined;
    let appended = false;
    try {
      const result = await this.rows.appendAtHead(
        tx,
        organisationId,
        sealed.event,
        sealed.expected,
        sealed.next,
      );
      if (result !== undefined) this.holding.add(tx);
      appended = result?.appended === true;
      if (appended) this.knownHeads.set(organisationId, sealed.next);
      return appended ? 'appended' : result?.head;
    } finally {
      // Not appended: the locking path learns the head again (or the transaction failed).
      if (!appended) this.knownHeads.delete(organisationId);
    }
  }

  /**
   * Appends `input` as the last work of `tx`, the success event of a request (docs/adr/0019).
   * On the known head the event and `tx`'s COMMIT go in one message, so the organisation's head
   * is held only while PostgreSQL runs them, with no turn of Node in between; when the head has
   * moved, the message stops before its COMMIT, `tx` rolls back to before the event, and the
   * locking path appends it in `tx` (the caller commits as usual). After this returns `tx` may
   * have committed: nothing more may run in it. A failure of the message rejects with
   * `FinalMessageError` (`tx` did not commit).
   */
  async appendAndCommit(tx: Tx, input: AccessEventInput): Promise<void> {
    const organisationId = input.organisationId;
    if (tx.organisationId === null) await tx.setTenant(organisationId);
    if (tx.organisationId !== organisationId || this.holding.has(tx)) {
      await this.append(tx, input);
      return;
    }
    const auditKey = await this.keyring.auditKey(tx, organisationId);
    // The turn lasts until the message has come back, the COMMIT with it: the next writer's
    // message then finds the head this one wrote (sent earlier, it could overtake this one in
    // PostgreSQL and miss; measured: most appends of 8 writers missed).
    await this.turns.take(organisationId, async () => {
      const macKey = this.crypto.auditMacKey(auditKey);
      if (await this.commitAtKnownHead(tx, organisationId, input, macKey)) return;
      await this.write(tx, organisationId, [input], auditKey);
    });
  }

  /** `appendAtKnownHead` with `tx`'s COMMIT: true when both are done, false on a miss. */
  private async commitAtKnownHead(
    tx: Tx,
    organisationId: string,
    input: AccessEventInput,
    macKey: Uint8Array,
  ): Promise<boolean> {
    const sealed = this.sealOnKnownHead(organisationId, input, macKey);
    if (sealed === undefined) return false;
    let committed = false;
    try {
      committed = await this.rows.appendAtHeadAndCommit(
        tx,
        organisationId,
        sealed.event,
        sealed.expected,
        sealed.next,
      );
      if (committed) this.knownHeads.set(organisationId, sealed.next);
      return committed;
    } finally {
      // Missed or failed: the locking path learns the head again.
      if (!committed) this.knownHeads.delete(organisationId);
    }
  }

  /**
   * `input` sealed on the head this process last wrote, with that head (as expected) and the
   * head after the event; undefined when no head is known or a checkpoint falls due (the locking
   * path signs it).
   */
  private sealOnKnownHead(
    organisationId: string,
    input: AccessEventInput,
    macKey: Uint8Array,
  ): { event: EventRow; expected: ExpectedHead; next: KnownHead } | undefined {
    const known = this.knownHeads.get(organisationId);
    if (known === undefined) return undefined;
    const now = this.clock.now();
    const size = known.treeSize + 1;
    if (
      size - known.checkpointSize >= CHECKPOINT_EVERY_EVENTS ||
      now.getTime() - known.checkpointAt.getTime() >= CHECKPOINT_EVERY_MS
    )
      return undefined;
    const sealed = sealEvent(macKey, input, known.treeSize, now, known.frontier);
    return {
      event: {
        ...sealed.event,
        event: Buffer.from(sealed.bytes.buffer, sealed.bytes.byteOffset, sealed.bytes.byteLength),
        leafHash: Buffer.from(sealed.leaf),
        mac: sealed.mac,
      },
      expected: {
        expectedSize: known.treeSize,
        expectedFrontier: known.frontier,
        expectedCheckpointSize: known.checkpointSize,
        expectedCheckpointAt: known.checkpointAt,
        expectedHeadMac: known.headMac,
      },
      next: {
        treeSize: size,
        frontier: sealed.frontier.map((h) => Buffer.from(h)),
        checkpointSize: known.checkpointSize,
        checkpointAt: known.checkpointAt,
        headMac: headMacOf(macKey, {
          organisationId,
          treeSize: size,
          frontier: sealed.frontier,
          checkpointSize: known.checkpointSize,
          checkpointAt: known.checkpointAt,
        }),
      },
    };
  }

  /**
   * Refuses a head this writer did not write. The head MAC (HMAC-SHA256 under the audit MAC
   * key, which only the master key unwraps) covers size, frontier and checkpoint position, so
   * a head rewritten in the database (events deleted and the head recomputed to match, or the
   * checkpoint position moved to stop the checkpoint task) fails here, and no later event can
   * make it authentic. A fresh head (size 0) needs no MAC; any other head without one is
   * refused too (heads from before heads were authenticated are adopted once, when the
   * migration that added the MAC is applied: `adoptLegacyHead`).
   */
  private checkHead(organisationId: string, state: StateRow, macKey: Uint8Array): void {
    const head = headOf(organisationId, state);
    if (state.head_mac !== null) {
      const expected = headMacOf(macKey, head);
      if (state.head_mac.length === expected.length && timingSafeEqual(state.head_mac, expected))
        return;
    } else if (head.treeSize === 0 && head.checkpointSize === 0 && head.frontier.length === 0) {
      return;
    }
    this.logger.error(
      `the access-log head is not authentic: refusing to extend it; every request that logs fails until it is resolved (harbour verify-audit) ${JSON.stringify({ organisationId, treeSize: head.treeSize })}`,
    );
    throw new LogHeadNotAuthenticError(organisationId);
  }

  /**
   * Adopts a head written before heads were authenticated (no MAC, events logged): only when
   * the whole log verifies, against the witness when there is one, is the head MACed. Run once,
   * by the process that applies the migration adding the MAC (`server.ts`); never by the writer,
   * or removing a MAC would be a way to make a cut head authentic. Returns whether the head is
   * authenticated now.
   */
  async adoptLegacyHead(organisationId: string): Promise<boolean> {
    return this.db.transaction(organisationId, async (tx) => {
      const state = await this.rows.lockExistingHead(tx, organisationId);
      if (state === undefined) return true;
      const macKey = this.crypto.auditMacKey(await this.keyring.auditKey(tx, organisationId));
      if (state.head_mac !== null) {
        this.checkHead(organisationId, state, macKey);
        return true;
      }
      const result = await this.verifier.verify(organisationId, { legacyHead: true, tx });
      if (result.status !== 'verified') {
        this.logger.error(
          `an access-log head without a MAC was not adopted: the log does not verify ${JSON.stringify({ organisationId, firstBadIndex: result.firstBadIndex })}`,
        );
        return false;
      }
      await this.rows.setHeadMac(
        tx,
        organisationId,
        headMacOf(macKey, headOf(organisationId, state)),
      );
      return true;
    });
  }

  /**
   * Commits `input` in a transaction of its own, by group commit (docs/adr/0017): appends
   * waiting for the organisation's head while a batch is being written go, together, into the
   * next batch (one transaction, one head lock, one statement). The promise resolves once the
   * batch holding the event has committed, and rejects if it did not.
   */
  appendSeparately(input: AccessEventInput): Promise<void> {
    return this.groupCommit.submit(input.organisationId, input);
  }

  /** One batch of separate appends, in a transaction of its own. */
  private writeBatch(organisationId: string, inputs: readonly AccessEventInput[]): Promise<void> {
    return this.db.transaction(organisationId, (tx) => this.appendAll(tx, organisationId, inputs));
  }

  /**
   * Signs the current tree head now, if events are not yet covered (the checkpoint task, and
   * tests). Returns the size of the latest checkpoint.
   */
  async checkpointNow(tx: Tx, organisationId: string): Promise<number> {
    const state = await this.rows.lockExistingHead(tx, organisationId);
    if (state !== undefined) this.holding.add(tx);
    if (state === undefined || Number(state.tree_size) === 0) return 0;
    const macKey = this.crypto.auditMacKey(await this.keyring.auditKey(tx, organisationId));
    this.checkHead(organisationId, state, macKey);
    const head = headOf(organisationId, state);
    if (head.treeSize === head.checkpointSize) return head.treeSize;
    const now = this.clock.now();
    await this.checkpoint(tx, organisationId, head.treeSize, frontierRoot(head.frontier), now);
    await this.rows.moveCheckpoint(tx, organisationId, {
      checkpointSize: head.treeSize,
      checkpointAt: now,
      headMac: headMacOf(macKey, { ...head, checkpointSize: head.treeSize, checkpointAt: now }),
    });
    tx.afterCommit(async () => {
      await this.witness.flush(organisationId);
    });
    return head.treeSize;
  }

  private async checkpoint(
    tx: Tx,
    organisationId: string,
    treeSize: number,
    root: Uint8Array,
    now: Date,
  ): Promise<void> {
    const auditKey = await this.keyring.auditKey(tx, organisationId);
    await this.rows.insertCheckpoint(
      tx,
      signCheckpoint(this.crypto, auditKey, organisationId, treeSize, root, now),
    );
  }
}
