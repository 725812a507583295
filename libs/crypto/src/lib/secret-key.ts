import { inspect } from 'node:util';
import { KeyError } from './errors';

export const KEY_BYTES = 32;

/**
 * A 256-bit symmetric key with its id (the `key_id` written into every ciphertext it makes).
 * The bytes are reachable only inside this library; printing, logging or serialising the object
 * shows the id alone. `destroy()` zeroes the key and every subkey derived from it.
 */
export class SecretKey {
  #bytes: Uint8Array | null;
  readonly #subkeys = new Map<string, Uint8Array>();

  constructor(
    readonly id: number,
    bytes: Uint8Array,
  ) {
    if (!Number.isInteger(id) || id < 0 || id > 0xffffffff) throw new KeyError('invalid_id');
    if (bytes.length !== KEY_BYTES) throw new KeyError('invalid_length');
    this.#bytes = Uint8Array.from(bytes);
  }

  get destroyed(): boolean {
    return this.#bytes === null;
  }

  /** @internal The key bytes, for this library's primitives only. */
  bytes(): Uint8Array {
    if (this.#bytes === null) throw new KeyError('destroyed');
    return this.#bytes;
  }

  /** @internal A derived subkey, computed once per label and zeroed with this key. */
  subkey(label: string, derive: (bytes: Uint8Array) => Uint8Array): Uint8Array {
    const cached = this.#subkeys.get(label);
    if (cached !== undefined) return cached;
    const derived = derive(this.bytes());
    this.#subkeys.set(label, derived);
    return derived;
  }

  /** Zeroes the key material and all derived subkeys. Further use throws `KeyError`. */
  destroy(): void {
    for (const subkey of this.#subkeys.values()) subkey.fill(0);
    this.#subkeys.clear();
    this.#bytes?.fill(0);
    this.#bytes = null;
  }

  toJSON(): string {
    return `[SecretKey ${this.id}]`;
  }

  toString(): string {
    return `[SecretKey ${this.id}]`;
  }

  [inspect.custom](): string {
    return `[SecretKey ${this.id}]`;
  }
}
