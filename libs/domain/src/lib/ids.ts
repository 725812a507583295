/**
 * UUIDv7 (RFC 9562 §5.7): 48-bit Unix time in milliseconds, then random bits. Generated in the
 * application so a row's id exists before INSERT (encryption binds ciphertext to it).
 * Ids created within the same millisecond by this process stay ordered (method 1: a 12-bit
 * counter in `rand_a`, seeded randomly each millisecond).
 */
interface RandomSource {
  getRandomValues(array: Uint8Array): Uint8Array;
}

/** Web Crypto, present in browsers and in Node 20 as a global. */
const random = (globalThis as unknown as { crypto: RandomSource }).crypto;

export type UuidV7Generator = (now?: number) => string;

/** Each byte's two lower-case hex digits (an id is made on every write: no per-byte formatting). */
const HEX: readonly string[] = Array.from({ length: 256 }, (_, b) =>
  b.toString(16).padStart(2, '0'),
);

/** A generator with its own monotonic state (tests use fresh ones; the app uses `uuidv7`). */
export function createUuidV7Generator(): UuidV7Generator {
  let lastMs = -1;
  let counter = 0;
  return (now: number = Date.now()): string => {
    const bytes = new Uint8Array(16);
    random.getRandomValues(bytes);
    let ms = Math.max(now, lastMs);
    if (ms === lastMs) {
      counter += 1;
      if (counter > 0xfff) {
        ms += 1;
        counter = bytes[6]! & 0x07;
      }
    } else {
      counter = bytes[6]! & 0x07;
    }
    lastMs = ms;
    bytes[0] = Math.floor(ms / 2 ** 40) & 0xff;
    bytes[1] = Math.floor(ms / 2 ** 32) & 0xff;
    bytes[2] = Math.floor(ms / 2 ** 24) & 0xff;
    bytes[3] = Math.floor(ms / 2 ** 16) & 0xff;
    bytes[4] = Math.floor(ms / 2 ** 8) & 0xff;
    bytes[5] = ms & 0xff;
    bytes[6] = 0x70 | ((counter >> 8) & 0x0f);
    bytes[7] = counter & 0xff;
    bytes[8] = 0x80 | (bytes[8]! & 0x3f);
    const h = (from: number, to: number): string => {
      let out = '';
      for (let i = from; i < to; i++) out += HEX[bytes[i]!]!;
      return out;
    };
    return `${h(0, 4)}-${h(4, 6)}-${h(6, 8)}-${h(8, 10)}-${h(10, 16)}`;
  };
}

export const uuidv7: UuidV7Generator = createUuidV7Generator();

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[1-8][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

/** A canonical lower-case RFC 9562 UUID (the only form accepted in paths and bodies). */
export function isUuid(value: unknown): value is string {
  return typeof value === 'string' && UUID_PATTERN.test(value);
}
