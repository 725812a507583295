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
import { Sensitive } from './sensitive';

/** Where the local key provider's master key comes from. */
export type MasterKeySource =
  | { readonly kind: 'file'; readonly path: string; readonly createIfMissing: boolean }
  | { readonly kind: 'env'; readonly base64: string };

export type MasterKeyEnvironment = 'development' | 'test' | 'production';

export const MASTER_KEY_BYTES = 32;

export class MasterKeyError extends Error {
  override readonly name = 'MasterKeyError';
}

export interface LoadedMasterKey {
  readonly key: Sensitive<Buffer>;
  /** True when this call created a development key file. */
  readonly created: boolean;
}

/**
 * Loads the 32-byte master key of the local key provider (docs/design.md §5). A key file must be
 * readable by its owner only. Outside production, a missing default key file is created with
 * mode 0600; in production that is refused: the organisation provides its key.
 */
export function loadMasterKey(source: MasterKeySource, env: MasterKeyEnvironment): LoadedMasterKey {
  if (source.kind === 'env') {
    return { key: new Sensitive(decode(source.base64, 'HARBOUR_MASTER_KEY')), created: false };
  }
  let created = false;
  if (!existsSync(source.path)) {
    if (!source.createIfMissing || env === 'production') {
      throw new MasterKeyError(
        env === 'production'
          ? 'no master key file: production never creates one; provide HARBOUR_MASTER_KEY_FILE'
          : `master key file ${source.path} does not exist`,
      );
    }
    createKeyFile(source.path);
    created = true;
  }
  const stat = statSync(source.path);
  if (!stat.isFile()) throw new MasterKeyError(`${source.path} is not a file`);
  if ((stat.mode & 0o077) !== 0) {
    throw new MasterKeyError(
      `${source.path} is readable by group or others (mode ${(stat.mode & 0o777).toString(8)}); run chmod 600`,
    );
  }
  if (typeof process.getuid === 'function' && stat.uid !== process.getuid()) {
    throw new MasterKeyError(`${source.path} must be owned by the user running Harbour`);
  }
  const key = decode(readFileSync(source.path, 'utf8').trim(), source.path);
  return { key: new Sensitive(key), created };
}

function createKeyFile(path: string): void {
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeFileSync(fd, `${randomBytes(MASTER_KEY_BYTES).toString('base64')}\n`);
  } finally {
    closeSync(fd);
  }
}

function decode(base64: string, origin: string): Buffer {
  const key = /^[A-Za-z0-9+/]+={0,2}$/.test(base64)
    ? Buffer.from(base64, 'base64')
    : Buffer.alloc(0);
  if (key.length !== MASTER_KEY_BYTES) {
    throw new MasterKeyError(`${origin} must hold ${MASTER_KEY_BYTES} bytes in base64`);
  }
  return key;
}
