import type { Sodium } from '../sodium';
import { blindIndexValue } from './blind-index';

/**
 * Statistical Linkage Key 581 (docs/design.md §5 "Linkage key"), built to the AIHW METeOR
 * specification "Record—linkage key, code 581XXXXXDDMMYYYYN" (METeOR 349510) and its parts:
 *
 * - Person—letters of family name, text XXX (METeOR 349481): the 2nd, 3rd and 5th letters of
 *   the family name. Examples in the spec: Brown → RON, Thompson → HOP, Farr → AR2, Hua → UA2;
 *   the SLK-581 cluster (METeOR 686238) adds Smith → MIH, Jones → ONS.
 * - Person—letters of given name, text XX (METeOR 349483): the 2nd and 3rd letters of the given
 *   name. Examples: Elizabeth → LI, Robert → OB, Jo → O2.
 * - Person—letters of given and family name, text XXXXX (METeOR 624484): Brown, Elizabeth →
 *   RONLI; Thompson, Robert → HOPOB.
 * - Non-alphabetic characters — hyphens (Lee-Archer, Jo-Anne), apostrophes (O'Mara, D'Arcy),
 *   blank spaces (De Vries, Eu Jin) — are ignored when counting positions.
 * - A name too short to supply a letter gets the digit 2 in that position; a family name missing
 *   altogether is 999, a given name missing altogether is 99.
 * - Date of birth as DDMMYYYY, then one digit for sex.
 *
 * Sex codes: METeOR 741686 "Person—sex, code X" (the current AIHW standard, which replaced
 * 635126): 1 Male, 2 Female, 3 Another term (earlier versions: "Other" / "Intersex or
 * indeterminate"), 9 Not stated/inadequately described. An absent sex is coded 9.
 *
 * Decisions this module takes where the specification is silent:
 *
 * - **Letters are A–Z.** The name is NFKC-normalised (full-width Ｓ → S), upper-cased, Latin
 *   diacritics are folded (É → E, Ñ → N, Ễ → E) together with the Latin letters NFD does not
 *   decompose (Æ → AE, Œ → OE, Ø → O, Đ/Ð → D, Ł → L, ß/ẞ → SS, Þ → TH, Ħ → H, ı → I), and every
 *   character that is not then A–Z is removed before positions are counted.
 * - **Names with no Latin letters are treated as missing** (999 / 99). SLK-581 is defined on the
 *   Latin-alphabet name as recorded; a Thai, Hangul or Han name cannot supply "the 2nd letter".
 *   The key is still built (refusing it would block intake for people who will not give a
 *   romanised name), but `slkIndexValue` reports `quality: 'partial'`, because everyone with a
 *   non-Latin name and the same birth date and sex then shares one key. The console should ask
 *   for the name as romanised on the person's documents (or as they spell it in Latin letters)
 *   for the SLK, separately from the name in its own script.
 * - **Letters of other scripts inside a Latin name are dropped** (and flagged `partial`).
 * - **The given-name field is used as recorded, spaces ignored**, following the spec's
 *   "Eu Jin" example; the console should record the *first* given name there, the same way
 *   every time, and ask for family and given name separately (as the spec advises, since some
 *   cultures state the family name first).
 * - **Date of birth is required and strict**: YYYY-MM-DD, a real Gregorian date, not after
 *   "today" (UTC) of an injectable clock, not before 1900-01-01. The spec's own answer to an
 *   unknown birth date is an estimated date recorded as such, which is for the caller to decide.
 */

/** The index name the SLK-581 blind index is stored under. */
export const SLK581_INDEX_NAME = 'slk581';
/** Version of the SLK construction above, mixed into the index like a normalisation version. */
export const SLK581_VERSION = 1;

export type Slk581Sex = 'male' | 'female' | 'other' | 'not_stated';

export interface Slk581Input {
  readonly familyName?: string;
  readonly givenName?: string;
  /** YYYY-MM-DD. */
  readonly dateOfBirth?: string;
  readonly sex?: Slk581Sex;
}

export interface Slk581Options {
  /** The clock for "not in the future"; defaults to now. Compared as a UTC calendar date. */
  readonly now?: Date;
}

/** Why an SLK input was refused. Stable codes for the API's error mapping. */
export type Slk581InputFailure =
  | 'name_not_text'
  | 'date_of_birth_missing'
  | 'date_of_birth_malformed'
  | 'date_of_birth_not_a_date'
  | 'date_of_birth_in_future'
  | 'date_of_birth_before_1900'
  | 'sex_invalid';

/** Refused SLK input. The message is the reason code only: never the name or date. */
export class Slk581InputError extends Error {
  override readonly name = 'Slk581InputError';

  constructor(readonly reason: Slk581InputFailure) {
    super(`invalid SLK-581 input: ${reason}`);
  }
}

/** Why a key is weak for linkage (it is still a valid SLK-581). */
export type Slk581QualityIssue =
  | 'family_name_missing'
  | 'family_name_not_latin'
  | 'given_name_missing'
  | 'given_name_not_latin'
  | 'non_latin_letters_ignored';

export interface Slk581IndexResult {
  /** The keyed blind index of the SLK: the only thing to store. */
  readonly value: number;
  /** `partial` when a name was missing, had no Latin letters, or lost non-Latin letters. */
  readonly quality: 'full' | 'partial';
  readonly issues: readonly Slk581QualityIssue[];
}

