import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { closeSync, fstatSync, fsyncSync, openSync, readSync, writeSync } from 'node:fs';
import sodiumModule from 'libsodium-wrappers';
import { BackupError } from './backup-errors';

/**
 * The backup file format (docs/operations.md "Backup and restore"), version 1:
 *
 * ```
 * magic "HBKP" ‖ format version (u8 = 1) ‖ header length (u32 BE) ‖ header (JSON, clear)
 * ‖ salt (16 random bytes)
 * ‖ frames: ciphertext length (u32 BE) ‖ ChaCha20-Poly1305 ciphertext ‖ tag (16 bytes)
 * ```
 *
 * The frames are the STREAM construction (Hoang, Reyhanitabar, Rogaway, Vizár 2015), as the
 * `age` file format uses it: a per-file stream key, HKDF-SHA-256 of the backup key with the
 * file's random salt; frame i is sealed with ChaCha20-Poly1305 (RFC 8439, Node's OpenSSL — three
 * times libsodium-wrappers' throughput here, so a backup keeps pace with COPY) under the nonce
 * `i` (u88 BE) ‖ `last` (1 byte: 1 for the final frame, else 0). A reordered, dropped or repeated
 * frame fails; a file cut at a frame boundary fails (its last frame was not sealed as final:
 * `truncated`), bytes after the final frame fail as `trailing_data`. The clear header names the
 * kind, the creation time and the backup key's id, and is the associated data of every frame,
 * so changing any byte of it fails. The key id is keyed BLAKE2b of the backup key under its own
 * label: it identifies the key without revealing it; the backup key is never the master key
 * (the file holds ciphertext of fields, never a key).
 */
export const BACKUP_MAGIC = Buffer.from('HBKP', 'ascii');
export const BACKUP_FORMAT_VERSION = 1;
export const BACKUP_KEY_BYTES = 32;
/** Plaintext per message (COPY output is gathered into messages of about this size). */
export const MESSAGE_BYTES = 1 << 20;
const MAX_FRAME = 64 << 20;
const SALT_BYTES = 16;
const TAG_BYTES = 16;
/** 2^88 frames would be needed to wrap the counter; a backup stops long before 2^48. */
const MAX_FRAMES = 2 ** 48;

function streamKey(key: Uint8Array, salt: Uint8Array): Buffer {
  if (key.length !== BACKUP_KEY_BYTES) {
    throw new BackupError('backup_key_invalid', `the backup key must be ${BACKUP_KEY_BYTES} bytes`);
  }
  return Buffer.from(hkdfSync('sha256', key, salt, 'harbour/backup/stream/v1', 32));
}

function nonce(counter: number, last: boolean): Buffer {
  const n = Buffer.alloc(12);
  n.writeUIntBE(counter, 5, 6); // u88 BE: the high 40 bits stay zero below 2^48 frames
  n.writeUInt8(last ? 1 : 0, 11);
  return n;
}

function seal(key: Buffer, counter: number, last: boolean, ad: Buffer, message: Uint8Array) {
  const cipher = createCipheriv('chacha20-poly1305', key, nonce(counter, last), {
    authTagLength: TAG_BYTES,
  });
  cipher.setAAD(ad, { plaintextLength: message.length });
  return Buffer.concat([cipher.update(message), cipher.final(), cipher.getAuthTag()]);
}

