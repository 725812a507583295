import { Inject, Injectable } from '@nestjs/common';
import { verifyCheckpoint, type HarbourCrypto } from '@harbour/crypto';
import { ACCESS_EVENT_BYTES_CHECK, ACCESS_EVENT_MATCHES_BODY } from '@harbour/migrations';
import type { PoolClient } from 'pg';
import type {
  AuditPrunedPrefix,
  AuditVerification,
  AuditWitnessCheck,
  CheckpointView,
  WitnessSource,
} from '@harbour/domain';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import { Db, type Tx } from '../../infra/database/transaction';
import { Clock } from '../../infra/time/clock';
import { KeyringService } from '../../core/keyring/keyring.service';
import type { AuditCheckpointEntity } from '../../data/audit/audit-checkpoint.entity';
import { AuditLogQueries } from '../../data/audit/audit-log.queries';
import { AccessLogPrunedQueries } from '../../data/audit/access-log-pruned.queries';
import { checkpointView } from './audit-proofs.service';
import { checkpointKeysOf, checkpointMatches } from './checkpoint-check';
import { AuditWitness, parseWitnessText } from './audit-witness.service';
import { headMacInput, type LogHead } from './event-format';
import { EventStream } from './event-stream';
import { prunedPrefixOf } from './pruned-prefix';
import { checkPrunedPrefix } from './pruned-check';
import { StreamingRoot, VerifierHash } from './verifier-hash';

/** What `add` answers when a checkpoint does not match and the forged event must be found. */
const LOCALISE = Symbol('localise');

const NOT_AUTHENTIC = 'an event is not authentic (moved, reordered or forged)';

export interface WitnessedCheckpoint {
  readonly body: string;
  readonly publicKey: Uint8Array;
  readonly signature: Uint8Array;
}

export interface VerifyOptions {
  /**
   * A checkpoint kept outside the database (the CLI's `--checkpoint`): the log must still
   * extend it. Without it, the latest checkpoint in the configured witness folder is used.
   */
  readonly witness?: WitnessedCheckpoint;
  /**
   * Accept a log head without a MAC (only the writer, adopting a head from before heads were
   * authenticated, after which it MACs it). Auditors' verifications never do.
   */
  readonly legacyHead?: boolean;
  /** Called after each batch with the number of events checked so far and the total. */
  readonly onProgress?: (checked: number, total: number) => void;
  /**
   * The transaction to read in, with the organisation as its tenant (an auditor's request, or
   * the writer adopting a head it has locked); without it, the verification opens its own.
   */
  readonly tx?: Tx;
}

/** The log head as read, and whether its MAC is the audit key's. */
interface ReadHead {
  readonly head: LogHead;
  /** `authentic`: MAC matches; `fresh`: an empty head that needs none; `legacy`: no MAC. */
  readonly state: 'authentic' | 'fresh' | 'legacy' | 'forged' | 'missing';
}

/** The verdict before the tail is measured. */
type Verdict = Omit<AuditVerification, 'tail'> & { readonly tailEvents: number };

/**
 * Verifies an organisation's access log from scratch (docs/design.md §7; docs/security.md T16, T27): the constraint
 * that ties each event's columns to its stored bytes, every event's leaf hash and MAC over those
 * bytes, the sequence without gaps, every stored checkpoint's root and Ed25519 signature, the
 * log head (its MAC, and that the events are exactly as many as it records, with its root), and
 * the latest checkpoint held by the witness outside the database — each primitive from a
 * different implementation than the writer's: SHA-256 and HMAC from libsodium (native,
 * `verifier-hash.ts`) where the writer uses node:crypto, Ed25519 verification from node:crypto
 * where the writer signs with libsodium, and the witnessed checkpoint through @noble/curves.
 * Reports the first index that does not match what was recorded, and the tail that no
 * checkpoint covers yet (its size and age).
 */
