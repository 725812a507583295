import fc from 'fast-check';
import sodium from 'libsodium-wrappers';
import {
  BLIND_INDEX_DOMAIN,
  blindIndexMessage,
  blindIndexValue,
  compoundIndexValue,
  expectedCandidates,
  foldedNameTokens,
  foldedPairValues,
  foldedQueryValues,
  nameHoldsTokens,
  nameIndexValues,
  namePairValues,
  nameQueryValues,
  MAX_NAME_PAIR_TOKENS,
  recommendIndexBits,
  toSignedInt32,
} from './blind-index';
import { normaliseName } from './normalise';

const KEY = Uint8Array.from({ length: 32 }, (_, i) => i);
const keyArb = fc.uint8Array({ minLength: 32, maxLength: 32 });
const valueArb = fc.string({ unit: 'binary', minLength: 1, maxLength: 64 });
const bitsArb = fc.integer({ min: 1, max: 32 });
const RUNS = { seed: 20240601, numRuns: 300 };

function hex(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('hex');
}

function frame(text: string): number[] {
  const bytes = [...Buffer.from(text, 'utf8')];
  const n = bytes.length;
  return [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff, ...bytes];
}

beforeAll(async () => {
  await sodium.ready;
});

describe('blindIndexValue', () => {
  it('hashes the framed ("bidx/v1", index name, decimal version, value) with keyed BLAKE2b-256', () => {
    const message = blindIndexMessage('person.name', 1, ['quokka']);
    const manual = Uint8Array.from([
      ...frame('bidx/v1'),
      ...frame('person.name'),
      ...frame('1'),
      ...frame('quokka'),
    ]);
    expect(BLIND_INDEX_DOMAIN).toBe('bidx/v1');
    expect(hex(message)).toBe(hex(manual));
    expect(hex(message)).toBe(
      '00000007626964782f76310000000b706572736f6e2e6e616d6500000001310000000671756f6b6b61',
    );
    const digest = sodium.crypto_generichash(32, message, KEY);
    expect(hex(digest)).toBe('ca7720cb7aecf86eae18649d2099950506c2cbd5f645614e1b1c01410adc54c3');
    expect(blindIndexValue(sodium, KEY, 'person.name', 1, 'quokka', 32)).toBe(0xca7720cb);
  });

  it.each([
    [1, 1],
    [8, 0xca],
    [16, 0xca77],
    [20, 0xca772],
    [31, 0xca7720cb >>> 1],
    [32, 0xca7720cb],
  ])('keeps the top %i bits (test vector)', (bits, expected) => {
    expect(blindIndexValue(sodium, KEY, 'person.name', 1, 'quokka', bits)).toBe(expected);
  });

  it('separates index names, versions and values', () => {
    const base = blindIndexValue(sodium, KEY, 'person.name', 1, 'quokka', 32);
    expect(blindIndexValue(sodium, KEY, 'person.alias', 1, 'quokka', 32)).not.toBe(base);
    expect(blindIndexValue(sodium, KEY, 'person.name', 2, 'quokka', 32)).not.toBe(base);
    expect(blindIndexValue(sodium, KEY, 'person.name', 1, 'quokkb', 32)).not.toBe(base);
  });

  it('is deterministic for a key', () => {
    fc.assert(
      fc.property(keyArb, valueArb, bitsArb, (key, value, bits) => {
        const a = blindIndexValue(sodium, key, 'person.name', 1, value, bits);
        const b = blindIndexValue(sodium, Uint8Array.from(key), 'person.name', 1, value, bits);
        expect(a).toBe(b);
      }),
      RUNS,
    );
  });

  it("differs between two organisations' keys for the same value", () => {
    fc.assert(
      fc.property(keyArb, keyArb, valueArb, (orgA, orgB, value) => {
        fc.pre(hex(orgA) !== hex(orgB));
        // At 32 bits a chance collision has probability 2^-32 per sample.
        expect(blindIndexValue(sodium, orgA, 'person.name', 1, value, 32)).not.toBe(
          blindIndexValue(sodium, orgB, 'person.name', 1, value, 32),
        );
      }),
      RUNS,
    );
  });

  it('differs between keys that differ in a single bit', () => {
    const flipped = Uint8Array.from(KEY, (b, i) => (i === 31 ? b ^ 1 : b));
    expect(blindIndexValue(sodium, flipped, 'person.name', 1, 'quokka', 32)).not.toBe(
      blindIndexValue(sodium, KEY, 'person.name', 1, 'quokka', 32),
    );
  });

  it('always returns an integer in [0, 2^bits)', () => {
    fc.assert(
      fc.property(keyArb, valueArb, bitsArb, (key, value, bits) => {
        const v = blindIndexValue(sodium, key, 'person.name', 1, value, bits);
        expect(Number.isInteger(v)).toBe(true);
        expect(v).toBeGreaterThanOrEqual(0);
        expect(v).toBeLessThan(2 ** bits);
      }),
      RUNS,
    );
  });

  it('truncates consistently: the L-bit value is the top L bits of the 32-bit value', () => {
    fc.assert(
      fc.property(keyArb, valueArb, bitsArb, bitsArb, (key, value, a, b) => {
        const [small, large] = a <= b ? [a, b] : [b, a];
        const full = blindIndexValue(sodium, key, 'person.name', 1, value, 32);
        const big = blindIndexValue(sodium, key, 'person.name', 1, value, large);
        const little = blindIndexValue(sodium, key, 'person.name', 1, value, small);
        expect(little).toBe(full >>> (32 - small));
        // Coarsening an existing index needs no plaintext: shift right.
        expect(little).toBe(big >>> (large - small));
      }),
      RUNS,
    );
  });

  it('spreads values evenly enough at small widths', () => {
    const counts = new Array<number>(16).fill(0);
    for (let i = 0; i < 1600; i++) {
      const v = blindIndexValue(sodium, KEY, 'person.name', 1, `name${i}`, 4);
      counts[v] = counts[v]! + 1;
    }
    // Expected 100 per bucket; a uniform hash stays far inside these bounds.
    for (const count of counts) {
      expect(count).toBeGreaterThan(50);
      expect(count).toBeLessThan(150);
    }
  });

  it.each([[0], [33], [1.5], [Number.NaN], [-1]])('refuses bits = %p', (bits) => {
    expect(() => blindIndexValue(sodium, KEY, 'person.name', 1, 'quokka', bits)).toThrow(
      RangeError,
    );
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() =>
      blindIndexValue(sodium, new Uint8Array(31), 'person.name', 1, 'quokka', 16),
    ).toThrow(RangeError);
    expect(() =>
      blindIndexValue(sodium, new Uint8Array(64), 'person.name', 1, 'quokka', 16),
    ).toThrow(RangeError);
  });

  it('refuses a malformed index name, a bad version and an empty value', () => {
    expect(() => blindIndexValue(sodium, KEY, '', 1, 'quokka', 16)).toThrow(RangeError);
    expect(() => blindIndexValue(sodium, KEY, 'Person Name', 1, 'quokka', 16)).toThrow(RangeError);
    expect(() => blindIndexValue(sodium, KEY, 'person.name', 0, 'quokka', 16)).toThrow(RangeError);
    expect(() => blindIndexValue(sodium, KEY, 'person.name', 1.5, 'quokka', 16)).toThrow(
      RangeError,
    );
    expect(() => blindIndexValue(sodium, KEY, 'person.name', 1, '', 16)).toThrow(RangeError);
  });

  it('never puts the value in an error message', () => {
    const errors: string[] = [];
    for (const bits of [0, 40]) {
      try {
        blindIndexValue(sodium, KEY, 'person.name', 1, 'zzcanary', bits);
      } catch (error) {
        errors.push(String(error));
      }
    }
    try {
      blindIndexValue(sodium, new Uint8Array(3), 'person.name', 1, 'zzcanary', 8);
    } catch (error) {
      errors.push(String(error));
    }
    expect(errors).toHaveLength(3);
    for (const message of errors) expect(message).not.toContain('zzcanary');
  });
});

