import type { LockdownPromise } from '@harbour/domain';
import { LOCKDOWN_PROMISES } from '@harbour/domain';
import { TRANSLATIONS } from '../../../../testing/i18n';
import { LANGUAGE_CODES } from '../../../core/i18n/languages';
import { LOCKDOWN_PROMISE_KEYS, LOCKDOWN_PROMISE_LINES } from './lockdown-promises';

function text(language: string, key: string): unknown {
  return key
    .split('.')
    .reduce<unknown>(
      (node, part) =>
        typeof node === 'object' && node !== null
          ? (node as Record<string, unknown>)[part]
          : undefined,
      TRANSLATIONS[language as keyof typeof TRANSLATIONS],
    );
}

/**
 * What the English sentence of each promise must say: the thing the API's lockdown test checks
 * for that promise (apps/api/src/app/organisations/lockdown.medium-spec.ts, a `Record` over the
 * same `LOCKDOWN_PROMISES`). If a sentence promised something else, this fails.
 */
const SAYS: Readonly<Record<LockdownPromise, readonly RegExp[]>> = {
  everyone_signed_out: [/everyone/i, /signed out/i, /including you/i],
  admins_only_sign_in: [/only administrators can sign in/i, /approve lifting/i],
  no_identity: [/nobody/i, /identity/i],
  no_notes: [/nobody/i, /notes/i],
  no_lookup: [/nobody/i, /look up|search/i],
  no_reports: [/no reports/i],
  no_exports: [/nothing can be exported/i, /report/i, /access log/i],
  no_staff_changes: [/no staff account can be created/i, /role/i, /password/i, /authenticator/i],
  keys_dropped: [/keys/i, /memory/i],
  two_prior_admins_lift: [
    /two different administrators/i,
    /before the lockdown/i,
    /password and code/i,
  ],
};

describe('the lockdown promise the console makes', () => {
  it('lists exactly the promises the API enforces and tests, in their order', () => {
    expect(LOCKDOWN_PROMISE_LINES.map((line) => line.promise)).toEqual([...LOCKDOWN_PROMISES]);
    expect(Object.keys(LOCKDOWN_PROMISE_KEYS).sort()).toEqual([...LOCKDOWN_PROMISES].sort());
  });

  it.each(LOCKDOWN_PROMISES.map((promise) => [promise]))(
    'says in English what the API enforces for %s',
    (promise) => {
      const sentence = text('en', LOCKDOWN_PROMISE_KEYS[promise]);
      expect(typeof sentence).toBe('string');
      for (const pattern of SAYS[promise]) expect(sentence).toMatch(pattern);
    },
  );

  it('makes no promise the API does not check (the old "identity only" sentence is gone)', () => {
    const lockdown = text('en', 'admin.organisation.lockdown') as Record<string, unknown>;
    const promises = lockdown['promises'] as Record<string, unknown>;
    expect(Object.keys(promises).sort()).toEqual([...LOCKDOWN_PROMISES].sort());
    expect(Object.keys(lockdown).filter((key) => key.startsWith('consequence'))).toEqual([]);
  });

  it.each(LANGUAGE_CODES.map((code) => [code]))('has every promise in %s', (code) => {
    for (const promise of LOCKDOWN_PROMISES) {
      const sentence = text(code, LOCKDOWN_PROMISE_KEYS[promise]);
      expect({ promise, ok: typeof sentence === 'string' && sentence.trim() !== '' }).toEqual({
        promise,
        ok: true,
      });
    }
  });
});
