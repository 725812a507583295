import { mkdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadMasterKey, MasterKeyError } from '@harbour/crypto';
import { keyringUrlFor } from '@harbour/migrations';
import type { Logger } from 'pino';
import type { HarbourConfig } from '../infra/config/config';
import { BackupError } from '../infra/database/backup/backup-errors';
import { loadBackupKey } from '../infra/database/backup/backup-key';
import { recordBackupRun, type BackupRun } from '../infra/database/backup/backup-runs';
import { appliedMigrations, MIGRATIONS_TABLE } from '../infra/database/backup/data-schema';
import {
  backupStamp,
  keyringOwnerUrl,
  newestBackupIn,
  pruneKeyringBackups,
  writeKeyringBackup,
} from '../infra/database/backup/keyring-backups';
import { writeBackup } from '../infra/database/backup/write-backup';
import { keyringHoldsKeys } from '../data/keys/keyring-reconcile';
import { checkRestored, restorePair } from './restore-pair';
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
    options: {
      out: { type: 'string' },
      verify: { type: 'boolean' },
      from: { type: 'string' },
      'keyring-from': { type: 'string' },
    },
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
    return verifyCommand(
      values.from,
      values['keyring-from'],
      config,
      database,
      database.ownerUrl,
      logger,
    );
  }
  if (values.from !== undefined) {
    process.stderr.write('--from is for backup --verify (and restore)\n');
    return USAGE;
  }
  const startedAt = new Date();
  const out = values.out ?? defaultBackupPath(config, startedAt);
  let run: Omit<BackupRun, 'finishedAt'> | undefined;
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
    process.stdout.write(
      `Backup written: ${written.file} — ${written.manifest.tables.length} tables, ${rows} rows, ${written.bytes} bytes, ${((Date.now() - startedAt.getTime()) / 1000).toFixed(1)} s\n`,
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
    await recordBackupRun(database.ownerUrl, { ...run, finishedAt: new Date() });
    // The keyring after the data (never before): every key the data backup refers to is in it,
    // unless destroyed in between — and then restoring the pair finishes that erasure.
    const keyringAt = new Date();
    const keyringOut = join(
      config.backup.keyringDir,
      `harbour-keyring-${backupStamp(keyringAt)}.hbk`,
    );
    run = {
      kind: 'backup',
      startedAt: keyringAt,
      ok: false,
      file: keyringOut,
      tables: 0,
      rows: 0,
      bytes: 0,
      errorCode: null,
      detail: {},
    };
    mkdirSync(config.backup.keyringDir, { recursive: true, mode: 0o700 });
    const keyring = await writeKeyringBackup({
      sourceUrl: keyringOwnerUrl(config, database.ownerUrl),
      out: keyringOut,
      backupKey: key,
      now: keyringAt,
    });
    const keyRows = keyring.manifest.tables.reduce((sum, t) => sum + t.rows, 0);
    const pruned = pruneKeyringBackups(
      config.backup.keyringDir,
      new Date(),
      config.keys.backupWindowDays,
    );
    process.stdout.write(
      `Keyring backup written: ${keyring.file} — ${keyRows} keys, ${keyring.bytes} bytes; ${pruned.length} keyring backup(s) older than ${config.keys.backupWindowDays} days deleted\n`,
    );
    run = {
      kind: 'backup',
      startedAt: keyringAt,
      ok: true,
      file: keyring.file,
      tables: keyring.manifest.tables.length,
      rows: keyRows,
      bytes: keyring.bytes,
      errorCode: null,
      detail: { kind: 'keyring', keys: keyRows, pruned: pruned.length },
    };
  } catch (error) {
    code = reportFailure('backup', error);
    run = failedRun('backup', run?.startedAt ?? startedAt, run?.file ?? out, error);
  }
  await recordBackupRun(database.ownerUrl, { ...run, finishedAt: new Date() });
  return code;
}

/**
 * `harbour restore --from <data backup> (--into <url> | --into-new <name>) [--keyring-from <file>]`:
 * into an EMPTY database, with its keyring: the keyring database beside the target when it
 * already holds one, else `--keyring-from` or the newest keyring backup. Then the pair is
 * reconciled (erasures since the backup finished) and every access log verified.
 */
