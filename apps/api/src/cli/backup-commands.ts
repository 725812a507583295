import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadMasterKey, MasterKeyError } from '@harbour/crypto';
import { MIGRATIONS } from '@harbour/migrations';
import type { Logger } from 'pino';
import type { HarbourConfig } from '../infra/config/config';
import { BackupError } from '../infra/database/backup/backup-errors';
import { loadBackupKey } from '../infra/database/backup/backup-key';
import { recordBackupRun, type BackupRun } from '../infra/database/backup/backup-runs';
import {
  appliedMigrations,
  dataSchemaSteps,
  MIGRATIONS_TABLE,
} from '../infra/database/backup/data-schema';
import { restoreBackup } from '../infra/database/backup/restore-backup';
import { writeBackup } from '../infra/database/backup/write-backup';
import type { DatabaseEndpoint } from '../infra/database/database-endpoint';
import { rehearse } from './rehearsal';
import { createScratchDatabase } from '../infra/database/backup/scratch-database';

const USAGE = 64;
const FAILED = 2;

/** `harbour backup [--out <file>]` and `harbour backup --verify [--from <file>]`. */
export async function backupCommand(
  args: readonly string[],
  config: HarbourConfig,
  database: DatabaseEndpoint,
  logger: Logger,
): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: { out: { type: 'string' }, verify: { type: 'boolean' }, from: { type: 'string' } },
    strict: true,
  });
  if (database.ownerUrl === null) {
    process.stderr.write('backup needs DATABASE_MIGRATION_URL (the owner role reads every row)\n');
    return USAGE;
  }
  if (values.verify === true) {
    if (values.out !== undefined) {
      process.stderr.write('backup --verify takes --from <file>, not --out\n');
      return USAGE;
    }
    return verifyCommand(values.from, config, database, database.ownerUrl, logger);
  }
  if (values.from !== undefined) {
    process.stderr.write('--from is for backup --verify (and restore)\n');
    return USAGE;
  }
  const startedAt = new Date();
  const out = values.out ?? defaultBackupPath(config, startedAt);
  let run: Omit<BackupRun, 'finishedAt'>;
  let code = 0;
  try {
    const key = loadBackupKey(config.backup.key);
    mkdirSync(config.backup.dir, { recursive: true, mode: 0o700 });
    const written = await writeBackup({
      sourceUrl: database.ownerUrl,
      out,
      backupKey: key,
      kind: 'data',
      schemaVersion: appliedMigrations,
      skipTables: [MIGRATIONS_TABLE],
      now: startedAt,
      onTable: (table, i, total) =>
        process.stderr.write(
          `  [${i + 1}/${total}] ${table.name}: ${table.rows} rows, ${table.bytes} bytes\n`,
        ),
    });
    const rows = written.manifest.tables.reduce((sum, t) => sum + t.rows, 0);
    const seconds = (Date.now() - startedAt.getTime()) / 1000;
    process.stdout.write(
      `Backup written: ${written.file} — ${written.manifest.tables.length} tables, ${rows} rows, ${written.bytes} bytes, ${seconds.toFixed(1)} s\n`,
    );
    run = {
      kind: 'backup',
      startedAt,
      ok: true,
      file: written.file,
      tables: written.manifest.tables.length,
      rows,
      bytes: written.bytes,
      errorCode: null,
      detail: {
        rows: Object.fromEntries(written.manifest.tables.map((t) => [t.name, t.rows])),
        migrations: written.manifest.schemaVersion.length,
      },
    };
  } catch (error) {
    code = reportFailure('backup', error);
    run = failedRun('backup', startedAt, out, error);
  }
  await recordBackupRun(database.ownerUrl, { ...run, finishedAt: new Date() });
  return code;
}

