import sodium from 'libsodium-wrappers';
import { blindIndexValue } from './blind-index';
import {
  buildSlk581,
  type Slk581Input,
  Slk581InputError,
  type Slk581InputFailure,
  SLK581_INDEX_NAME,
  SLK581_VERSION,
  slkIndexValue,
} from './slk581';

const NOW = new Date('2025-03-15T10:00:00Z');
const KEY = Uint8Array.from({ length: 32 }, (_, i) => 255 - i);
const DOB = '1975-06-03';

/** The five name letters only (family XXX + given XX). */
function letters(familyName: string | undefined, givenName: string | undefined): string {
  return buildSlk581(
    { familyName, givenName, dateOfBirth: DOB, sex: 'female' },
    { now: NOW },
  ).slice(0, 5);
}

function slk(input: Slk581Input): string {
  return buildSlk581(input, { now: NOW });
}

beforeAll(async () => {
  await sodium.ready;
});

describe('buildSlk581: examples from the METeOR specification', () => {
  // Person—letters of family name (METeOR 349481) and the SLK-581 cluster (METeOR 686238).
  it.each([
    ['Brown', 'RON'],
    ['Thompson', 'HOP'],
    ['Farr', 'AR2'],
    ['Hua', 'UA2'],
    ['Smith', 'MIH'],
    ['Jones', 'ONS'],
  ])('family name %s → %s', (family, expected) => {
    expect(letters(family, 'Elizabeth').slice(0, 3)).toBe(expected);
  });

  it('family name missing altogether → 999 (not 222)', () => {
    expect(letters(undefined, 'Elizabeth').slice(0, 3)).toBe('999');
  });

  // Person—letters of given name (METeOR 349483).
  it.each([
    ['Elizabeth', 'LI'],
    ['Robert', 'OB'],
    ['Jo', 'O2'],
  ])('given name %s → %s', (given, expected) => {
    expect(letters('Brown', given).slice(3)).toBe(expected);
  });

  it('given name missing altogether → 99', () => {
    expect(letters('Brown', undefined).slice(3)).toBe('99');
  });

  // Person—letters of given and family name (METeOR 624484).
  it.each([
    ['Brown', 'Elizabeth', 'RONLI'],
    ['Thompson', 'Robert', 'HOPOB'],
  ])('%s, %s → %s', (family, given, expected) => {
    expect(letters(family, given)).toBe(expected);
  });
});

describe('buildSlk581: full keys (constructed by hand from the rules)', () => {
  it.each<[Slk581Input, string]>([
    [
      { familyName: 'Brown', givenName: 'Elizabeth', dateOfBirth: '1975-06-03', sex: 'female' },
      'RONLI030619752',
    ],
    [
      { familyName: 'Thompson', givenName: 'Robert', dateOfBirth: '1962-11-28', sex: 'male' },
      'HOPOB281119621',
    ],
    [
      { familyName: 'Smith', givenName: 'Jo', dateOfBirth: '2000-02-29', sex: 'other' },
      'MIHO2290220003',
    ],
    [
      { familyName: 'Hua', givenName: 'Al', dateOfBirth: '1999-12-31', sex: 'not_stated' },
      'UA2L2311219999',
    ],
    [{ givenName: 'Robert', dateOfBirth: '1980-01-01' }, '999OB010119809'],
    [
      { familyName: 'Jaidee', givenName: 'Somchai', dateOfBirth: '1988-04-13', sex: 'male' },
      'AIEOM130419881',
    ],
  ])('%o → %s', (input, expected) => {
    expect(slk(input)).toBe(expected);
    expect(slk(input)).toMatch(/^[A-Z29]{5}\d{8}[1239]$/);
  });

  it('codes sex per METeOR 741686: 1 male, 2 female, 3 other, 9 not stated or absent', () => {
    const base = { familyName: 'Brown', givenName: 'Elizabeth', dateOfBirth: DOB };
    expect(slk({ ...base, sex: 'male' }).at(-1)).toBe('1');
    expect(slk({ ...base, sex: 'female' }).at(-1)).toBe('2');
    expect(slk({ ...base, sex: 'other' }).at(-1)).toBe('3');
    expect(slk({ ...base, sex: 'not_stated' }).at(-1)).toBe('9');
    expect(slk(base).at(-1)).toBe('9');
  });
});

