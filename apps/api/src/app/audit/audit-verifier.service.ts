import { Inject, Injectable } from '@nestjs/common';
import {
  consistencyProof,
  inclusionProof,
  merkleRoot,
  RootAccumulator,
  verifierLeafHash,
  verifyCheckpoint,
  type HarbourCrypto,
} from '@harbour/crypto';
import type {
  AuditVerification,
  CheckpointView,
  ConsistencyProofView,
  InclusionProofView,
} from '@harbour/domain';
import { hmac } from '@noble/hashes/hmac';
import { sha256 } from '@noble/hashes/sha256';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import { Db, type Tx } from '../../infra/database/transaction';
import { NotFoundError, ValidationFailedError } from '../../infra/http/domain-error';
import { KeyringService } from '../keyring/keyring.service';
import { AuditCheckpointEntity } from './audit-checkpoint.entity';
import { eventBytes, logOrigin, macInput } from './event-format';

const BATCH = 5_000;

interface EventRow {
  seq: string;
  occurred_at: Date;
  actor_id: string | null;
  actor_roles: string[];
  action: string;
  resource_type: string | null;
  resource_ids: string[];
  fields: string[];
  purpose: string | null;
  outcome: string;
  request_id: string;
  leaf_hash: Buffer;
  mac: Buffer;
}

export interface WitnessedCheckpoint {
  readonly body: string;
  readonly publicKey: Uint8Array;
  readonly signature: Uint8Array;
}

export interface VerifyOptions {
  /** A checkpoint kept outside the database (from the witness): the log must still extend it. */
  readonly witness?: WitnessedCheckpoint;
  /** Called after each batch with the number of events checked so far and the total. */
  readonly onProgress?: (checked: number, total: number) => void;
}

/**
 * Verifies an organisation's access log from scratch (DESIGN.md §7, T16): every event's bytes,
 * hash and MAC, the sequence without gaps, and every stored checkpoint's root and Ed25519
 * signature — with a second implementation (@noble/hashes, @noble/curves) rather than the
 * writer's (node:crypto, libsodium). Reports the first index that does not match what was
 * recorded.
 */
@Injectable()
export class AuditVerifier {
  constructor(
    private readonly db: Db,
    private readonly keyring: KeyringService,
    @Inject(HARBOUR_CRYPTO) private readonly crypto: HarbourCrypto,
  ) {}

  async verify(organisationId: string, options: VerifyOptions = {}): Promise<AuditVerification> {
    const run = async (tx: Tx): Promise<AuditVerification> => {
      const checkpoints = await tx.manager
        .getRepository(AuditCheckpointEntity)
        .find({ where: { organisationId }, order: { treeSize: 'ASC' } });
      const auditKey = await this.keyring.auditKey(tx, organisationId);
      const signing = this.crypto.auditSigningKey(auditKey);
      const expectedKey = Buffer.from(signing.publicKey);
      signing.destroy();
      const macKey = this.crypto.auditMacKey(auditKey);
      const [{ total } = { total: '0' }] = await tx.manager.query<{ total: string }[]>(
        `SELECT count(*) AS total FROM access_event`,
      );
      const origin = logOrigin(organisationId);
      const accumulator = new RootAccumulator();
      let expected = 0;
      let nextCheckpoint = 0;
      let verifiedSize = 0;
      let checkpointsChecked = 0;
      let witnessChecked = false;

      const fail = (firstBadIndex: number, problem: string): AuditVerification => ({
        status: 'failed',
        checkedEvents: expected,
        checkpointsChecked,
        latestCheckpoint: latestView(checkpoints),
        firstBadIndex,
        problem,
      });

      const witness =
        options.witness === undefined
          ? null
          : verifyCheckpoint(
              options.witness.body,
              options.witness.signature,
              options.witness.publicKey,
            );
      if (witness !== null) {
        if (!witness.ok) return fail(0, `witnessed checkpoint rejected: ${witness.reason}`);
        if (
          !Buffer.from(options.witness!.publicKey).equals(expectedKey) ||
          witness.checkpoint.origin !== origin
        ) {
          return fail(0, 'witnessed checkpoint was not signed by this log');
        }
      }

      for (;;) {
        const rows = await tx.manager.query<EventRow[]>(
          `SELECT seq, occurred_at, actor_id, actor_roles, action, resource_type, resource_ids, fields, purpose,
                  outcome, request_id, leaf_hash, mac
             FROM access_event WHERE seq >= $1 ORDER BY seq LIMIT $2`,
          [expected, BATCH],
        );
        for (const row of rows) {
          const seq = Number(row.seq);
          if (seq !== expected) return fail(expected, 'an event is missing');
          const bytes = eventBytes({
            organisationId,
            seq,
            occurredAt: new Date(row.occurred_at),
            actorId: row.actor_id,
            actorRoles: row.actor_roles,
            action: row.action,
            resourceType: row.resource_type,
            resourceIds: row.resource_ids,
            fields: row.fields,
            purpose: row.purpose,
            outcome: row.outcome,
            requestId: row.request_id,
          });
          const leaf = verifierLeafHash(bytes);
          if (!equalBytes(leaf, row.leaf_hash)) return fail(seq, 'an event was altered');
          if (!equalBytes(hmac(sha256, macKey, macInput(seq, leaf)), row.mac)) {
            return fail(seq, 'an event is not authentic (moved, reordered or forged)');
          }
          accumulator.push(leaf);
          expected++;
          for (
            let cp = checkpoints[nextCheckpoint];
            cp !== undefined && Number(cp.treeSize) === expected;
            cp = checkpoints[nextCheckpoint]
          ) {
            const result = verifyCheckpoint(
              cp.body,
              new Uint8Array(cp.signature),
              new Uint8Array(cp.publicKey),
            );
            const root = accumulator.root();
            if (
              !result.ok ||
              !cp.publicKey.equals(expectedKey) ||
              result.checkpoint.origin !== origin ||
              result.checkpoint.treeSize !== expected ||
              !equalBytes(result.checkpoint.rootHash, root) ||
              !equalBytes(root, cp.rootHash)
            ) {
              return fail(
                verifiedSize,
                `the checkpoint of size ${expected} does not match the log`,
              );
            }
            checkpointsChecked++;
            verifiedSize = expected;
            nextCheckpoint++;
          }
          if (witness?.ok === true && witness.checkpoint.treeSize === expected) {
            if (!equalBytes(witness.checkpoint.rootHash, accumulator.root())) {
              return fail(verifiedSize, 'the log does not extend the witnessed checkpoint');
            }
            witnessChecked = true;
          }
        }
        options.onProgress?.(expected, Number(total));
        if (rows.length < BATCH) break;
      }
      if (nextCheckpoint < checkpoints.length) {
        return fail(
          expected,
          `events after index ${expected - 1} are missing (a checkpoint covers more)`,
        );
      }
      if (witness?.ok === true && !witnessChecked) {
        return fail(expected, 'the log is shorter than the witnessed checkpoint');
      }
      return {
        status: 'verified',
        checkedEvents: expected,
        checkpointsChecked,
        latestCheckpoint: latestView(checkpoints),
        firstBadIndex: null,
        problem: null,
      };
    };
    const tx = this.db.currentOrNull();
    return tx !== null && tx.organisationId === organisationId
      ? run(tx)
      : this.db.transaction(organisationId, run);
  }

