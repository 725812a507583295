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
  /** purpose → scope → name → subkey (nested so lookups never build a string). */
  readonly #subkeys = new Map<string, Map<string, Map<string, Uint8Array>>>();

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

  /** @internal A derived subkey, computed once per (purpose, scope, name) and zeroed with this key. */
  subkey(
    purpose: string,
    scope: string,
    name: string,
    derive: (bytes: Uint8Array) => Uint8Array,
  ): Uint8Array {
    const cached = this.#subkeys.get(purpose)?.get(scope)?.get(name);
    if (cached !== undefined) return cached;
    const derived = derive(this.bytes());
    let scopes = this.#subkeys.get(purpose);
    if (scopes === undefined)
      this.#subkeys.set(purpose, (scopes = new Map<string, Map<string, Uint8Array>>()));
    let names = scopes.get(scope);
    if (names === undefined) scopes.set(scope, (names = new Map<string, Uint8Array>()));
    names.set(name, derived);
    return derived;
  }

  /** Zeroes the key material and all derived subkeys. Further use throws `KeyError`. */
  destroy(): void {
    for (const scopes of this.#subkeys.values()) {
      for (const names of scopes.values()) for (const subkey of names.values()) subkey.fill(0);
    }
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
