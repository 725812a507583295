import { randomBytes } from 'node:crypto';

/**
 * The inputs every implementation gets. The field value and the associated data are ASCII, so
 * the string form (for string APIs: ciphersweet-js, typeorm-encrypted, cloak) and the byte form
 * (for byte APIs: sodium-native, @harbour/crypto) are the same 32 and 40 bytes.
 */
export const FIELD_TEXT = 'aroha.ngata-williams@example.org';
export const ASSOCIATED_DATA_TEXT = 'harbour/person/given_name/row-0000000042';
export const BULK_BYTES = 1024 * 1024;
/** Blind index: the same value, taken as already normalised (normalisation is not measured). */
export const BLIND_INDEX_NAME = 'person.email';
export const BLIND_INDEX_BITS = 20;
export const NORMALISATION_VERSION = 1;

export interface Inputs {
  readonly fieldText: string;
  readonly fieldBytes: Buffer;
  readonly adText: string;
  readonly adBytes: Buffer;
  /** 1 MiB of printable ASCII, as bytes and as the identical string. */
  readonly bulkBytes: Buffer;
  readonly bulkText: string;
  /** One random 32-byte key; every implementation uses it (or keys derived from it). */
  readonly key: Buffer;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function makeInputs(): Inputs {
  const fieldBytes = Buffer.from(FIELD_TEXT, 'ascii');
  const adBytes = Buffer.from(ASSOCIATED_DATA_TEXT, 'ascii');
  if (fieldBytes.length !== 32 || adBytes.length !== 40) {
    throw new Error('bench inputs must be a 32-byte field and 40 bytes of associated data');
  }
  // Printable, so string APIs can take the same megabyte; random, so nothing compresses.
  const bulkBytes = randomBytes(BULK_BYTES);
  for (let i = 0; i < bulkBytes.length; i++) {
    bulkBytes[i] = ALPHABET.charCodeAt(bulkBytes[i]! & 63);
  }
  return {
    fieldText: FIELD_TEXT,
    fieldBytes,
    adText: ASSOCIATED_DATA_TEXT,
    adBytes,
    bulkBytes,
    bulkText: bulkBytes.toString('ascii'),
    key: randomBytes(32),
  };
}

/**
 * The blind-index message as @harbour/crypto defines it (libs/crypto/src/lib/blind-index):
 * `frame("bidx/v1") ‖ frame(index name) ‖ frame(decimal(version)) ‖ frame(value)`, where
 * `frame(s) = u32be(UTF-8 length) ‖ UTF-8(s)`. Built per value in one allocation, as an
 * application calling a native library directly would; the baselines hash exactly these bytes.
 */
export function blindIndexMessage(indexName: string, version: number, value: string): Buffer {
  const parts = ['bidx/v1', indexName, String(version), value];
  let length = 0;
  for (const part of parts) length += 4 + Buffer.byteLength(part, 'utf8');
  const out = Buffer.allocUnsafe(length);
  let offset = 0;
  for (const part of parts) {
    const written = out.write(part, offset + 4, 'utf8');
    out.writeUInt32BE(written, offset);
    offset += 4 + written;
  }
  return out;
}

/** The top `bits` bits of a digest's first four bytes, as Harbour stores an index value. */
export function topBits(digest: Uint8Array, bits: number): number {
  const top32 = ((digest[0]! << 24) | (digest[1]! << 16) | (digest[2]! << 8) | digest[3]!) >>> 0;
  return top32 >>> (32 - bits);
}

/** Anything the timed loops produce goes here, so no result is ever dead code. */
export const sink = { value: 0 };
