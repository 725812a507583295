import type { SecretKey } from './secret-key';

export interface KeyCacheOptions {
  /** How long an unwrapped key stays in memory after it was last put in the cache. */
  readonly ttlMs: number;
  /** Upper bound on cached keys; the oldest entry is evicted first. */
  readonly maxEntries?: number;
  /** Injectable clock (tests). */
  readonly now?: () => number;
}

/**
 * Unwrapped keys in memory for a short time, so hot paths do not unwrap on every request.
 * Every eviction (expiry, capacity, delete, clear) zeroes the key and its subkeys.
 */
export class KeyCache {
  readonly #entries = new Map<string, { key: SecretKey; expires: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;

  constructor(options: KeyCacheOptions) {
    if (!(options.ttlMs > 0)) throw new RangeError('ttlMs must be positive');
    this.#ttlMs = options.ttlMs;
    this.#maxEntries = options.maxEntries ?? 10_000;
    // Below 1, set() would evict (and destroy) the key it was just given.
    if (!Number.isInteger(this.#maxEntries) || this.#maxEntries < 1) {
      throw new RangeError('maxEntries must be a positive integer');
    }
    this.#now = options.now ?? Date.now;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(name: string): SecretKey | undefined {
    const entry = this.#entries.get(name);
    if (entry === undefined) return undefined;
    if (entry.expires <= this.#now()) {
      this.delete(name);
      return undefined;
    }
    return entry.key;
  }

  set(name: string, key: SecretKey): void {
    const existing = this.#entries.get(name);
    if (existing !== undefined && existing.key !== key) existing.key.destroy();
    this.#entries.delete(name);
    this.#entries.set(name, { key, expires: this.#now() + this.#ttlMs });
    while (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.delete(oldest);
    }
  }

  /** Returns the cached key, or loads, caches and returns it. */
  async getOrLoad(name: string, load: () => Promise<SecretKey>): Promise<SecretKey> {
    const cached = this.get(name);
    if (cached !== undefined) return cached;
    const key = await load();
    // A concurrent load of the same name may have finished first: keep its key (callers may
    // already hold it, and set() would destroy it) and discard this one.
    const winner = this.get(name);
    if (winner !== undefined && winner !== key) {
      key.destroy();
      return winner;
    }
    this.set(name, key);
    return key;
  }

  delete(name: string): void {
    const entry = this.#entries.get(name);
    if (entry === undefined) return;
    this.#entries.delete(name);
    entry.key.destroy();
  }

  /** Evicts every expired entry; call it periodically. */
  sweep(): number {
    const now = this.#now();
    let evicted = 0;
    for (const [name, entry] of [...this.#entries]) {
      if (entry.expires <= now) {
        this.delete(name);
        evicted++;
      }
    }
    return evicted;
  }

  /** Evicts (and zeroes) every entry whose name starts with `prefix`; returns how many. */
  deletePrefix(prefix: string): number {
    let evicted = 0;
    for (const name of [...this.#entries.keys()]) {
      if (name.startsWith(prefix)) {
        this.delete(name);
        evicted++;
      }
    }
    return evicted;
  }

  /** The names of the entries held now (expired ones included until they are swept). */
  names(): string[] {
    return [...this.#entries.keys()];
  }

  clear(): void {
    for (const name of [...this.#entries.keys()]) this.delete(name);
  }
}
