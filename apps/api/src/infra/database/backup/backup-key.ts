import { randomBytes } from 'node:crypto';
import {
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname } from 'node:path';
import type { BackupKeySource } from '../../config/config';
import { BackupError } from './backup-errors';
import { BACKUP_KEY_BYTES } from './backup-format';

/**
 * Loads the backup key (32 bytes). Like the development master key, a missing default key file
 * is created (mode 0600) only where the configuration allows it (never in production); a key
 * file readable by group or others is refused. Messages never include key material.
 */
export function loadBackupKey(source: BackupKeySource | null): Uint8Array {
  if (source === null) {
    throw new BackupError(
      'backup_key_missing',
      'no backup key: set HARBOUR_BACKUP_KEY_FILE (or HARBOUR_BACKUP_KEY) — 32 random bytes, base64, never the master key',
    );
  }
  if (source.kind === 'env') return decode(source.base64, 'HARBOUR_BACKUP_KEY');
  if (!existsSync(source.path)) {
    if (!source.createIfMissing) {
      throw new BackupError('backup_key_missing', `backup key file ${source.path} does not exist`);
    }
    mkdirSync(dirname(source.path), { recursive: true, mode: 0o700 });
    const fd = openSync(source.path, 'wx', 0o600);
    try {
      writeFileSync(fd, `${randomBytes(BACKUP_KEY_BYTES).toString('base64')}\n`);
    } finally {
      closeSync(fd);
    }
  }
  const stat = statSync(source.path);
  if (!stat.isFile() || (stat.mode & 0o077) !== 0) {
    throw new BackupError(
      'backup_key_invalid',
      `${source.path} must be a file readable by its owner only (chmod 600)`,
    );
  }
  return decode(readFileSync(source.path, 'utf8').trim(), source.path);
}

function decode(base64: string, where: string): Uint8Array {
  const key = Buffer.from(base64, 'base64');
  if (key.length !== BACKUP_KEY_BYTES || !/^[A-Za-z0-9+/]{43}=$/.test(base64)) {
    throw new BackupError(
      'backup_key_invalid',
      `${where} must hold 32 bytes in base64 (44 characters)`,
    );
  }
  return new Uint8Array(key);
}