function open(key: Buffer, counter: number, last: boolean, ad: Buffer, sealed: Buffer) {
  const body = sealed.subarray(0, sealed.length - TAG_BYTES);
  const decipher = createDecipheriv('chacha20-poly1305', key, nonce(counter, last), {
    authTagLength: TAG_BYTES,
  });
  decipher.setAAD(ad, { plaintextLength: body.length });
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
  try {
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    return null;
  }
}
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
  private counter = 0;
  bytes = 0;

  private constructor(
    private readonly fd: number,
    private readonly key: Buffer,
    private readonly ad: Buffer,
  ) {}

  static async create(
    path: string,
    key: Uint8Array,
    header: Omit<BackupClearHeader, 'keyId'>,
  ): Promise<BackupFileWriter> {
    const full: BackupClearHeader = { ...header, keyId: await backupKeyId(key) };
    const salt = randomBytes(SALT_BYTES);
    const stream = streamKey(key, salt);
    // 'wx': never overwrite; 0600: the file is for its owner only.
    const fd = openSync(path, 'wx', 0o600);
    const writer = new BackupFileWriter(fd, stream, clearPrefix(full));
    writer.raw(writer.ad);
    writer.raw(salt);
    return writer;
  }

  /** Encrypts one message; `final` ends the stream (nothing may follow it). */
  push(message: Uint8Array, final = false): void {
    if (this.finished) throw new Error('backup stream already finished');
    if (this.counter >= MAX_FRAMES) throw new Error('backup stream too long');
    const sealed = seal(this.key, this.counter++, final, this.ad, message);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(sealed.length, 0);
    this.raw(length);
    this.raw(sealed);
    if (final) {
      this.finished = true;
      this.key.fill(0);
    }
  }

  /** Flushes the file to disk and closes it. */
  close(): void {
    if (!this.finished) throw new Error('backup stream not finished');
    fsyncSync(this.fd);
    closeSync(this.fd);
  }

  /** Closes without flushing (after a failure; the caller deletes the file). */
  abandon(): void {
    this.key.fill(0);
    closeSync(this.fd);
  }

  private raw(bytes: Uint8Array): void {
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(this.fd, bytes, offset);
    this.bytes += bytes.length;
  }
}

/** Reads and authenticates a backup file frame by frame. */
export class BackupFileReader {
  private done = false;
  private counter = 0;
  private position: number;
  private readonly size: number;

  private constructor(
    private readonly fd: number,
    readonly header: BackupClearHeader,
    private readonly key: Buffer,
    private readonly ad: Buffer,
    start: number,
  ) {
    this.position = start;
    this.size = fstatSync(fd).size;
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
    const fd = openSync(path, 'r');
    try {
      const { header, prefix } = readClearHeader(fd);
      if (header.keyId !== (await backupKeyId(key))) {
        throw new BackupError(
          'wrong_backup_key',
          `this backup was written with another backup key (key id ${header.keyId})`,
        );
      }
      const salt = readExactly(fd, prefix.length, SALT_BYTES);
      return new BackupFileReader(
        fd,
        header,
        streamKey(key, salt),
        prefix,
        prefix.length + SALT_BYTES,
      );
    } catch (error) {
      closeSync(fd);
      throw error;
    }
  }

  /** The next message, or null after the final one (checking nothing follows it). */
  next(): Uint8Array | null {
    if (this.done) return null;
    const length = readExactly(this.fd, this.position, 4);
    const size = length.readUInt32BE(0);
    if (size > MAX_FRAME || size < TAG_BYTES) {
      throw new BackupError('tampered', 'a frame of the backup has an impossible length');
    }
    const sealed = readExactly(this.fd, this.position + 4, size);
    this.position += 4 + size;
    // The frame the file ends with must have been sealed as the last one, and no other.
    const atEnd = this.position >= this.size;
    const counter = this.counter++;
    const message = open(this.key, counter, atEnd, this.ad, sealed);
    if (message === null) {
      if (open(this.key, counter, !atEnd, this.ad, sealed) !== null) {
        throw atEnd
          ? new BackupError('truncated', 'the backup file ends before its last part')
          : new BackupError('trailing_data', 'the backup has bytes after its end');
      }
      throw new BackupError(
        'tampered',
        'the backup failed authentication (altered, corrupted or from another stream)',
      );
    }
    if (atEnd) {
      this.done = true;
      this.key.fill(0);
    }
    return message;
  }

  get finished(): boolean {
    return this.done;
  }

  close(): void {
    this.key.fill(0);
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
