import { createHash, hash } from 'node:crypto';
import { sha256 } from '@noble/hashes/sha256';
import type { PoolClient } from 'pg';
import sodium from 'sodium-native';
import {
  AuditLogQueries,
  checkpointKeysOf,
  checkpointMatches,
  eventBytesConstraintIntact,
  EventStream,
  StreamingRoot,
  VERIFIER_BATCH,
  VerifierHash,
} from '@harbour/api/internal';
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
  databaseRead: `EventStream.readBatch(): one row per ${VERIFIER_BATCH.toLocaleString('en-GB')} events that PostgreSQL aggregates (the event bytes as UTF-8 text joined by newlines, the leaf hashes in hex, the MACs in hex only after the last checkpoint) on the transaction’s pg client — here waited for in turn; the real verifier asks for the next batch before checking the current one, so much of this overlaps the stages below`,
  leafHash:
    'EventStream.checkBatch(): the batch text to UTF-8 once, each event hashed in place (libsodium SHA-256 of 0x00 ‖ event, native) and compared with its stored leaf hash',
  mac: 'events after the last checkpoint: VerifierHash.mac() (HMAC-SHA256 over seq ‖ leaf, libsodium) and the comparison; events a checkpoint covers are authenticated by its signed root (their MACs are read only to name a forged event when a root does not match)',
  accumulator: 'StreamingRoot.push() (libsodium node hashes, about one per event)',
  checkpoints:
    'per checkpoint: the root, the body parsed, Ed25519 verified with node:crypto (OpenSSL), comparisons',
};

/**
 * Where the verifier's time goes: an instrumented copy of `AuditVerifier.verify`'s loop (the
 * same `EventStream` reads and checks, the same functions in the same order), with a
 * `performance.now()` between stages (3 readings per event, about 0.1 µs in all). Unlike the real verifier it does
 * not prefetch, so the database read is seen whole; its total is shown beside the real
 * verifier's time. `limit` stops after the batch that reaches that many events (all by default).
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
    // The verifier's own reads and keys, in its order.
    const queries = env.app.get(AuditLogQueries);
    const checkpoints = await queries.checkpoints(tx, organisationId);
    const auditKey = await env.keyring.auditKey(tx, organisationId);
    const keys = checkpointKeysOf(env.crypto, auditKey, organisationId);
    const hash = new VerifierHash(env.crypto.auditMacKey(auditKey));
    await queries.eventCount(tx);
    if (!(await eventBytesConstraintIntact(queries, tx)))
      throw new Error('breakdown: constraint altered');
    const client = (await tx.manager.queryRunner!.connect()) as PoolClient;
    ms.setup += clock.now() - s0;

    const accumulator = new StreamingRoot(hash);
    const lastCheckpointSize = Number(checkpoints.at(-1)?.treeSize ?? 0);
    const stream = new EventStream(client, hash, lastCheckpointSize);
    let expected = 0;
    let nextCheckpoint = 0;
    let lastReport = 0;
    for (;;) {
      const r0 = clock.now();
      const row = await stream.readBatch(expected);
      const r1 = clock.now();
      ms.databaseRead += r1 - r0;
      if (Number(row[0]) === 0) break;
      const batch = await stream.checkBatch(row, expected);
      if (batch === null) throw new Error('breakdown: a batch is not clean');
      ms.leafHash += clock.now() - r1;

      for (let i = 0; i < batch.count; i++) {
        const t1 = clock.now();
        const seq = batch.first + i;
        const m = seq - batch.macsFrom;
        if (
          m >= 0 &&
          !hash.equalsHex(
            hash.mac(seq, batch.leaves, i * 32),
            batch.macs.slice(m * 64, m * 64 + 64),
          )
        )
          throw new Error('breakdown: MAC mismatch');
        const t2 = clock.now();
        accumulator.push(batch.leaves, i * 32);
        expected++;
        const t3 = clock.now();
        ms.mac += t2 - t1;
        ms.accumulator += t3 - t2;
        const cp = checkpoints[nextCheckpoint];
        if (cp !== undefined && Number(cp.treeSize) === expected) {
          if (!checkpointMatches(cp, expected, accumulator.root(), keys)) {
            throw new Error(`breakdown: checkpoint ${expected} does not match`);
          }
          nextCheckpoint++;
          ms.checkpoints += clock.now() - t3;
        }
      }
      if (expected - lastReport >= 200_000) {
        lastReport = expected;
        log(`breakdown: ${expected.toLocaleString('en-GB')} events`);
      }
      if (Number(row[0]) < VERIFIER_BATCH || expected >= limit) break;
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
