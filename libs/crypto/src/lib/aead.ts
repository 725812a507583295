import { randomFillSync } from 'node:crypto';
import { writeU32be } from './bytes';
import { DecryptionError } from './errors';
import {
  ALG_XCHACHA20_POLY1305_IETF,
  FORMAT_VERSION,
  HEADER_BYTES,
  NONCE_BYTES,
  readHeader,
} from './format';
import type { Sodium } from './sodium';

/**
 * Nonces are drawn from a pool of CSPRNG output refilled 4 KiB at a time: one `randomFillSync`
 * per 170 nonces instead of one per value (the call, not the randomness, is the cost). Nonces are
 * public, so holding upcoming ones in memory is harmless; each slice is handed out exactly once.
 */
const NONCE_POOL_BYTES = NONCE_BYTES * 170;
let noncePool = new Uint8Array(0);
let nonceOffset = 0;

function nextNonce(): Uint8Array {
  if (nonceOffset + NONCE_BYTES > noncePool.length) {
    noncePool = randomFillSync(new Uint8Array(NONCE_POOL_BYTES));
    nonceOffset = 0;
  }
  const nonce = noncePool.subarray(nonceOffset, nonceOffset + NONCE_BYTES);
  nonceOffset += NONCE_BYTES;
  return nonce;
}

/**
 * XChaCha20-Poly1305-IETF in the Harbour envelope: header ‖ ciphertext ‖ tag. Nonces are 192
 * random bits from Node's CSPRNG (libsodium-wrappers' own RNG is several times slower in Node).
 */
export function seal(
  sodium: Sodium,
  key: Uint8Array,
  keyId: number,
  associatedData: Uint8Array,
  plaintext: Uint8Array,
): Uint8Array {
  return sealWithNonce(sodium, key, keyId, associatedData, plaintext, nextNonce());
}

/**
 * @internal `seal` with a caller-chosen nonce, for known-answer tests only. Production code must
 * use `seal`: a repeated nonce under one key breaks XChaCha20-Poly1305.
 */
export function sealWithNonce(
  sodium: Sodium,
  key: Uint8Array,
  keyId: number,
  associatedData: Uint8Array,
  plaintext: Uint8Array,
  nonce: Uint8Array,
): Uint8Array {
  if (nonce.length !== NONCE_BYTES) throw new RangeError('nonce must be 24 bytes');
  const body = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    plaintext,
    associatedData,
    null,
    nonce,
    key,
  );
  const out = new Uint8Array(HEADER_BYTES + body.length);
  out[0] = FORMAT_VERSION;
  out[1] = ALG_XCHACHA20_POLY1305_IETF;
  writeU32be(out, 2, keyId);
  out.set(nonce, 6);
  out.set(body, HEADER_BYTES);
  return out;
}

/**
 * Strict decryption: the header must be version 1 with the expected key id, and the tag must
 * verify over the associated data. Any failure throws `DecryptionError`; nothing passes through.
 */
export function open(
  sodium: Sodium,
  key: Uint8Array,
  expectedKeyId: number,
  associatedData: Uint8Array,
  ciphertext: Uint8Array,
): Uint8Array {
  const header = readHeader(ciphertext);
  if (header.keyId !== expectedKeyId) throw new DecryptionError('key_mismatch');
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      ciphertext.subarray(HEADER_BYTES),
      associatedData,
      header.nonce,
      key,
    );
  } catch {
    throw new DecryptionError('authentication_failed');
  }
}