describe('nameIndexValues', () => {
  it('stores one value per token and per Latin-folded variant token', () => {
    const values = nameIndexValues(sodium, KEY, 'person.name', 'Nguyễn Thị Lan', 32);
    const expected = ['lan', 'nguyen', 'nguyễn', 'thi', 'thị'].map((token) =>
      blindIndexValue(sodium, KEY, 'person.name', 1, token, 32),
    );
    expect(values).toEqual([...expected].sort((a, b) => a - b));
  });

  it('stores only the exact tokens when there is nothing to fold', () => {
    expect(nameIndexValues(sodium, KEY, 'person.name', '王 芳', 32)).toHaveLength(2);
    expect(nameIndexValues(sodium, KEY, 'person.name', 'สมหญิง รักไทย', 32)).toHaveLength(2);
  });

  it('de-duplicates values (tokens and, at small widths, collisions)', () => {
    expect(nameIndexValues(sodium, KEY, 'person.name', 'Lan lan LAN', 32)).toHaveLength(1);
    const tiny = nameIndexValues(sodium, KEY, 'person.name', 'a b c d e f g h', 1);
    expect(tiny.length).toBeLessThanOrEqual(2);
    expect(new Set(tiny).size).toBe(tiny.length);
  });

  it('stores nothing for a name without tokens', () => {
    expect(nameIndexValues(sodium, KEY, 'person.name', ' - ', 16)).toEqual([]);
  });

  it('gives unrelated values under two organisations’ keys', () => {
    const other = Uint8Array.from(KEY, (b) => b ^ 0xff);
    const a = nameIndexValues(sodium, KEY, 'person.name', 'Quokka Zzcanary', 32);
    const b = nameIndexValues(sodium, other, 'person.name', 'Quokka Zzcanary', 32);
    expect(a.filter((v) => b.includes(v))).toEqual([]);
  });
});