@Injectable()
export class AuditVerifier {
  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly keyring: KeyringService,
    private readonly log: AuditLogQueries,
    private readonly witnessFolder: AuditWitness,
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
    private readonly prunedRows: AccessLogPrunedQueries,
  ) {}

  async verify(organisationId: string, options: VerifyOptions = {}): Promise<AuditVerification> {
    // The witness is read first: a checkpoint exported before the head is read is never newer
    // than that head (exports happen after their checkpoint commits).
    let source: WitnessSource = 'none';
    let supplied: WitnessedCheckpoint | null = null;
    let witnessProblem: string | null = null;
    if (options.witness !== undefined) {
      source = 'supplied';
      supplied = options.witness;
    } else {
      try {
        const latest = this.witnessFolder.latest(organisationId);
        if (latest !== null) {
          source = 'folder';
          supplied = parseWitnessText(latest.text);
        }
      } catch {
        source = 'folder';
        witnessProblem = 'the witness folder’s latest checkpoint cannot be read';
      }
    }

    const run = async (tx: Tx): Promise<Verdict> => {
      const checkpoints = await this.log.checkpoints(tx, organisationId);
      const auditKey = await this.keyring.auditKey(tx, organisationId);
      const keys = checkpointKeysOf(this.crypto, auditKey, organisationId);
      const hash = new VerifierHash(this.crypto.auditMacKey(auditKey));
      // After the checkpoints: the head is never behind a checkpoint read before it.
      const read = await readHead(this.log, tx, organisationId, hash);
      const headSize =
        read.state === 'authentic' ||
        read.state === 'fresh' ||
        (read.state === 'legacy' && options.legacyHead === true)
          ? read.head.treeSize
          : null;
      const total = await this.log.eventCount(tx);
      const prefix = prunedPrefixOf(await this.prunedRows.pruned(tx, organisationId));
      const prunedSize = prefix?.size ?? 0;
      const pruned: AuditPrunedPrefix | null =
        prefix === null
          ? null
          : { before: prefix.size, newestAt: prefix.newestPrunedAt.toISOString() };
      const accumulator = new StreamingRoot(hash);
      let expected = 0;
      let nextCheckpoint = 0;
      let verifiedSize = 0;
      let checkpointsChecked = 0;
      let witnessChecked = false;
      // Set by `add` when the stream passes the head's size (assigned inside a closure).
      let headRootMatches = (read.head.treeSize === 0 ? true : null) as boolean | null;
      const lastCheckpointSize = Number(checkpoints.at(-1)?.treeSize ?? 0);

      const witness =
        supplied === null
          ? null
          : verifyCheckpoint(supplied.body, supplied.signature, supplied.publicKey);
      const witnessView: AuditWitnessCheck =
        witness?.ok === true
          ? {
              source,
              treeSize: witness.checkpoint.treeSize,
              signedAt: witness.checkpoint.timestamp,
            }
          : { source, treeSize: null, signedAt: null };

      const result = (
        status: 'verified' | 'failed',
        firstBadIndex: number | null,
        problem: string | null,
      ): Verdict => ({
        status,
        checkedEvents: Math.max(0, expected - prunedSize),
        checkpointsChecked,
        latestCheckpoint: latestView(checkpoints),
        firstBadIndex,
        problem,
        headSize,
        witness: witnessView,
        tailEvents: Math.max(0, expected - Math.max(lastCheckpointSize, prunedSize)),
        pruned,
      });
      const fail = (firstBadIndex: number, problem: string): Verdict =>
        result('failed', firstBadIndex, problem);

      if (witnessProblem !== null) return fail(0, witnessProblem);
      if (witness !== null) {
        if (!witness.ok) return fail(0, `witnessed checkpoint rejected: ${witness.reason}`);
        if (
          !Buffer.from(supplied!.publicKey).equals(keys.expectedKey) ||
          witness.checkpoint.origin !== keys.origin
        ) {
          return fail(0, 'witnessed checkpoint was not signed by this log');
        }
      }
      if (!(await eventBytesConstraintIntact(this.log, tx))) {
        return fail(
          0,
          'the constraint that ties every event column to the hashed event bytes is missing, altered or not validated',
        );
      }

      if (prefix !== null) {
        // The pruned prefix: its frontier, MACed, must fold to the signed checkpoint at its
        // size; the accumulator then starts from it (ADR 0011).
        const problem = checkPrunedPrefix(prefix, organisationId, hash, accumulator, keys, {
          checkpoints,
          witness: witness?.ok === true ? witness.checkpoint : null,
        });
        if (problem !== null) return fail(0, problem);
        expected = prefix.size;
        verifiedSize = prefix.size;
        while (Number(checkpoints[nextCheckpoint]?.treeSize ?? Infinity) <= prefix.size) {
          nextCheckpoint++;
        }
        checkpointsChecked = 1;
        if (witness?.ok === true && witness.checkpoint.treeSize <= prefix.size) {
          witnessChecked = true;
        }
        if (read.head.treeSize === prefix.size) {
          headRootMatches = accumulator.root().equals(hash.frontierRoot(read.head.frontier));
        }
      }

      // Every event is authenticated either by a signed checkpoint that covers it or, after the
      // last checkpoint, by its own MAC. The MACs of covered events are read only when a
      // checkpoint's root does not match: then they name the first event that is not authentic.
      const client = (await tx.manager.queryRunner!.connect()) as PoolClient;
      const stream = new EventStream(client, hash, lastCheckpointSize);
      // The range since the last verified checkpoint is [verifiedSize, expected). Its stored
      // leaf hashes were checked equal to the events' hashes as they streamed past.
      const firstForgedInRange = async (): Promise<number | null> => {
        const stored = await stream.leavesAndMacs(verifiedSize, expected);
        for (let i = 0; i < expected - verifiedSize; i++) {
          const [leafHex, mac] = stored[i] ?? [];
          if (leafHex === undefined || mac === undefined) return verifiedSize + i;
          if (!hash.equalsHex(hash.mac(verifiedSize + i, Buffer.from(leafHex, 'hex')), mac))
            return verifiedSize + i;
        }
        return null;
      };
      /** The checkpoint at `expected` does not match: name the forged event, or the range. */
      const localise = async (): Promise<Verdict> => {
        const forged = await firstForgedInRange();
        return forged !== null
          ? fail(forged, NOT_AUTHENTIC)
          : fail(verifiedSize, `the checkpoint of size ${expected} does not match the log`);
      };

      /**
       * Adds the event `seq` whose leaf (already checked against the stored one) is at
       * `leaves[offset]`. Synchronous, for speed: a checkpoint that does not match answers
       * LOCALISE, and the caller looks for the forged event.
       */
      const add = (
        seq: number,
        leaves: Buffer,
        offset: number,
        mac: string | null,
      ): Verdict | typeof LOCALISE | null => {
        if (seq >= lastCheckpointSize) {
          if (mac === null || !hash.equalsHex(hash.mac(seq, leaves, offset), mac)) {
            return fail(seq, NOT_AUTHENTIC);
          }
        }
        accumulator.push(leaves, offset);
        expected++;
        for (
          let cp = checkpoints[nextCheckpoint];
          cp !== undefined && Number(cp.treeSize) === expected;
          cp = checkpoints[nextCheckpoint]
        ) {
          if (!checkpointMatches(cp, expected, accumulator.root(), keys)) {
            return LOCALISE;
          }
          checkpointsChecked++;
          verifiedSize = expected;
          nextCheckpoint++;
        }
        if (witness?.ok === true && witness.checkpoint.treeSize === expected) {
          if (!accumulator.root().equals(witness.checkpoint.rootHash)) {
            return fail(verifiedSize, 'the log does not extend the witnessed checkpoint');
          }
          witnessChecked = true;
        }
        if (expected === read.head.treeSize) {
          headRootMatches = accumulator.root().equals(hash.frontierRoot(read.head.frontier));
        }
        return null;
      };

      const leaf = Buffer.alloc(32);
      try {
        for (
          let batch = await stream.next(expected);
          batch !== null;
          batch = await stream.next(expected)
        ) {
          if (batch.kind === 'clean') {
            for (let i = 0; i < batch.count; i++) {
              const seq = batch.first + i;
              const m = seq - batch.macsFrom;
              const mac = m >= 0 ? batch.macs.slice(m * 64, m * 64 + 64) : null;
              const failed = add(seq, batch.leaves, i * 32, mac);
              if (failed !== null) return failed === LOCALISE ? localise() : failed;
            }
          } else {
            // Not clean: row by row, to name the exact index.
            for (const row of batch.rows) {
              const seq = Number(row[0]);
              if (seq !== expected) return fail(expected, 'an event is missing');
              hash.leafOfText(row[1], leaf);
              if (!hash.equalsHex(leaf, row[2])) return fail(seq, 'an event was altered');
              const failed = add(seq, leaf, 0, row[3]);
              if (failed !== null) return failed === LOCALISE ? localise() : failed;
            }
            if (batch.rows.length === 0) break;
          }
          options.onProgress?.(expected - prunedSize, Number(total));
        }
      } finally {
        // A failure found mid-batch leaves the prefetched batch in flight: let it finish
        // before the transaction ends.
        await stream.close();
      }
      if (expected > verifiedSize && expected < lastCheckpointSize) {
        // Events the last checkpoint should have covered are missing: still name any forgery.
        const forged = await firstForgedInRange();
        if (forged !== null) return fail(forged, NOT_AUTHENTIC);
      }
      if (nextCheckpoint < checkpoints.length) {
        return fail(
          expected,
          `events after index ${expected - 1} are missing (a checkpoint covers more)`,
        );
      }
      if (witness?.ok === true && !witnessChecked) {
        return fail(
          expected,
          `the log is shorter than the witnessed checkpoint (${expected} events, the witness holds ${witness.checkpoint.treeSize}): events from index ${expected} on were removed`,
        );
      }
      // The head: written with every event, MACed with a key the database does not hold.
      switch (read.state) {
        case 'missing':
          if (expected > 0) return fail(expected, 'the log head is missing');
          break;
        case 'forged':
          return fail(
            expected,
            `the log head is not authentic (rewritten outside Harbour): events from index ${expected} on may have been removed`,
          );
        case 'legacy':
          if (options.legacyHead !== true) {
            return fail(
              expected,
              `the log head carries no MAC (removed, or written before heads were authenticated): events from index ${expected} on may have been removed`,
            );
          }
          break;
        case 'fresh':
        case 'authentic':
          break;
      }
      if (expected < read.head.treeSize) {
        return fail(
          expected,
          `events from index ${expected} on are missing: the authenticated log head records ${read.head.treeSize}`,
        );
      }
      if (headRootMatches === false) {
        return fail(verifiedSize, 'the log head does not match the events');
      }
      if (expected > read.head.treeSize) {
        // Events logged while this verification ran, after the head was read: the head must
        // have moved past them by now (a head rolled back below its events has not).
        const now = await readHead(this.log, tx, organisationId, hash);
        if (
          (now.state !== 'authentic' && !(now.state === 'legacy' && options.legacyHead === true)) ||
          now.head.treeSize < expected
        ) {
          return fail(
            read.head.treeSize,
            `the log head records ${read.head.treeSize} events but the log holds ${expected} (the head was rolled back)`,
          );
        }
      }
      return result('verified', null, null);
    };

    return this.withTail(
      organisationId,
      await this.within(organisationId, options.tx, run),
      options.tx,
    );
  }

  /** Runs `fn` in `tx` when it is the organisation's, or else in a transaction of its own. */
  private within<T>(
    organisationId: string,
    tx: Tx | undefined,
    fn: (tx: Tx) => Promise<T>,
  ): Promise<T> {
    return tx?.organisationId === organisationId ? fn(tx) : this.db.transaction(organisationId, fn);
  }

  /** The uncovered tail: how many events follow the latest signed checkpoint, since when. */
  private async withTail(
    organisationId: string,
    verdict: Verdict,
    outer: Tx | undefined,
  ): Promise<AuditVerification> {
    const { tailEvents, ...rest } = verdict;
    const logSize = verdict.checkedEvents + (verdict.pruned?.before ?? 0);
    const witnessed = verdict.witness.treeSize ?? 0;
    const unwitnessedEvents = Math.max(0, logSize - witnessed);
    if (tailEvents === 0) {
      return { ...rest, tail: { events: 0, since: null, ageSeconds: null, unwitnessedEvents } };
    }
    const first = logSize - tailEvents;
    const read = (tx: Tx): Promise<Date | null> => this.log.eventTime(tx, organisationId, first);
    const since = await this.within(organisationId, outer, read);
    return {
      ...rest,
      tail: {
        events: tailEvents,
        since: since?.toISOString() ?? null,
        ageSeconds:
          since === null
            ? null
            : Math.max(0, Math.floor((this.clock.now().getTime() - since.getTime()) / 1000)),
        unwitnessedEvents,
      },
    };
  }
}

