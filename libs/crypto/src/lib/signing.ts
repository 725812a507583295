import { inspect } from 'node:util';
import { KeyError } from './errors';
import type { Sodium } from './sodium';

/** An Ed25519 secret key (64 bytes: seed ‖ public key). Printing it shows the public key only. */
export class SigningKey {
  #secret: Uint8Array | null;

  constructor(
    secretKey: Uint8Array,
    readonly publicKey: Uint8Array,
  ) {
    if (secretKey.length !== 64 || publicKey.length !== 32) throw new KeyError('invalid_length');
    this.#secret = Uint8Array.from(secretKey);
  }

  /** @internal */
  secret(): Uint8Array {
    if (this.#secret === null) throw new KeyError('destroyed');
    return this.#secret;
  }

  destroy(): void {
    this.#secret?.fill(0);
    this.#secret = null;
  }

  toJSON(): string {
    return `[SigningKey ${Buffer.from(this.publicKey).toString('hex').slice(0, 16)}]`;
  }

  [inspect.custom](): string {
    return this.toJSON();
  }
}

/** Ed25519 (RFC 8032) for access-log checkpoints. */
export function signingKeyFromSeed(sodium: Sodium, seed: Uint8Array): SigningKey {
  if (seed.length !== 32) throw new KeyError('invalid_length');
  const pair = sodium.crypto_sign_seed_keypair(seed);
  try {
    return new SigningKey(pair.privateKey, pair.publicKey);
  } finally {
    pair.privateKey.fill(0);
  }
}

export function generateSigningKey(sodium: Sodium): SigningKey {
  const pair = sodium.crypto_sign_keypair();
  try {
    return new SigningKey(pair.privateKey, pair.publicKey);
  } finally {
    pair.privateKey.fill(0);
  }
}

export function sign(sodium: Sodium, key: SigningKey, message: Uint8Array): Uint8Array {
  return sodium.crypto_sign_detached(message, key.secret());
}

/** True only for a valid signature; malformed keys or signatures verify as false. */
export function verify(
  sodium: Sodium,
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
): boolean {
  if (publicKey.length !== 32 || signature.length !== 64) return false;
  try {
    return sodium.crypto_sign_verify_detached(signature, message, publicKey);
  } catch {
    return false;
  }
}
