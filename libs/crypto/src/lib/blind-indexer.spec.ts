import fc from 'fast-check';
import { createCrypto, type HarbourCrypto } from './harbour-crypto';
import type { SecretKey } from './secret-key';

/** The blind indexes as the API uses them: per-organisation index keys, per-index subkeys. */
describe('HarbourCrypto.blindIndex', () => {
  let crypto: HarbourCrypto;
  let orgA: SecretKey;
  let orgB: SecretKey;

  beforeAll(async () => {
    crypto = await createCrypto();
    orgA = crypto.generateKey(1);
    orgB = crypto.generateKey(1);
  });

  it('is deterministic per key and differs across organisations', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }).filter((s) => /\p{L}/u.test(s)),
        (name) => {
          const a1 = crypto.blindIndex.nameValues(orgA, 'person.name', name, 32);
          const a2 = crypto.blindIndex.nameValues(orgA, 'person.name', name, 32);
          const b = crypto.blindIndex.nameValues(orgB, 'person.name', name, 32);
          expect(a2).toEqual(a1);
          expect(b).not.toEqual(a1);
        },
      ),
      { numRuns: 200, seed: 20261122 },
    );
  });

  it('derives a separate subkey per index name', () => {
    const family = crypto.blindIndex.value(orgA, 'person.family_name', 'text', 'Jaidee', 32);
    const alias = crypto.blindIndex.value(orgA, 'person.alias', 'text', 'Jaidee', 32);
    expect(family).not.toBe(alias);
  });

  it('finds a name written in another order, case and spacing', () => {
    const stored = crypto.blindIndex.nameValues(orgA, 'person.name', 'Somchai Jaidee', 20);
    const query = crypto.blindIndex.nameQuery(orgA, 'person.name', '  jaidee   SOMCHAI ', 20);
    expect(query.every((value) => stored.includes(value))).toBe(true);
  });

  it('finds a Vietnamese name typed without diacritics', () => {
    const stored = crypto.blindIndex.nameValues(orgA, 'person.name', 'Nguyễn Thị Lan', 20);
    const query = crypto.blindIndex.nameQuery(orgA, 'person.name', 'nguyen thi lan', 20);
    expect(query.every((value) => stored.includes(value))).toBe(true);
  });

  it('indexes SLK-581 and compound values without returning the raw key', () => {
    const input = {
      familyName: 'Jaidee',
      givenName: 'Somchai',
      dateOfBirth: '1990-04-12',
      sex: 'male',
    } as const;
    const slk = crypto.blindIndex.slk581(orgA, input, 24, {
      now: new Date('2026-11-22T00:00:00Z'),
    });
    expect(Object.keys(slk).sort()).toEqual(['issues', 'quality', 'value']);
    expect(slk.quality).toBe('full');
    expect(slk.value).toBeGreaterThanOrEqual(0);
    expect(slk.value).toBeLessThan(2 ** 24);
    expect(JSON.stringify(slk)).not.toMatch(/AID|OMC/);
    const compound = crypto.blindIndex.compound(orgA, 'person.family_year', ['Jaidee', '1990'], 24);
    expect(compound).toBe(
      crypto.blindIndex.compound(orgA, 'person.family_year', ['JAIDEE', '1990'], 24),
    );
    expect(compound).not.toBe(
      crypto.blindIndex.compound(orgB, 'person.family_year', ['Jaidee', '1990'], 24),
    );
  });

  it('stops working once the index key is destroyed', () => {
    const key = crypto.generateKey(9);
    crypto.blindIndex.value(key, 'person.phone', 'phone', '+61 400 000 000', 20);
    key.destroy();
    expect(() =>
      crypto.blindIndex.value(key, 'person.phone', 'phone', '+61 400 000 000', 20),
    ).toThrow(/destroyed/);
  });
});
