import type { PoolClient } from 'pg';
import { statement, valuesOf } from '../sql';

/** Everything as text: the verifier parses what it needs itself. */
export const RAW_TEXT = { getTypeParser: () => (value: string) => value };

export type BatchRow = [
  count: string,
  first: string | null,
  last: string | null,
  events: string | null,
  leaves: string | null,
  macs: string | null,
];

export type EventRow = [seq: string, event: string, leaf: string, mac: string];

/**
 * One batch of stored events in one row: how many, the first and last seq, then the event
 * bytes as UTF-8 text joined by newlines (canonical JSON never contains a raw newline, and the
 * access_event_bytes constraint makes the bytes valid UTF-8, so text round-trips them exactly),
 * the leaf hashes in hex, and the MACs in hex of the events from `macsFrom` on (those no
 * checkpoint covers). One value per column instead of one row per event: the per-row protocol
 * and parsing work is most of what reading costs.
 */
const batch = statement<{ from: number; size: number; macsFrom: number }>(
  'audit.verifierBatch',
  `SELECT count(*), min(seq), max(seq),
       string_agg(convert_from(event, 'UTF8'), E'\\n' ORDER BY seq),
       string_agg(encode(leaf_hash, 'hex'), '' ORDER BY seq),
       string_agg(CASE WHEN seq >= :macsFrom THEN encode(mac, 'hex') ELSE '' END, '' ORDER BY seq)
  FROM (SELECT seq, event, leaf_hash, mac FROM access_event
         WHERE seq >= :from ORDER BY seq LIMIT :size) batch`,
);

/** The same events one row each: used to name the exact index when a batch is not clean. */
const rows = statement<{ from: number; size: number }>(
  'audit.verifierRows',
  `SELECT seq, convert_from(event, 'UTF8'), encode(leaf_hash, 'hex'), encode(mac, 'hex')
  FROM access_event WHERE seq >= :from ORDER BY seq LIMIT :size`,
);

const leavesAndMacs = statement<{ from: number; to: number }>(
  'audit.verifierLeavesAndMacs',
  `SELECT encode(leaf_hash, 'hex'), encode(mac, 'hex') FROM access_event
 WHERE seq >= :from AND seq < :to ORDER BY seq`,
);

/**
 * The verifier's reads of the access log on the transaction's own pg client, as arrays of
 * text (no row objects, no type parsing): batches aggregated by PostgreSQL, and single rows
 * where a batch is not clean.
 */
export class EventBatchReader {
  constructor(private readonly client: PoolClient) {}

  async batch(from: number, size: number, macsFrom: number): Promise<BatchRow> {
    const result = await this.client.query<BatchRow>({
      text: batch.sql,
      values: valuesOf(batch, { from, size, macsFrom }),
      rowMode: 'array',
      types: RAW_TEXT,
    });
    return result.rows[0]!;
  }

  async rows(from: number, size: number): Promise<EventRow[]> {
    const result = await this.client.query<EventRow>({
      text: rows.sql,
      values: valuesOf(rows, { from, size }),
      rowMode: 'array',
      types: RAW_TEXT,
    });
    return result.rows;
  }

  /** The stored leaf hash and MAC, in hex, of the events in [from, to), in order. */
  async leavesAndMacs(from: number, to: number): Promise<[leaf: string, mac: string][]> {
    const result = await this.client.query<[string, string]>({
      text: leavesAndMacs.sql,
      values: valuesOf(leavesAndMacs, { from, to }),
      rowMode: 'array',
      types: RAW_TEXT,
    });
    return result.rows;
  }
}
