import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import type { FieldPlace } from './associated-data';
import { toHex, u32be } from './bytes';
import { DecryptionError, KeyError, PlacementError } from './errors';
import { HEADER_BYTES, MIN_CIPHERTEXT_BYTES, NONCE_BYTES } from './format';
import { createCrypto, type HarbourCrypto } from './harbour-crypto';
import { SecretKey } from './secret-key';

/**
 * Properties of field encryption through `HarbourCrypto` (docs/design.md §5, docs/security.md T12 and
 * adversarial case 20): round trips, strict decryption, and binding to key and place.
 */

const RUNS = 200;

const nameArb = fc.stringMatching(/^[a-z_][a-z0-9_]{0,62}$/);
const uuidArb = fc.uuid({ version: 7 });
const placeArb: fc.Arbitrary<FieldPlace> = fc.record({
  organisationId: uuidArb,
  table: nameArb,
  column: nameArb,
  rowId: uuidArb,
});
const plaintextArb = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.string({ unit: 'grapheme', maxLength: 60 }),
  fc.uint8Array({ maxLength: 300 }),
);

const PLACE: FieldPlace = {
  organisationId: '0190f5c2-6b3a-7c1e-8d2f-3a4b5c6d7e8f',
  table: 'person',
  column: 'given_name',
  rowId: '0190f5c2-6b3b-7a00-9b1c-2d3e4f506172',
};

/** The reason of the `DecryptionError` that `fn` throws; fails if it returns data instead. */
function decryptionFailure(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    if (!(error instanceof DecryptionError)) throw error;
    expect(error.message).toMatch(/^decryption failed: [a-z_]+$/);
    return error.reason;
  }
  throw new Error('expected a DecryptionError, but decryption returned data');
}

function utf8Length(value: string | Uint8Array): number {
  return typeof value === 'string' ? new TextEncoder().encode(value).length : value.length;
}

function asBytes(value: string | Uint8Array): Uint8Array {
  return typeof value === 'string' ? new TextEncoder().encode(value) : value;
}

/** The reason a single flipped bit at `bit` must produce. */
function expectedReasonForBit(bit: number): string {
  const byte = bit >> 3;
  if (byte === 0) return 'unknown_version';
  if (byte === 1) return 'unknown_algorithm';
  if (byte < 6) return 'key_mismatch';
  return 'authentication_failed';
}

let crypto: HarbourCrypto;
let key: SecretKey;

beforeAll(async () => {
  crypto = await createCrypto();
  key = crypto.generateKey(7);
});

describe('round trip', () => {
  it('decrypts arbitrary UTF-8 strings and byte arrays, empty included', () => {
    fc.assert(
      fc.property(placeArb, plaintextArb, (place, plaintext) => {
        const ciphertext = crypto.encryptField(key, place, plaintext);
        expect(toHex(crypto.decryptField(key, place, ciphertext))).toBe(toHex(asBytes(plaintext)));
        if (typeof plaintext === 'string') {
          expect(crypto.decryptText(key, place, ciphertext).reveal()).toBe(plaintext);
        }
      }),
      {
        numRuns: RUNS,
        examples: [
          [PLACE, ''],
          [PLACE, new Uint8Array(0)],
        ],
      },
    );
  });

  it('ciphertext length is always plaintext length (UTF-8 bytes) + 46', () => {
    expect(MIN_CIPHERTEXT_BYTES).toBe(46);
    fc.assert(
      fc.property(placeArb, plaintextArb, (place, plaintext) => {
        const ciphertext = crypto.encryptField(key, place, plaintext);
        expect(ciphertext.length).toBe(utf8Length(plaintext) + 46);
      }),
      {
        numRuns: RUNS,
        examples: [
          [PLACE, ''],
          [PLACE, 'é'],
          [PLACE, '😀'],
        ],
      },
    );
  });

  it('writes the key id and a fresh nonce into the header', () => {
    const ciphertext = crypto.encryptField(key, PLACE, 'Quokka Zzcanary');
    expect(crypto.keyIdOf(ciphertext)).toBe(7);
    expect(toHex(ciphertext.subarray(0, 6))).toBe('0101' + toHex(u32be(7)));
  });

  it('never contains the plaintext', () => {
    const plaintext = 'Quokka Zzcanary Quokka Zzcanary';
    const ciphertext = crypto.encryptField(key, PLACE, plaintext);
    expect(Buffer.from(ciphertext).includes(Buffer.from(plaintext))).toBe(false);
    expect(Buffer.from(ciphertext).includes(Buffer.from('Quokka'))).toBe(false);
  });

  it('returns the text wrapped in Sensitive, which does not print it', () => {
    const text = crypto.decryptText(key, PLACE, crypto.encryptField(key, PLACE, 'Quokka Zzcanary'));
    expect(JSON.stringify({ text })).toBe('{"text":"[REDACTED]"}');
  });

  it('refuses a non-UTF-8 plaintext as text, but returns its bytes as a field', () => {
    const ciphertext = crypto.encryptField(key, PLACE, Uint8Array.of(0xff, 0xfe, 0x80));
    expect(toHex(crypto.decryptField(key, PLACE, ciphertext))).toBe('fffe80');
    expect(decryptionFailure(() => crypto.decryptText(key, PLACE, ciphertext))).toBe(
      'authentication_failed',
    );
  });
});

