import type {
  ContactsReport,
  FunnelReport,
  NeedsReport,
  ReferralsReport,
  ReportMeta,
  ReportTable,
  TimeToOutcomeReport,
} from '@harbour/domain';

export const SAFE_HOUSE_ID = '0190e1c2-0000-7000-8000-0000000005a1';
export const LEGAL_AID_ID = '0190e1c2-0000-7000-8000-0000000005a2';

export function reportMeta(overrides: Partial<ReportMeta> = {}): ReportMeta {
  return {
    report: 'needs',
    from: '2025-11',
    to: '2026-01',
    months: ['2025-11', '2025-12', '2026-01'],
    tier: 'internal',
    k: 5,
    roundedTo: null,
    filter: null,
    partners: { [SAFE_HOUSE_ID]: 'Safe House', [LEGAL_AID_ID]: 'Legal Aid Centre' },
    ...overrides,
  };
}

/** A table with its margins added up (a suppressed cell makes its margins suppressed too). */
export function reportTable(
  rows: readonly string[],
  columns: readonly string[],
  cells: readonly (readonly (number | null)[])[],
): ReportTable {
  const sum = (values: readonly (number | null)[]): number | null =>
    values.some((value) => value === null)
      ? null
      : values.reduce<number>((total, value) => total + (value ?? 0), 0);
  const rowTotals = cells.map(sum);
  const columnTotals = columns.map((_, c) => sum(cells.map((row) => row[c] ?? 0)));
  return { rows, columns, cells, rowTotals, columnTotals, total: sum(rowTotals) };
}

const MONTHS = ['2025-11', '2025-12', '2026-01'];

export function needsReport(meta: Partial<ReportMeta> = {}): NeedsReport {
  return {
    meta: reportMeta({ report: 'needs', ...meta }),
    byMonth: reportTable(['legal', 'housing', 'health'], MONTHS, [
      [6, 8, 10],
      [0, 0, 0],
      [null, 5, 7],
    ]),
    byStatus: reportTable(
      ['legal', 'housing', 'health'],
      ['identified', 'met'],
      [
        [12, 12],
        [0, 0],
        [null, 9],
      ],
    ),
  };
}

export function referralsReport(meta: Partial<ReportMeta> = {}): ReferralsReport {
  return {
    meta: reportMeta({ report: 'referrals', ...meta }),
    byStatus: reportTable(
      [SAFE_HOUSE_ID, LEGAL_AID_ID],
      ['sent', 'accepted', 'completed'],
      [
        [5, 10, 6],
        [null, 7, 0],
      ],
    ),
    byMonth: reportTable([SAFE_HOUSE_ID, LEGAL_AID_ID], MONTHS, [
      [7, 7, 7],
      [null, 5, 5],
    ]),
    rates: [
      { partner: SAFE_HOUSE_ID, acceptance: 0.8, completion: 0.375 },
      { partner: LEGAL_AID_ID, acceptance: null, completion: null },
    ],
  };
}

export function funnelReport(meta: Partial<ReportMeta> = {}): FunnelReport {
  const table = reportTable(['identified', 'referred', 'accepted', 'completed'], MONTHS, [
    [20, 25, 30],
    [10, 12, 18],
    [8, 9, null],
    [5, 0, 6],
  ]);
  return {
    meta: reportMeta({ report: 'funnel', ...meta }),
    byMonth: { ...table, columnTotals: MONTHS.map(() => null), total: null },
  };
}

export function timeToOutcomeReport(meta: Partial<ReportMeta> = {}): TimeToOutcomeReport {
  return {
    meta: reportMeta({ report: 'time-to-outcome', ...meta }),
    byCategory: [
      { group: 'legal', days: { q1: 3, median: 7.5, q3: 14 } },
      { group: 'housing', days: null },
    ],
    byPartner: [
      { group: SAFE_HOUSE_ID, days: { q1: 2, median: 4, q3: 9.5 } },
      { group: LEGAL_AID_ID, days: null },
    ],
  };
}

const KINDS = ['individual', 'group'];

export function contactsReport(meta: Partial<ReportMeta> = {}): ContactsReport {
  return {
    meta: reportMeta({ report: 'contacts', ...meta }),
    byChannel: reportTable(['in_person', 'phone', 'outreach_visit'], KINDS, [
      [14, 25],
      [null, 0],
      [0, 0],
    ]),
    byLocation: reportTable(['drop_in_centre', 'street'], KINDS, [
      [9, 25],
      [null, 0],
    ]),
    byLanguage: reportTable(['thai', 'not_recorded'], KINDS, [
      [11, 20],
      [null, 5],
    ]),
    byCircumstance: [
      { circumstance: 'post_raid', people: 12 },
      { circumstance: 'violence', people: null },
      { circumstance: 'court_process', people: 0 },
    ],
  };
}