export async function restoreCommand(
  args: readonly string[],
  config: HarbourConfig,
  database: DatabaseEndpoint,
  logger: Logger,
): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      from: { type: 'string' },
      into: { type: 'string' },
      'into-new': { type: 'string' },
      'keyring-from': { type: 'string' },
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
    const target = scratch ?? { adminUrl: into!, ownerUrl: into!, appUrl: into! };
    const keyringTarget = scratch?.keyring ?? {
      adminUrl: keyringUrlFor(into!),
      ownerUrl: keyringUrlFor(into!),
      appUrl: keyringUrlFor(into!),
    };
    const keyringFrom = values['keyring-from'];
    const source =
      keyringFrom !== undefined
        ? { file: keyringFrom }
        : scratch === null && (await keyringHoldsKeys(keyringTarget.ownerUrl).catch(() => false))
          ? ('present' as const)
          : { file: newestBackupIn(config.backup.keyringDir, 'keyring') };
    const restored = await restorePair({
      dataFile: values.from,
      keyring: source,
      backupKey: key,
      target,
      keyringTarget,
      now: new Date(),
      onTable: (table, i, total) => process.stderr.write(`  [${i + 1}/${total}] ${table}\n`),
    });
    const checks = await checkRestored({
      config,
      logger,
      appUrl: target.appUrl,
      keyringAppUrl: keyringTarget.appUrl,
      ownerUrl: target.ownerUrl,
      fields: false,
    });
    const ok =
      checks.audit.failed === 0 && restored.reconciled.organisationsWithoutCurrentKeys === 0;
    await recordBackupRun(target.ownerUrl, {
      kind: 'restore',
      startedAt,
      finishedAt: new Date(),
      ok,
      file: values.from,
      tables: restored.data.tables,
      rows: restored.data.rows,
      bytes: 0,
      errorCode: ok ? null : checks.audit.failed > 0 ? 'audit_failed' : 'current_keys_missing',
      detail: {
        createdAt: restored.data.manifest.createdAt,
        keyring: source === 'present' ? 'present' : restored.keyring?.manifest.createdAt,
        ...restored.reconciled,
        audit: checks.audit,
      },
    });
    const seconds = (Date.now() - startedAt.getTime()) / 1000;
    process.stdout.write(
      [
        `Restored ${restored.data.tables} tables, ${restored.data.rows} rows (backup of ${restored.data.manifest.createdAt}) into ${scratch?.name ?? 'the target database'} in ${seconds.toFixed(1)} s`,
        source === 'present'
          ? 'Keyring: the keyring database beside the target (kept)'
          : `Keyring: ${basename(source.file)} (${restored.keyring?.rows ?? 0} keys)`,
        `Reconciled with the keyring: ${restored.reconciled.keysMarkedDestroyed} key(s) it no longer holds marked destroyed; ${restored.reconciled.erasuresCompleted} erasure(s) since the backup completed again`,
        `Access log: ${checks.audit.verified} organisation(s) verified (${checks.audit.events} events), ${checks.audit.failed} failed`,
        ...(restored.reconciled.organisationsWithoutCurrentKeys > 0
          ? [
              `FAILED: ${restored.reconciled.organisationsWithoutCurrentKeys} organisation(s) have a current data key or KEK the keyring no longer holds (the data backup is older than a rotation and its backup window); restore a newer data backup`,
            ]
          : []),
        ...checks.failedOrganisations.map(
          (f) => `  ${f.organisationId}: FAILED at index ${String(f.firstBadIndex)}`,
        ),
      ].join('\n') + '\n',
    );
    return ok ? 0 : FAILED;
  } catch (error) {
    return reportFailure('restore', error);
  }
}

async function verifyCommand(
  from: string | undefined,
  keyringFrom: string | undefined,
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
    file ??= newestBackupIn(config.backup.dir, 'data');
    const keyringFile = keyringFrom ?? newestBackupIn(config.backup.keyringDir, 'keyring');
    const result = await rehearse(
      { data: file, keyring: keyringFile },
      loadBackupKey(config.backup.key),
      config,
      database,
      logger,
    );
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
  return join(config.backup.dir, `harbour-data-${backupStamp(now)}.hbk`);
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
