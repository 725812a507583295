import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

interface CanaryPerson {
  readonly given: string;
  readonly family: string;
  readonly alias: string;
}

/** Synthetic names that must never appear in plaintext anywhere (tools/fixtures). */
export const CANARY_PEOPLE: readonly CanaryPerson[] = (
  JSON.parse(
    readFileSync(join(__dirname, '../../../../tools/fixtures/canary-names.json'), 'utf8'),
  ) as { people: CanaryPerson[] }
).people;

/** One form of a value the scans look for: its name and its bytes. */
export interface CanaryForm {
  readonly form: string;
  readonly bytes: Buffer;
}

/**
 * Every form of a value the scans look for, named: as written, NFC/NFD, lower/upper case,
 * UTF-16LE, JSON \\u escapes and URL encoding (the fixture's `forms_to_scan`). A text that two
 * forms share is listed once, under the first name.
 */
export function namedCanaryForms(value: string): CanaryForm[] {
  const texts = new Map<string, string>();
  const add = (form: string, text: string) => {
    if (!texts.has(text)) texts.set(text, form);
  };
  add('utf8', value);
  add('nfc', value.normalize('NFC'));
  add('nfd', value.normalize('NFD'));
  add('lower', value.toLowerCase());
  add('upper', value.toUpperCase());
  add('url', encodeURIComponent(value));
  add('json', JSON.stringify(value).slice(1, -1));
  add(
    'json-escaped',
    Array.from(value, (ch) => {
      const code = ch.codePointAt(0)!;
      return code < 0x80 ? ch : `\\u${code.toString(16).padStart(4, '0')}`;
    }).join(''),
  );
  const forms = [...texts].map(([text, form]) => ({ form, bytes: Buffer.from(text, 'utf8') }));
  forms.push({ form: 'utf16le', bytes: Buffer.from(value, 'utf16le') });
  return forms;
}

/**
 * Every form of a value the scans look for: as written, NFC/NFD, lower/upper case, UTF-16LE,
 * JSON \\u escapes and URL encoding (the fixture's `forms_to_scan`).
 */
export function canaryForms(value: string): Buffer[] {
  return namedCanaryForms(value).map((f) => f.bytes);
}

/**
 * The shortest form worth searching for in ciphertext. Random bytes hold any short pattern by
 * chance: a one-character name's UTF-16 form is 2 bytes, found in a few kilobytes of ciphertext
 * in most runs (an encrypted disclosure archive did, in CI). A 4-byte form turns up by chance
 * about once in a million 1-kilobyte buffers per form, and every name of two characters or more
 * has one (its UTF-16 at least).
 */
export const CIPHERTEXT_MIN_BYTES = 4;

/**
 * The canary strings (given, family, alias of every person) found in `haystack`, searching only
 * forms of at least `minBytes` bytes (`CIPHERTEXT_MIN_BYTES` for ciphertext, where short
 * patterns occur by chance).
 */
export function findCanaries(haystack: Buffer | string, minBytes = 1): string[] {
  const buffer = typeof haystack === 'string' ? Buffer.from(haystack, 'utf8') : haystack;
  const found: string[] = [];
  for (const person of CANARY_PEOPLE) {
    for (const value of [person.given, person.family, person.alias]) {
      const forms = canaryForms(value).filter((form) => form.length >= minBytes);
      if (forms.some((form) => buffer.includes(form))) found.push(value);
    }
  }
  return found;
}

/** Every regular file under `dir`, depth first; entries that vanish while walking are skipped. */
export function* walkFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    const stat = statSync(path, { throwIfNoEntry: false });
    if (stat === undefined) continue;
    if (stat.isDirectory()) yield* walkFiles(path);
    else if (stat.isFile()) yield path;
  }
}

/** A value found in a file, and the first of its forms (`namedCanaryForms`) that matched. */
export interface CanaryFinding {
  readonly file: string;
  readonly value: string;
  readonly form: string;
}

export interface ScanFilesOptions {
  /**
   * Only forms of at least this many bytes are searched (default 1, every form). Random
   * ciphertext matches any 1–5 byte pattern by chance somewhere in a few megabytes.
   */
  readonly minBytes?: number;
  /** Called with each file's bytes, e.g. for a positive control. */
  readonly onFile?: (file: string, bytes: Buffer) => void;
}

/**
 * Reads every regular file under `dir` and searches it for each value in every form the scans
 * know. Returns the number of files read and one finding per (file, value) found.
 */
export function scanFilesForCanaries(
  dir: string,
  values: readonly string[],
  options: ScanFilesOptions = {},
): { files: number; findings: CanaryFinding[] } {
  const minBytes = options.minBytes ?? 1;
  const forms = values.map((value) => ({
    value,
    forms: namedCanaryForms(value).filter((f) => f.bytes.length >= minBytes),
  }));
  let files = 0;
  const findings: CanaryFinding[] = [];
  for (const file of walkFiles(dir)) {
    files++;
    const bytes = readFileSync(file);
    for (const { value, forms: candidates } of forms) {
      const hit = candidates.find((f) => bytes.includes(f.bytes));
      if (hit !== undefined) findings.push({ file, value, form: hit.form });
    }
    options.onFile?.(file, bytes);
  }
  return { files, findings };
}
