import { createHmac } from 'node:crypto';
import { checkpointBody, leafHash, type HarbourCrypto, type SecretKey } from '@harbour/crypto';
import type { AccessEventInput } from '../../infra/audit/audit-writer';
import type { NewCheckpoint } from '../../data/audit/access-log.repository';
import type { HeadRow } from '../../data/audit/audit-log.queries';
import {
  eventBytes,
  headMacInput,
  logOrigin,
  macInput,
  wellFormedEvent,
  type LoggedEvent,
  type LogHead,
} from './event-format';
import { appendToFrontier } from './frontier';

/*
 * The writer's computations, without the database: what `AccessLog` does to an event, a
 * checkpoint and the log head before it stores them. The access-log benchmark builds its bulk
 * log with these same functions (through the API's internal entry point), never with copies.
 */

/** One event as the log stores it: its canonical bytes, leaf hash, MAC, and the new frontier. */
export interface SealedEvent {
  readonly event: LoggedEvent;
  readonly bytes: Uint8Array;
  readonly leaf: Uint8Array;
  readonly mac: Buffer;
  readonly frontier: Uint8Array[];
}

/** The event `seq` of a log whose frontier is `frontier`, logged at `now`. */
export function sealEvent(
  macKey: Uint8Array,
  input: AccessEventInput,
  seq: number,
  now: Date,
  frontier: readonly Uint8Array[],
): SealedEvent {
  const event = wellFormedEvent({ ...input, seq, occurredAt: now });
  const bytes = eventBytes(event);
  const leaf = leafHash(bytes);
  const mac = createHmac('sha256', macKey).update(macInput(seq, leaf)).digest();
  return { event, bytes, leaf, mac, frontier: appendToFrontier(frontier, seq, leaf) };
}

/** The signed checkpoint of the tree of `treeSize` leaves with root `root`, signed at `now`. */
export function signCheckpoint(
  crypto: HarbourCrypto,
  auditKey: SecretKey,
  organisationId: string,
  treeSize: number,
  root: Uint8Array,
  now: Date,
): NewCheckpoint {
  const body = checkpointBody({
    origin: logOrigin(organisationId),
    treeSize,
    rootHash: root,
    timestamp: now.toISOString(),
  });
  const signing = crypto.auditSigningKey(auditKey);
  try {
    const signature = crypto.sign(signing, new TextEncoder().encode(body));
    return {
      organisationId,
      treeSize,
      rootHash: Buffer.from(root),
      signedAt: now,
      body,
      signature: Buffer.from(signature),
      publicKey: Buffer.from(signing.publicKey),
    };
  } finally {
    signing.destroy();
  }
}

/** The log head a stored row records. */
export function headOf(organisationId: string, state: HeadRow): LogHead {
  return {
    organisationId,
    treeSize: Number(state.tree_size),
    frontier: state.frontier.map((b) => new Uint8Array(b)),
    checkpointSize: Number(state.checkpoint_size),
    checkpointAt: state.checkpoint_at === null ? null : new Date(state.checkpoint_at),
  };
}

/** HMAC-SHA256 of the head (node:crypto; the verifier recomputes it with libsodium). */
export function headMacOf(macKey: Uint8Array, head: LogHead): Buffer {
  return createHmac('sha256', macKey).update(headMacInput(head)).digest();
}
