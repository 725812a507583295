import { createHash } from 'node:crypto';
import { closeSync, fsyncSync, openSync, renameSync, rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { Client, type ClientBase } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import {
  COPY_FORMAT,
  jsonMessage,
  MessageType,
  readContents,
  tableBegin,
  type BackupManifest,
  type BackupPreamble,
  type BackupTable,
  type SequenceValue,
  type TableSummary,
} from './backup-content';
import { BackupError } from './backup-errors';
import {
  BackupFileReader,
  BackupFileWriter,
  MESSAGE_BYTES,
  type BackupKind,
} from './backup-format';
import { copyColumns, quoteName, userTables } from './catalog';

export interface WriteBackupOptions {
  /** Owner (or superuser) of the database: row-level security must not hide rows from it. */
  readonly sourceUrl: string;
  /** The final path; the file is written to `<out>.partial` and renamed when checked. */
  readonly out: string;
  readonly backupKey: Uint8Array;
  readonly kind: BackupKind;
  /** Reads, inside the snapshot, the schema version the data needs (e.g. applied migrations). */
  readonly schemaVersion: (client: ClientBase) => Promise<string[]>;
  /** Tables of `public` not copied (e.g. the migrations table: the schema version records it). */
  readonly skipTables?: readonly string[];
  readonly now: Date;
  /** Called after each table (progress). */
  readonly onTable?: (table: TableSummary, index: number, total: number) => void;
}

export interface WrittenBackup {
  readonly file: string;
  readonly manifest: BackupManifest;
  /** Size of the file. */
  readonly bytes: number;
}

/**
 * Writes a consistent, encrypted backup of the `public` schema of one database: every table
 * copied in one `REPEATABLE READ READ ONLY` transaction (one snapshot), each COPY stream's row
 * count and SHA-256 recorded in the manifest, the sequences' values read in the same
 * transaction. The file is then read back and checked against the manifest, flushed, and only
 * then renamed into place: a file under the final name is always complete and checked.
 */
export async function writeBackup(options: WriteBackupOptions): Promise<WrittenBackup> {
  const partial = `${options.out}.partial`;
  const createdAt = options.now.toISOString();
  const writer = await BackupFileWriter.create(partial, options.backupKey, {
    kind: options.kind,
    createdAt,
  });
  const client = new Client({ connectionString: options.sourceUrl, statement_timeout: 0 });
  let manifest: BackupManifest;
  try {
    await client.connect();
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    try {
      manifest = await snapshot(client, writer, options, createdAt);
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
    }
    writer.close();
  } catch (error) {
    writer.abandon();
    rmSync(partial, { force: true });
    throw error;
  } finally {
    await client.end().catch(() => undefined);
  }
  try {
    await checkWritten(partial, options.backupKey, manifest);
    renameSync(partial, options.out);
    syncDirectory(dirname(options.out));
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
  return { file: options.out, manifest, bytes: writer.bytes };
}

async function snapshot(
  client: Client,
  writer: BackupFileWriter,
  options: WriteBackupOptions,
  createdAt: string,
): Promise<BackupManifest> {
  const schemaVersion = await options.schemaVersion(client);
  const skip = new Set(options.skipTables ?? []);
  const tables: BackupTable[] = [];
  for (const name of await userTables(client)) {
    if (!skip.has(name)) tables.push({ name, columns: await copyColumns(client, name) });
  }
  const preamble: BackupPreamble = {
    kind: options.kind,
    createdAt,
    schemaVersion,
    copyFormat: COPY_FORMAT,
    tables,
  };
  writer.push(jsonMessage(MessageType.Preamble, preamble));
  const summaries: TableSummary[] = [];
  for (const [index, table] of tables.entries()) {
    writer.push(tableBegin(index));
    const summary = await copyTable(client, writer, table);
    writer.push(Buffer.from([MessageType.TableEnd]));
    summaries.push(summary);
    options.onTable?.(summary, index, tables.length);
  }
  // Read after the copies: a sequence is not transactional, so its value now is at least the
  // value any row of the snapshot used (a restored sequence never hands out a used value).
  const sequences = await sequenceValues(client);
  const manifest: BackupManifest = {
    format: 1,
    kind: options.kind,
    createdAt,
    schemaVersion,
    copyFormat: COPY_FORMAT,
    tables: summaries,
    sequences,
  };
  writer.push(jsonMessage(MessageType.Manifest, manifest), true);
  return manifest;
}

async function copyTable(
  client: Client,
  writer: BackupFileWriter,
  table: BackupTable,
): Promise<TableSummary> {
  const columns = table.columns.map(quoteName).join(', ');
  const stream = client.query(
    copyTo(`COPY public.${quoteName(table.name)} (${columns}) TO STDOUT (FORMAT ${COPY_FORMAT})`),
  );
  const hash = createHash('sha256');
  let bytes = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  const flush = (): void => {
    if (pendingBytes === 0) return;
    writer.push(Buffer.concat([Buffer.from([MessageType.Data]), ...pending]));
    pending = [];
    pendingBytes = 0;
  };
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    hash.update(chunk);
    bytes += chunk.length;
    pending.push(chunk);
    pendingBytes += chunk.length;
    if (pendingBytes >= MESSAGE_BYTES) flush();
  }
  flush();
  return { ...table, rows: stream.rowCount, bytes, sha256: hash.digest('hex') };
}

async function sequenceValues(client: ClientBase): Promise<SequenceValue[]> {
  const names = (
    await client.query<{ name: string }>(
      `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'S' ORDER BY c.relname`,
    )
  ).rows.map((r) => r.name);
  const values: SequenceValue[] = [];
  for (const name of names) {
    const { rows } = await client.query<{ last_value: string; is_called: boolean }>(
      `SELECT last_value::text, is_called FROM public.${quoteName(name)}`,
    );
    values.push({ name, value: rows[0]!.last_value, isCalled: rows[0]!.is_called });
  }
  return values;
}

/** Checked on write: the file on disk opens with the key and matches the manifest exactly. */
async function checkWritten(path: string, key: Uint8Array, written: BackupManifest): Promise<void> {
  const reader = await BackupFileReader.open(path, key);
  try {
    const read = await readContents(reader);
    if (JSON.stringify(read) !== JSON.stringify(written)) {
      throw new BackupError(
        'checksum_mismatch',
        'the backup file read back differs from what was written',
      );
    }
  } finally {
    reader.close();
  }
}

function syncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
