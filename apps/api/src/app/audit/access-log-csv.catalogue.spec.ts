import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  AUDIT_ACTIONS,
  AUDIT_RESOURCE_TYPES,
  IDENTITY_FIELDS,
  REVEAL_PURPOSES,
  ROLES,
  STAFF_LANGUAGES,
} from '@harbour/domain';
import {
  ACCESS_LOG_CATALOGUES,
  ACCESS_LOG_CSV_COLUMNS,
  type AccessLogCatalogue,
} from './access-log-csv';

/**
 * The access-log CSV names its columns, actions, record types, roles, purposes, outcomes and
 * revealed fields with the console's own words, copied into the server's catalogue (the API never
 * reads the console's files at run time). This test fails when the copy has drifted from the
 * console translations; `HARBOUR_WRITE_CATALOGUE=1 npx jest -c jest.unit.config.cjs
 * access-log-csv.catalogue` rewrites it.
 */
const ROOT = join(__dirname, '../../../../..');

type Tree = { [key: string]: string | Tree };

function fromConsole(language: string): AccessLogCatalogue {
  const path = join(ROOT, `apps/console/src/assets/i18n/${language}.json`);
  const t = JSON.parse(readFileSync(path, 'utf8')) as Tree;
  const at = (...keys: string[]): Tree => keys.reduce((node, k) => node[k] as Tree, t);
  const text = (...keys: string[]): string => {
    const value = keys.reduce<Tree | string>((node, k) => (node as Tree)[k]!, t);
    if (typeof value !== 'string') throw new Error(`no text at ${keys.join('.')}`);
    return value;
  };
  const columns = (name: string): string => text('audit', 'events', 'columns', name);
  const actions: Record<string, string> = {};
  for (const [group, names] of Object.entries(at('audit', 'actions')))
    for (const [name, label] of Object.entries(names as Tree))
      actions[`${group}.${name}`] = label as string;
  const identity = at('cases', 'identity');
  return {
    headers: {
      seq: text('audit', 'detail', 'seq'),
      occurred_at: `${columns('time')} (UTC)`,
      actor_id: text('audit', 'filters', 'actor'),
      actor_name: columns('actor'),
      actor_roles: columns('roles'),
      action: columns('action'),
      resource_type: text('audit', 'detail', 'resourceType'),
      resource_ids: text('audit', 'detail', 'resourceIds'),
      fields: columns('fields'),
      purpose: columns('purpose'),
      outcome: columns('outcome'),
      request_id: columns('requestId'),
    },
    actions,
    resourceTypes: at('audit', 'resourceTypes') as Record<string, string>,
    outcomes: at('audit', 'outcomes') as Record<string, string>,
    roles: at('roles', 'names') as Record<string, string>,
    purposes: at('taxonomy', 'revealPurpose') as Record<string, string>,
    fields: Object.fromEntries(IDENTITY_FIELDS.map((field) => [field, identity[field] as string])),
  };
}

describe('the access-log CSV catalogue', () => {
  it.each(STAFF_LANGUAGES)('%s follows the console translations', (language) => {
    const expected = fromConsole(language);
    if (process.env['HARBOUR_WRITE_CATALOGUE'] === '1') {
      const file = join(__dirname, `catalogue/${language}.json`);
      writeFileSync(file, `${JSON.stringify(expected, null, 2)}\n`);
      return;
    }
    expect(ACCESS_LOG_CATALOGUES[language]).toEqual(expected);
  });

  it.each(STAFF_LANGUAGES)(
    '%s labels every column, action, record type, role, purpose, outcome and identity field',
    (language) => {
      const words = ACCESS_LOG_CATALOGUES[language];
      const missing = [
        ...ACCESS_LOG_CSV_COLUMNS.filter((c) => !words.headers[c]).map((c) => `header ${c}`),
        ...AUDIT_ACTIONS.filter((a) => !words.actions[a]).map((a) => `action ${a}`),
        ...AUDIT_RESOURCE_TYPES.filter((r) => !words.resourceTypes[r]).map((r) => `type ${r}`),
        ...ROLES.filter((r) => !words.roles[r]).map((r) => `role ${r}`),
        ...[...REVEAL_PURPOSES, 'unlisted']
          .filter((p) => !words.purposes[p])
          .map((p) => `purpose ${p}`),
        ...['success', 'denied', 'failure']
          .filter((o) => !words.outcomes[o])
          .map((o) => `outcome ${o}`),
        ...IDENTITY_FIELDS.filter((f) => !words.fields[f]).map((f) => `field ${f}`),
      ];
      expect(missing).toEqual([]);
    },
  );

  it('is really translated: no language but English writes the English words', () => {
    for (const language of STAFF_LANGUAGES.filter((l) => l !== 'en')) {
      const words = ACCESS_LOG_CATALOGUES[language];
      const same = Object.entries(ACCESS_LOG_CATALOGUES.en.headers).filter(
        ([column, text]) => words.headers[column] === text,
      );
      expect([language, same]).toEqual([language, []]);
      expect(words.actions['person.identity_revealed']).not.toBe(
        ACCESS_LOG_CATALOGUES.en.actions['person.identity_revealed'],
      );
    }
  });
});