describe('nameQueryValues', () => {
  const stored = (name: string): number[] => nameIndexValues(sodium, KEY, 'person.name', name, 20);
  const query = (name: string): number[] => nameQueryValues(sodium, KEY, 'person.name', name, 20);
  const matches = (q: string, name: string): boolean =>
    query(q).every((value) => stored(name).includes(value));

  it('finds a name with diacritics from a query without them, and the reverse', () => {
    expect(matches('Nguyen Thi Lan', 'Nguyễn Thị Lan')).toBe(true);
    expect(matches('Nguyễn Thị Lan', 'Nguyen Thi Lan')).toBe(true);
    expect(matches('lan nguyễn', 'Nguyễn Thị Lan')).toBe(true);
    expect(matches("Nunez O'Brien", "Núñez-O'Brien")).toBe(true);
  });

  it('finds non-Latin names by their exact tokens', () => {
    expect(matches('รักไทย', 'สมหญิง รักไทย')).toBe(true);
    expect(matches('ㄱㅣㅁ', '김 지은')).toBe(true);
    expect(matches('陳', '美玲 陈')).toBe(false);
  });

  it('returns one value per distinct folded token', () => {
    expect(query('Nguyễn Nguyen nguyen')).toHaveLength(1);
    expect(query('')).toEqual([]);
    expect(normaliseName('Nguyễn Nguyen')).toHaveLength(2);
  });
});

