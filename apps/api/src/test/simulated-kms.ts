import {
  KeyError,
  type HarbourCrypto,
  type KeyBinding,
  type KeyProvider,
  SecretKey,
} from '@harbour/crypto';

/** The key provider did not answer (a network error, a timeout, throttling). */
export class KeyProviderUnavailableError extends Error {
  override readonly name = 'KeyProviderUnavailableError';
}

export interface SimulatedKmsOptions {
  /** The key's name in the "KMS" (its id is `kms:simulated/<name>`). */
  readonly name: string;
  /** Each call waits this long, as a round trip to a remote service does. */
  readonly latencyMs?: number;
  /** Fails the call numbered `n` (1-based, wraps and unwraps counted together) when true. */
  readonly failCall?: (n: number) => boolean;
}

/**
 * A test double that behaves like a remote KMS (Vault Transit, a cloud KMS) behind the
 * `KeyProvider` interface: its key never leaves it, every call is asynchronous and takes time,
 * and calls can fail as a network service's do. The shape of a real adapter is in
 * docs/operations.md ("Master-key custody and a KMS").
 */
export class SimulatedKms implements KeyProvider {
  readonly id: string;
  readonly #crypto: HarbourCrypto;
  readonly #key: SecretKey;
  readonly #options: SimulatedKmsOptions;
  #calls = 0;

  constructor(crypto: HarbourCrypto, options: SimulatedKmsOptions) {
    this.#crypto = crypto;
    this.#options = options;
    this.#key = crypto.generateKey(0);
    this.id = `kms:simulated/${options.name}`;
  }

  /** How many calls the "KMS" has answered or refused so far. */
  get calls(): number {
    return this.#calls;
  }

  async wrapKek(kek: SecretKey, binding: KeyBinding): Promise<Uint8Array> {
    await this.call();
    return this.#crypto.wrapKey(this.#key, kek, { ...binding, purpose: 'kek' });
  }

  async unwrapKek(
    wrapped: Uint8Array,
    binding: KeyBinding,
    wrappedBy?: string,
  ): Promise<SecretKey> {
    await this.call();
    if (wrappedBy !== undefined && wrappedBy !== this.id) throw new KeyError('unwrap_failed');
    return this.#crypto.unwrapKey(this.#key, wrapped, { ...binding, purpose: 'kek' });
  }

  private async call(): Promise<void> {
    const n = ++this.#calls;
    await new Promise((done) => setTimeout(done, this.#options.latencyMs ?? 0));
    if (this.#options.failCall?.(n) === true) throw new KeyProviderUnavailableError();
  }
}