describe('buildSlk581: name letters', () => {
  it.each([
    ['Ng', 'Al', 'G22L2'],
    ['Li', 'Jo', 'I22O2'],
    ['O', 'A', '22222'],
    ['Farr', 'Bo', 'AR2O2'],
    ['Lee', 'Eve', 'EE2VE'],
  ])('pads short names with 2: %s, %s → %s', (family, given, expected) => {
    expect(letters(family, given)).toBe(expected);
  });

  it.each([
    ['', ''],
    ['   ', '\u00A0'],
    ["-'", '--'],
    ['123', '4'],
  ])('treats a name without letters (%p, %p) as missing: 999 / 99', (family, given) => {
    expect(letters(family, given)).toBe('99999');
  });

  it.each([
    ['Lee-Archer', 'Jo-Anne', 'EEROA'],
    ["O'Mara", "D'Arcy", 'MAAAR'],
    ['O’Mara', 'D’Arcy', 'MAAAR'],
    ['De Vries', 'Eu Jin', 'EVIUJ'],
    ["Núñez-O'Brien", 'José', 'UNZOS'],
  ])('ignores hyphens, apostrophes and spaces: %s, %s → %s', (family, given, expected) => {
    expect(letters(family, given)).toBe(expected);
  });

  it.each([
    ['Nguyễn', 'Thị Lan', 'GUEHI'],
    ['Ødegård', 'Émilie', 'DEAMI'],
    ['Strauß', 'Łukasz', 'TRUUK'],
    ['Æbelø', 'Zoë', 'EBLOE'],
    ['ＳＭＩＴＨ', 'ｊｏ', 'MIHO2'],
    ['brown', 'ELIZABETH', 'RONLI'],
  ])('folds diacritics and case to A–Z: %s, %s → %s', (family, given, expected) => {
    expect(letters(family, given)).toBe(expected);
  });

  it('treats names without Latin letters as missing (999 / 99)', () => {
    expect(letters('รักไทย', 'สมหญิง')).toBe('99999');
    expect(letters('김', '지은')).toBe('99999');
    expect(letters('王', '芳')).toBe('99999');
    expect(letters('Jaidee', 'สมหญิง')).toBe('AIE99');
  });

  it('drops letters of other scripts inside a Latin name', () => {
    expect(letters('Smith王', 'Ro芳bert')).toBe('MIHOB');
  });
});

describe('buildSlk581: date of birth', () => {
  const base = { familyName: 'Brown', givenName: 'Elizabeth', sex: 'female' } as const;

  it('writes the date as DDMMYYYY', () => {
    expect(slk({ ...base, dateOfBirth: '2024-02-29' }).slice(5, 13)).toBe('29022024');
    expect(slk({ ...base, dateOfBirth: '1900-01-01' }).slice(5, 13)).toBe('01011900');
  });

  it('accepts today (UTC) and refuses tomorrow', () => {
    expect(slk({ ...base, dateOfBirth: '2025-03-15' }).slice(5, 13)).toBe('15032025');
    expect(() => slk({ ...base, dateOfBirth: '2025-03-16' })).toThrow(Slk581InputError);
  });

  it.each<[string | undefined, Slk581InputFailure]>([
    [undefined, 'date_of_birth_missing'],
    ['', 'date_of_birth_missing'],
    ['2023-02-29', 'date_of_birth_not_a_date'],
    ['1900-02-29', 'date_of_birth_not_a_date'],
    ['2024-13-01', 'date_of_birth_not_a_date'],
    ['2024-00-10', 'date_of_birth_not_a_date'],
    ['2024-04-31', 'date_of_birth_not_a_date'],
    ['2024-01-00', 'date_of_birth_not_a_date'],
    ['1990-1-01', 'date_of_birth_malformed'],
    ['03/06/1975', 'date_of_birth_malformed'],
    ['1975-06-03T00:00:00Z', 'date_of_birth_malformed'],
    [' 1975-06-03', 'date_of_birth_malformed'],
    ['１９７５-06-03', 'date_of_birth_malformed'],
    ['2026-01-01', 'date_of_birth_in_future'],
    ['1899-12-31', 'date_of_birth_before_1900'],
  ])('refuses %p (%s)', (dateOfBirth, reason) => {
    expect(() => slk({ ...base, dateOfBirth })).toThrow(
      expect.objectContaining({ name: 'Slk581InputError', reason }),
    );
  });

  it('uses the injected clock', () => {
    const input = { ...base, dateOfBirth: '2030-05-05' };
    expect(() => buildSlk581(input, { now: NOW })).toThrow(Slk581InputError);
    expect(buildSlk581(input, { now: new Date('2031-01-01T00:00:00Z') })).toBe('RONLI050520302');
  });

  it('refuses an unknown sex value', () => {
    const input = { ...base, dateOfBirth: DOB, sex: 'x' } as unknown as Slk581Input;
    expect(() => slk(input)).toThrow(expect.objectContaining({ reason: 'sex_invalid' }));
  });

  it('never puts the input in the error message', () => {
    const secretName = 'Zzcanary';
    const cases = ['2023-02-29', '1990-1-01', '2099-07-04', '1850-03-03', '31/12/1990'];
    for (const dateOfBirth of cases) {
      let caught: unknown;
      try {
        slk({ familyName: secretName, givenName: 'Quokka', dateOfBirth, sex: 'female' });
      } catch (error) {
        caught = error;
      }
      expect(caught).toBeInstanceOf(Slk581InputError);
      const text = `${String(caught)} ${(caught as Error).stack ?? ''} ${JSON.stringify(caught)}`;
      expect(text).not.toContain(dateOfBirth);
      expect(text).not.toContain(secretName);
      expect(text).not.toContain('Quokka');
      for (const part of dateOfBirth.split(/[-/]/)) {
        if (part.length >= 4) expect((caught as Error).message).not.toContain(part);
      }
    }
  });
});

