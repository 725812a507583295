import { createHash, hash, verify as verifyEd25519 } from 'node:crypto';
import { parseCheckpointBody } from '@harbour/crypto';
import { sha256 } from '@noble/hashes/sha256';
import type { PoolClient } from 'pg';
import sodium from 'sodium-native';
import {
  AuditCheckpointEntity,
  ed25519PublicKey,
  eventBytesConstraintIntact,
  logOrigin,
  RAW_TEXT,
  StreamingRoot,
  VERIFIER_BATCH,
  VERIFIER_EVENTS_SQL,
  VerifierHash,
  type VerifierEventRow,
} from './api';
import type { AuditBenchEnvironment } from './environment';
import { forEachEvent, type CanonicalCorpus } from './bulk-log';

const now = (): bigint => process.hrtime.bigint();
const secondsSince = (start: bigint): number => Number(now() - start) / 1e9;

/** Keeps every digest observable, so no hashing can be optimised away. */
export const sink = { value: 0 };

export interface VerificationRun {
  readonly seconds: number;
  readonly status: string;
  readonly checkedEvents: number;
  readonly checkpointsChecked: number;
}

/**
 * One full `AuditVerifier.verify(org)`, timed by the wall clock around the call: the database
 * reads (batches of 10,000, the next requested while the current one is checked), leaf hashes,
 * MACs, the accumulator and every checkpoint signature. Fails unless the log verifies completely.
 */
export async function timeVerification(
  env: AuditBenchEnvironment,
  organisationId: string,
  expected: { events: number; checkpoints: number },
  log: (line: string) => void,
): Promise<VerificationRun> {
  let lastReport = 0;
  const start = now();
  const result = await env.verifier.verify(organisationId, {
    onProgress: (checked, total) => {
      if (checked > lastReport && (checked - lastReport >= 200_000 || checked === total)) {
        lastReport = checked;
        log(
          `verify: ${checked.toLocaleString('en-GB')} / ${total.toLocaleString('en-GB')} (${secondsSince(start).toFixed(1)} s)`,
        );
      }
    },
  });
  const seconds = secondsSince(start);
  if (
    result.status !== 'verified' ||
    result.checkedEvents !== expected.events ||
    result.checkpointsChecked !== expected.checkpoints
  ) {
    throw new Error(
      `the bulk log did not verify: ${JSON.stringify({ ...result, latestCheckpoint: undefined })}`,
    );
  }
  return {
    seconds,
    status: result.status,
    checkedEvents: result.checkedEvents,
    checkpointsChecked: result.checkpointsChecked,
  };
}

export type RawHashId = 'nodeSha256' | 'nodeSha256OneShot' | 'nobleSha256' | 'sodiumNativeSha256';

export interface RawHashSubject {
  readonly id: RawHashId;
  readonly label: string;
  readonly library: string;
  /** One digest of each event's canonical bytes, in order. */
  readonly pass: (corpus: CanonicalCorpus) => void;
}

export function rawHashSubjects(versions: {
  openssl: string;
  noble: string;
  sodiumNative: string;
}): RawHashSubject[] {
  const out = Buffer.alloc(sodium.crypto_hash_sha256_BYTES);
  return [
    {
      id: 'nodeSha256',
      label: 'SHA-256, node:crypto (the writer’s)',
      library: `node:crypto (OpenSSL ${versions.openssl})`,
      pass: (corpus) =>
        forEachEvent(corpus, (bytes) => {
          sink.value ^= createHash('sha256').update(bytes).digest()[0]!;
        }),
    },
    {
      id: 'nodeSha256OneShot',
      label: 'SHA-256, node:crypto one-shot hash()',
      library: `node:crypto hash() (OpenSSL ${versions.openssl})`,
      pass: (corpus) =>
        forEachEvent(corpus, (bytes) => {
          sink.value ^= hash('sha256', bytes, 'buffer')[0]!;
        }),
    },
    {
      id: 'nobleSha256',
      label: 'SHA-256, @noble/hashes',
      library: `@noble/hashes ${versions.noble}`,
      pass: (corpus) =>
        forEachEvent(corpus, (bytes) => {
          sink.value ^= sha256(bytes)[0]!;
        }),
    },
    {
      id: 'sodiumNativeSha256',
      label: 'SHA-256, sodium-native (the verifier’s: libsodium, native)',
      library: `sodium-native ${versions.sodiumNative}`,
      pass: (corpus) =>
        forEachEvent(corpus, (bytes) => {
          sodium.crypto_hash_sha256(out, bytes);
          sink.value ^= out[0]!;
        }),
    },
  ];
}

