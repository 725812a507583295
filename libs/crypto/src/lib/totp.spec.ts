import fc from 'fast-check';
import { utf8 } from './bytes';
import {
  decodeBase32,
  encodeBase32,
  generateTotpSecret,
  hotp,
  otpauthUri,
  TOTP_SECRET_BYTES,
  totpCode,
  totpTimeStep,
  verifyTotp,
} from './totp';

/** The seed of RFC 4226 Appendix D and RFC 6238 Appendix B (SHA-1): ASCII "1234567890" × 2. */
const RFC_SEED = utf8('12345678901234567890');

describe('RFC 4648 base32', () => {
  // RFC 4648 §10.
  const VECTORS: readonly [string, string, string][] = [
    ['', '', ''],
    ['f', 'MY', 'MY======'],
    ['fo', 'MZXQ', 'MZXQ===='],
    ['foo', 'MZXW6', 'MZXW6==='],
    ['foob', 'MZXW6YQ', 'MZXW6YQ='],
    ['fooba', 'MZXW6YTB', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI', 'MZXW6YTBOI======'],
  ];

  it.each(VECTORS)(
    '%p encodes to %p (no padding) and decodes from both forms',
    (plain, bare, padded) => {
      expect(encodeBase32(utf8(plain))).toBe(bare);
      expect(Buffer.from(decodeBase32(bare)).toString('utf8')).toBe(plain);
      expect(Buffer.from(decodeBase32(padded)).toString('utf8')).toBe(plain);
    },
  );

  it('decodes case-insensitively and ignores spaces', () => {
    expect(Buffer.from(decodeBase32('mzxw 6ytb oi')).toString()).toBe('foobar');
    expect(Buffer.from(decodeBase32(' MzXw6YtBoI ')).toString()).toBe('foobar');
    expect(Buffer.from(decodeBase32('GEZD GNBV GY3T QOJQ\tGEZD GNBV GY3T QOJQ'))).toEqual(
      Buffer.from(RFC_SEED),
    );
  });

  it.each([
    'MZXW1', // 1 is not a base32 digit
    'MZXW6YTB0I', // nor is 0
    'MZXW6YTB8I',
    'MZXW6-YTBOI',
    'MZ=XW6YTBOI',
    'MZXW6YTBOÏ',
    'MZXW6YTBO\u0130',
    'M', // 5 bits: no whole byte
    'MZX', // 15 bits
    'MZXW6Y', // 30 bits
    'MZ', // non-zero leftover bits (the canonical form is MY)
    'MZXR', // likewise (canonical: MZXQ)
  ])('refuses %p', (text) => {
    expect(() => decodeBase32(text)).toThrow(RangeError);
  });

  it('round-trips any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => {
        const text = encodeBase32(bytes);
        expect(text).toMatch(/^[A-Z2-7]*$/);
        expect(decodeBase32(text)).toEqual(bytes);
        expect(decodeBase32(text.toLowerCase())).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });
});

describe('generateTotpSecret', () => {
  it('returns 160 random bits (32 base32 characters)', () => {
    const a = generateTotpSecret();
    const b = generateTotpSecret();
    expect(a).toBeInstanceOf(Uint8Array);
    expect(a).toHaveLength(TOTP_SECRET_BYTES);
    expect(TOTP_SECRET_BYTES).toBe(20);
    expect(encodeBase32(a)).toHaveLength(32);
    expect(a).not.toEqual(b);
  });
});

describe('HOTP (RFC 4226 Appendix D)', () => {
  const EXPECTED = [
    '755224',
    '287082',
    '359152',
    '969429',
    '338314',
    '254676',
    '287922',
    '162583',
    '399871',
    '520489',
  ];

  it.each(EXPECTED.map((code, counter) => [counter, code] as const))(
    'counter %p → %p',
    (counter, code) => {
      expect(hotp(RFC_SEED, counter)).toBe(code);
    },
  );
});

