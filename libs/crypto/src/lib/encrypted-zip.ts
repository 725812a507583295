import { createCipheriv, createHmac, pbkdf2Sync, randomBytes } from 'node:crypto';
import { deflateRawSync } from 'node:zlib';

/**
 * A ZIP archive whose entries are encrypted with WinZip's AES scheme (AE-2, AES-256): the
 * format 7-Zip, WinZip, Keka, The Unarchiver and `7z x -p` open with a passphrase, so a police
 * station or a court can read a disclosure without special software. Per entry:
 *
 * - a fresh 16-byte salt; PBKDF2-HMAC-SHA1 with 1,000 iterations (fixed by the format) derives
 *   66 bytes: the AES-256 key, the HMAC-SHA1 key and a 2-byte password verifier;
 * - the (deflated or stored) data is encrypted with AES-256 in counter mode, the 16-byte counter
 *   little-endian and starting at 1 (the format's own convention, not the big-endian one of
 *   `aes-256-ctr`), so it is built here from AES-256-ECB over the counter blocks;
 * - HMAC-SHA1 over the ciphertext, truncated to 10 bytes, authenticates it;
 * - AE-2: the CRC field is 0 (the MAC replaces it, and a CRC of the plaintext would leak);
 *   compression method 99 with the 0x9901 extra field names the real method.
 *
 * The names and sizes of the entries are not encrypted (as in every ZIP): callers choose names
 * that say nothing about the people in them. No ZIP64: an archive stays under 4 GiB.
 */

export interface ZipEntry {
  /** The path inside the archive: UTF-8, `/`-separated, relative, no `..` segments. */
  readonly name: string;
  readonly content: Uint8Array;
}

/** Iterations of PBKDF2-HMAC-SHA1: fixed at 1,000 by the WinZip AES specification. */
export const ZIP_AES_PBKDF2_ITERATIONS = 1000;
/** AES-256 (strength 3): 16-byte salt, 32-byte keys. */
export const ZIP_AES_SALT_BYTES = 16;
const KEY_BYTES = 32;
const VERIFIER_BYTES = 2;
const MAC_BYTES = 10;
const BLOCK = 16;

const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
const METHOD_AES = 99;
/** ZIP 5.1: the version that introduced AES encryption. */
const VERSION_NEEDED = 51;
/** Bit 0: encrypted; bit 11: the name is UTF-8. */
const FLAGS = 0x0001 | 0x0800;
const AES_EXTRA_ID = 0x9901;
const AES_VENDOR_VERSION_AE2 = 2;
const AES_STRENGTH_256 = 3;

const MAX_U16 = 0xffff;
const MAX_U32 = 0xffffffff;

/** Passphrase characters: printable ASCII, so every unzip tool turns it into the same bytes. */
const PASSPHRASE = /^[\x20-\x7e]{8,256}$/;

/** Crockford's base32 digits: no I, L, O or U, so nothing reads as something else. */
const PASSPHRASE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const PASSPHRASE_GROUPS = 6;
const PASSPHRASE_GROUP_LENGTH = 4;
/** 24 characters of 5 random bits each. */
export const DISCLOSURE_PASSPHRASE_BITS = PASSPHRASE_GROUPS * PASSPHRASE_GROUP_LENGTH * 5;

/**
 * A passphrase for one disclosure file, like `7Q2M-9XZT-4RKD-…`: 24 base32 characters (120 bits)
 * from the operating system's CSPRNG, in six groups of four joined by hyphens, which are part of
 * the passphrase. Readable aloud and over the phone; shown once and never stored.
 */
export function disclosurePassphrase(): string {
  const count = PASSPHRASE_GROUPS * PASSPHRASE_GROUP_LENGTH;
  const random = randomBytes(count);
  let out = '';
  for (let i = 0; i < count; i++) {
    if (i > 0 && i % PASSPHRASE_GROUP_LENGTH === 0) out += '-';
    // 256 is a multiple of 32, so the low five bits of a random byte are uniform.
    out += PASSPHRASE_ALPHABET[random[i]! & 0x1f];
  }
  random.fill(0);
  return out;
}