/** One full pass of `subject` over every event's bytes; returns seconds. */
export function timeRawPass(subject: RawHashSubject, corpus: CanonicalCorpus): number {
  const start = now();
  subject.pass(corpus);
  return secondsSince(start);
}

export interface StageBreakdown {
  readonly events: number;
  /** Seconds per stage, summed over batches (see STAGE_NOTES). */
  readonly seconds: {
    readonly setup: number;
    readonly databaseRead: number;
    readonly leafHash: number;
    readonly mac: number;
    readonly accumulator: number;
    readonly checkpoints: number;
  };
  readonly totalSeconds: number;
}

export const STAGE_NOTES: Readonly<Record<keyof StageBreakdown['seconds'], string>> = {
  setup:
    'load the 1,000 checkpoints (TypeORM), the audit key, count(*) of the log, the catalog check of the access_event_bytes constraint and its function',
  databaseRead: `the verifier’s SELECT of ${VERIFIER_BATCH.toLocaleString('en-GB')} rows per batch (seq, the event bytes as UTF-8 text, the leaf hash in hex, and the MAC in hex only after the last checkpoint) on the transaction’s pg client, values left as text — here waited for in turn; the real verifier asks for the next batch before checking the current one, so much of this overlaps the stages below`,
  leafHash:
    'Number(seq), VerifierHash.leafOfText() (UTF-8 into a scratch buffer, libsodium SHA-256 of 0x00 ‖ event, native) and the comparison with the stored leaf hash',
  mac: 'events after the last checkpoint: VerifierHash.mac() (HMAC-SHA256 over seq ‖ leaf, libsodium) and the comparison; events a checkpoint covers are authenticated by its signed root (their MACs are read only to name a forged event when a root does not match)',
  accumulator: 'StreamingRoot.push() (libsodium node hashes, about one per event)',
  checkpoints:
    'per checkpoint: the root, the body parsed, Ed25519 verified with node:crypto (OpenSSL), comparisons',
};

/**
 * Where the verifier's time goes: an instrumented copy of `AuditVerifier.verify`'s loop (the
 * same query, the same functions in the same order, row by row), with a `performance.now()`
 * between stages (6 readings per event, about 0.2 µs in all). Unlike the real verifier it does
 * not prefetch, so the database read is seen whole; its total is shown beside the real
 * verifier's time. `limit` stops after that many events (all by default).
 */
