import { randomFillSync } from 'node:crypto';
import { concat } from './bytes';
import { DecryptionError } from './errors';
import { encodeHeader, HEADER_BYTES, NONCE_BYTES, readHeader } from './format';
import type { Sodium } from './sodium';

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
  const nonce = randomFillSync(new Uint8Array(NONCE_BYTES));
  const body = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    plaintext,
    associatedData,
    null,
    nonce,
    key,
  );
  return concat([encodeHeader(keyId, nonce), body]);
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
