import {
  CHECKPOINT_EVERY_EVENTS,
  frontierRoot,
  headMacOf,
  sealEvent,
  signCheckpoint,
} from '@harbour/api/internal';
import type { AuditBenchEnvironment } from './environment';
import { EventSource } from './events';

/**
 * A VALID access log of many events, written in bulk: every event, checkpoint and the final
 * head are computed by the writer's own functions — `sealEvent` (the canonical bytes stored in
 * `event`, the leaf hash, the MAC under `crypto.auditMacKey(keyring.auditKey(tx, org))`, the
 * new frontier), `signCheckpoint` every 1,000 events, and `headMacOf` for the head — so the
 * log cannot drift from what `AccessLog.append` writes. Only the loading differs: rows go in
 * with multi-row `INSERT … SELECT FROM unnest(…)` (the writer's one-row statement would take
 * many minutes for a million events), in transactions with the tenant set, as the application
 * role, so row-level security and the append-only grants apply; `audit_log_state` is written
 * last, as the writer would have left it, with its MAC.
 *
 * Event times start at 2026-06-01T00:00Z, one event per 250 ms: 1,000 events span about
 * 4 minutes, so the writer's 5-minute rule never fires before the 1,000-event one.
 */

export const INSERT_BATCH = 10_000;
const BASE_TIME = Date.parse('2026-06-01T00:00:00.000Z');
const SPACING_MS = 250;

const INSERT_EVENTS_SQL = `INSERT INTO access_event (organisation_id, seq, occurred_at, actor_id, actor_roles, action, resource_type,
                             resource_ids, fields, purpose, outcome, request_id, event, leaf_hash, mac)
SELECT $1::uuid, e.seq, e.occurred_at, e.actor_id, e.actor_roles::text[], e.action, e.resource_type,
       e.resource_ids::text[], e.fields::text[], e.purpose, e.outcome, e.request_id, e.event, e.leaf_hash, e.mac
  FROM unnest($2::bigint[], $3::timestamptz[], $4::uuid[], $5::text[], $6::text[], $7::text[], $8::text[],
              $9::text[], $10::text[], $11::text[], $12::text[], $13::bytea[], $14::bytea[], $15::bytea[])
    AS e(seq, occurred_at, actor_id, actor_roles, action, resource_type, resource_ids, fields, purpose,
         outcome, request_id, event, leaf_hash, mac)`;

const INSERT_CHECKPOINTS_SQL = `INSERT INTO audit_checkpoint (organisation_id, tree_size, root_hash, signed_at, body, signature, public_key)
SELECT $1::uuid, c.tree_size, c.root_hash, c.signed_at, c.body, c.signature, c.public_key
  FROM unnest($2::bigint[], $3::bytea[], $4::timestamptz[], $5::text[], $6::bytea[], $7::bytea[])
    AS c(tree_size, root_hash, signed_at, body, signature, public_key)`;

/**
 * The canonical bytes of every event of the bulk log, kept for the raw-hash reference: one
 * Buffer per insert batch with the event boundaries (`offsets[i]..offsets[i+1]`).
 */
export interface CanonicalCorpus {
  readonly chunks: readonly { readonly bytes: Buffer; readonly offsets: Uint32Array }[];
  readonly events: number;
  readonly totalBytes: number;
}

/** Calls `fn` with each event's canonical bytes, in order (views, no copies). */
export function forEachEvent(corpus: CanonicalCorpus, fn: (bytes: Buffer) => void): void {
  for (const { bytes, offsets } of corpus.chunks) {
    for (let i = 0; i + 1 < offsets.length; i++) fn(bytes.subarray(offsets[i], offsets[i + 1]));
  }
}

export interface BulkLogResult {
  readonly corpus: CanonicalCorpus;
  readonly checkpoints: number;
  readonly seconds: number;
  /** CPU time of computing events, hashes, MACs, frontier and signatures (main thread). */
  readonly computeSeconds: number;
}

