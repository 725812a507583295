import { toHex } from './bytes';
import {
  generateRecoveryCodes,
  hashRecoveryCode,
  normaliseRecoveryCode,
  RECOVERY_CODE_ALPHABET,
  RECOVERY_CODE_BITS,
  recoveryCodeMatches,
} from './recovery-codes';

const FORMAT = /^[0-9A-HJKMNP-TV-Z]{5}(?:-[0-9A-HJKMNP-TV-Z]{5}){4}$/;

describe('generateRecoveryCodes', () => {
  it('returns ten codes of the form XXXXX-XXXXX-XXXXX-XXXXX-XXXXX from the unambiguous alphabet', () => {
    const codes = generateRecoveryCodes();
    expect(codes).toHaveLength(10);
    for (const code of codes) {
      expect(code).toMatch(FORMAT);
      expect(code).not.toMatch(/[ILOU]/);
    }
    expect(RECOVERY_CODE_ALPHABET).toHaveLength(32);
    expect(new Set(RECOVERY_CODE_ALPHABET).size).toBe(32);
    expect(RECOVERY_CODE_BITS).toBe(125);
    // ASVS v5.0.0-6.5.2: an unsalted hash is acceptable for look-up secrets of 112 bits or more.
    expect(RECOVERY_CODE_BITS).toBeGreaterThanOrEqual(112);
  });

  it('honours count, within bounds', () => {
    expect(generateRecoveryCodes(1)).toHaveLength(1);
    expect(generateRecoveryCodes(16)).toHaveLength(16);
    for (const count of [0, -1, 1.5, 101, Number.NaN]) {
      expect(() => generateRecoveryCodes(count)).toThrow(RangeError);
    }
  });

  it('never repeats a code over many draws, and uses every character about equally', () => {
    const seen = new Set<string>();
    const counts = new Map<string, number>();
    const batches = 2_000;
    for (let i = 0; i < batches; i++) {
      const batch = generateRecoveryCodes();
      expect(new Set(batch).size).toBe(batch.length);
      for (const code of batch) {
        expect(seen.has(code)).toBe(false);
        seen.add(code);
        for (const c of code.replaceAll('-', '')) counts.set(c, (counts.get(c) ?? 0) + 1);
      }
    }
    expect(seen.size).toBe(batches * 10);
    // 500,000 characters over 32 symbols: 15,625 each, standard deviation ≈ 123. ±20 % is 25σ.
    expect([...counts.keys()].sort().join('')).toBe(RECOVERY_CODE_ALPHABET);
    for (const n of counts.values()) {
      expect(n).toBeGreaterThan(12_500);
      expect(n).toBeLessThan(18_750);
    }
  });
});

describe('normaliseRecoveryCode', () => {
  it.each([
    ['7Q2M9-XZT4R-ABCDE-FGHJK-MNPQR', '7Q2M9XZT4RABCDEFGHJKMNPQR'],
    ['7q2m9-xzt4r-abcde-fghjk-mnpqr', '7Q2M9XZT4RABCDEFGHJKMNPQR'],
    [' 7q2m9 xzt4r abcde fghjk mnpqr ', '7Q2M9XZT4RABCDEFGHJKMNPQR'],
    ['7Q2M9XZT4RABCDEFGHJKMNPQR', '7Q2M9XZT4RABCDEFGHJKMNPQR'],
    ['7Q-2M-9X-ZT-4R-ABCDE-FGHJK-MNPQR', '7Q2M9XZT4RABCDEFGHJKMNPQR'],
    ['7Q2M9\u2013XZT4R-ABCDE-FGHJK-MNPQR', '7Q2M9XZT4RABCDEFGHJKMNPQR'], // en dash from a word processor
    ['O0OOO-ooooo-ABCDE-FGHJK-MNPQR', '0000000000ABCDEFGHJKMNPQR'],
    ['1ILil-LLLLL-ABCDE-FGHJK-MNPQR', '1111111111ABCDEFGHJKMNPQR'],
  ])('%p → %p', (typed, canonical) => {
    expect(normaliseRecoveryCode(typed)).toBe(canonical);
  });

  it.each([
    '',
    '-----',
    '7Q2M9-XZT4-ABCDE-FGHJK-MNPQR', // too short
    '7Q2M9-XZT4RR-ABCDE-FGHJK-MNPQR', // too long
    '7Q2M9-XZT4U-ABCDE-FGHJK-MNPQR', // U is not a Crockford digit
    '7Q2M9_XZT4R-ABCDE-FGHJK-MNPQR',
    '7Q2M9.XZT4R-ABCDE-FGHJK-MNPQR',
    '7Q2M9-XZT4Ｒ-ABCDE-FGHJK-MNPQR', // full-width letter
    '7Q2M9-XZT4ı-ABCDE-FGHJK-MNPQR', // dotless i: would upper-case to I
    `7Q2M9-XZT4R-ABCDE-FGHJK-MNPQR${' '.repeat(60)}`,
  ])('refuses %p', (typed) => {
    expect(normaliseRecoveryCode(typed)).toBeNull();
  });
});