export async function stageBreakdown(
  env: AuditBenchEnvironment,
  organisationId: string,
  log: (line: string) => void,
  limit = Number.MAX_SAFE_INTEGER,
): Promise<StageBreakdown> {
  const ms = {
    setup: 0,
    databaseRead: 0,
    leafHash: 0,
    mac: 0,
    accumulator: 0,
    checkpoints: 0,
  };
  const clock = performance;
  const total = now();
  const events = await env.db.transaction(organisationId, async (tx) => {
    const s0 = clock.now();
    const checkpoints = await tx.manager
      .getRepository(AuditCheckpointEntity)
      .find({ where: { organisationId }, order: { treeSize: 'ASC' } });
    const auditKey = await env.keyring.auditKey(tx, organisationId);
    const signing = env.crypto.auditSigningKey(auditKey);
    const expectedKey = Buffer.from(signing.publicKey);
    signing.destroy();
    const hash = new VerifierHash(env.crypto.auditMacKey(auditKey));
    const publicKey = ed25519PublicKey(expectedKey);
    await tx.manager.query(`SELECT count(*) AS total FROM access_event`);
    if (!(await eventBytesConstraintIntact(tx))) throw new Error('breakdown: constraint altered');
    const origin = logOrigin(organisationId);
    const client = (await tx.manager.queryRunner!.connect()) as PoolClient;
    ms.setup += clock.now() - s0;

    const accumulator = new StreamingRoot(hash);
    const lastCheckpointSize = Number(checkpoints.at(-1)?.treeSize ?? 0);
    let rangeCount = 0;
    const rangeLeaves = Buffer.alloc(1_000 * 32);
    const leaf = Buffer.alloc(32);
    let expected = 0;
    let nextCheckpoint = 0;
    let lastReport = 0;
    for (;;) {
      const batch = Math.min(VERIFIER_BATCH, limit - expected);
      const r0 = clock.now();
      const { rows } = await client.query<VerifierEventRow>({
        text: VERIFIER_EVENTS_SQL,
        values: [expected, batch, lastCheckpointSize],
        rowMode: 'array',
        types: RAW_TEXT,
      });
      ms.databaseRead += clock.now() - r0;

      for (const row of rows) {
        const t0 = clock.now();
        const seq = Number(row[0]);
        if (seq !== expected) throw new Error('breakdown: an event is missing');
        hash.leafOfText(row[1], leaf);
        if (!hash.equalsHex(leaf, row[2])) throw new Error('breakdown: leaf mismatch');
        const t1 = clock.now();
        if (seq >= lastCheckpointSize) {
          if (row[3] === null || !hash.equalsHex(hash.mac(seq, leaf), row[3]))
            throw new Error('breakdown: MAC mismatch');
        } else {
          // As the verifier, keep the leaf until the checkpoint (its buffer grows past 1,000).
          leaf.copy(rangeLeaves, (rangeCount % 1_000) * 32);
          rangeCount++;
        }
        const t2 = clock.now();
        accumulator.push(leaf);
        expected++;
        const t3 = clock.now();
        ms.leafHash += t1 - t0;
        ms.mac += t2 - t1;
        ms.accumulator += t3 - t2;
        const cp = checkpoints[nextCheckpoint];
        if (cp !== undefined && Number(cp.treeSize) === expected) {
          const root = accumulator.root();
          const parsed = parseCheckpointBody(cp.body);
          if (
            !cp.publicKey.equals(expectedKey) ||
            !verifyEd25519(null, Buffer.from(cp.body, 'utf8'), publicKey, cp.signature) ||
            !parsed.ok ||
            parsed.checkpoint.origin !== origin ||
            parsed.checkpoint.treeSize !== expected ||
            !root.equals(parsed.checkpoint.rootHash) ||
            !root.equals(cp.rootHash)
          ) {
            throw new Error(`breakdown: checkpoint ${expected} does not match`);
          }
          nextCheckpoint++;
          rangeCount = 0;
          ms.checkpoints += clock.now() - t3;
        }
      }
      if (expected - lastReport >= 200_000) {
        lastReport = expected;
        log(`breakdown: ${expected.toLocaleString('en-GB')} events`);
      }
      if (rows.length < batch || expected >= limit) break;
    }
    if (limit === Number.MAX_SAFE_INTEGER && nextCheckpoint !== checkpoints.length)
      throw new Error('breakdown: checkpoints left over');
    return expected;
  });
  const totalSeconds = secondsSince(total);

  const s = (v: number): number => v / 1e3;
  return {
    events,
    seconds: {
      setup: s(ms.setup),
      databaseRead: s(ms.databaseRead),
      leafHash: s(ms.leafHash),
      mac: s(ms.mac),
      accumulator: s(ms.accumulator),
      checkpoints: s(ms.checkpoints),
    },
    totalSeconds,
  };
}
