import { closeSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import sodiumModule from 'libsodium-wrappers';
import { BackupError } from './backup-errors';

/**
 * The backup file format (docs/operations.md "Backup and restore"), version 1:
 *
 * ```
 * magic "HBKP" ‖ format version (u8 = 1) ‖ header length (u32 BE) ‖ header (JSON, clear)
 * ‖ secretstream header (24 bytes)
 * ‖ frames: ciphertext length (u32 BE) ‖ crypto_secretstream_xchacha20poly1305 message
 * ```
 *
 * The clear header names the kind, the creation time and the backup key's id; it is bound as
 * associated data to every message, so changing any byte of it fails the first message. The
 * stream's messages are chained (a reordered, dropped or repeated message fails) and the last
 * carries the FINAL tag: a file cut short anywhere fails as `truncated`, bytes after it as
 * `trailing_data`. The stream key and the key id are derived from the 32-byte backup key with
 * keyed BLAKE2b under distinct labels: the id identifies the key without revealing it, and the
 * backup key is never the master key (the file holds ciphertext of fields, never a key).
 */
export const BACKUP_MAGIC = Buffer.from('HBKP', 'ascii');
export const BACKUP_FORMAT_VERSION = 1;
export const BACKUP_KEY_BYTES = 32;
/** Plaintext per message (COPY output is gathered into messages of about this size). */
export const MESSAGE_BYTES = 1 << 20;
const MAX_FRAME = 64 << 20;
const MAX_HEADER = 64 << 10;

export type BackupKind = 'data' | 'keyring';

/** What anyone may read from a backup file without its key. */
export interface BackupClearHeader {
  readonly kind: BackupKind;
  readonly createdAt: string;
  readonly keyId: string;
}

type Sodium = typeof sodiumModule;
let ready: Promise<Sodium> | null = null;
function sodium(): Promise<Sodium> {
  ready ??= sodiumModule.ready.then(() => sodiumModule);
  return ready;
}

function derive(s: Sodium, key: Uint8Array, label: string, bytes: number): Uint8Array {
  if (key.length !== BACKUP_KEY_BYTES) {
    throw new BackupError('backup_key_invalid', `the backup key must be ${BACKUP_KEY_BYTES} bytes`);
  }
  return s.crypto_generichash(bytes, Buffer.from(label, 'utf8'), key);
}

/** The backup key's id: a keyed hash (it names the key; it cannot be turned back into it). */
export async function backupKeyId(key: Uint8Array): Promise<string> {
  return Buffer.from(derive(await sodium(), key, 'harbour/backup/key-id/v1', 16)).toString('hex');
}

function clearPrefix(header: BackupClearHeader): Buffer {
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const fixed = Buffer.alloc(BACKUP_MAGIC.length + 5);
  BACKUP_MAGIC.copy(fixed, 0);
  fixed.writeUInt8(BACKUP_FORMAT_VERSION, BACKUP_MAGIC.length);
  fixed.writeUInt32BE(json.length, BACKUP_MAGIC.length + 1);
  return Buffer.concat([fixed, json]);
}

/** Writes an encrypted backup stream to a file descriptor opened by the caller. */
export class BackupFileWriter {
  private finished = false;
  bytes = 0;

  private constructor(
    private readonly s: Sodium,
    private readonly fd: number,
    private readonly state: sodiumModule.StateAddress,
    private readonly ad: Buffer,
  ) {}

  static async create(
    path: string,
    key: Uint8Array,
    header: Omit<BackupClearHeader, 'keyId'>,
  ): Promise<BackupFileWriter> {
    const s = await sodium();
    const full: BackupClearHeader = { ...header, keyId: await backupKeyId(key) };
    const streamKey = derive(s, key, 'harbour/backup/stream/v1', 32);
    const { state, header: streamHeader } =
      s.crypto_secretstream_xchacha20poly1305_init_push(streamKey);
    s.memzero(streamKey);
    // 'wx': never overwrite; 0600: the file is for its owner only.
    const fd = openSync(path, 'wx', 0o600);
    const writer = new BackupFileWriter(s, fd, state, clearPrefix(full));
    writer.raw(writer.ad);
    writer.raw(Buffer.from(streamHeader));
    return writer;
  }

  /** Encrypts one message; `final` ends the stream (nothing may follow it). */
  push(message: Uint8Array, final = false): void {
    if (this.finished) throw new Error('backup stream already finished');
    const tag = final
      ? this.s.crypto_secretstream_xchacha20poly1305_TAG_FINAL
      : this.s.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE;
    const sealed = this.s.crypto_secretstream_xchacha20poly1305_push(
      this.state,
      message,
      this.ad,
      tag,
    );
    const length = Buffer.alloc(4);
    length.writeUInt32BE(sealed.length, 0);
    this.raw(length);
    this.raw(sealed);
    if (final) this.finished = true;
  }

  /** Flushes the file to disk and closes it. */
  close(): void {
    if (!this.finished) throw new Error('backup stream not finished');
    fsyncSync(this.fd);
    closeSync(this.fd);
  }

  /** Closes without flushing (after a failure; the caller deletes the file). */
  abandon(): void {
    closeSync(this.fd);
  }

  private raw(bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset);
    this.bytes += bytes.length;
  }
}

