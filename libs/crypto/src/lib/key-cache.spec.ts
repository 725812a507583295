import { KeyCache } from './key-cache';
import { SecretKey } from './secret-key';

/** An injectable clock for the cache. */
class Clock {
  constructor(public ms = 1_000_000) {}
  readonly now = (): number => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

let nextId = 1;
function freshKey(): SecretKey {
  const id = nextId++;
  return new SecretKey(
    id,
    Uint8Array.from({ length: 32 }, (_, i) => (id * 31 + i) & 0xff),
  );
}

/** A key whose bytes and one subkey we can watch being zeroed. */
function watchedKey(): { key: SecretKey; bytes: Uint8Array; subkey: Uint8Array } {
  const key = freshKey();
  const subkey = key.subkey('field', 'person', 'given_name', (b) => b.map((x) => x ^ 0x5a));
  return { key, bytes: key.bytes(), subkey };
}

function isZero(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0);
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('KeyCache options', () => {
  it.each([0, -1, Number.NaN])('rejects ttlMs %p', (ttlMs) => {
    expect(() => new KeyCache({ ttlMs })).toThrow(RangeError);
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects maxEntries %p', (maxEntries) => {
    expect(() => new KeyCache({ ttlMs: 1000, maxEntries })).toThrow(RangeError);
  });
});

describe('KeyCache TTL (injected clock)', () => {
  it('returns a key until its TTL has passed, then evicts and destroys it', () => {
    const clock = new Clock();
    const cache = new KeyCache({ ttlMs: 1000, now: clock.now });
    const { key, bytes, subkey } = watchedKey();
    cache.set('org-1/kek', key);

    clock.advance(999);
    expect(cache.get('org-1/kek')).toBe(key);
    expect(key.destroyed).toBe(false);

    clock.advance(1); // expires at exactly set time + ttl
    expect(cache.get('org-1/kek')).toBeUndefined();
    expect(cache.size).toBe(0);
    expect(key.destroyed).toBe(true);
    expect(isZero(bytes)).toBe(true);
    expect(isZero(subkey)).toBe(true);
  });

  it('counts the TTL from the last set, not from the last get', () => {
    const clock = new Clock();
    const cache = new KeyCache({ ttlMs: 1000, now: clock.now });
    const key = freshKey();
    cache.set('k', key);
    clock.advance(600);
    expect(cache.get('k')).toBe(key);
    clock.advance(600);
    expect(cache.get('k')).toBeUndefined();
  });

  it('setting the same key again refreshes its TTL without destroying it', () => {
    const clock = new Clock();
    const cache = new KeyCache({ ttlMs: 1000, now: clock.now });
    const key = freshKey();
    cache.set('k', key);
    clock.advance(900);
    cache.set('k', key);
    clock.advance(900);
    expect(cache.get('k')).toBe(key);
    expect(key.destroyed).toBe(false);
  });
});

describe('KeyCache capacity', () => {
  it('evicts and destroys the oldest entry beyond maxEntries', () => {
    const cache = new KeyCache({ ttlMs: 60_000, maxEntries: 2, now: new Clock().now });
    const a = watchedKey();
    const b = freshKey();
    const c = freshKey();
    cache.set('a', a.key);
    cache.set('b', b);
    expect(cache.size).toBe(2);
    cache.set('c', c);
    expect(cache.size).toBe(2);
    expect(cache.get('a')).toBeUndefined();
    expect(a.key.destroyed).toBe(true);
    expect(isZero(a.bytes)).toBe(true);
    expect(isZero(a.subkey)).toBe(true);
    expect(cache.get('b')).toBe(b);
    expect(cache.get('c')).toBe(c);
    expect(b.destroyed || c.destroyed).toBe(false);
  });

  it('orders by the last set: re-setting an entry makes it the newest', () => {
    const cache = new KeyCache({ ttlMs: 60_000, maxEntries: 2, now: new Clock().now });
    const a = freshKey();
    const b = freshKey();
    cache.set('a', a);
    cache.set('b', b);
    cache.set('a', a);
    cache.set('c', freshKey());
    expect(cache.get('a')).toBe(a);
    expect(cache.get('b')).toBeUndefined();
    expect(b.destroyed).toBe(true);
  });

  it('keeps a cache of one working', () => {
    const cache = new KeyCache({ ttlMs: 60_000, maxEntries: 1, now: new Clock().now });
    const a = freshKey();
    const b = freshKey();
    cache.set('a', a);
    cache.set('b', b);
    expect(cache.size).toBe(1);
    expect(a.destroyed).toBe(true);
    expect(cache.get('b')).toBe(b);
    expect(b.destroyed).toBe(false);
  });
});

describe('KeyCache set, delete, sweep, clear', () => {
  it('set replacing a different key under the same name destroys the old one', () => {
    const cache = new KeyCache({ ttlMs: 60_000, now: new Clock().now });
    const old = watchedKey();
    const replacement = freshKey();
    cache.set('k', old.key);
    cache.set('k', replacement);
    expect(old.key.destroyed).toBe(true);
    expect(isZero(old.bytes)).toBe(true);
    expect(cache.get('k')).toBe(replacement);
    expect(replacement.destroyed).toBe(false);
    expect(cache.size).toBe(1);
  });

  it('delete destroys the entry; deleting an unknown name is a no-op', () => {
    const cache = new KeyCache({ ttlMs: 60_000, now: new Clock().now });
    const key = freshKey();
    cache.set('k', key);
    cache.delete('unknown');
    expect(cache.size).toBe(1);
    cache.delete('k');
    expect(cache.size).toBe(0);
    expect(key.destroyed).toBe(true);
  });

  it('sweep evicts and destroys every expired entry and returns how many', () => {
    const clock = new Clock();
    const cache = new KeyCache({ ttlMs: 1000, now: clock.now });
    const early = [watchedKey(), watchedKey()];
    early.forEach((w, i) => cache.set(`early-${i}`, w.key));
    clock.advance(500);
    const late = freshKey();
    cache.set('late', late);
    expect(cache.sweep()).toBe(0);
    clock.advance(500);
    expect(cache.sweep()).toBe(2);
    expect(cache.size).toBe(1);
    for (const w of early) {
      expect(w.key.destroyed).toBe(true);
      expect(isZero(w.bytes)).toBe(true);
      expect(isZero(w.subkey)).toBe(true);
    }
    expect(late.destroyed).toBe(false);
    expect(cache.get('late')).toBe(late);
    clock.advance(500);
    expect(cache.sweep()).toBe(1);
    expect(late.destroyed).toBe(true);
    expect(cache.sweep()).toBe(0);
  });

  it('clear destroys everything', () => {
    const cache = new KeyCache({ ttlMs: 60_000, now: new Clock().now });
    const watched = [watchedKey(), watchedKey(), watchedKey()];
    watched.forEach((w, i) => cache.set(String(i), w.key));
    cache.clear();
    expect(cache.size).toBe(0);
    for (const w of watched) {
      expect(w.key.destroyed).toBe(true);
      expect(isZero(w.bytes)).toBe(true);
      expect(isZero(w.subkey)).toBe(true);
    }
    expect(cache.get('0')).toBeUndefined();
  });

  it('deletePrefix destroys exactly the entries under the prefix (one organisation)', () => {
    const cache = new KeyCache({ ttlMs: 60_000, now: new Clock().now });
    const locked = [watchedKey(), watchedKey()];
    const other = watchedKey();
    cache.set('org-a:1', locked[0]!.key);
    cache.set('org-a:2:person', locked[1]!.key);
    cache.set('org-b:1', other.key);
    expect(cache.deletePrefix('org-a:')).toBe(2);
    for (const w of locked) {
      expect(w.key.destroyed).toBe(true);
      expect(isZero(w.bytes)).toBe(true);
      expect(isZero(w.subkey)).toBe(true);
    }
    expect(other.key.destroyed).toBe(false);
    expect(cache.names()).toEqual(['org-b:1']);
    expect(cache.deletePrefix('org-a:')).toBe(0);
  });
});

describe('KeyCache.getOrLoad', () => {
  it('loads on a miss, caches, and does not load again while the entry lives', async () => {
    const clock = new Clock();
    const cache = new KeyCache({ ttlMs: 1000, now: clock.now });
    const load = jest.fn(() => Promise.resolve(freshKey()));
    const first = await cache.getOrLoad('k', load);
    const second = await cache.getOrLoad('k', load);
    expect(second).toBe(first);
    expect(load).toHaveBeenCalledTimes(1);
    clock.advance(1000);
    const third = await cache.getOrLoad('k', load);
    expect(load).toHaveBeenCalledTimes(2);
    expect(third).not.toBe(first);
    expect(first.destroyed).toBe(true);
    expect(third.destroyed).toBe(false);
  });

  it('propagates a failed load and caches nothing', async () => {
    const cache = new KeyCache({ ttlMs: 1000, now: new Clock().now });
    await expect(
      cache.getOrLoad('k', () => Promise.reject(new Error('unwrap failed'))),
    ).rejects.toThrow('unwrap failed');
    expect(cache.size).toBe(0);
  });

  it('concurrent loads of one name never hand out a key that is then destroyed', async () => {
    const cache = new KeyCache({ ttlMs: 60_000, now: new Clock().now });
    const firstLoad = deferred<SecretKey>();
    const secondLoad = deferred<SecretKey>();
    const a = cache.getOrLoad('org-1/kek', () => firstLoad.promise);
    const b = cache.getOrLoad('org-1/kek', () => secondLoad.promise);
    const keyA = freshKey();
    const keyB = freshKey();
    firstLoad.resolve(keyA);
    const gotA = await a;
    secondLoad.resolve(keyB);
    const gotB = await b;
    // Both callers must hold a usable key, and the cache must hold one of them.
    expect(gotA.destroyed).toBe(false);
    expect(gotB.destroyed).toBe(false);
    expect(() => gotA.bytes()).not.toThrow();
    expect(cache.get('org-1/kek')).toBe(gotB);
    expect(gotA).toBe(gotB);
    // The surplus key is not leaked: it was destroyed.
    expect(keyB.destroyed).toBe(true);
    expect(cache.size).toBe(1);
  });
});
