import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SUBJECT_EXPORT_LANGUAGES } from '@harbour/domain';
import { SUBJECT_CATALOGUES, type SubjectCatalogue } from './subject-export.catalogue';

/**
 * The own-data document names categories, roles, access-log actions and outcomes with the
 * console's own words, copied into the server's catalogue (the API never reads the console's
 * files at run time). This test fails when the copy has drifted from the console translations —
 * a new action or category, a reworded label; `HARBOUR_WRITE_CATALOGUE=1 npx jest -c
 * jest.unit.config.cjs subject-export.catalogue` rewrites the copied parts (the document's own
 * `labels` are written by hand and kept).
 */
const ROOT = join(__dirname, '../../../../..');
const TAXONOMY = [
  'channel',
  'location',
  'circumstance',
  'need',
  'priority',
  'needStatus',
  'ageBand',
  'region',
  'language',
  'gender',
  'sex',
  'referralStatus',
  'consentPurpose',
  'consentMethod',
  'consentScope',
] as const;

type Tree = { [key: string]: string | Tree };

function fromConsole(language: string): Omit<SubjectCatalogue, 'labels'> {
  const path = join(ROOT, `apps/console/src/assets/i18n/${language}.json`);
  const t = JSON.parse(readFileSync(path, 'utf8')) as Tree;
  const at = (...keys: string[]): Tree => keys.reduce((node, k) => node[k] as Tree, t);
  const actions: Record<string, string> = {};
  for (const [group, names] of Object.entries(at('audit', 'actions')))
    for (const [name, text] of Object.entries(names as Tree))
      actions[`${group}.${name}`] = text as string;
  const checkIn: Record<string, string> = {};
  for (const [domain, words] of Object.entries(at('outcomes', 'domains')))
    checkIn[domain] = (words as Tree)['name'] as string;
  return {
    taxonomy: Object.fromEntries(
      TAXONOMY.map((k) => [k, at('taxonomy', k)]),
    ) as SubjectCatalogue['taxonomy'],
    roles: at('roles', 'names') as SubjectCatalogue['roles'],
    actions,
    outcomes: at('audit', 'outcomes') as SubjectCatalogue['outcomes'],
    checkIn,
  };
}

describe('the own-data catalogue follows the console translations', () => {
  it.each(SUBJECT_EXPORT_LANGUAGES)('%s', (language) => {
    const current = SUBJECT_CATALOGUES[language];
    const expected = { labels: current.labels, ...fromConsole(language) };
    if (process.env['HARBOUR_WRITE_CATALOGUE'] === '1') {
      const file = join(__dirname, `catalogue/${language}.json`);
      writeFileSync(file, `${JSON.stringify(expected, null, 2)}\n`);
      return;
    }
    expect(current).toEqual(expected);
  });
});