/** Reads and authenticates a backup file message by message. */
export class BackupFileReader {
  private done = false;
  private position: number;

  private constructor(
    private readonly s: Sodium,
    private readonly fd: number,
    readonly header: BackupClearHeader,
    private readonly state: sodiumModule.StateAddress,
    private readonly ad: Buffer,
    start: number,
  ) {
    this.position = start;
  }

  /** Reads only the clear header (no key needed): what the file says it is. */
  static peek(path: string): BackupClearHeader {
    const fd = openSync(path, 'r');
    try {
      return readClearHeader(fd).header;
    } finally {
      closeSync(fd);
    }
  }

  static async open(path: string, key: Uint8Array): Promise<BackupFileReader> {
    const s = await sodium();
    const fd = openSync(path, 'r');
    try {
      const { header, prefix } = readClearHeader(fd);
      if (header.keyId !== (await backupKeyId(key))) {
        throw new BackupError(
          'wrong_backup_key',
          `this backup was written with another backup key (key id ${header.keyId})`,
        );
      }
      const streamHeader = readExactly(fd, prefix.length, 24);
      const streamKey = derive(s, key, 'harbour/backup/stream/v1', 32);
      let state: sodiumModule.StateAddress;
      try {
        state = s.crypto_secretstream_xchacha20poly1305_init_pull(streamHeader, streamKey);
      } catch {
        throw new BackupError('tampered', 'the backup stream header is invalid');
      } finally {
        s.memzero(streamKey);
      }
      return new BackupFileReader(s, fd, header, state, prefix, prefix.length + 24);
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** The next message, or null after the FINAL one (checking nothing follows it). */
  next(): Uint8Array | null {
    if (this.done) return null;
    const length = readExactly(this.fd, this.position, 4);
    const size = length.readUInt32BE(0);
    if (size > MAX_FRAME || size < this.s.crypto_secretstream_xchacha20poly1305_ABYTES) {
      throw new BackupError('tampered', 'a frame of the backup has an impossible length');
    }
    const sealed = readExactly(this.fd, this.position + 4, size);
    this.position += 4 + size;
    let opened: { message: Uint8Array; tag: number } | false;
    try {
      opened = this.s.crypto_secretstream_xchacha20poly1305_pull(this.state, sealed, this.ad);
    } catch {
      opened = false;
    }
    if (opened === false || opened === null || opened === undefined) {
      throw new BackupError(
        'tampered',
        'the backup failed authentication (altered, corrupted or from another stream)',
      );
    }
    if (opened.tag === this.s.crypto_secretstream_xchacha20poly1305_TAG_FINAL) {
      this.done = true;
      const after = Buffer.alloc(1);
      if (readSync(this.fd, after, 0, 1, this.position) !== 0) {
        throw new BackupError('trailing_data', 'the backup has bytes after its end');
      }
    }
    return opened.message;
  }

  get finished(): boolean {
    return this.done;
  }

  close(): void {
    closeSync(this.fd);
  }
}

function readClearHeader(fd: number): { header: BackupClearHeader; prefix: Buffer } {
  const fixedLength = BACKUP_MAGIC.length + 5;
  const fixed = Buffer.alloc(fixedLength);
  if (
    readSync(fd, fixed, 0, fixedLength, 0) !== fixedLength ||
    !fixed.subarray(0, BACKUP_MAGIC.length).equals(BACKUP_MAGIC)
  ) {
    throw new BackupError('not_a_backup', 'not a Harbour backup file');
  }
  const version = fixed.readUInt8(BACKUP_MAGIC.length);
  if (version !== BACKUP_FORMAT_VERSION) {
    throw new BackupError(
      'unsupported_format',
      `backup format version ${version}; this version of Harbour reads ${BACKUP_FORMAT_VERSION}`,
    );
  }
  const length = fixed.readUInt32BE(BACKUP_MAGIC.length + 1);
  if (length > MAX_HEADER) throw new BackupError('tampered', 'the backup header is too long');
  const json = readExactly(fd, fixedLength, length);
  let header: BackupClearHeader;
  try {
    header = JSON.parse(json.toString('utf8')) as BackupClearHeader;
  } catch {
    throw new BackupError('tampered', 'the backup header is not readable');
  }
  if (
    (header.kind !== 'data' && header.kind !== 'keyring') ||
    typeof header.createdAt !== 'string' ||
    typeof header.keyId !== 'string'
  ) {
    throw new BackupError('tampered', 'the backup header is not readable');
  }
  return { header, prefix: Buffer.concat([fixed, json]) };
}

function readExactly(fd: number, position: number, length: number): Buffer {
  const buffer = Buffer.alloc(length);
  let read = 0;
  while (read < length) {
    const n = readSync(fd, buffer, read, length - read, position + read);
    if (n === 0) throw new BackupError('truncated', 'the backup file ends before its last part');
    read += n;
  }
  return buffer;
}
