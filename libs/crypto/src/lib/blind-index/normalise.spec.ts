import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import fc from 'fast-check';
import sodium from 'libsodium-wrappers';
import { nameIndexValues } from './blind-index';
import {
  composeCompatibilityJamo,
  foldLatinToken,
  latinFoldedVariant,
  NORMALISATION_VERSION,
  normaliseName,
  normaliseValue,
} from './normalise';

interface CanaryPerson {
  readonly given: string;
  readonly family: string;
  readonly alias: string;
  readonly script: string;
}

function loadCanaries(): readonly CanaryPerson[] {
  const file = resolve(__dirname, '../../../../../tools/fixtures/canary-names.json');
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as { people?: unknown };
  if (!Array.isArray(parsed.people)) throw new Error('canary fixture has no people');
  return parsed.people as CanaryPerson[];
}

const canaries = loadCanaries();
const key = Uint8Array.from({ length: 32 }, (_, i) => i + 1);

/** Upper-cases every other character (a no-op for uncased scripts). */
function alternatingCase(text: string): string {
  return Array.from(text, (ch, i) => (i % 2 === 0 ? ch.toUpperCase() : ch.toLowerCase())).join('');
}

/** The same name written in every way that must not change its tokens. */
function variantsOf(given: string, family: string): Record<string, string> {
  const base = `${given} ${family}`;
  return {
    'as written': base,
    'upper case': base.toUpperCase(),
    'lower case': base.toLowerCase(),
    'alternating case': alternatingCase(base),
    NFC: base.normalize('NFC'),
    NFD: base.normalize('NFD'),
    NFKD: base.normalize('NFKD'),
    'NBSP, ideographic space, tabs, newlines': `\u00A0\t${given}\u3000 \u00A0\t${family}\n\u3000`,
    'swapped order': `${family} ${given}`,
    'swapped, NFD, upper case, tabs': `${family}\t\t${given}`.normalize('NFD').toUpperCase(),
  };
}

