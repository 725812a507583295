import { canonicalJsonBytes } from '@harbour/crypto';
import type { LoggedEvent } from '../../data/audit/access-log.repository';

/** The fields of a stored event that its leaf hash covers (declared with its row). */
export type { LoggedEvent };

/**
 * The bytes a leaf hashes: RFC 8785 canonical JSON of the event, format version 1. Timestamps
 * are ISO-8601 UTC with milliseconds (what PostgreSQL returns for what we wrote).
 */
export function eventBytes(event: LoggedEvent): Uint8Array {
  return canonicalJsonBytes({
    v: 1,
    organisationId: event.organisationId,
    seq: event.seq,
    occurredAt: event.occurredAt.toISOString(),
    actorId: event.actorId,
    actorRoles: [...event.actorRoles],
    action: event.action,
    resourceType: event.resourceType,
    resourceIds: [...event.resourceIds],
    fields: [...event.fields],
    purpose: event.purpose,
    outcome: event.outcome,
    requestId: event.requestId,
  });
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function wellFormed(value: string): string {
  return value.replace(LONE_SURROGATE, '\uFFFD');
}

function wellFormedOrNull(value: string | null): string | null {
  return value === null ? null : wellFormed(value);
}

/**
 * The event with every lone UTF-16 surrogate replaced by U+FFFD, as PostgreSQL text and UTF-8
 * would store it anyway: canonical JSON refuses lone surrogates, and an event must never fail
 * to be logged because an input held one.
 */
export function wellFormedEvent(event: LoggedEvent): LoggedEvent {
  return {
    ...event,
    actorRoles: event.actorRoles.map(wellFormed),
    action: wellFormed(event.action),
    resourceType: wellFormedOrNull(event.resourceType),
    resourceIds: event.resourceIds.map(wellFormed),
    fields: event.fields.map(wellFormed),
    purpose: wellFormedOrNull(event.purpose),
    outcome: wellFormed(event.outcome),
    requestId: wellFormed(event.requestId),
  };
}

/** The MAC input: the sequence number (8 bytes, big-endian) then the leaf hash. */
export function macInput(seq: number, leaf: Uint8Array): Uint8Array {
  const out = new Uint8Array(8 + leaf.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(seq), false);
  out.set(leaf, 8);
  return out;
}

/** The origin line of an organisation's checkpoints. */
export function logOrigin(organisationId: string): string {
  return `harbour/access-log/${organisationId}`;
}

/** The authenticated part of an organisation's log head (`audit_log_state`). */
export interface LogHead {
  readonly organisationId: string;
  /** Events in the log (the next sequence number). */
  readonly treeSize: number;
  /** The Merkle frontier at `treeSize`: roots of its complete subtrees, largest first. */
  readonly frontier: readonly Uint8Array[];
  /** Size of the latest signed checkpoint, and when it was signed (or the log began). */
  readonly checkpointSize: number;
  readonly checkpointAt: Date | null;
}

/**
 * The bytes the head MAC covers: a text line per field under the label `harbour/log-head/v1`.
 * The MAC key is the audit MAC key, which also MACs events; an event's MAC input is always 40
 * bytes of binary, a head's is text longer than that, so the two can never be confused.
 */
export function headMacInput(head: LogHead): Uint8Array {
  const hex = (bytes: Uint8Array): string => Buffer.from(bytes).toString('hex');
  return new TextEncoder().encode(
    [
      'harbour/log-head/v1',
      logOrigin(head.organisationId),
      String(head.treeSize),
      head.frontier.map(hex).join(','),
      String(head.checkpointSize),
      head.checkpointAt === null ? '' : head.checkpointAt.toISOString(),
      '',
    ].join('\n'),
  );
}
