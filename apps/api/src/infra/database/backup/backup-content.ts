import { createHash, type Hash } from 'node:crypto';
import { BackupError } from './backup-errors';
import type { BackupFileReader, BackupKind } from './backup-format';

/**
 * What the encrypted stream of a backup holds, message by message: a preamble (what follows),
 * then per table a begin message, its `COPY … TO STDOUT (FORMAT binary)` output in chunks, an
 * end message, and last (under the FINAL tag) the manifest with every table's row count, byte
 * count and SHA-256 of its COPY stream, and the sequences' values at the snapshot.
 */
export const COPY_FORMAT = 'binary';

export interface BackupTable {
  readonly name: string;
  /** Columns in COPY order (generated columns are not copied). */
  readonly columns: readonly string[];
}

export interface BackupPreamble {
  readonly kind: BackupKind;
  readonly createdAt: string;
  /** The schema the data needs (for the data database: the applied migrations, oldest first). */
  readonly schemaVersion: readonly string[];
  readonly copyFormat: typeof COPY_FORMAT;
  readonly tables: readonly BackupTable[];
}

export interface TableSummary extends BackupTable {
  readonly rows: number;
  readonly bytes: number;
  readonly sha256: string;
}

export interface SequenceValue {
  readonly name: string;
  readonly value: string;
  readonly isCalled: boolean;
}

/** The summary of a backup: counts and checksums only, never a value from the data. */
export interface BackupManifest extends Omit<BackupPreamble, 'tables'> {
  readonly format: 1;
  readonly tables: readonly TableSummary[];
  readonly sequences: readonly SequenceValue[];
}

export const MessageType = {
  Preamble: 1,
  TableBegin: 2,
  Data: 3,
  TableEnd: 4,
  Manifest: 5,
} as const;
export type MessageType = (typeof MessageType)[keyof typeof MessageType];

export function jsonMessage(type: MessageType, value: unknown): Buffer {
  return Buffer.concat([Buffer.from([type]), Buffer.from(JSON.stringify(value), 'utf8')]);
}

export function tableBegin(index: number): Buffer {
  const message = Buffer.alloc(5);
  message.writeUInt8(MessageType.TableBegin, 0);
  message.writeUInt32BE(index, 1);
  return message;
}

/** What a reader of the stream does with each table's COPY bytes. */
export interface ContentSink {
  begin?(table: BackupTable, index: number): Promise<void> | void;
  data?(chunk: Uint8Array): Promise<void> | void;
  end?(table: BackupTable, index: number): Promise<void> | void;
}

function parseJson<T>(message: Uint8Array): T {
  try {
    return JSON.parse(Buffer.from(message.subarray(1)).toString('utf8')) as T;
  } catch {
    throw new BackupError('tampered', 'a backup message is not readable');
  }
}

/**
 * Reads the whole stream, hands each table's bytes to `sink`, and checks each table's byte
 * count and SHA-256 against the manifest (and the manifest against the preamble). Returns the
 * manifest; throws `BackupError` at the first difference.
 */
export async function readContents(
  reader: BackupFileReader,
  sink: ContentSink = {},
  onPreamble?: (preamble: BackupPreamble) => Promise<void> | void,
): Promise<BackupManifest> {
  const first = reader.next();
  if (first?.[0] !== MessageType.Preamble) {
    throw new BackupError('tampered', 'the backup does not start with its preamble');
  }
  const preamble = parseJson<BackupPreamble>(first);
  if (preamble.kind !== reader.header.kind || preamble.createdAt !== reader.header.createdAt) {
    throw new BackupError('tampered', 'the backup preamble does not match its header');
  }
  await onPreamble?.(preamble);
  const seen: { bytes: number; sha256: string }[] = [];
  let current: { index: number; hash: Hash; bytes: number } | null = null;
  for (;;) {
    const message = reader.next();
    if (message === null) {
      throw new BackupError('tampered', 'the backup ends without its manifest');
    }
    const type = message[0] as MessageType;
    if (type === MessageType.Manifest) {
      if (current !== null || !reader.finished) {
        throw new BackupError('tampered', 'the backup manifest is out of place');
      }
      const manifest = parseJson<BackupManifest>(message);
      checkManifest(manifest, preamble, seen);
      return manifest;
    }
    if (type === MessageType.TableBegin) {
      const index = Buffer.from(message).readUInt32BE(1);
      const table = preamble.tables[index];
      if (current !== null || table === undefined || index !== seen.length) {
        throw new BackupError('tampered', 'the backup tables are out of order');
      }
      current = { index, hash: createHash('sha256'), bytes: 0 };
      await sink.begin?.(table, index);
    } else if (type === MessageType.Data && current !== null) {
      const chunk = message.subarray(1);
      current.hash.update(chunk);
      current.bytes += chunk.length;
      await sink.data?.(chunk);
    } else if (type === MessageType.TableEnd && current !== null) {
      seen.push({ bytes: current.bytes, sha256: current.hash.digest('hex') });
      await sink.end?.(preamble.tables[current.index]!, current.index);
      current = null;
    } else {
      throw new BackupError('tampered', 'the backup holds a message out of place');
    }
  }
}

function checkManifest(
  manifest: BackupManifest,
  preamble: BackupPreamble,
  seen: readonly { bytes: number; sha256: string }[],
): void {
  if (
    manifest.format !== 1 ||
    manifest.kind !== preamble.kind ||
    manifest.tables.length !== preamble.tables.length ||
    seen.length !== preamble.tables.length ||
    JSON.stringify(manifest.schemaVersion) !== JSON.stringify(preamble.schemaVersion)
  ) {
    throw new BackupError('tampered', 'the backup manifest does not match its contents');
  }
  manifest.tables.forEach((table, i) => {
    const expected = preamble.tables[i]!;
    if (
      table.name !== expected.name ||
      JSON.stringify(table.columns) !== JSON.stringify(expected.columns)
    ) {
      throw new BackupError('tampered', 'the backup manifest does not match its contents');
    }
    if (table.bytes !== seen[i]!.bytes || table.sha256 !== seen[i]!.sha256) {
      throw new BackupError(
        'checksum_mismatch',
        `table ${table.name}: the data does not match the checksum in the manifest`,
      );
    }
  });
}