describe('normaliseName', () => {
  beforeAll(async () => {
    await sodium.ready;
  });

  describe.each(canaries.map((p) => [p.script, p] as const))('canary person (%s)', (_s, person) => {
    const asWritten = `${person.given} ${person.family}`;

    it('has at least one token per name part', () => {
      expect(normaliseName(asWritten).length).toBeGreaterThanOrEqual(2);
    });

    it.each(Object.entries(variantsOf(person.given, person.family)))(
      'gives the same tokens and index values when written %s',
      (_label, written) => {
        expect(normaliseName(written)).toEqual(normaliseName(asWritten));
        expect(nameIndexValues(sodium, key, 'person.name', written, 32)).toEqual(
          nameIndexValues(sodium, key, 'person.name', asWritten, 32),
        );
      },
    );

    it.each(Object.entries(variantsOf(person.alias, '')))(
      'gives the same alias value when written %s',
      (_label, written) => {
        expect(normaliseValue(written)).toBe(normaliseValue(person.alias));
      },
    );
  });

  it('returns sorted, unique tokens', () => {
    expect(normaliseName('Lan  lan LAN Anh')).toEqual(['anh', 'lan']);
  });

  it('returns no tokens for empty or punctuation-only input', () => {
    expect(normaliseName('')).toEqual([]);
    expect(normaliseName(' \u00A0\t-–— .,;:!? ()[] \u3000')).toEqual([]);
  });

  describe('punctuation', () => {
    it.each([
      ["O'Brien"],
      ['O’Brien'],
      ['O‘Brien'],
      ['Oʼbrien'],
      ['O´Brien'],
      ['O`Brien'],
      ['O＇Brien'],
      ['OBrien'],
    ])('removes apostrophes without splitting: %s', (written) => {
      expect(normaliseName(written)).toEqual(['obrien']);
    });

    it('splits on hyphens and dashes', () => {
      expect(normaliseName("Núñez-O'Brien")).toEqual(['núñez', 'obrien']);
      expect(normaliseName('Núñez‐O’Brien')).toEqual(['núñez', 'obrien']); // U+2010
      expect(normaliseName('Núñez – O’Brien')).toEqual(['núñez', 'obrien']);
      expect(normaliseName('Lee-Archer')).toEqual(normaliseName('Archer Lee'));
    });

    it('splits on other punctuation and symbols, and on a zero-width space', () => {
      expect(normaliseName('Lan.Anh,Minh/Thu+Hoa')).toEqual(['anh', 'hoa', 'lan', 'minh', 'thu']);
      expect(normaliseName('สมหญิง\u200Bรักไทย')).toEqual(['รักไทย', 'สมหญิง']);
    });

    it('removes joiners and other default-ignorables without splitting', () => {
      expect(normaliseName('Jo\u00ADsé')).toEqual(['josé']); // soft hyphen
      expect(normaliseName('Jo\u200Dsé\uFEFF')).toEqual(['josé']);
    });
  });

  describe('case folding', () => {
    it('folds ß and ẞ to ss', () => {
      expect(normaliseName('Strauß')).toEqual(['strauss']);
      expect(normaliseName('STRAUẞ')).toEqual(['strauss']);
      expect(normaliseName('STRAUSS')).toEqual(['strauss']);
    });

    it('folds final sigma', () => {
      expect(normaliseName('ΟΔΥΣΣΕΥΣ')).toEqual(normaliseName('οδυσσευς'));
      expect(normaliseName('οδυσσευς')).toEqual(['οδυσσευσ']);
    });

    it('folds the Greek iota subscript', () => {
      expect(normaliseName('ᾼ')).toEqual(normaliseName('ᾳ'));
      expect(normaliseName('ᾳ')).toEqual(normaliseName('αι'));
    });

    it('maps compatibility forms through NFKC', () => {
      expect(normaliseName('ＳＭＩＴＨ')).toEqual(['smith']);
      expect(normaliseName('ﬁnn')).toEqual(['finn']);
    });
  });

  describe('Thai', () => {
    it('keeps every vowel and tone mark', () => {
      const name = 'สมหญิง';
      expect(normaliseName(name)).toEqual([name]);
      expect(normaliseName('รักไทย')).toEqual(['รักไทย']);
      expect(normaliseName('น้อย')).toEqual(['น้อย']);
      expect(latinFoldedVariant(normaliseName('สมหญิง รักไทย'))).toBeNull();
    });

    it('gives a different token and index value without a tone mark', () => {
      expect(normaliseName('น้อย')).not.toEqual(normaliseName('นอย'));
      expect(nameIndexValues(sodium, key, 'person.alias', 'น้อย', 32)).not.toEqual(
        nameIndexValues(sodium, key, 'person.alias', 'นอย', 32),
      );
      // A different tone mark is a different name too.
      expect(normaliseName('น่อย')).not.toEqual(normaliseName('น้อย'));
    });

    it('treats the composed and decomposed SARA AM the same', () => {
      expect(normaliseName('น้ำ')).toEqual(normaliseName('น้\u0E4D\u0E32'));
    });
  });

  describe('Hangul', () => {
    it.each([
      ['ㄱㅣㅁ', '김'],
      ['ㅈㅣㅇㅡㄴ', '지은'],
      ['ㅈㅣㅈㅣ', '지지'],
      ['ㄷㅏㄹㄱ', '닭'],
      ['ㄷㅏㄹㄱㅇㅣ', '닭이'],
      ['ㄷㅏㄹㄱㅣ', '달기'],
      ['ㄱㅗㅏ', '과'],
      ['ㅎㅗㅏㅇ', '황'],
      ['ㅇㅢ', '의'],
      ['기ㅁ', '김'],
      ['\uFFA1\uFFDC\uFFB1', '김'], // half-width ㄱ ㅣ ㅁ
    ])('composes compatibility jamo %s as %s', (jamo, syllables) => {
      expect(normaliseName(jamo)).toEqual([syllables]);
      expect(composeCompatibilityJamo(jamo).normalize('NFC')).toBe(syllables);
    });

    it('agrees for compatibility jamo, composed syllables and conjoining jamo (NFD)', () => {
      const forms = [
        '김 지은',
        'ㄱㅣㅁ ㅈㅣㅇㅡㄴ',
        '김 지은'.normalize('NFD'),
        'ㅈㅣㅇㅡㄴ\u3000김',
      ];
      for (const form of forms) expect(normaliseName(form)).toEqual(['김', '지은']);
      const values = forms.map((form) => nameIndexValues(sodium, key, 'person.name', form, 32));
      for (const value of values) expect(value).toEqual(values[0]);
    });

    it('handles long input', () => {
      expect(normaliseName('ㄱㅣㅁ '.repeat(50_000))).toEqual(['김']);
    });

    it('leaves other text alone', () => {
      expect(composeCompatibilityJamo('Quokka 王芳 สมหญิง')).toBe('Quokka 王芳 สมหญิง');
    });
  });

  describe('Han', () => {
    it('keeps single-character names as tokens', () => {
      expect(normaliseName('王 芳')).toEqual(['王', '芳']);
      expect(normaliseName('芳\u3000王')).toEqual(['王', '芳']);
    });

    it('does not split a run of characters', () => {
      expect(normaliseName('王')).not.toEqual(normaliseName('王芳'));
      expect(nameIndexValues(sodium, key, 'person.name', '王', 32)).not.toEqual(
        nameIndexValues(sodium, key, 'person.name', '王芳', 32),
      );
    });

    it('keeps Simplified and Traditional apart', () => {
      expect(normaliseName('陈美玲')).not.toEqual(normaliseName('陳美玲'));
      expect(nameIndexValues(sodium, key, 'person.name', '陈', 32)).not.toEqual(
        nameIndexValues(sodium, key, 'person.name', '陳', 32),
      );
    });

    it('splits on full-width punctuation', () => {
      expect(normaliseName('王（芳）')).toEqual(['王', '芳']);
      expect(normaliseName('王、芳')).toEqual(['王', '芳']);
    });
  });

  it('refuses an unknown version', () => {
    expect(() => normaliseName('Lan', 2)).toThrow(RangeError);
    expect(() => normaliseName('Lan', 0)).toThrow(RangeError);
    expect(NORMALISATION_VERSION).toBe(1);
  });

  it('is idempotent on its own output', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 40 }), (text) => {
        const tokens = normaliseName(text);
        expect(normaliseName(tokens.join(' '))).toEqual(tokens);
      }),
      { seed: 581, numRuns: 600 },
    );
  });

  it('does not depend on the order of name parts', () => {
    const word = fc.string({ unit: 'grapheme', minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(fc.array(word, { minLength: 1, maxLength: 5 }), (words) => {
        const forward = normaliseName(words.join(' '));
        const backward = normaliseName([...words].reverse().join('\u3000'));
        expect(backward).toEqual(forward);
      }),
      { seed: 349510, numRuns: 500 },
    );
  });
});

