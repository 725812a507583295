import type { PoolClient } from 'pg';
import { EventBatchReader, type BatchRow, type EventRow } from '../../data/audit/event-batches';
import type { VerifierHash } from './verifier-hash';

/** Events per read. */
export const VERIFIER_BATCH = 10_000;

const YIELD_EVERY = 1_000;
const yieldToIo = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A batch whose events are contiguous from `first`, and whose stored leaves all match. */
export interface CleanBatch {
  readonly kind: 'clean';
  readonly first: number;
  readonly count: number;
  /** The leaf hashes, 32 bytes each, in order (stored, and checked equal to the computed ones). */
  readonly leaves: Buffer;
  /** MACs in hex of the events from `macsFrom` on (64 hex digits each). */
  readonly macs: string;
  readonly macsFrom: number;
}

/** A batch that is not clean (a gap, an altered event, odd bytes): check it row by row. */
export interface DirtyBatch {
  readonly kind: 'dirty';
  readonly rows: EventRow[];
}

export type Batch = CleanBatch | DirtyBatch | null;

export type { BatchRow, EventRow };

/**
 * Reads an organisation's events in order, batch by batch, asking for the next batch before the
 * caller checks the current one (PostgreSQL builds it on the other core meanwhile), and
 * computes each clean batch's leaf hashes.
 */
export class EventStream {
  #pending: Promise<BatchRow> | null = null;
  #started = false;
  #bytes = Buffer.alloc(8 * 1024 * 1024);
  readonly #reader: EventBatchReader;

  constructor(
    client: PoolClient,
    private readonly hash: VerifierHash,
    private readonly lastCheckpointSize: number,
  ) {
    this.#reader = new EventBatchReader(client);
  }

  /** The next batch starting at `expected` (the caller's position), or null at the end. */
  async next(expected: number): Promise<Batch> {
    if (!this.#started) {
      this.#started = true;
      this.#pending = this.readBatch(expected);
    }
    if (this.#pending === null) return null;
    const row = await this.#pending;
    this.#pending = null;
    const count = Number(row[0]);
    if (count === 0) return null;
    if (count === VERIFIER_BATCH) {
      this.#pending = this.readBatch(Number(row[2]) + 1);
    }
    const clean = await this.checkBatch(row, expected);
    if (clean !== null) return clean;
    return { kind: 'dirty', rows: await this.#reader.rows(expected, count) };
  }

  /** The stored leaf hash and MAC, in hex, of the events in [from, to), in order. */
  leavesAndMacs(from: number, to: number): Promise<[leaf: string, mac: string][]> {
    return this.#reader.leavesAndMacs(from, to);
  }

  /** Waits for a read still in flight (before the transaction ends). */
  async close(): Promise<void> {
    await this.#pending?.catch(() => undefined);
    this.#pending = null;
  }

  /** One batch from `from`, as PostgreSQL aggregates it (no prefetch). */
  readBatch(from: number): Promise<BatchRow> {
    return this.#reader.batch(from, VERIFIER_BATCH, this.lastCheckpointSize);
  }

  /**
   * The batch's leaves, if it is clean: contiguous from `expected`, every event hashing to its
   * stored leaf. Null otherwise (the caller then goes row by row to name the exact index).
   */
  async checkBatch(row: BatchRow, expected: number): Promise<CleanBatch | null> {
    const [countText, firstText, lastText, events, leafHex, macs] = row;
    const count = Number(countText);
    const first = Number(firstText);
    if (first !== expected || Number(lastText) !== first + count - 1) return null;
    if (events === null || leafHex === null || macs === null) return null;
    if (leafHex.length !== count * 64) return null;
    const macsFrom = Math.max(first, this.lastCheckpointSize);
    if (macs.length !== Math.max(0, first + count - macsFrom) * 64) return null;

    // The batch's events in one buffer from offset 1. Each event is hashed in place: the byte
    // before it (the previous event's newline, or the spare byte 0) becomes the 0x00 leaf prefix.
    const needed = events.length * 3 + 1;
    if (this.#bytes.length < needed) this.#bytes = Buffer.alloc(needed * 2);
    const bytes = this.#bytes;
    const end = 1 + bytes.write(events, 1, 'utf8');
    const leaves = Buffer.from(leafHex, 'hex');
    let start = 1;
    for (let i = 0; i < count; i++) {
      // Now and then, let the socket be read: PostgreSQL is sending the next batch meanwhile,
      // and stalls once the socket buffers are full.
      if (i % YIELD_EVERY === YIELD_EVERY - 1) await yieldToIo();
      const stop = i === count - 1 ? end : bytes.indexOf(0x0a, start);
      if (stop < 0 || stop > end) return null;
      bytes[start - 1] = 0x00;
      if (!this.hash.leafMatches(bytes, start - 1, stop, leaves, i * 32)) return null;
      start = stop + 1;
    }
    if (start !== end + 1) return null;
    // Every stored leaf equals the hash of its event: the stored leaves are the leaves.
    return { kind: 'clean', first, count, leaves, macs, macsFrom };
  }
}
