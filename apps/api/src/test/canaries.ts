import { readFileSync } from 'node:fs';
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

/**
 * Every form of a value the scans look for: as written, NFC/NFD, lower/upper case, UTF-16LE,
 * JSON \\u escapes and URL encoding (the fixture's `forms_to_scan`).
 */
export function canaryForms(value: string): Buffer[] {
  const texts = new Set<string>([
    value,
    value.normalize('NFC'),
    value.normalize('NFD'),
    value.toLowerCase(),
    value.toUpperCase(),
    encodeURIComponent(value),
    JSON.stringify(value).slice(1, -1),
    Array.from(value, (ch) => {
      const code = ch.codePointAt(0)!;
      return code < 0x80 ? ch : `\\u${code.toString(16).padStart(4, '0')}`;
    }).join(''),
  ]);
  const forms = [...texts].map((t) => Buffer.from(t, 'utf8'));
  forms.push(Buffer.from(value, 'utf16le'));
  return forms;
}

/** The canary strings (given, family, alias of every person) found in `haystack`. */
export function findCanaries(haystack: Buffer | string): string[] {
  const buffer = typeof haystack === 'string' ? Buffer.from(haystack, 'utf8') : haystack;
  const found: string[] = [];
  for (const person of CANARY_PEOPLE) {
    for (const value of [person.given, person.family, person.alias]) {
      if (canaryForms(value).some((form) => buffer.includes(form))) found.push(value);
    }
  }
  return found;
}