/** A PostgreSQL array literal of strings (each element quoted), e.g. `{"a","b"}`. */
function arrayLiteral(values: readonly string[]): string {
  return `{${values.map((v) => `"${v.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Writes `events` events (a multiple of 1,000) to `organisationId`'s log, which must be empty.
 * Generation of one batch overlaps the insertion of the previous one.
 */
export async function writeBulkLog(
  env: AuditBenchEnvironment,
  organisationId: string,
  events: number,
  seed: number,
  log: (line: string) => void,
): Promise<BulkLogResult> {
  if (events % CHECKPOINT_EVERY_EVENTS !== 0)
    throw new Error(`events must be a multiple of ${CHECKPOINT_EVERY_EVENTS}`);
  const started = process.hrtime.bigint();
  let computeNs = 0n;
  const source = new EventSource(seed);
  let frontier: Uint8Array[] = [];
  const chunks: { bytes: Buffer; offsets: Uint32Array }[] = [];
  let totalBytes = 0;
  let checkpointCount = 0;
  let lastTime = new Date(BASE_TIME);
  let pending: Promise<void> | null = null;
  let lastReport = 0;
  let lastMacKey: Uint8Array | null = null;

  for (let start = 0; start < events; start += INSERT_BATCH) {
    const n = Math.min(INSERT_BATCH, events - start);
    // The audit key as the writer gets it (cached by the keyring after the first load).
    const auditKey = await env.db.transaction(organisationId, (tx) =>
      env.keyring.auditKey(tx, organisationId),
    );
    const macKey = Uint8Array.from(env.crypto.auditMacKey(auditKey));
    lastMacKey = macKey;

    const seqs: number[] = [];
    const times: string[] = [];
    const actorIds: (string | null)[] = [];
    const roles: string[] = [];
    const actions: string[] = [];
    const resourceTypes: (string | null)[] = [];
    const resourceIds: string[] = [];
    const fields: string[] = [];
    const purposes: (string | null)[] = [];
    const outcomes: string[] = [];
    const requestIds: string[] = [];
    const leaves: Buffer[] = [];
    const macs: Buffer[] = [];
    const pieces: Uint8Array[] = [];
    const offsets = new Uint32Array(n + 1);
    const cp = {
      sizes: [] as number[],
      roots: [] as Buffer[],
      times: [] as string[],
      bodies: [] as string[],
      signatures: [] as Buffer[],
      keys: [] as Buffer[],
    };

    let t0 = process.hrtime.bigint();
    for (let i = 0; i < n; i++) {
      const seq = start + i;
      const input = source.nextFor(organisationId);
      // Strictly increasing times, 250 ms apart, with a repeatable sub-spacing offset.
      const now = new Date(BASE_TIME + seq * SPACING_MS + ((seq * 7919) % SPACING_MS));
      const sealed = sealEvent(macKey, input, seq, now, frontier);
      const { event, bytes, leaf, mac } = sealed;
      frontier = sealed.frontier;
      const size = seq + 1;
      if (size % CHECKPOINT_EVERY_EVENTS === 0) {
        const checkpoint = signCheckpoint(
          env.crypto,
          auditKey,
          organisationId,
          size,
          frontierRoot(frontier),
          now,
        );
        cp.sizes.push(size);
        cp.roots.push(checkpoint.rootHash);
        cp.times.push(now.toISOString());
        cp.bodies.push(checkpoint.body);
        cp.signatures.push(checkpoint.signature);
        cp.keys.push(checkpoint.publicKey);
      }
      seqs.push(seq);
      times.push(now.toISOString());
      actorIds.push(event.actorId);
      roles.push(arrayLiteral(event.actorRoles));
      actions.push(event.action);
      resourceTypes.push(event.resourceType);
      resourceIds.push(arrayLiteral(event.resourceIds));
      fields.push(arrayLiteral(event.fields));
      purposes.push(event.purpose);
      outcomes.push(event.outcome);
      requestIds.push(event.requestId);
      leaves.push(Buffer.from(leaf));
      macs.push(mac);
      pieces.push(bytes);
      offsets[i + 1] = offsets[i]! + bytes.length;
      lastTime = now;
      if (i % 1_000 === 999) {
        // Let the previous batch's statements make progress while this one is computed.
        computeNs += process.hrtime.bigint() - t0;
        await yieldToIo();
        t0 = process.hrtime.bigint();
      }
    }
    const chunk = Buffer.concat(pieces);
    chunks.push({ bytes: chunk, offsets });
    totalBytes += chunk.length;
    checkpointCount += cp.sizes.length;
    computeNs += process.hrtime.bigint() - t0;

    if (pending !== null) await pending;
    pending = env.db.transaction(organisationId, async (tx) => {
      await tx.manager.query(INSERT_EVENTS_SQL, [
        organisationId,
        seqs,
        times,
        actorIds,
        roles,
        actions,
        resourceTypes,
        resourceIds,
        fields,
        purposes,
        outcomes,
        requestIds,
        pieces.map((b) => Buffer.from(b.buffer, b.byteOffset, b.byteLength)),
        leaves,
        macs,
      ]);
      if (cp.sizes.length > 0) {
        await tx.manager.query(INSERT_CHECKPOINTS_SQL, [
          organisationId,
          cp.sizes,
          cp.roots,
          cp.times,
          cp.bodies,
          cp.signatures,
          cp.keys,
        ]);
      }
    });
    // Awaited before the next batch is queued; until then a failure must not count as unhandled.
    pending.catch(() => undefined);
    if (start + n - lastReport >= 100_000 || start + n === events) {
      lastReport = start + n;
      log(`bulk log: ${(start + n).toLocaleString('en-GB')} / ${events.toLocaleString('en-GB')}`);
    }
  }
  if (pending !== null) await pending;

  // The writer's state after the last event: size, frontier, the checkpoint just signed, and
  // the head's MAC (without it the writer and the verifier refuse the head).
  const headMac = headMacOf(lastMacKey!, {
    organisationId,
    treeSize: events,
    frontier,
    checkpointSize: events,
    checkpointAt: lastTime,
  });
  await env.db.transaction(organisationId, (tx) =>
    tx.manager.query(
      `INSERT INTO audit_log_state (organisation_id, tree_size, frontier, checkpoint_size, checkpoint_at, head_mac)
       VALUES ($1, $2, $3, $4, $5, $6)`,
      [organisationId, events, frontier.map((h) => Buffer.from(h)), events, lastTime, headMac],
    ),
  );

  return {
    corpus: { chunks, events, totalBytes },
    checkpoints: checkpointCount,
    seconds: Number(process.hrtime.bigint() - started) / 1e9,
    computeSeconds: Number(computeNs) / 1e9,
  };
}