  async checkpoints(organisationId: string): Promise<CheckpointView[]> {
    const rows = await this.db
      .current()
      .manager.getRepository(AuditCheckpointEntity)
      .find({ where: { organisationId }, order: { treeSize: 'DESC' }, take: 500 });
    return rows.map(toView);
  }

  async latestCheckpoint(organisationId: string): Promise<CheckpointView> {
    const [latest] = await this.checkpoints(organisationId);
    if (latest === undefined) throw new NotFoundError();
    return latest;
  }

  async inclusion(seq: number, treeSize: number): Promise<InclusionProofView> {
    if (seq >= treeSize)
      throw new ValidationFailedError([{ path: 'seq', reason: 'not_below_tree_size' }]);
    const leaves = await this.leaves(treeSize);
    const root = merkleRoot(leaves, treeSize);
    return {
      leafIndex: seq,
      treeSize,
      leafHash: base64(leaves[seq]!),
      rootHash: base64(root),
      proof: inclusionProof(leaves, seq, treeSize).map(base64),
    };
  }

  async consistency(from: number, to: number): Promise<ConsistencyProofView> {
    if (from > to) throw new ValidationFailedError([{ path: 'from', reason: 'above_to' }]);
    const leaves = await this.leaves(to);
    return {
      fromSize: from,
      toSize: to,
      fromRoot: base64(merkleRoot(leaves, from)),
      toRoot: base64(merkleRoot(leaves, to)),
      proof: consistencyProof(leaves, from, to).map(base64),
    };
  }

  private async leaves(treeSize: number): Promise<Uint8Array[]> {
    const rows = await this.db
      .current()
      .manager.query<{ leaf_hash: Buffer }[]>(
        `SELECT leaf_hash FROM access_event WHERE seq < $1 ORDER BY seq`,
        [treeSize],
      );
    if (rows.length < treeSize) throw new NotFoundError();
    return rows.map((r) => new Uint8Array(r.leaf_hash));
  }
}

function equalBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length; i++) diff |= a[i]! ^ b[i]!;
  return diff === 0;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64');
}

function toView(row: AuditCheckpointEntity): CheckpointView {
  return {
    origin: row.body.split('\n')[0] ?? '',
    treeSize: Number(row.treeSize),
    rootHash: row.rootHash.toString('base64'),
    signedAt: row.signedAt.toISOString(),
    body: row.body,
    signature: row.signature.toString('base64'),
    publicKey: row.publicKey.toString('base64'),
  };
}

function latestView(checkpoints: readonly AuditCheckpointEntity[]): CheckpointView | null {
  const last = checkpoints.at(-1);
  return last === undefined ? null : toView(last);
}