describe('the ASCII fast paths', () => {
  const runs = { seed: 20261207, numRuns: 500 };

  it('normalises ASCII text as the full rules do', () => {
    // A no-break space is not ASCII (so the full rules run) and NFKC makes it a separator.
    fc.assert(
      fc.property(
        fc.string({
          unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)),
          maxLength: 40,
        }),
        (text) => {
          expect(normaliseName(text)).toEqual(normaliseName(`${text}\u00A0`));
        },
      ),
      runs,
    );
  });

  it('leaves an ASCII token unfolded, as the full fold does', () => {
    // A combining acute accent sends the token through the full fold, which removes it.
    fc.assert(
      fc.property(fc.stringMatching(/^[a-z][a-z0-9'-]{0,15}$/), (token) => {
        expect(foldLatinToken(token)).toBe(token);
        expect(foldLatinToken(`${token}\u0301`)).toBe(token);
      }),
      runs,
    );
  });
});

describe('latinFoldedVariant', () => {
  it('folds Vietnamese diacritics', () => {
    expect(latinFoldedVariant(normaliseName('Nguyễn Thị Lan'))).toEqual(['lan', 'nguyen', 'thi']);
  });

  it('returns null when nothing changes', () => {
    expect(latinFoldedVariant(['quokka', 'zzcanary'])).toBeNull();
    expect(latinFoldedVariant(['王', '芳'])).toBeNull();
    expect(latinFoldedVariant([])).toBeNull();
  });

  it('folds letters that NFD does not decompose', () => {
    expect(
      latinFoldedVariant(normaliseName('Łukasz Ødegård Æsir Œuvre Đặng Strauß Þór Ħal')),
    ).toEqual(['aesir', 'dang', 'hal', 'lukasz', 'odegard', 'oeuvre', 'strauss', 'thor']);
  });

  it('only touches tokens written in Latin script', () => {
    expect(latinFoldedVariant(['nguyễn', 'สมหญิง', 'ỳα'])).toEqual(['nguyen', 'สมหญิง', 'ỳα']);
    expect(foldLatinToken('น้อย')).toBe('น้อย');
    expect(foldLatinToken('josé2')).toBe('jose2');
  });
});

describe('normaliseValue', () => {
  it('joins the name tokens for text values', () => {
    expect(normaliseValue('  Canary\u00A0BIRD ')).toBe('bird canary');
    expect(normaliseValue('Bird canary')).toBe('bird canary');
    expect(normaliseValue('小芳')).toBe('小芳');
  });

  it('keeps the digits of a phone number and a leading plus', () => {
    expect(normaliseValue('+61 412 345 678', 1, 'phone')).toBe('+61412345678');
    expect(normaliseValue('＋６１ ４１２-３４５-６７８', 1, 'phone')).toBe('+61412345678');
    expect(normaliseValue('(04) 1234 5678', 1, 'phone')).toBe('0412345678');
    expect(normaliseValue('๐๘๑ ๒๓๔ ๕๖๗๘', 1, 'phone')).toBe('0812345678');
    expect(normaliseValue('0061 412', 1, 'phone')).toBe('0061412');
    expect(normaliseValue('no digits', 1, 'phone')).toBe('');
  });

  it('folds an e-mail address and removes whitespace', () => {
    expect(normaliseValue(' Quokka.Zz@Example.ORG\u00A0', 1, 'email')).toBe(
      'quokka.zz@example.org',
    );
  });

  it('refuses an unknown version', () => {
    expect(() => normaliseValue('x', 7)).toThrow(RangeError);
  });
});