/** `harbour restore --from <file> (--into <url> | --into-new <name>)`: into an EMPTY database. */
export async function restoreCommand(
  args: readonly string[],
  config: HarbourConfig,
  database: DatabaseEndpoint,
): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      from: { type: 'string' },
      into: { type: 'string' },
      'into-new': { type: 'string' },
    },
    strict: true,
  });
  const into = values.into;
  const intoNew = values['into-new'];
  if (values.from === undefined || (into === undefined) === (intoNew === undefined)) {
    process.stderr.write(
      'restore needs --from <backup file> and either --into <url of an empty database> or --into-new <database name>\n',
    );
    return USAGE;
  }
  const startedAt = new Date();
  try {
    // Refused before anything is written: without the master key (or with a new one made up
    // on the spot) the restored data could never be opened.
    checkMasterKey(config);
    const key = loadBackupKey(config.backup.key);
    const scratch =
      intoNew === undefined ? null : await createScratchDatabase(config, database, intoNew);
    const target = scratch?.adminUrl ?? into!;
    const steps = dataSchemaSteps(scratch?.ownerUrl ?? into!, MIGRATIONS);
    const restored = await restoreBackup({
      file: values.from,
      backupKey: key,
      kind: 'data',
      targetUrl: target,
      ...steps,
      onTable: (table, i, total) => process.stderr.write(`  [${i + 1}/${total}] ${table}\n`),
    });
    const seconds = (Date.now() - startedAt.getTime()) / 1000;
    await recordBackupRun(scratch?.ownerUrl ?? into!, {
      kind: 'restore',
      startedAt,
      finishedAt: new Date(),
      ok: true,
      file: values.from,
      tables: restored.tables,
      rows: restored.rows,
      bytes: 0,
      errorCode: null,
      detail: { createdAt: restored.manifest.createdAt },
    });
    process.stdout.write(
      `Restored ${restored.tables} tables, ${restored.rows} rows (backup of ${restored.manifest.createdAt}) into ${scratch?.name ?? 'the target database'} in ${seconds.toFixed(1)} s\n`,
    );
    return 0;
  } catch (error) {
    return reportFailure('restore', error);
  }
}

async function verifyCommand(
  from: string | undefined,
  config: HarbourConfig,
  database: DatabaseEndpoint,
  ownerUrl: string,
  logger: Logger,
): Promise<number> {
  const startedAt = new Date();
  let file: string | null = from ?? null;
  let run: Omit<BackupRun, 'finishedAt'>;
  let code: number;
  try {
    checkMasterKey(config);
    file ??= newestBackup(config.backup.dir);
    const result = await rehearse(file, loadBackupKey(config.backup.key), config, database, logger);
    code = result.ok ? 0 : FAILED;
    run = {
      kind: 'verify',
      startedAt,
      file,
      errorCode: result.ok ? null : 'verify_failed',
      ...result,
    };
    process.stdout.write(`${result.lines.join('\n')}\n`);
  } catch (error) {
    code = reportFailure('backup --verify', error);
    run = failedRun('verify', startedAt, file, error);
  }
  const { lines: _lines, ...recorded } = run as BackupRun & { lines?: string[] };
  await recordBackupRun(ownerUrl, { ...recorded, finishedAt: new Date() });
  return code;
}

function checkMasterKey(config: HarbourConfig): void {
  try {
    const source =
      config.masterKey.kind === 'file'
        ? { ...config.masterKey, createIfMissing: false }
        : config.masterKey;
    loadMasterKey(source, config.env).key.reveal().fill(0);
  } catch (error) {
    if (!(error instanceof MasterKeyError)) throw error;
    throw new BackupError(
      'master_key_missing',
      `no master key: ${error.message}; a restored database is readable only with the master key (or key provider) its keyring was wrapped under`,
    );
  }
}

function defaultBackupPath(config: HarbourConfig, now: Date): string {
  const stamp = now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return join(config.backup.dir, `harbour-data-${stamp}.hbk`);
}

/** The newest `harbour-data-*.hbk` of the backup folder (names sort by time). */
function newestBackup(dir: string): string {
  let names: string[] = [];
  try {
    names = readdirSync(dir).filter((n) => /^harbour-data-\d{8}T\d{6}Z\.hbk$/.test(n));
  } catch {
    names = [];
  }
  const newest = names.sort().at(-1);
  if (newest === undefined) {
    throw new BackupError('no_backup_found', `no backup in ${dir}; pass --from <file>`);
  }
  return join(dir, newest);
}

function failedRun(
  kind: BackupRun['kind'],
  startedAt: Date,
  file: string | null,
  error: unknown,
): Omit<BackupRun, 'finishedAt'> {
  return {
    kind,
    startedAt,
    ok: false,
    file,
    tables: 0,
    rows: 0,
    bytes: 0,
    errorCode: error instanceof BackupError ? error.code : 'internal_error',
    detail: {},
  };
}

/** One line for the operator: the stable code and a message without values from the data. */
function reportFailure(command: string, error: unknown): number {
  if (error instanceof BackupError) {
    process.stderr.write(`${command} refused (${error.code}): ${error.message}\n`);
    return FAILED;
  }
  // Not an operator mistake: name the fault (a driver message may quote a value, so none).
  const pgCode = (error as { code?: unknown }).code;
  process.stderr.write(
    `${command} failed (internal_error: ${error instanceof Error ? error.name : 'unknown'}${typeof pgCode === 'string' ? ` ${pgCode}` : ''})\n`,
  );
  return 1;
}