/** The archive, every entry encrypted under `passphrase` (printable ASCII, 8–256 characters). */
export function encryptedZip(entries: readonly ZipEntry[], passphrase: string): Uint8Array {
  if (!PASSPHRASE.test(passphrase)) {
    throw new RangeError('the passphrase is 8 to 256 printable ASCII characters');
  }
  if (entries.length > MAX_U16) throw new RangeError('too many entries for a ZIP archive');
  const password = Buffer.from(passphrase, 'ascii');
  const { day, time } = dosDateTime(new Date());
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  const seen = new Set<string>();
  let offset = 0;
  for (const entry of entries) {
    const name = entryName(entry.name, seen);
    const plain = Buffer.from(entry.content.buffer, entry.content.byteOffset, entry.content.length);
    const deflated = plain.length > 0 ? deflateRawSync(plain, { level: 9 }) : plain;
    const method = deflated.length < plain.length ? METHOD_DEFLATE : METHOD_STORED;
    const payload = encrypt(method === METHOD_DEFLATE ? deflated : plain, password);
    if (plain.length > MAX_U32 || offset + payload.length > MAX_U32) {
      throw new RangeError('the archive would exceed 4 GiB');
    }
    const extra = aesExtra(method);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(VERSION_NEEDED, 4);
    local.writeUInt16LE(FLAGS, 6);
    local.writeUInt16LE(METHOD_AES, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(day, 12);
    local.writeUInt32LE(0, 14); // CRC-32: 0 in AE-2
    local.writeUInt32LE(payload.length, 18);
    local.writeUInt32LE(plain.length, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(extra.length, 28);

    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(VERSION_NEEDED, 4); // made by: MS-DOS attributes, ZIP 5.1
    header.writeUInt16LE(VERSION_NEEDED, 6);
    header.writeUInt16LE(FLAGS, 8);
    header.writeUInt16LE(METHOD_AES, 10);
    header.writeUInt16LE(time, 12);
    header.writeUInt16LE(day, 14);
    header.writeUInt32LE(0, 16);
    header.writeUInt32LE(payload.length, 20);
    header.writeUInt32LE(plain.length, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt16LE(extra.length, 30);
    // comment length, disk number, internal and external attributes: 0
    header.writeUInt32LE(offset, 42);

    parts.push(local, name, extra, payload);
    central.push(header, name, extra);
    offset += local.length + name.length + extra.length + payload.length;
  }
  const directory = Buffer.concat(central);
  if (offset + directory.length > MAX_U32) throw new RangeError('the archive would exceed 4 GiB');
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  const out = Buffer.concat([...parts, directory, end]);
  return new Uint8Array(out.buffer, out.byteOffset, out.length);
}

function entryName(name: string, seen: Set<string>): Buffer {
  const segments = name.split('/');
  if (
    name.length === 0 ||
    name.includes('\\') ||
    [...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f) ||
    segments.some((s) => s === '' || s === '.' || s === '..')
  ) {
    throw new RangeError('an entry name is a relative path without empty, . or .. segments');
  }
  if (seen.has(name)) throw new RangeError('entry names are unique');
  seen.add(name);
  const bytes = Buffer.from(name, 'utf8');
  if (bytes.length > MAX_U16) throw new RangeError('an entry name is too long');
  return bytes;
}

/** salt ‖ password verifier ‖ AES-256-CTR ciphertext ‖ HMAC-SHA1-80 of the ciphertext. */
function encrypt(data: Buffer, password: Buffer): Buffer {
  const salt = randomBytes(ZIP_AES_SALT_BYTES);
  const keys = pbkdf2Sync(
    password,
    salt,
    ZIP_AES_PBKDF2_ITERATIONS,
    KEY_BYTES * 2 + VERIFIER_BYTES,
    'sha1',
  );
  const aesKey = keys.subarray(0, KEY_BYTES);
  const macKey = keys.subarray(KEY_BYTES, KEY_BYTES * 2);
  const verifier = Buffer.from(keys.subarray(KEY_BYTES * 2));
  const ciphertext = aesCtrLittleEndian(aesKey, data);
  const mac = createHmac('sha1', macKey).update(ciphertext).digest().subarray(0, MAC_BYTES);
  keys.fill(0);
  return Buffer.concat([salt, verifier, ciphertext, mac]);
}

/** AES-256 in counter mode with a 128-bit little-endian counter starting at 1 (WinZip AES). */
export function aesCtrLittleEndian(key: Uint8Array, data: Uint8Array): Buffer {
  const blocks = Math.ceil(data.length / BLOCK);
  const counters = Buffer.alloc(blocks * BLOCK);
  const counter = Buffer.alloc(BLOCK);
  for (let b = 0; b < blocks; b++) {
    for (let i = 0; i < BLOCK; i++) {
      counter[i] = (counter[i]! + 1) & 0xff;
      if (counter[i] !== 0) break;
    }
    counter.copy(counters, b * BLOCK);
  }
  const cipher = createCipheriv('aes-256-ecb', key, null);
  cipher.setAutoPadding(false);
  const stream = Buffer.concat([cipher.update(counters), cipher.final()]);
  const out = Buffer.alloc(data.length);
  for (let i = 0; i < data.length; i++) out[i] = data[i]! ^ stream[i]!;
  return out;
}

/** The 0x9901 extra field: AE-2, vendor "AE", AES-256, and the method the data really uses. */
function aesExtra(method: number): Buffer {
  const extra = Buffer.alloc(11);
  extra.writeUInt16LE(AES_EXTRA_ID, 0);
  extra.writeUInt16LE(7, 2);
  extra.writeUInt16LE(AES_VENDOR_VERSION_AE2, 4);
  extra.write('AE', 6, 'ascii');
  extra.writeUInt8(AES_STRENGTH_256, 8);
  extra.writeUInt16LE(method, 9);
  return extra;
}

/** MS-DOS date and time fields (UTC; two-second resolution; years 1980–2107). */
function dosDateTime(at: Date): { day: number; time: number } {
  const year = Math.min(Math.max(at.getUTCFullYear(), 1980), 2107);
  return {
    day: ((year - 1980) << 9) | ((at.getUTCMonth() + 1) << 5) | at.getUTCDate(),
    time: (at.getUTCHours() << 11) | (at.getUTCMinutes() << 5) | (at.getUTCSeconds() >> 1),
  };
}