describe('hashRecoveryCode', () => {
  it('is SHA-256 over the domain-separated canonical code (known answers)', () => {
    // python3: hashlib.sha256(b'harbour.recovery-code/v1\x00' + code).hexdigest()
    expect(toHex(hashRecoveryCode('00000-00000-ABCDE-FGHJK-MNPQR'))).toBe(
      'b565a83ce3a823cd0ffa08bbdb2b0fb6cd968ea32b30c0856f74f48e49557904',
    );
    expect(toHex(hashRecoveryCode('ABCDE-FGHJK-ABCDE-FGHJK-MNPQR'))).toBe(
      '15e72dc5680df884089369a262e2c7c42f036392bd846031bba56e3732b1d87f',
    );
    expect(toHex(hashRecoveryCode('7Q2M9-XZT4R-ABCDE-FGHJK-MNPQR'))).toBe(
      'c6a4985a594270b6488cd496c3a912a9b25f09cd87d0a4ba24b0e87d030b3ddc',
    );
  });

  it('gives the same hash for every spelling of one code', () => {
    const hash = toHex(hashRecoveryCode('10A0B-L1CDE-ABCDE-FGHJK-MNPQR'));
    for (const spelling of [
      '10a0b-l1cde-abcde-fghjk-mnpqr',
      'IOAOB LICDE ABCDE FGHJK MNPQR',
      'lOaob-iLcde-ABCDE-FGHJK-MNPQR',
      '10A0BL1CDEABCDEFGHJKMNPQR',
    ]) {
      expect(toHex(hashRecoveryCode(spelling))).toBe(hash);
    }
  });

  it('maps anything that is not a code to one fixed hash that no code has', () => {
    const malformed = toHex(hashRecoveryCode('not a code'));
    // python3: hashlib.sha256(b'harbour.recovery-code/v1\x01').hexdigest()
    expect(malformed).toBe('a9ca13c1025cd83c7f7eb7f29f56953ec765c1c6e053aaf656da99b5ecf3e404');
    for (const input of [
      '',
      '7Q2M9-XZT4U-ABCDE-FGHJK-MNPQR',
      '7Q2M9-XZT4RR-ABCDE-FGHJK-MNPQR',
      'x'.repeat(10_000),
    ]) {
      expect(toHex(hashRecoveryCode(input))).toBe(malformed);
    }
    for (const code of generateRecoveryCodes(100)) {
      expect(toHex(hashRecoveryCode(code))).not.toBe(malformed);
    }
    expect(recoveryCodeMatches('not a code', hashRecoveryCode('not a code'))).toBe(false);
  });
});

describe('recoveryCodeMatches', () => {
  const [code] = generateRecoveryCodes(1) as [string];
  const hash = hashRecoveryCode(code);

  it('matches the code however it is typed', () => {
    expect(recoveryCodeMatches(code, hash)).toBe(true);
    expect(recoveryCodeMatches(code.toLowerCase(), hash)).toBe(true);
    expect(recoveryCodeMatches(code.replaceAll('-', ' '), hash)).toBe(true);
    expect(recoveryCodeMatches(` ${code.replaceAll('-', '')} `, hash)).toBe(true);
  });

  it('does not match any other code', () => {
    const canonical = code.replaceAll('-', '');
    for (let i = 0; i < canonical.length; i++) {
      const replacement = canonical[i] === 'Z' ? 'Y' : 'Z';
      const changed = canonical.slice(0, i) + replacement + canonical.slice(i + 1);
      expect(recoveryCodeMatches(changed, hash)).toBe(false);
    }
    for (const other of generateRecoveryCodes(50)) {
      if (other !== code) expect(recoveryCodeMatches(other, hash)).toBe(false);
    }
  });

  it('is false for malformed input and malformed hashes', () => {
    expect(recoveryCodeMatches('', hash)).toBe(false);
    expect(recoveryCodeMatches(`${code}0`, hash)).toBe(false);
    expect(recoveryCodeMatches(code.slice(0, -1), hash)).toBe(false);
    expect(recoveryCodeMatches(code, hash.subarray(0, 31))).toBe(false);
    expect(recoveryCodeMatches(code, new Uint8Array(32))).toBe(false);
    expect(recoveryCodeMatches(123 as unknown as string, hash)).toBe(false);
  });
});