describe('strict decryption: tampering always throws DecryptionError', () => {
  it('any single bit flip anywhere fails, with the reason the flipped byte implies', () => {
    fc.assert(
      fc.property(plaintextArb, fc.nat(), (plaintext, seed) => {
        const ciphertext = crypto.encryptField(key, PLACE, plaintext);
        const bit = seed % (ciphertext.length * 8);
        const tampered = Uint8Array.from(ciphertext);
        tampered[bit >> 3]! ^= 1 << (bit & 7);
        expect(decryptionFailure(() => crypto.decryptField(key, PLACE, tampered))).toBe(
          expectedReasonForBit(bit),
        );
      }),
      { numRuns: RUNS },
    );
  });

  it('every one of the bits of a short ciphertext, flipped in turn, fails', () => {
    const ciphertext = crypto.encryptField(key, PLACE, 'Zoë');
    expect(ciphertext.length).toBe(50);
    for (let bit = 0; bit < ciphertext.length * 8; bit++) {
      const tampered = Uint8Array.from(ciphertext);
      tampered[bit >> 3]! ^= 1 << (bit & 7);
      expect(decryptionFailure(() => crypto.decryptField(key, PLACE, tampered))).toBe(
        expectedReasonForBit(bit),
      );
    }
    // The untouched ciphertext still decrypts: the failures above came from the flips.
    expect(new TextDecoder().decode(crypto.decryptField(key, PLACE, ciphertext))).toBe('Zoë');
  });

  it('truncation to any shorter length fails: "truncated" below 46 bytes, else authentication', () => {
    fc.assert(
      fc.property(plaintextArb, fc.nat(), (plaintext, seed) => {
        const ciphertext = crypto.encryptField(key, PLACE, plaintext);
        const length = seed % ciphertext.length;
        const reason = decryptionFailure(() =>
          crypto.decryptField(key, PLACE, ciphertext.subarray(0, length)),
        );
        expect(reason).toBe(length < 46 ? 'truncated' : 'authentication_failed');
      }),
      { numRuns: RUNS },
    );
    const ciphertext = crypto.encryptField(key, PLACE, 'Quokka');
    for (let length = 0; length < ciphertext.length; length++) {
      expect(
        decryptionFailure(() => crypto.decryptField(key, PLACE, ciphertext.slice(0, length))),
      ).toBe(length < 46 ? 'truncated' : 'authentication_failed');
    }
  });

  it('appended bytes fail', () => {
    const ciphertext = crypto.encryptField(key, PLACE, 'Quokka');
    for (const extra of [Uint8Array.of(0), Uint8Array.of(1, 2, 3), new Uint8Array(16)]) {
      const longer = new Uint8Array(ciphertext.length + extra.length);
      longer.set(ciphertext);
      longer.set(extra, ciphertext.length);
      expect(decryptionFailure(() => crypto.decryptField(key, PLACE, longer))).toBe(
        'authentication_failed',
      );
    }
  });

  it('plaintext stored by mistake is refused, never passed through', () => {
    for (const stored of [
      '',
      'Quokka Zzcanary',
      'x'.repeat(46),
      '\u0001\u0001\u0000\u0000\u0000\u0007' + 'a'.repeat(60),
    ]) {
      const bytes = new TextEncoder().encode(stored);
      expect(() => crypto.decryptField(key, PLACE, bytes)).toThrow(DecryptionError);
    }
  });
});