describe('TOTP (RFC 6238 Appendix B, SHA-1)', () => {
  // [T in seconds, step (hex in the RFC), 8-digit TOTP]
  const VECTORS: readonly [number, number, string][] = [
    [59, 0x1, '94287082'],
    [1111111109, 0x23523ec, '07081804'],
    [1111111111, 0x23523ed, '14050471'],
    [1234567890, 0x273ef07, '89005924'],
    [2000000000, 0x3f940aa, '69279037'],
    [20000000000, 0x27bc86aa, '65353130'],
  ];

  it.each(VECTORS)('T = %p (step %p) → %p', (seconds, step, eight) => {
    expect(totpTimeStep(seconds * 1000)).toBe(step);
    expect(hotp(RFC_SEED, step, 8)).toBe(eight);
    // Six digits are the same truncated value mod 10^6: the last six of the RFC's eight.
    expect(totpCode(RFC_SEED, step)).toBe(eight.slice(-6));
    expect(verifyTotp(RFC_SEED, eight.slice(-6), seconds * 1000)).toEqual({ ok: true, step });
  });

  it('zero-pads codes', () => {
    expect(totpCode(RFC_SEED, 0x23523ec)).toBe('081804');
    expect(totpCode(RFC_SEED, 0x273ef07)).toBe('005924');
  });

  it('refuses short secrets and invalid steps', () => {
    expect(() => totpCode(new Uint8Array(16), 1)).toThrow(RangeError);
    expect(() => totpCode(RFC_SEED, -1)).toThrow(RangeError);
    expect(() => totpCode(RFC_SEED, 1.5)).toThrow(RangeError);
    expect(() => totpCode(RFC_SEED, Number.NaN)).toThrow(RangeError);
    expect(() => totpTimeStep(Number.NaN)).toThrow(RangeError);
  });
});

describe('verifyTotp', () => {
  const secret = RFC_SEED;
  // 1111111111 s: step 0x23523ed, one second into it.
  const now = 1111111111 * 1000;
  const step = totpTimeStep(now);
  const codeAt = (offset: number) => totpCode(secret, step + offset);

  it('accepts the current step and one step either side, reporting the step', () => {
    expect(verifyTotp(secret, codeAt(0), now)).toEqual({ ok: true, step });
    expect(verifyTotp(secret, codeAt(-1), now)).toEqual({ ok: true, step: step - 1 });
    expect(verifyTotp(secret, codeAt(1), now)).toEqual({ ok: true, step: step + 1 });
  });

  it('rejects codes from two or more steps away', () => {
    for (const offset of [-3, -2, 2, 3]) {
      expect(verifyTotp(secret, codeAt(offset), now)).toEqual({ ok: false, reason: 'mismatch' });
    }
  });

  it('honours a narrower window', () => {
    expect(verifyTotp(secret, codeAt(1), now, { window: 0 })).toEqual({
      ok: false,
      reason: 'mismatch',
    });
    expect(() => verifyTotp(secret, codeAt(0), now, { window: -1 })).toThrow(RangeError);
    expect(() => verifyTotp(secret, codeAt(0), now, { window: 1.5 })).toThrow(RangeError);
  });

  it('uses the step boundaries of the clock', () => {
    const start = step * 30_000;
    expect(verifyTotp(secret, codeAt(-1), start, { window: 0 })).toMatchObject({ ok: false });
    expect(verifyTotp(secret, codeAt(0), start, { window: 0 })).toEqual({ ok: true, step });
    expect(verifyTotp(secret, codeAt(0), start + 29_999, { window: 0 })).toEqual({
      ok: true,
      step,
    });
    expect(verifyTotp(secret, codeAt(0), start + 30_000, { window: 0 })).toMatchObject({
      ok: false,
    });
  });

  it('accepts each code once: the same step again is a replay', () => {
    const first = verifyTotp(secret, codeAt(0), now, { lastUsedStep: null });
    expect(first).toEqual({ ok: true, step });
    const lastUsedStep = first.ok ? first.step : null;
    expect(verifyTotp(secret, codeAt(0), now, { lastUsedStep })).toEqual({
      ok: false,
      reason: 'replayed',
    });
    // Still a replay ten seconds later, within the same step or the next.
    expect(verifyTotp(secret, codeAt(0), now + 10_000, { lastUsedStep })).toEqual({
      ok: false,
      reason: 'replayed',
    });
    expect(verifyTotp(secret, codeAt(0), now + 30_000, { lastUsedStep })).toEqual({
      ok: false,
      reason: 'replayed',
    });
  });

  it('refuses codes of steps before the last one used, even inside the window', () => {
    // A code from the next step (clock skew) was accepted; the current one is now stale.
    expect(verifyTotp(secret, codeAt(0), now, { lastUsedStep: step + 1 })).toEqual({
      ok: false,
      reason: 'replayed',
    });
    expect(verifyTotp(secret, codeAt(-1), now, { lastUsedStep: step })).toEqual({
      ok: false,
      reason: 'replayed',
    });
    // A later code after an earlier one is fine.
    expect(verifyTotp(secret, codeAt(1), now, { lastUsedStep: step })).toEqual({
      ok: true,
      step: step + 1,
    });
    expect(verifyTotp(secret, codeAt(0), now, { lastUsedStep: step - 1 })).toEqual({
      ok: true,
      step,
    });
  });

  it('rejects ten wrong codes in a row', () => {
    const valid = new Set([-1, 0, 1].map(codeAt));
    let wrong = 0;
    for (let n = 0; wrong < 10; n++) {
      const guess = String((n * 7919 + 13) % 1_000_000).padStart(6, '0');
      if (valid.has(guess)) continue;
      expect(verifyTotp(secret, guess, now)).toEqual({ ok: false, reason: 'mismatch' });
      wrong++;
    }
  });

  it('trims surrounding whitespace and accepts one space between groups of three', () => {
    const code = codeAt(0);
    const spaced = `${code.slice(0, 3)} ${code.slice(3)}`;
    expect(verifyTotp(secret, ` ${code}\n`, now)).toEqual({ ok: true, step });
    expect(verifyTotp(secret, spaced, now)).toEqual({ ok: true, step });
    expect(verifyTotp(secret, `\t${spaced} `, now)).toEqual({ ok: true, step });
  });

  it.each([
    '',
    '      ',
    '12345',
    '1234567',
    '12345a',
    'abcdef',
    '123  456',
    '12 3456',
    '1 2 3 4 5 6',
    '123-456',
    '+12345',
    '-12345',
    '12345.6',
    '0x1234',
    '１２３４５６', // full-width digits
    '١٢٣٤٥٦', // Arabic-Indic digits
    '123456\u0000',
  ])('calls %p malformed', (code) => {
    expect(verifyTotp(secret, code, now)).toEqual({ ok: false, reason: 'malformed' });
  });

  it('calls a non-string malformed', () => {
    expect(verifyTotp(secret, 123456 as unknown as string, now)).toEqual({
      ok: false,
      reason: 'malformed',
    });
  });
});

