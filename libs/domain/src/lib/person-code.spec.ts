import fc from 'fast-check';
import {
  CROCKFORD_ALPHABET,
  generatePersonCode,
  isPersonCode,
  parsePersonCode,
  personCodeCheckSymbol,
} from './person-code';

describe('person codes', () => {
  it('look like HB-XXXX-XXXX in Crockford base32 and pass their own check', () => {
    for (let i = 0; i < 500; i++) {
      const code = generatePersonCode();
      expect(code).toMatch(/^HB-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$/);
      expect(isPersonCode(code)).toBe(true);
      expect(parsePersonCode(code)).toBe(code);
    }
  });

  it('use the random bytes they are given (low five bits per symbol)', () => {
    const code = generatePersonCode((bytes) => bytes.set([0, 1, 2, 3, 31, 32 + 4, 255]));
    expect(code.slice(0, 11)).toBe('HB-0123-Z4Z');
  });

  it('draw every symbol about equally often', () => {
    const counts = new Map<string, number>();
    for (let i = 0; i < 4_000; i++) {
      const code = generatePersonCode().replace(/^HB-|-/g, '');
      for (const symbol of code.slice(0, 7)) counts.set(symbol, (counts.get(symbol) ?? 0) + 1);
    }
    expect(counts.size).toBe(32);
    // 28,000 symbols: 875 expected each; a fair source stays well within ±25 %.
    for (const count of counts.values()) expect(Math.abs(count - 875)).toBeLessThan(220);
  });

  it('read back what people type: case, spaces, hyphens, I/L for 1, O for 0, prefix optional', () => {
    const body = '7K2Q1M0';
    const code = `HB-7K2Q-1M0${personCodeCheckSymbol(body)}`;
    const check = code.at(-1)!;
    for (const typed of [
      code,
      code.toLowerCase(),
      `hb 7k2q 1m0${check}`,
      `7K2Q-1M0${check}`,
      `7k2ql m o${check}`.replace('l m o', '1mO'),
      `HB7K2QIM0${check}`,
      ` hb-7K2Q-lMo${check.toLowerCase()} `,
    ]) {
      expect(parsePersonCode(typed)).toBe(code);
    }
  });

  it('refuse anything else', () => {
    for (const bad of [
      '',
      'HB-',
      'HB-7K2Q-M9X',
      'HB-7K2Q-M9XFF',
      'HB-7K2Q-M9U1',
      'XX-7K2Q-M9XF-1',
      'HB-7K2Q-M9X!',
      'a'.repeat(100),
    ]) {
      expect(parsePersonCode(bad)).toBeNull();
    }
    expect(isPersonCode('hb-7k2q-m9xf')).toBe(false);
    expect(isPersonCode(42)).toBe(false);
  });

  it('catch every single wrong symbol, and every swap of neighbours but 0 ↔ Z (Luhn mod 32)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 31 }), { minLength: 7, maxLength: 7 }),
        fc.integer({ min: 0, max: 7 }),
        fc.integer({ min: 1, max: 31 }),
        (values, position, shift) => {
          const body = values.map((v) => CROCKFORD_ALPHABET[v]!).join('');
          const symbols = body + personCodeCheckSymbol(body);
          const wrong =
            symbols.slice(0, position) +
            CROCKFORD_ALPHABET[(CROCKFORD_ALPHABET.indexOf(symbols[position]!) + shift) % 32]! +
            symbols.slice(position + 1);
          expect(parsePersonCode(wrong)).toBeNull();
          const pair = new Set([symbols[position], symbols[position + 1]]);
          const luhnBlindSpot = pair.has('0') && pair.has('Z');
          if (position < 7 && pair.size === 2 && !luhnBlindSpot) {
            const swapped =
              symbols.slice(0, position) +
              symbols[position + 1]! +
              symbols[position]! +
              symbols.slice(position + 2);
            expect(parsePersonCode(swapped)).toBeNull();
          }
        },
      ),
      { numRuns: 2_000 },
    );
    // The one blind spot of Luhn mod N: 0 and N−1 swapped.
    const body = '0Z00000';
    const code = parsePersonCode(body + personCodeCheckSymbol(body))!;
    expect(parsePersonCode(code.replace('0Z', 'Z0'))).not.toBeNull();
  });
});
