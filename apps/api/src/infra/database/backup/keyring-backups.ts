import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientBase } from 'pg';
import { ensureKeyringSchema, KEYRING_SCHEMA_VERSION, keyringUrlFor } from '@harbour/migrations';
import type { HarbourConfig } from '../../config/config';
import type { BackupManifest } from './backup-content';
import { BackupError } from './backup-errors';
import { writeBackup, type WrittenBackup } from './write-backup';

/**
 * Backups of the keyring database (docs/operations.md "Backups"): written right after each
 * data backup — never before it, so every key the data backup refers to, unless destroyed in
 * between, is in the keyring backup — into a folder of their own, and deleted once older than
 * the backup window. So once the keyring backups from before an erasure have gone, no copy
 * anywhere holds the erased person's key.
 */

export const KEYRING_SCHEMA_TABLE = 'keyring_schema';

const STAMP = /^harbour-(data|keyring)-(\d{8}T\d{6}Z)\.hbk$/;

/** `20261205T170000Z`: the timestamp in a backup's file name (UTC, sorts by time). */
export function backupStamp(now: Date): string {
  return now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

function stampTime(stamp: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(stamp)!;
  return Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
}

/** Backups of `kind` in `dir`, oldest first, with the time in their names. */
export function backupsIn(dir: string, kind: 'data' | 'keyring'): { file: string; at: number }[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((name) => ({ name, m: STAMP.exec(name) }))
    .filter((x) => x.m !== null && x.m[1] === kind)
    .map((x) => ({ file: join(dir, x.name), at: stampTime(x.m![2]!) }))
    .sort((a, b) => a.at - b.at);
}

/** The newest backup of `kind` in `dir`. */
export function newestBackupIn(dir: string, kind: 'data' | 'keyring'): string {
  const newest = backupsIn(dir, kind).at(-1);
  if (newest === undefined) {
    throw new BackupError('no_backup_found', `no ${kind} backup in ${dir}; pass the file`);
  }
  return newest.file;
}

/**
 * Deletes the keyring backups older than the backup window; the names of those deleted. The
 * newest is always kept (the keyring must be restorable even when backups stopped a while).
 */
export function pruneKeyringBackups(dir: string, now: Date, windowDays: number): string[] {
  const all = backupsIn(dir, 'keyring');
  const cutoff = now.getTime() - windowDays * 86_400_000;
  const expired = all.slice(0, -1).filter((b) => b.at < cutoff);
  for (const b of expired) rmSync(b.file, { force: true });
  return expired.map((b) => b.file);
}

/** The keyring database as its owner: configured, or beside the data database. */
export function keyringOwnerUrl(config: HarbourConfig, dataOwnerUrl: string): string {
  return keyringUrlFor(
    dataOwnerUrl,
    config.database.mode === 'external'
      ? (config.database.keyringMigrationUrl ?? undefined)
      : undefined,
  );
}

async function keyringVersions(client: ClientBase): Promise<string[]> {
  const { rows } = await client.query<{ version: number }>(
    `SELECT version FROM ${KEYRING_SCHEMA_TABLE} ORDER BY version`,
  );
  return rows.map((r) => String(r.version));
}

/** A backup of the keyring database (kind `keyring`): key material, wrapped; nothing else. */
export function writeKeyringBackup(options: {
  readonly sourceUrl: string;
  readonly out: string;
  readonly backupKey: Uint8Array;
  readonly now: Date;
}): Promise<WrittenBackup> {
  return writeBackup({
    ...options,
    kind: 'keyring',
    schemaVersion: keyringVersions,
    skipTables: [KEYRING_SCHEMA_TABLE],
  });
}

/** `prepareSchema` of a keyring restore: the keyring's schema, refusing a newer one. */
export function keyringSchemaSteps(ownerUrl: string) {
  return {
    prepareSchema: async (_url: string, manifest: BackupManifest): Promise<void> => {
      const newest = Math.max(0, ...manifest.schemaVersion.map(Number));
      if (newest > KEYRING_SCHEMA_VERSION) {
        throw new BackupError(
          'unknown_migration',
          `the keyring backup was written by a newer Harbour (keyring schema ${newest}); restore it with that version or later`,
        );
      }
      await ensureKeyringSchema(ownerUrl);
    },
  };
}