describe('slkIndexValue', () => {
  const brown: Slk581Input = {
    familyName: 'Brown',
    givenName: 'Elizabeth',
    dateOfBirth: DOB,
    sex: 'female',
  };

  it('is the keyed blind index of the SLK under index name "slk581"', () => {
    const result = slkIndexValue(sodium, KEY, brown, 24, { now: NOW });
    expect(SLK581_INDEX_NAME).toBe('slk581');
    expect(result.value).toBe(
      blindIndexValue(sodium, KEY, 'slk581', SLK581_VERSION, 'RONLI030619752', 24),
    );
    expect(result).toEqual({ value: result.value, quality: 'full', issues: [] });
  });

  it('does not return or contain the raw key', () => {
    const result = slkIndexValue(sodium, KEY, brown, 32, { now: NOW });
    expect(JSON.stringify(result)).not.toContain('RONLI');
    expect(Object.keys(result).sort()).toEqual(['issues', 'quality', 'value']);
  });

  it('recognises the same person written differently', () => {
    const same = slkIndexValue(
      sodium,
      KEY,
      { familyName: ' BROWN ', givenName: 'elizabeth', dateOfBirth: DOB, sex: 'female' },
      32,
      { now: NOW },
    );
    expect(same.value).toBe(slkIndexValue(sodium, KEY, brown, 32, { now: NOW }).value);
  });

  it('differs for a different birth date, sex or organisation key', () => {
    const base = slkIndexValue(sodium, KEY, brown, 32, { now: NOW }).value;
    const other = (input: Slk581Input, key = KEY): number =>
      slkIndexValue(sodium, key, input, 32, { now: NOW }).value;
    expect(other({ ...brown, dateOfBirth: '1975-06-04' })).not.toBe(base);
    expect(other({ ...brown, sex: 'not_stated' })).not.toBe(base);
    expect(other(brown, Uint8Array.from(KEY).reverse())).not.toBe(base);
  });

  it('marks keys built from non-Latin or missing names as partial', () => {
    const thai = slkIndexValue(
      sodium,
      KEY,
      { familyName: 'รักไทย', givenName: 'สมหญิง', dateOfBirth: '1990-01-31', sex: 'female' },
      32,
      { now: NOW },
    );
    expect(thai.quality).toBe('partial');
    expect(thai.issues).toEqual(['family_name_not_latin', 'given_name_not_latin']);

    const missing = slkIndexValue(sodium, KEY, { dateOfBirth: '1990-01-31' }, 32, { now: NOW });
    expect(missing.issues).toEqual(['family_name_missing', 'given_name_missing']);

    const mixed = slkIndexValue(
      sodium,
      KEY,
      { familyName: 'Smith王', givenName: 'Robert', dateOfBirth: DOB },
      32,
      { now: NOW },
    );
    expect(mixed).toMatchObject({ quality: 'partial', issues: ['non_latin_letters_ignored'] });
  });

  it('keeps short names (padded with 2) at full quality, as the spec intends', () => {
    const short = slkIndexValue(
      sodium,
      KEY,
      { familyName: 'Ng', givenName: 'Jo', dateOfBirth: DOB, sex: 'male' },
      32,
      { now: NOW },
    );
    expect(short.quality).toBe('full');
  });

  it('refuses invalid input with the same typed error', () => {
    expect(() =>
      slkIndexValue(sodium, KEY, { ...brown, dateOfBirth: '2023-02-29' }, 32, { now: NOW }),
    ).toThrow(Slk581InputError);
  });
});
