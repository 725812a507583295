import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Translation } from '@jsverse/transloco';
import { TRANSLATIONS } from '../../../testing/i18n';
import { APP_ERROR_CODES } from '../http/app-error';
import { LANGUAGE_CODES } from './languages';

const I18N_DIR = join(__dirname, '../../../assets/i18n');
const APP_DIR = join(__dirname, '../..');

/** Nested translation objects as `a.b.c` → text. */
function flatten(translation: Translation, prefix = ''): Map<string, string> {
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(translation)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (typeof value === 'string') entries.set(path, value);
    else if (typeof value === 'object' && value !== null) {
      for (const [nested, text] of flatten(value as Translation, path)) entries.set(nested, text);
    } else throw new Error(`${path} is neither text nor a group`);
  }
  return entries;
}

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((match) => match[1] ?? '').sort();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|html)$/.test(entry.name) && !entry.name.endsWith('.spec.ts') ? [path] : [];
  });
}

const english = flatten(TRANSLATIONS.en);
const groups = new Set([...english.keys()].map((key) => key.split('.')[0]));

/** Every quoted `group.key` literal in the application's code and templates. */
function keysUsedInCode(): Set<string> {
  const used = new Set<string>();
  for (const file of sourceFiles(APP_DIR)) {
    for (const match of readFileSync(file, 'utf8').matchAll(/['"]([A-Za-z]+(?:\.\w+)+)['"]/g)) {
      const key = match[1] ?? '';
      if (groups.has(key.split('.')[0] ?? '')) used.add(key);
    }
  }
  return used;
}

describe('translation files', () => {
  it('has exactly one file per offered language', () => {
    const files = readdirSync(I18N_DIR).filter((name) => name.endsWith('.json'));
    expect(files.map((name) => name.replace(/\.json$/, '')).sort()).toEqual(
      [...LANGUAGE_CODES].sort(),
    );
    expect(Object.keys(TRANSLATIONS).sort()).toEqual([...LANGUAGE_CODES].sort());
  });

  it('has an English message for every error code', () => {
    const missing = APP_ERROR_CODES.filter((code) => !english.has(`errors.${code}`));
    expect(missing).toEqual([]);
  });

  it('has every key used in the code in English', () => {
    const missing = [...keysUsedInCode()].filter((key) => !english.has(key));
    expect(missing).toEqual([]);
  });

  it('has no English key that nothing uses (error codes are looked up by code)', () => {
    const used = keysUsedInCode();
    const unused = [...english.keys()].filter(
      (key) => !used.has(key) && !key.startsWith('errors.'),
    );
    expect(unused).toEqual([]);
  });

  it('says "person", "client" or "contact", never "victim"', () => {
    for (const [, text] of english) expect(text).not.toMatch(/victim/i);
  });

  describe.each(LANGUAGE_CODES.filter((code) => code !== 'en'))('%s', (code) => {
    const translated = flatten(TRANSLATIONS[code]);

    it('has no key that English lacks', () => {
      expect([...translated.keys()].filter((key) => !english.has(key))).toEqual([]);
    });

    it('has no empty text', () => {
      expect([...translated].filter(([, text]) => text.trim() === '')).toEqual([]);
    });

    it('keeps the same {{placeholders}} as English', () => {
      const mismatched = [...translated]
        .filter(([key, text]) => {
          const source = english.get(key) ?? '';
          return placeholders(text).join() !== placeholders(source).join();
        })
        .map(([key]) => key);
      expect(mismatched).toEqual([]);
    });
  });
});
