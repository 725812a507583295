import { createHash } from 'node:crypto';
import { RootAccumulator, verifierLeafHash, verifyCheckpoint } from '@harbour/crypto';
import { hmac } from '@noble/hashes/hmac';
import { sha256 } from '@noble/hashes/sha256';
import { Client } from 'pg';
import sodium from 'sodium-native';
import { AuditCheckpointEntity, eventBytes, logOrigin, macInput } from './api';
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
 * reads (batches of 5,000), canonical bytes, leaf hashes, MACs, the accumulator and every
 * checkpoint signature. Fails unless the log verifies completely.
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

export type RawHashId = 'nodeSha256' | 'nobleSha256' | 'sodiumNativeSha256';

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
      label: 'SHA-256, node:crypto',
      library: `node:crypto (OpenSSL ${versions.openssl})`,
      pass: (corpus) =>
        forEachEvent(corpus, (bytes) => {
          sink.value ^= createHash('sha256').update(bytes).digest()[0]!;
        }),
    },
    {
      id: 'nobleSha256',
      label: 'SHA-256, @noble/hashes (the verifier’s)',
      library: `@noble/hashes ${versions.noble}`,
      pass: (corpus) =>
        forEachEvent(corpus, (bytes) => {
          sink.value ^= sha256(bytes)[0]!;
        }),
    },
    {
      id: 'sodiumNativeSha256',
      label: 'SHA-256, sodium-native (libsodium, native)',
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

/** The verifier's event query (audit-verifier.service.ts, not exported), replicated verbatim. */
const VERIFIER_EVENTS_SQL = `SELECT seq, occurred_at, actor_id, actor_roles, action, resource_type, resource_ids, fields, purpose,
                  outcome, request_id, leaf_hash, mac
             FROM access_event WHERE seq >= $1 ORDER BY seq LIMIT $2`;
const VERIFIER_BATCH = 5_000;

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

export interface StageBreakdown {
  readonly events: number;
  /** Seconds per stage, summed over batches (see STAGE_NOTES). */
  readonly seconds: {
    readonly setup: number;
    readonly databaseRead: number;
    readonly canonicalBytes: number;
    readonly leafHash: number;
    readonly mac: number;
    readonly accumulator: number;
    readonly checkpoints: number;
  };
  readonly totalSeconds: number;
  /** The same SELECTs with every value left as the text PostgreSQL sent (no type parsing). */
  readonly databaseReadUnparsedSeconds: number;
}

export const STAGE_NOTES: Readonly<Record<keyof StageBreakdown['seconds'], string>> = {
  setup:
    'load the 1,000 checkpoints (TypeORM), the audit key, count(*) of the log (before the first batch)',
  databaseRead:
    'the verifier’s SELECT of 5,000 rows per batch through TypeORM/pg, including pg’s parsing of timestamps, text[] and bytea',
  canonicalBytes:
    'Number(seq), new Date(occurred_at), eventBytes(): RFC 8785 canonical JSON and UTF-8 encoding',
  leafHash: 'verifierLeafHash() (@noble/hashes SHA-256 of 0x00 ‖ bytes) and the comparison',
  mac: 'hmac(sha256, macKey, macInput(seq, leaf)) (@noble/hashes) and the comparison',
  accumulator: 'RootAccumulator.push() (@noble/hashes node hashes, about one per event)',
  checkpoints:
    'per checkpoint: accumulator root, Ed25519 verifyCheckpoint() (@noble/curves), comparisons',
};

const equalBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  Buffer.compare(Buffer.from(a.buffer, a.byteOffset, a.byteLength), b) === 0;

/**
 * Where the verifier's time goes: an instrumented copy of `AuditVerifier.verify`'s loop (the
 * same query, the same functions in the same order, row by row), with a `performance.now()`
 * between stages (6 readings per event, about 0.2 µs in all). Its total is shown beside the
 * real verifier's time. Then the same reads once more with raw text values, to split the
 * database read into server + protocol and pg's type parsing. `limit` stops after that many
 * events (all by default).
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
    canonicalBytes: 0,
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
    const macKey = env.crypto.auditMacKey(auditKey);
    await tx.manager.query(`SELECT count(*) AS total FROM access_event`);
    const origin = logOrigin(organisationId);
    ms.setup += clock.now() - s0;

    const accumulator = new RootAccumulator();
    let expected = 0;
    let nextCheckpoint = 0;
    let lastReport = 0;
    for (;;) {
      const batch = Math.min(VERIFIER_BATCH, limit - expected);
      const r0 = clock.now();
      const rows = await tx.manager.query<EventRow[]>(VERIFIER_EVENTS_SQL, [expected, batch]);
      ms.databaseRead += clock.now() - r0;

      for (const row of rows) {
        const t0 = clock.now();
        const seq = Number(row.seq);
        if (seq !== expected) throw new Error('breakdown: an event is missing');
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
        const t1 = clock.now();
        const leaf = verifierLeafHash(bytes);
        if (!equalBytes(leaf, row.leaf_hash)) throw new Error('breakdown: leaf mismatch');
        const t2 = clock.now();
        if (!equalBytes(hmac(sha256, macKey, macInput(seq, leaf)), row.mac))
          throw new Error('breakdown: MAC mismatch');
        const t3 = clock.now();
        accumulator.push(leaf);
        expected++;
        const t4 = clock.now();
        ms.canonicalBytes += t1 - t0;
        ms.leafHash += t2 - t1;
        ms.mac += t3 - t2;
        ms.accumulator += t4 - t3;
        const cp = checkpoints[nextCheckpoint];
        if (cp !== undefined && Number(cp.treeSize) === expected) {
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
            throw new Error(`breakdown: checkpoint ${expected} does not match`);
          }
          nextCheckpoint++;
          ms.checkpoints += clock.now() - t4;
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

  // The same SELECTs on a plain pg client (as the application role, tenant set), every value
  // returned as text: what the read costs before pg turns text into Dates, arrays and Buffers.
  log('breakdown: database read without type parsing');
  const client = new Client({ connectionString: env.database.appUrl });
  await client.connect();
  let unparsedNs = 0n;
  try {
    await client.query('BEGIN');
    await client.query(`SELECT set_config('app.org_id', $1, true)`, [organisationId]);
    const asText = { getTypeParser: () => (value: string) => value };
    let expected = 0;
    for (;;) {
      const batch = Math.min(VERIFIER_BATCH, events - expected);
      if (batch === 0) break;
      const t = now();
      const result = await client.query({
        text: VERIFIER_EVENTS_SQL,
        values: [expected, batch],
        types: asText,
      });
      unparsedNs += now() - t;
      expected += result.rows.length;
      if (result.rows.length < batch) break;
    }
    await client.query('COMMIT');
  } finally {
    await client.end();
  }

  const s = (v: number): number => v / 1e3;
  return {
    events,
    seconds: {
      setup: s(ms.setup),
      databaseRead: s(ms.databaseRead),
      canonicalBytes: s(ms.canonicalBytes),
      leafHash: s(ms.leafHash),
      mac: s(ms.mac),
      accumulator: s(ms.accumulator),
      checkpoints: s(ms.checkpoints),
    },
    totalSeconds,
    databaseReadUnparsedSeconds: Number(unparsedNs) / 1e9,
  };
}