describe('otpauthUri', () => {
  it('builds the Key Uri Format URI with a percent-encoded label', () => {
    const uri = otpauthUri({
      secret: RFC_SEED,
      issuer: 'Harbour',
      accountName: 'Anne Marie+ops@example.org',
    });
    expect(uri).toBe(
      'otpauth://totp/Harbour:Anne%20Marie%2Bops%40example.org' +
        '?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ&issuer=Harbour&algorithm=SHA1&digits=6&period=30',
    );
    const url = new URL(uri);
    expect(url.protocol).toBe('otpauth:');
    expect(url.host).toBe('totp');
    expect(decodeURIComponent(url.pathname)).toBe('/Harbour:Anne Marie+ops@example.org');
    // `+` must be %2B: a form decoder would otherwise turn it into a space.
    expect(url.searchParams.get('secret')).toBe(encodeBase32(RFC_SEED));
    expect(url.searchParams.get('issuer')).toBe('Harbour');
  });

  it('defaults the issuer and encodes RFC 3986 sub-delimiters', () => {
    expect(otpauthUri({ secret: RFC_SEED, accountName: "o'brien(x)*!@example.org" })).toMatch(
      /^otpauth:\/\/totp\/Harbour:o%27brien%28x%29%2A%21%40example\.org\?secret=[A-Z2-7]{32}&issuer=Harbour&/,
    );
    expect(otpauthUri({ secret: RFC_SEED, issuer: 'Harbour Test', accountName: 'a@b.c' })).toMatch(
      /^otpauth:\/\/totp\/Harbour%20Test:a%40b\.c\?.*&issuer=Harbour%20Test&/,
    );
  });

  it('refuses colons and empty parts', () => {
    expect(() => otpauthUri({ secret: RFC_SEED, accountName: 'a:b@example.org' })).toThrow(
      RangeError,
    );
    expect(() => otpauthUri({ secret: RFC_SEED, accountName: ' ' })).toThrow(RangeError);
    expect(() => otpauthUri({ secret: RFC_SEED, issuer: 'Har:bour', accountName: 'a' })).toThrow(
      RangeError,
    );
  });
});