describe('binding to the place', () => {
  const parts = ['organisationId', 'table', 'column', 'rowId'] as const;

  it('changing any part of the place fails to decrypt', () => {
    fc.assert(
      fc.property(
        placeArb,
        fc.constantFrom(...parts),
        uuidArb,
        nameArb,
        fc.string({ maxLength: 40 }),
        (place, part, otherUuid, otherName, plaintext) => {
          const replacement = part === 'organisationId' || part === 'rowId' ? otherUuid : otherName;
          fc.pre(replacement !== place[part]);
          const moved: FieldPlace = { ...place, [part]: replacement };
          const ciphertext = crypto.encryptField(key, place, plaintext);
          expect(decryptionFailure(() => crypto.decryptField(key, moved, ciphertext))).toBe(
            'authentication_failed',
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('swapping ciphertexts between two rows or two organisations fails both ways', () => {
    fc.assert(
      fc.property(
        placeArb,
        uuidArb,
        fc.boolean(),
        fc.string({ maxLength: 40 }),
        fc.string({ maxLength: 40 }),
        (placeA, otherId, swapOrganisation, valueA, valueB) => {
          const placeB: FieldPlace = swapOrganisation
            ? { ...placeA, organisationId: otherId }
            : { ...placeA, rowId: otherId };
          fc.pre(otherId !== (swapOrganisation ? placeA.organisationId : placeA.rowId));
          const a = crypto.encryptField(key, placeA, valueA);
          const b = crypto.encryptField(key, placeB, valueB);
          expect(crypto.decryptText(key, placeA, a).reveal()).toBe(valueA);
          expect(crypto.decryptText(key, placeB, b).reveal()).toBe(valueB);
          expect(decryptionFailure(() => crypto.decryptField(key, placeB, a))).toBe(
            'authentication_failed',
          );
          expect(decryptionFailure(() => crypto.decryptField(key, placeA, b))).toBe(
            'authentication_failed',
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a name cannot be re-split between table and column', () => {
    const a = crypto.encryptField(key, { ...PLACE, table: 'person_a', column: 'lias' }, 'x');
    expect(
      decryptionFailure(() =>
        crypto.decryptField(key, { ...PLACE, table: 'person', column: 'a_lias' }, a),
      ),
    ).toBe('authentication_failed');
  });

  it('a malformed place is refused with PlacementError', () => {
    const ciphertext = crypto.encryptField(key, PLACE, 'x');
    for (const bad of [
      { ...PLACE, table: 'Person' },
      { ...PLACE, column: 'given-name' },
      { ...PLACE, rowId: PLACE.rowId.toUpperCase() },
      { ...PLACE, organisationId: 'not-a-uuid' },
    ]) {
      expect(() => crypto.encryptField(key, bad, 'x')).toThrow(PlacementError);
      expect(() => crypto.decryptField(key, bad, ciphertext)).toThrow(PlacementError);
    }
  });
});

describe('binding to the key', () => {
  it('a key carrying a different id fails with key_mismatch', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.boolean(),
        fc.string({ maxLength: 40 }),
        (otherId, sameBytes, plaintext) => {
          fc.pre(otherId !== key.id);
          const other = new SecretKey(otherId, sameBytes ? key.bytes() : randomBytes(32));
          const ciphertext = crypto.encryptField(key, PLACE, plaintext);
          expect(decryptionFailure(() => crypto.decryptField(other, PLACE, ciphertext))).toBe(
            'key_mismatch',
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('a key with the same id but different bytes fails with authentication_failed', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 32, maxLength: 32 }),
        fc.string({ maxLength: 40 }),
        (bytes, plaintext) => {
          fc.pre(toHex(bytes) !== toHex(key.bytes()));
          const other = new SecretKey(key.id, bytes);
          const ciphertext = crypto.encryptField(key, PLACE, plaintext);
          expect(decryptionFailure(() => crypto.decryptField(other, PLACE, ciphertext))).toBe(
            'authentication_failed',
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('relabelling a ciphertext with another key id (a key rollback) fails', () => {
    const oldKey = crypto.generateKey(1);
    const newKey = crypto.generateKey(2);
    const current = crypto.encryptField(newKey, PLACE, 'Quokka');
    const relabelled = Uint8Array.from(current);
    relabelled.set(u32be(1), 2);
    expect(decryptionFailure(() => crypto.decryptField(oldKey, PLACE, relabelled))).toBe(
      'authentication_failed',
    );
    // Even the right key bytes under the old id cannot open it: the key id is in the associated data.
    const sameBytesOldId = new SecretKey(1, newKey.bytes());
    expect(decryptionFailure(() => crypto.decryptField(sameBytesOldId, PLACE, relabelled))).toBe(
      'authentication_failed',
    );
  });

  it('a destroyed key cannot encrypt or decrypt', () => {
    const doomed = crypto.generateKey(9);
    const ciphertext = crypto.encryptField(doomed, PLACE, 'x');
    doomed.destroy();
    expect(() => crypto.encryptField(doomed, PLACE, 'x')).toThrow(new KeyError('destroyed'));
    expect(() => crypto.decryptField(doomed, PLACE, ciphertext)).toThrow(new KeyError('destroyed'));
  });
});

describe('reencryptField (rotation)', () => {
  it('output decrypts under the new key, carries its id, and fails under the old key', () => {
    fc.assert(
      fc.property(
        placeArb,
        plaintextArb,
        fc.integer({ min: 0, max: 0xffffffff }),
        fc.integer({ min: 0, max: 0xffffffff }),
        (place, plaintext, oldId, newId) => {
          fc.pre(oldId !== newId);
          const oldKey = new SecretKey(oldId, randomBytes(32));
          const newKey = new SecretKey(newId, randomBytes(32));
          const before = crypto.encryptField(oldKey, place, plaintext);
          const after = crypto.reencryptField(oldKey, newKey, place, before);
          expect(crypto.keyIdOf(after)).toBe(newId);
          expect(after.length).toBe(before.length);
          expect(toHex(crypto.decryptField(newKey, place, after))).toBe(toHex(asBytes(plaintext)));
          expect(decryptionFailure(() => crypto.decryptField(oldKey, place, after))).toBe(
            'key_mismatch',
          );
          // The old ciphertext is untouched and still opens under the old key only.
          expect(toHex(crypto.decryptField(oldKey, place, before))).toBe(toHex(asBytes(plaintext)));
          expect(decryptionFailure(() => crypto.decryptField(newKey, place, before))).toBe(
            'key_mismatch',
          );
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('refuses to re-encrypt a ciphertext the "from" key did not write', () => {
    const a = crypto.generateKey(1);
    const b = crypto.generateKey(2);
    const c = crypto.generateKey(3);
    const ciphertext = crypto.encryptField(a, PLACE, 'x');
    expect(decryptionFailure(() => crypto.reencryptField(b, c, PLACE, ciphertext))).toBe(
      'key_mismatch',
    );
    expect(
      decryptionFailure(() =>
        crypto.reencryptField(a, c, { ...PLACE, column: 'alias' }, ciphertext),
      ),
    ).toBe('authentication_failed');
  });
});

describe('nonces', () => {
  it('1,000 encryptions of the same value under the same key and place use distinct nonces', () => {
    const nonces = new Set<string>();
    const ciphertexts = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const ciphertext = crypto.encryptField(key, PLACE, 'Quokka Zzcanary');
      nonces.add(toHex(ciphertext.subarray(HEADER_BYTES - NONCE_BYTES, HEADER_BYTES)));
      ciphertexts.add(toHex(ciphertext));
    }
    expect(nonces.size).toBe(1000);
    expect(ciphertexts.size).toBe(1000);
  });
});

describe('the HarbourCrypto object', () => {
  it('never serialises or prints libsodium (whose WASM heap still holds keys it has used)', () => {
    const used = crypto.generateKey(11);
    crypto.encryptField(used, PLACE, 'Quokka Zzcanary');
    const json = JSON.stringify({ crypto });
    expect(json.length).toBeLessThan(1000);
    expect(json).not.toContain('HEAPU8');
    expect(inspect(crypto, { depth: 6 })).not.toContain('HEAPU8');
    // Still reachable for sibling modules.
    expect(typeof crypto.sodium.crypto_aead_xchacha20poly1305_ietf_encrypt).toBe('function');
  });
});
