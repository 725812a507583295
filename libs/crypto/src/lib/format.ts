import { readU32be, writeU32be } from './bytes';
import { DecryptionError } from './errors';

/**
 * Ciphertext format v1 (libs/crypto/README.md has the byte-by-byte specification):
 *
 *   version(1) ‖ alg(1) ‖ key_id(4, big-endian) ‖ nonce(24) ‖ ciphertext ‖ tag(16)
 */
export const FORMAT_VERSION = 0x01;
export const ALG_XCHACHA20_POLY1305_IETF = 0x01;

export const VERSION_BYTES = 1;
export const ALG_BYTES = 1;
export const KEY_ID_BYTES = 4;
export const NONCE_BYTES = 24;
export const TAG_BYTES = 16;
export const HEADER_BYTES = VERSION_BYTES + ALG_BYTES + KEY_ID_BYTES + NONCE_BYTES; // 30
/** The shortest valid ciphertext: a header and the tag of an empty plaintext. */
export const MIN_CIPHERTEXT_BYTES = HEADER_BYTES + TAG_BYTES; // 46

export interface CiphertextHeader {
  readonly version: number;
  readonly alg: number;
  readonly keyId: number;
  readonly nonce: Uint8Array;
}

export function encodeHeader(keyId: number, nonce: Uint8Array): Uint8Array {
  if (nonce.length !== NONCE_BYTES) throw new RangeError('nonce must be 24 bytes');
  const header = new Uint8Array(HEADER_BYTES);
  header[0] = FORMAT_VERSION;
  header[1] = ALG_XCHACHA20_POLY1305_IETF;
  writeU32be(header, 2, keyId);
  header.set(nonce, 6);
  return header;
}

/** Parses and checks the header; throws DecryptionError for anything not version 1. */
export function readHeader(ciphertext: Uint8Array): CiphertextHeader {
  if (ciphertext.length < MIN_CIPHERTEXT_BYTES) throw new DecryptionError('truncated');
  const version = ciphertext[0]!;
  if (version !== FORMAT_VERSION) throw new DecryptionError('unknown_version');
  const alg = ciphertext[1]!;
  if (alg !== ALG_XCHACHA20_POLY1305_IETF) throw new DecryptionError('unknown_algorithm');
  return {
    version,
    alg,
    keyId: readU32be(ciphertext, 2),
    nonce: ciphertext.subarray(6, HEADER_BYTES),
  };
}

/** The key id a stored ciphertext was written under (for rotation queries). */
export function keyIdOf(ciphertext: Uint8Array): number {
  return readHeader(ciphertext).keyId;
}

/**
 * SQL for the CHECK constraint every encrypted `bytea` column carries, so plaintext can never be
 * stored by mistake: the value starts with a known version byte and is at least a header and tag.
 */
export function ciphertextCheckSql(column: string): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(column)) throw new RangeError('invalid column name');
  return (
    `"${column}" IS NULL OR (octet_length("${column}") >= ${MIN_CIPHERTEXT_BYTES} ` +
    `AND get_byte("${column}", 0) = ${FORMAT_VERSION} AND get_byte("${column}", 1) = ${ALG_XCHACHA20_POLY1305_IETF})`
  );
}