describe('compoundIndexValue', () => {
  const compound = (parts: readonly string[]): number =>
    compoundIndexValue(sodium, KEY, 'person.family_birth_year', parts, 32);

  it('normalises each part', () => {
    expect(compound(['NGUYỄN', '1990'])).toBe(compound([' nguyễn ', '１９９０']));
  });

  it('frames the parts in order', () => {
    expect(compound(['nguyen', '1990'])).not.toBe(compound(['1990', 'nguyen']));
    expect(compound(['ab', 'c'])).not.toBe(compound(['a', 'bc']));
    expect(compound(['nguyen', '1990'])).not.toBe(
      blindIndexValue(sodium, KEY, 'person.family_birth_year', 1, 'nguyen 1990', 32),
    );
  });

  it('equals the framed message of the normalised parts', () => {
    const digest = sodium.crypto_generichash(
      32,
      blindIndexMessage('person.family_birth_year', 1, ['nguyễn', '1990']),
      KEY,
    );
    const top = ((digest[0]! << 24) | (digest[1]! << 16) | (digest[2]! << 8) | digest[3]!) >>> 0;
    expect(compound(['Nguyễn', '1990'])).toBe(top);
  });

  it('needs at least two non-empty parts', () => {
    expect(() => compound(['nguyen'])).toThrow(RangeError);
    expect(() => compound([])).toThrow(RangeError);
    expect(() => compound(['nguyen', ' - '])).toThrow(RangeError);
  });
});

describe('toSignedInt32', () => {
  it('maps 32-bit values into the signed integer range and back', () => {
    expect(toSignedInt32(0)).toBe(0);
    expect(toSignedInt32(0x7fffffff)).toBe(0x7fffffff);
    expect(toSignedInt32(0x80000000)).toBe(-0x80000000);
    expect(toSignedInt32(0xffffffff)).toBe(-1);
    expect(toSignedInt32(0xca7720cb) >>> 0).toBe(0xca7720cb);
  });
});

describe('planner', () => {
  it('R = 1,000,000 → L = 18, about 3.8 rows per value', () => {
    const r = recommendIndexBits(1_000_000);
    expect(r.bits).toBe(18);
    expect(r.expectedCollisionsPerValue).toBeCloseTo(3.8147, 4);
    expect(r.expectedCollisionsPerValue).toBeGreaterThanOrEqual(2);
    expect(r.expectedCollisionsPerValue).toBeLessThanOrEqual(Math.sqrt(1_000_000));
    expect(expectedCandidates(1_000_000, r.bits + 1)).toBeLessThan(2); // L is the largest
    expect(r.withinBounds).toBe(true);
  });

  it('R = 100 → L = 5, 3.125 rows per value (≤ √100 = 10)', () => {
    expect(recommendIndexBits(100)).toEqual({
      bits: 5,
      expectedCollisionsPerValue: 3.125,
      withinBounds: true,
    });
  });

  it('R = 3 → no L satisfies the bounds; L = 1 (two buckets)', () => {
    expect(recommendIndexBits(3)).toEqual({
      bits: 1,
      expectedCollisionsPerValue: 1.5,
      withinBounds: false,
    });
    expect(recommendIndexBits(0).bits).toBe(1);
  });

  it('R = 5, 6, 7 have no power of two in [√R, R/2]; R = 4 and 8 do', () => {
    expect([4, 5, 6, 7, 8].map((r) => recommendIndexBits(r).withinBounds)).toEqual([
      true,
      false,
      false,
      false,
      true,
    ]);
  });

  it('satisfies 2 ≤ R/2^L ≤ √R, with L the largest such, for every R from 16 to 2^33', () => {
    fc.assert(
      fc.property(fc.integer({ min: 16, max: 2 ** 33 }), (rows) => {
        const { bits, expectedCollisionsPerValue: e, withinBounds } = recommendIndexBits(rows);
        expect(e).toBe(expectedCandidates(rows, bits));
        expect(e).toBeGreaterThanOrEqual(2);
        expect(e).toBeLessThanOrEqual(Math.sqrt(rows));
        expect(withinBounds).toBe(true);
        if (bits < 32) expect(expectedCandidates(rows, bits + 1)).toBeLessThan(2);
      }),
      { seed: 7, numRuns: 300 },
    );
  });

  it('refuses nonsense', () => {
    expect(() => recommendIndexBits(-1)).toThrow(RangeError);
    expect(() => recommendIndexBits(Number.NaN)).toThrow(RangeError);
    expect(() => expectedCandidates(10, 0)).toThrow(RangeError);
  });
});

