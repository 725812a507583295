import type {
  DisclosuresReport,
  ContactsReport,
  FunnelReport,
  NeedsReport,
  OutcomeChangeReport,
  ReferralsReport,
  ReportCount,
  ReportMeta,
  ReportTable,
  TimeToOutcomeReport,
} from '@harbour/domain';

export const SAFE_HOUSE_ID = '0190e1c2-0000-7000-8000-0000000005a1';
export const LEGAL_AID_ID = '0190e1c2-0000-7000-8000-0000000005a2';

/** The closed quarters of the fixtures' year (2026, asked for in August: Q3 is still open). */
export const QUARTERS = ['2026-Q1', '2026-Q2'] as const;
export const MONTHS = ['2026-01', '2026-02', '2026-03', '2026-04', '2026-05', '2026-06'] as const;

export function reportMeta(overrides: Partial<ReportMeta> = {}): ReportMeta {
  return {
    report: 'needs',
    period: '2026',
    quarters: [
      { quarter: '2026-Q1', publishedAt: '2026-04-01T09:30:00.000Z', k: 5 },
      { quarter: '2026-Q2', publishedAt: '2026-07-02T14:05:00.000Z', k: 5 },
    ],
    months: [...MONTHS],
    tier: 'internal',
    k: 5,
    roundedTo: null,
    filter: null,
    partners: { [SAFE_HOUSE_ID]: 'Safe House', [LEGAL_AID_ID]: 'Legal Aid Centre' },
    ...overrides,
  };
}

/** A sum that is published only if every part is (as the API adds published figures up). */
function sumOf(values: readonly ReportCount[]): ReportCount {
  return values.some((value) => value === null)
    ? null
    : values.reduce<number>((total, value) => total + (value ?? 0), 0);
}

/** A table with its margins added up (a figure not published makes its margins unpublished). */
export function reportTable(
  rows: readonly string[],
  columns: readonly string[],
  cells: readonly (readonly ReportCount[])[],
): ReportTable {
  const rowTotals = cells.map(sumOf);
  const columnTotals = columns.map((_, c) => sumOf(cells.map((row) => row[c]!)));
  return { rows, columns, cells, rowTotals, columnTotals, total: sumOf(rowTotals) };
}

/**
 * A table by month and the same by quarter, as the API answers a year: each quarter's totals are
 * its own published figures (often published where one of its months is not), and both tables'
 * row totals add the quarters up.
 */
export function timeTables(
  rows: readonly string[],
  byMonth: readonly (readonly ReportCount[])[],
  byQuarter: readonly (readonly ReportCount[])[],
): { byMonth: ReportTable; byQuarter: ReportTable } {
  const quarters = reportTable(rows, QUARTERS, byQuarter);
  const months = reportTable(rows, MONTHS, byMonth);
  return {
    byMonth: { ...months, rowTotals: quarters.rowTotals, total: quarters.total },
    byQuarter: quarters,
  };
}

const CATEGORIES = ['legal', 'housing', 'health'];

export function needsReport(meta: Partial<ReportMeta> = {}): NeedsReport {
  return {
    meta: reportMeta({ report: 'needs', ...meta }),
    ...timeTables(
      CATEGORIES,
      [
        [6, 8, 10, 5, 7, 9],
        [0, 0, 0, 0, 0, 0],
        [null, 5, 7, 0, 6, null],
      ],
      [
        [24, 21],
        [0, 0],
        [14, null],
      ],
    ),
    byStatus: reportTable(
      CATEGORIES,
      ['identified', 'met'],
      [
        [25, 20],
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
    ...timeTables(
      [SAFE_HOUSE_ID, LEGAL_AID_ID],
      [
        [7, 7, 7, 0, 0, 0],
        [null, 5, 5, 0, 0, 0],
      ],
      [
        [21, 0],
        [12, 0],
      ],
    ),
    rates: [
      { partner: SAFE_HOUSE_ID, acceptance: 0.8, completion: 0.375 },
      { partner: LEGAL_AID_ID, acceptance: null, completion: null },
    ],
  };
}

const STAGES = ['identified', 'referred', 'accepted', 'completed'];

export function funnelReport(meta: Partial<ReportMeta> = {}): FunnelReport {
  const { byMonth, byQuarter } = timeTables(
    STAGES,
    [
      [20, 25, 30, 10, 10, 10],
      [10, 12, 18, 5, 5, 6],
      [8, 9, null, 0, 5, 5],
      [5, 0, 6, 0, 0, 5],
    ],
    [
      [75, 30],
      [40, 16],
      [20, 10],
      [11, 5],
    ],
  );
  // Stages are not parts of a whole: no column totals.
  return {
    meta: reportMeta({ report: 'funnel', ...meta }),
    byMonth: { ...byMonth, columnTotals: MONTHS.map(() => null), total: null },
    byQuarter: { ...byQuarter, columnTotals: QUARTERS.map(() => null), total: null },
  };
}

export function timeToOutcomeReport(meta: Partial<ReportMeta> = {}): TimeToOutcomeReport {
  return {
    meta: reportMeta({
      report: 'time-to-outcome',
      period: '2026-Q2',
      quarters: [{ quarter: '2026-Q2', publishedAt: '2026-07-02T14:05:00.000Z', k: 5 }],
      months: ['2026-04', '2026-05', '2026-06'],
      ...meta,
    }),
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

const DOMAINS = ['safety', 'legal_status', 'housing'];

/** Follow-up ratings: safety published throughout, legal status hidden, housing partly. */
export function outcomeChangeReport(meta: Partial<ReportMeta> = {}): OutcomeChangeReport {
  return {
    meta: reportMeta({ report: 'outcome-change', ...meta }),
    byChange: {
      ...reportTable(
        DOMAINS,
        ['improved', 'same', 'worsened'],
        [
          [12, 9, 6],
          [null, null, 0],
          [7, null, null],
        ],
      ),
      rowTotals: [27, null, 21],
    },
    ...timeTables(
      DOMAINS,
      [
        [0, 5, 6, 5, 6, 5],
        [0, null, null, 0, 0, 0],
        [0, 0, 7, 0, 7, 7],
      ],
      [
        [11, 16],
        [null, 0],
        [7, 14],
      ],
    ),
    shares: [
      { domain: 'safety', improved: 0.444, worsened: 0.222 },
      { domain: 'legal_status', improved: null, worsened: null },
      { domain: 'housing', improved: 0.333, worsened: null },
      { domain: 'health_wellbeing', improved: null, worsened: null },
      { domain: 'work_money', improved: null, worsened: null },
      { domain: 'social_support', improved: null, worsened: null },
    ],
  };
}

const AUTHORITIES = ['police', 'immigration', 'court', 'other'];
const DISCLOSURE_OUTCOMES = ['recorded', 'refused', 'disclosed'];

/** Requests from authorities: the police often, courts hidden (below k). */
export function disclosuresReport(meta: Partial<ReportMeta> = {}): DisclosuresReport {
  return {
    meta: reportMeta({ report: 'disclosures', ...meta }),
    byOutcome: reportTable(AUTHORITIES, DISCLOSURE_OUTCOMES, [
      [5, 12, 8],
      [0, 6, null],
      [null, null, 0],
      [0, 0, 0],
    ]),
    ...timeTables(
      DISCLOSURE_OUTCOMES,
      [
        [0, 5, 0, 0, 0, 0],
        [6, 6, 6, 0, 0, 6],
        [0, 0, 8, 0, 0, 0],
      ],
      [
        [5, 0],
        [18, 6],
        [8, 0],
      ],
    ),
  };
}
