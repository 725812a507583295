import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { Client, type ClientBase } from 'pg';
import { from as copyFrom, to as copyTo, type CopyStreamQuery } from 'pg-copy-streams';
import { COPY_FORMAT, readContents, type BackupManifest, type BackupTable } from './backup-content';
import { BackupError } from './backup-errors';
import { BackupFileReader, type BackupKind } from './backup-format';
import { copyColumns, quoteName, userTables } from './catalog';

export interface RestoreBackupOptions {
  readonly file: string;
  readonly backupKey: Uint8Array;
  /** The kind of backup this restore expects (a keyring backup never loads into a data database). */
  readonly kind: BackupKind;
  /**
   * Owner of an EMPTY database (no table in `public`) that may set `session_replication_role`:
   * a superuser, or on PostgreSQL 15+ a role granted `SET ON PARAMETER session_replication_role`.
   */
  readonly targetUrl: string;
  /** Creates the schema the backup needs (refusing a schema version it does not know). */
  readonly prepareSchema: (url: string, manifest: BackupManifest) => Promise<void>;
  /** Runs after the data is loaded and committed (e.g. migrations newer than the backup). */
  readonly afterLoad?: (url: string, manifest: BackupManifest) => Promise<void>;
  /** Also copies every table back out after loading and compares its checksum (rehearsals). */
  readonly recheck?: boolean;
  readonly onTable?: (table: string, index: number, total: number) => void;
}

export interface RestoredBackup {
  readonly manifest: BackupManifest;
  readonly tables: number;
  readonly rows: number;
  /** Tables whose reloaded COPY output matched the manifest's checksum (when `recheck`). */
  readonly rechecked: number;
}

/** Authenticates a whole backup file and checks it against its manifest, writing nothing. */
export async function readBackup(
  file: string,
  backupKey: Uint8Array,
  kind?: BackupKind,
): Promise<BackupManifest> {
  const reader = await BackupFileReader.open(file, backupKey);
  try {
    if (kind !== undefined && reader.header.kind !== kind) {
      throw new BackupError(
        'wrong_kind',
        `this is a ${reader.header.kind} backup, not a ${kind} backup`,
      );
    }
    return await readContents(reader);
  } finally {
    reader.close();
  }
}

/**
 * Restores a backup into an empty database. The whole file is authenticated and checked
 * against its manifest before anything is written (a wrong key, a flipped byte or a cut file
 * leaves the target untouched); the schema is then created, and every table loaded in ONE
 * transaction with triggers off (`session_replication_role = replica`: the append-only and
 * foreign-key triggers would refuse or reorder a verbatim load), each table's row count
 * checked, the sequences set to their values at the snapshot. Any failure rolls the load back.
 */