describe('namePairValues', () => {
  const pairs = (name: string, bits = 32): number[] | null =>
    namePairValues(sodium, KEY, 'person.name_pair', name, bits);
  const holdsEvery = (query: string, name: string): boolean =>
    pairs(query)!.every((value) => pairs(name)!.includes(value));

  it('gives one value per unordered pair of distinct folded tokens', () => {
    expect(pairs('Nguyễn Thị Lan')).toHaveLength(3);
    expect(pairs('Lan')).toEqual([]);
    expect(pairs('Lan lan LAN')).toEqual([]);
    expect(pairs(' - ')).toEqual([]);
  });

  it('is the same for any order, case, spacing and diacritics', () => {
    const expected = pairs('Nguyễn Thị Lan');
    expect(pairs('lan  NGUYEN thi')).toEqual(expected);
    expect(pairs('Thi-Lan Nguyen')).toEqual(expected);
  });

  it('finds a longer name from any two or more of its tokens', () => {
    expect(holdsEvery('Lan Nguyen', 'Nguyễn Thị Lan')).toBe(true);
    expect(holdsEvery('thi lan', 'Nguyễn Thị Lan')).toBe(true);
    expect(holdsEvery('Lan Tran', 'Nguyễn Thị Lan')).toBe(false);
  });

  it('frames the two parts, so a pair never equals a token value or another split', () => {
    const [pair] = pairs('ab c')!;
    expect(pair).not.toBe(blindIndexValue(sodium, KEY, 'person.name_pair', 1, 'ab', 32));
    expect(pair).not.toBe(blindIndexValue(sodium, KEY, 'person.name_pair', 1, 'c', 32));
    expect(pairs('ab c')).not.toEqual(pairs('a bc'));
  });

  it('gives no pairs (null) for a name with more distinct tokens than the limit', () => {
    const tokens = ['ana', 'bo', 'cy', 'di', 'ed', 'fa', 'gu', 'ho', 'iv'];
    expect(pairs(tokens.slice(0, MAX_NAME_PAIR_TOKENS).join(' '))).toHaveLength(28);
    expect(pairs(tokens.slice(0, MAX_NAME_PAIR_TOKENS + 1).join(' '))).toBeNull();
  });

  it('truncates to the width asked for', () => {
    const full = pairs('Nguyen Lan', 32)!;
    expect(pairs('Nguyen Lan', 12)).toEqual(full.map((v) => v >>> 20));
  });
});

describe('a name folded once', () => {
  it('gives the query and pair values the name itself gives', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), bitsArb, (name, bits) => {
        const tokens = foldedNameTokens(name);
        if (tokens.length === 0) return;
        expect(foldedQueryValues(sodium, KEY, 'person.name', tokens, bits)).toEqual(
          nameQueryValues(sodium, KEY, 'person.name', name, bits),
        );
        expect(foldedPairValues(sodium, KEY, 'person.name_pair', tokens, bits)).toEqual(
          namePairValues(sodium, KEY, 'person.name_pair', name, bits),
        );
      }),
      RUNS,
    );
  });

  it('folds to the distinct folded tokens, sorted', () => {
    expect(foldedNameTokens('Nguyễn Thị LAN nguyen')).toEqual(['lan', 'nguyen', 'thi']);
    expect(foldedNameTokens(' - ')).toEqual([]);
  });

  it('is held by a stored name with every token, as written or folded', () => {
    expect(nameHoldsTokens('Nguyễn Thị Lan', foldedNameTokens('lan nguyen'))).toBe(true);
    expect(nameHoldsTokens('Nguyen Lan', foldedNameTokens('Nguyễn'))).toBe(true);
    expect(nameHoldsTokens('Nguyễn Thị Lan', foldedNameTokens('Lan Tran'))).toBe(false);
    expect(nameHoldsTokens('', foldedNameTokens('Lan'))).toBe(false);
    expect(nameHoldsTokens('Lan', foldedNameTokens(' - '))).toBe(false);
  });
});