/** Reads the organisation's log head and checks its MAC (libsodium HMAC, not the writer's). */
async function readHead(
  log: AuditLogQueries,
  tx: Tx,
  organisationId: string,
  hash: VerifierHash,
): Promise<ReadHead> {
  const row = await log.head(tx, organisationId);
  if (row === undefined) {
    const head = {
      organisationId,
      treeSize: 0,
      frontier: [],
      checkpointSize: 0,
      checkpointAt: null,
    };
    return { head, state: 'missing' };
  }
  const head: LogHead = {
    organisationId,
    treeSize: Number(row.tree_size),
    frontier: row.frontier.map((b) => new Uint8Array(b)),
    checkpointSize: Number(row.checkpoint_size),
    checkpointAt: row.checkpoint_at === null ? null : new Date(row.checkpoint_at),
  };
  if (row.head_mac === null) {
    const fresh = head.treeSize === 0 && head.checkpointSize === 0 && head.frontier.length === 0;
    return { head, state: fresh ? 'fresh' : 'legacy' };
  }
  return {
    head,
    state: hash.macMessage(headMacInput(head)).equals(row.head_mac) ? 'authentic' : 'forged',
  };
}

/**
 * Whether the `access_event_bytes` CHECK constraint and its function are exactly as the
 * migration made them, and the constraint is validated: only then does a column of a verified
 * event say what the hashed bytes say (a superuser could otherwise drop the constraint, change
 * a column, and put the constraint back NOT VALID).
 */
export async function eventBytesConstraintIntact(log: AuditLogQueries, tx: Tx): Promise<boolean> {
  const row = await log.eventBytesConstraint(tx);
  return row?.definition === ACCESS_EVENT_BYTES_CHECK && row.body === ACCESS_EVENT_MATCHES_BODY;
}

function latestView(checkpoints: readonly AuditCheckpointEntity[]): CheckpointView | null {
  const last = checkpoints.at(-1);
  return last === undefined ? null : checkpointView(last);
}
