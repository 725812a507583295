import { auditPurposeOf, type StaffLanguage } from '@harbour/domain';
import { csvCell } from '../../infra/http/csv';
import type { EventListRow } from '../../data/audit/audit-read.queries';
import en from './catalogue/en.json';
import ko from './catalogue/ko.json';
import th from './catalogue/th.json';
import vi from './catalogue/vi.json';
import zhHans from './catalogue/zh-Hans.json';

/** The columns of the access-log CSV, in order. */
export const ACCESS_LOG_CSV_COLUMNS = [
  'seq',
  'occurred_at',
  'actor_id',
  'actor_name',
  'actor_roles',
  'action',
  'resource_type',
  'resource_ids',
  'fields',
  'purpose',
  'outcome',
  'request_id',
] as const;
export type AccessLogCsvColumn = (typeof ACCESS_LOG_CSV_COLUMNS)[number];

/**
 * The words of the access-log CSV, one catalogue per console language, held on the server and
 * copied from the console's translations (`access-log-csv.catalogue.spec.ts` checks the copy and
 * rewrites it with `HARBOUR_WRITE_CATALOGUE=1`), so that an auditor reads the same words in the
 * file as on the screen.
 */
export interface AccessLogCatalogue {
  readonly headers: Readonly<Record<string, string>>;
  readonly actions: Readonly<Record<string, string>>;
  readonly resourceTypes: Readonly<Record<string, string>>;
  readonly outcomes: Readonly<Record<string, string>>;
  readonly roles: Readonly<Record<string, string>>;
  readonly purposes: Readonly<Record<string, string>>;
  readonly fields: Readonly<Record<string, string>>;
}

export const ACCESS_LOG_CATALOGUES: Readonly<Record<StaffLanguage, AccessLogCatalogue>> = {
  en,
  th,
  vi,
  'zh-Hans': zhHans,
  ko,
};

/** A label, or the code itself for one written by an older or newer version of Harbour. */
function labelled(labels: Readonly<Record<string, string>>, code: string): string {
  return Object.hasOwn(labels, code) ? labels[code]! : code;
}

/**
 * The access log as CSV (RFC 4180) in `language`: translated headers; actions, record types,
 * roles, purposes, outcomes and revealed fields by their labels. Times stay ISO 8601 in UTC
 * (the header says so), ids and request ids as they are, so that the file sorts and joins.
 * Cells are guarded against formula injection.
 */
export function accessLogCsv(rows: readonly EventListRow[], language: StaffLanguage): string {
  const words = ACCESS_LOG_CATALOGUES[language];
  const lines = [ACCESS_LOG_CSV_COLUMNS.map((column) => csvCell(words.headers[column]!)).join(',')];
  for (const row of rows) {
    const purpose = auditPurposeOf(row.purpose);
    lines.push(
      [
        row.seq,
        new Date(row.occurred_at).toISOString(),
        row.actor_id ?? '',
        row.actor_name ?? '',
        row.actor_roles.map((role) => labelled(words.roles, role)).join('; '),
        labelled(words.actions, row.action),
        row.resource_type === null ? '' : labelled(words.resourceTypes, row.resource_type),
        row.resource_ids.join(' '),
        row.fields.map((field) => labelled(words.fields, field)).join('; '),
        purpose === null ? '' : labelled(words.purposes, purpose),
        labelled(words.outcomes, row.outcome),
        row.request_id,
      ]
        .map((cell) => csvCell(String(cell)))
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}