const LATIN_FOLDS: ReadonlyMap<string, string> = new Map([
  ['Æ', 'AE'],
  ['Œ', 'OE'],
  ['Ø', 'O'],
  ['Đ', 'D'],
  ['Ð', 'D'],
  ['Ł', 'L'],
  ['ẞ', 'SS'],
  ['Þ', 'TH'],
  ['Ħ', 'H'],
]);
const LATIN_FOLD_RE = new RegExp(`[${[...LATIN_FOLDS.keys()].join('')}]`, 'gu');
/** A letter of a script other than Latin (Common and Inherited letters such as ʼ do not count). */
const NON_LATIN_LETTER = /(?![\p{Script=Latin}\p{Script=Common}\p{Script=Inherited}])\p{L}/u;

interface NameLetters {
  readonly letters: string;
  readonly hadNonLatinLetters: boolean;
}

/** The A–Z letters of a name, in order, after folding (see the module comment). */
function latinLetters(name: string | undefined): NameLetters {
  if (name === undefined) return { letters: '', hadNonLatinLetters: false };
  if (typeof name !== 'string') throw new Slk581InputError('name_not_text');
  const nfkc = name.normalize('NFKC');
  const letters = nfkc
    .toUpperCase() // ß → SS, ı → I
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(LATIN_FOLD_RE, (ch) => LATIN_FOLDS.get(ch) ?? ch)
    .replace(/[^A-Z]/g, '');
  return { letters, hadNonLatinLetters: NON_LATIN_LETTER.test(nfkc) };
}

/** The letters at 1-based `positions`, `2` where the name is too short, `9…` when missing. */
function pick(letters: string, positions: readonly number[]): string {
  if (letters.length === 0) return '9'.repeat(positions.length);
  return positions.map((p) => letters[p - 1] ?? '2').join('');
}

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** DDMMYYYY of a strictly valid YYYY-MM-DD date of birth, or a typed error. */
function dateOfBirthPart(dateOfBirth: string | undefined, now: Date): string {
  if (dateOfBirth === undefined || dateOfBirth === '') {
    throw new Slk581InputError('date_of_birth_missing');
  }
  if (typeof dateOfBirth !== 'string') throw new Slk581InputError('date_of_birth_malformed');
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(dateOfBirth);
  if (match === null) throw new Slk581InputError('date_of_birth_malformed');
  const [, yyyy, mm, dd] = match as unknown as [string, string, string, string];
  const year = Number(yyyy);
  const month = Number(mm);
  const day = Number(dd);
  if (month < 1 || month > 12) throw new Slk581InputError('date_of_birth_not_a_date');
  const days = month === 2 && isLeapYear(year) ? 29 : DAYS_IN_MONTH[month - 1]!;
  if (day < 1 || day > days) throw new Slk581InputError('date_of_birth_not_a_date');
  if (year < 1900) throw new Slk581InputError('date_of_birth_before_1900');
  if (Number.isNaN(now.getTime())) throw new RangeError('invalid clock');
  // ISO dates compare correctly as strings; "today" is the UTC calendar date of `now`.
  if (dateOfBirth > now.toISOString().slice(0, 10)) {
    throw new Slk581InputError('date_of_birth_in_future');
  }
  return `${dd}${mm}${yyyy}`;
}

function sexPart(sex: Slk581Sex | undefined): string {
  if (sex === undefined) return '9';
  switch (sex) {
    case 'male':
      return '1';
    case 'female':
      return '2';
    case 'other':
      return '3';
    case 'not_stated':
      return '9';
    default:
      throw new Slk581InputError('sex_invalid');
  }
}

interface Slk581Analysis {
  readonly key: string;
  readonly issues: readonly Slk581QualityIssue[];
}

function analyseSlk581(input: Slk581Input, options: Slk581Options): Slk581Analysis {
  const family = latinLetters(input.familyName);
  const given = latinLetters(input.givenName);
  const dob = dateOfBirthPart(input.dateOfBirth, options.now ?? new Date());
  const sex = sexPart(input.sex);

  const issues: Slk581QualityIssue[] = [];
  if (family.letters.length === 0) {
    issues.push(family.hadNonLatinLetters ? 'family_name_not_latin' : 'family_name_missing');
  }
  if (given.letters.length === 0) {
    issues.push(given.hadNonLatinLetters ? 'given_name_not_latin' : 'given_name_missing');
  }
  if (
    (family.letters.length > 0 && family.hadNonLatinLetters) ||
    (given.letters.length > 0 && given.hadNonLatinLetters)
  ) {
    issues.push('non_latin_letters_ignored');
  }
  const key = `${pick(family.letters, [2, 3, 5])}${pick(given.letters, [2, 3])}${dob}${sex}`;
  return { key, issues };
}

/**
 * The 14-character SLK-581 (XXXXXDDMMYYYYN) of a person. **Internal to this library**: the raw
 * key is re-identifiable (it is a name fragment plus a full birth date), so it must never be
 * stored, logged or returned; `slkIndexValue` is the public entry point. Throws
 * `Slk581InputError` for a missing or invalid date of birth or an unknown sex value.
 */
export function buildSlk581(input: Slk581Input, options: Slk581Options = {}): string {
  return analyseSlk581(input, options).key;
}

/**
 * The keyed blind index of a person's SLK-581 (index name `slk581`, version `SLK581_VERSION`),
 * with a quality flag so the console can ask for a romanised name when the key is weak. The
 * SLK itself never leaves this function.
 */
export function slkIndexValue(
  sodium: Sodium,
  key: Uint8Array,
  input: Slk581Input,
  bits: number,
  options: Slk581Options = {},
): Slk581IndexResult {
  const analysis = analyseSlk581(input, options);
  return {
    value: blindIndexValue(sodium, key, SLK581_INDEX_NAME, SLK581_VERSION, analysis.key, bits),
    quality: analysis.issues.length === 0 ? 'full' : 'partial',
    issues: analysis.issues,
  };
}