export async function restoreBackup(options: RestoreBackupOptions): Promise<RestoredBackup> {
  await checkTarget(options.targetUrl);
  const manifest = await readBackup(options.file, options.backupKey, options.kind);
  if (manifest.copyFormat !== COPY_FORMAT) {
    throw new BackupError('unsupported_format', `COPY format ${String(manifest.copyFormat)}`);
  }
  await checkTarget(options.targetUrl);
  await options.prepareSchema(options.targetUrl, manifest);

  const client = new Client({ connectionString: options.targetUrl, statement_timeout: 0 });
  await client.connect();
  let rechecked = 0;
  try {
    await checkTargetTables(client, manifest.tables);
    await client.query('BEGIN');
    try {
      await client.query(`SET LOCAL session_replication_role = replica`);
      // Rows a migration itself inserted are in the backup too (as they were at the snapshot).
      await client.query(
        `TRUNCATE ${manifest.tables.map((t) => `public.${quoteName(t.name)}`).join(', ')}`,
      );
      await load(client, options, manifest);
      for (const sequence of manifest.sequences) {
        await client.query(`SELECT setval(format('public.%I', $1::text)::regclass, $2, $3)`, [
          sequence.name,
          sequence.value,
          sequence.isCalled,
        ]);
      }
      if (options.recheck === true) rechecked = await recheck(client, manifest);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  } finally {
    await client.end().catch(() => undefined);
  }
  await options.afterLoad?.(options.targetUrl, manifest);
  return {
    manifest,
    tables: manifest.tables.length,
    rows: manifest.tables.reduce((sum, t) => sum + t.rows, 0),
    rechecked,
  };
}

async function load(client: Client, options: RestoreBackupOptions, manifest: BackupManifest) {
  const reader = await BackupFileReader.open(options.file, options.backupKey);
  let stream: CopyStreamQuery | null = null;
  let done: Promise<void> | null = null;
  try {
    await readContents(reader, {
      begin(table) {
        const columns = table.columns.map(quoteName).join(', ');
        stream = client.query(
          copyFrom(
            `COPY public.${quoteName(table.name)} (${columns}) FROM STDIN (FORMAT ${COPY_FORMAT})`,
          ),
        );
        done = finished(stream);
      },
      async data(chunk) {
        if (!stream!.write(chunk)) await once(stream!, 'drain');
      },
      async end(table, index) {
        stream!.end();
        await done;
        const expected = manifest.tables[index]!.rows;
        if (stream!.rowCount !== expected) {
          throw new BackupError(
            'count_mismatch',
            `table ${table.name}: loaded ${stream!.rowCount} rows, the manifest says ${expected}`,
          );
        }
        stream = null;
        options.onTable?.(table.name, index, manifest.tables.length);
      },
    });
  } finally {
    reader.close();
  }
}

/** Copies every loaded table back out and compares rows and checksum with the manifest. */
async function recheck(client: Client, manifest: BackupManifest): Promise<number> {
  let matched = 0;
  for (const table of manifest.tables) {
    const columns = table.columns.map(quoteName).join(', ');
    const stream = client.query(
      copyTo(`COPY public.${quoteName(table.name)} (${columns}) TO STDOUT (FORMAT ${COPY_FORMAT})`),
    );
    const hash = createHash('sha256');
    for await (const chunk of stream as AsyncIterable<Buffer>) hash.update(chunk);
    if (stream.rowCount !== table.rows || hash.digest('hex') !== table.sha256) {
      throw new BackupError(
        'checksum_mismatch',
        `table ${table.name}: the restored rows do not match the backup's checksum`,
      );
    }
    matched++;
  }
  return matched;
}

/** The target must be empty, and its role must be allowed to switch triggers off for the load. */
async function checkTarget(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const tables = await userTables(client);
    if (tables.length > 0) {
      throw new BackupError(
        'target_not_empty',
        `the target database has ${tables.length} table(s) in schema public; restore only into an empty database`,
      );
    }
    const { rows } = await client.query<{ superuser: boolean; version: number }>(
      `SELECT rolsuper AS superuser, current_setting('server_version_num')::int AS version
         FROM pg_roles WHERE rolname = current_user`,
    );
    let allowed = rows[0]?.superuser === true;
    if (!allowed && (rows[0]?.version ?? 0) >= 150000) {
      // PostgreSQL 15+: a role granted SET on the parameter may set it without being superuser.
      const granted = await client.query<{ allowed: boolean }>(
        `SELECT has_parameter_privilege('session_replication_role', 'SET') AS allowed`,
      );
      allowed = granted.rows[0]?.allowed === true;
    }
    if (!allowed) {
      throw new BackupError(
        'restore_role_insufficient',
        'the restore role may not set session_replication_role: connect as a superuser, or GRANT SET ON PARAMETER session_replication_role TO <role> (PostgreSQL 15+)',
      );
    }
  } finally {
    await client.end();
  }
}

async function checkTargetTables(
  client: ClientBase,
  tables: readonly BackupTable[],
): Promise<void> {
  const present = new Set(await userTables(client));
  for (const table of tables) {
    const columns = present.has(table.name) ? await copyColumns(client, table.name) : null;
    if (columns === null || JSON.stringify(columns) !== JSON.stringify(table.columns)) {
      throw new BackupError(
        'target_schema_mismatch',
        `table ${table.name}: the schema created for the restore does not match the backup`,
      );
    }
  }
}
