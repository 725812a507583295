import fc from 'fast-check';
import { toHex } from './bytes';
import { loadSodium, type Sodium } from './sodium';
import { deriveSubkey, SUBKEY_CONTEXTS, subkeyId, type SubkeyPurpose } from './subkeys';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i);
const OTHER_KEY = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);

let sodium: Sodium;

beforeAll(async () => {
  sodium = await loadSodium();
});

describe('subkey contexts', () => {
  it('are the 8-byte libsodium KDF contexts, one per purpose', () => {
    expect(SUBKEY_CONTEXTS).toEqual({
      field: 'hbfield1',
      index: 'hbbidx01',
      auditSigning: 'hbaudsig',
      auditMac: 'hbaudmac',
      requestMac: 'hbreqmac',
      deviceKey: 'hbdevkey',
    });
    for (const context of Object.values(SUBKEY_CONTEXTS)) {
      expect(Buffer.byteLength(context)).toBe(sodium.crypto_kdf_CONTEXTBYTES);
    }
  });
});

describe('subkeyId', () => {
  it('is the first 8 bytes, big-endian, of BLAKE2b-256 of the label', () => {
    // Known answer, computed independently with Python hashlib.blake2b(digest_size=32).
    expect(subkeyId(sodium, 'person.given_name')).toBe(0x4331e11fa19a4e95n);
    for (const label of ['', 'a', 'person.family_name', 'name_index', 'ü']) {
      const digest = sodium.crypto_generichash(32, new TextEncoder().encode(label), null);
      expect(subkeyId(sodium, label).toString(16).padStart(16, '0')).toBe(
        toHex(digest.subarray(0, 8)),
      );
    }
  });

  it('spans the full 64 bits', () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((label) => subkeyId(sodium, label));
    expect(ids.every((id) => id >= 0n && id < 2n ** 64n)).toBe(true);
    expect(ids.some((id) => id >= 2n ** 63n)).toBe(true);
  });
});

describe('deriveSubkey', () => {
  it('is crypto_kdf_derive_from_key(32, subkeyId(label), context, key)', () => {
    for (const purpose of ['field', 'index'] as const) {
      const label = 'person.given_name';
      expect(toHex(deriveSubkey(sodium, KEY, purpose, label))).toBe(
        toHex(
          sodium.crypto_kdf_derive_from_key(
            32,
            subkeyId(sodium, label),
            SUBKEY_CONTEXTS[purpose],
            KEY,
          ),
        ),
      );
    }
  });

  it('has a known answer (the golden field subkey, also computed with Python hashlib)', () => {
    expect(toHex(deriveSubkey(sodium, KEY, 'field', 'person.given_name'))).toBe(
      '7cfd210ad39027c9d2356d8be6404fa479502c4cb9aff9ac547a854735292b54',
    );
  });

  it('is deterministic and 32 bytes long', () => {
    fc.assert(
      fc.property(
        fc.string({ maxLength: 80 }),
        fc.constantFrom<SubkeyPurpose>('field', 'index'),
        (label, purpose) => {
          const a = deriveSubkey(sodium, KEY, purpose, label);
          const b = deriveSubkey(sodium, Uint8Array.from(KEY), purpose, label);
          expect(a).toHaveLength(32);
          expect(toHex(a)).toBe(toHex(b));
        },
      ),
      { numRuns: 200 },
    );
  });

  it('gives different subkeys for different labels', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (a, b) => {
        fc.pre(a !== b);
        expect(toHex(deriveSubkey(sodium, KEY, 'field', a))).not.toBe(
          toHex(deriveSubkey(sodium, KEY, 'field', b)),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('gives different subkeys for the two purposes under the same label, and for different keys', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (label) => {
        const field = toHex(deriveSubkey(sodium, KEY, 'field', label));
        const index = toHex(deriveSubkey(sodium, KEY, 'index', label));
        const otherKey = toHex(deriveSubkey(sodium, OTHER_KEY, 'field', label));
        expect(new Set([field, index, otherKey, toHex(KEY)]).size).toBe(4);
      }),
      { numRuns: 200 },
    );
  });

  it('never returns the parent key', () => {
    expect(toHex(deriveSubkey(sodium, KEY, 'field', ''))).not.toBe(toHex(KEY));
  });
});
