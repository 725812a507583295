import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Translation } from '@jsverse/transloco';
import * as classValidator from 'class-validator';
import { TRANSLATIONS } from '../../../testing/i18n';
import { APP_ERROR_CODES } from '../http/app-error';
import { LANGUAGE_CODES } from '../i18n/languages';
import { FIELD_NAME_KEYS, FIELD_REASON_KEYS, fieldMessage } from './field-errors';

/**
 * Every error code and every field reason the API can send has a message in every language the
 * console offers: translated (not the English text), never a missing key. The reasons are read
 * from the API's own source, so a new rule or service check without a message fails here.
 */
const API_DIR = join(__dirname, '../../../../../api/src');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !/\.(medium-)?spec\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** class-validator decorators that never fail on their own (they only switch other rules off). */
const NOT_RULES = new Set([
  'IsOptional',
  'ValidateIf',
  'ValidateBy',
  'Allow',
  'getMetadataStorage',
  'MetadataStorage',
]);

/** `IsString` → class-validator's `IS_STRING` constant, `isString`: the reason it fails with. */
function ruleNameOf(decorator: string): string | undefined {
  if (decorator === 'ValidateNested') return 'nestedValidation';
  const constant = decorator.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase();
  const value = (classValidator as unknown as Record<string, unknown>)[constant];
  return typeof value === 'string' ? value : undefined;
}

/** The reasons the API can give, found in its source. */
function apiReasons(): { reasons: Set<string>; unresolved: string[] } {
  const reasons = new Set<string>();
  const unresolved: string[] = [];
  for (const file of sourceFiles(API_DIR)) {
    const text = readFileSync(file, 'utf8');
    for (const match of text.matchAll(/reason: '(\w+)'/g)) reasons.add(match[1] ?? '');
    for (const match of text.matchAll(/refuse\(property, '(\w+)'/g)) reasons.add(match[1] ?? '');
    for (const match of text.matchAll(/ValidateBy\(\{\s*name: '(\w+)'/g))
      reasons.add(match[1] ?? '');
    for (const match of text.matchAll(/import \{([^}]+)\} from 'class-validator'/g)) {
      for (const raw of (match[1] ?? '').split(',')) {
        const name = raw.replace(/^\s*type\s+/, '').trim();
        if (name === '' || NOT_RULES.has(name) || /^[A-Z][a-zA-Z]*(Error|Options)$/.test(name)) {
          continue;
        }
        if (!/^[A-Z]/.test(name)) continue;
        const rule = ruleNameOf(name);
        if (rule === undefined) unresolved.push(`${name} (${file})`);
        else reasons.add(rule);
      }
    }
  }
  // The pipe's own: an unknown property, and retention's keep problems (from @harbour/domain).
  for (const reason of ['unknown_property', 'forever', 'integer', 'min', 'max'])
    reasons.add(reason);
  return { reasons, unresolved };
}

function lookup(translation: Translation, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>(
      (node, part) =>
        typeof node === 'object' && node !== null
          ? (node as Record<string, unknown>)[part]
          : undefined,
      translation,
    );
}

/** Every key a reason can end up at, with or without its limits. */
function messageKeysOf(reason: string): string[] {
  const bounded = [
    {},
    { minLength: 1 },
    { maxLength: 2 },
    { min: 1 },
    { max: 2 },
    { min: 1, max: 2 },
    { earliest: '1900-01-01' },
    { latest: '2026-12-06' },
    { earliest: '1900-01-01', latest: '2026-12-06' },
  ];
  return [...new Set(bounded.map((limits) => `errors.field.${fieldMessage(reason, limits).key}`))];
}

describe('error and field messages', () => {
  const { reasons, unresolved } = apiReasons();

  it('finds the API’s reasons (the scan itself works)', () => {
    expect(unresolved).toEqual([]);
    for (const known of ['isDate', 'notInFuture', 'maxLength', 'isIn', 'groupHeadcount']) {
      expect(reasons).toContain(known);
    }
  });

  it('has a specific message for every field reason the API can give', () => {
    expect([...reasons].filter((reason) => FIELD_REASON_KEYS[reason] === undefined)).toEqual([]);
  });

  describe.each(LANGUAGE_CODES)('%s', (code) => {
    const translation = TRANSLATIONS[code];
    const english = TRANSLATIONS.en;
    const translated = (key: string): boolean => {
      const text = lookup(translation, key);
      if (typeof text !== 'string' || text.trim() === '') return false;
      return code === 'en' || text !== lookup(english, key);
    };

    it('translates every error code', () => {
      const keys = APP_ERROR_CODES.map((error) => `errors.${error}`);
      expect(keys.filter((key) => !translated(key))).toEqual([]);
    });

    it('translates every field reason, with and without its limits', () => {
      const keys = [...reasons, 'required', 'minLength', 'dateRange'].flatMap(messageKeysOf);
      expect(keys.filter((key) => !translated(key))).toEqual([]);
    });

    it('names every field in words', () => {
      const keys = [...FIELD_NAME_KEYS, 'other'].map((name) => `errors.fieldName.${name}`);
      expect(keys.filter((key) => !translated(key))).toEqual([]);
      expect(translated('errors.checkFields')).toBe(true);
    });
  });
});
