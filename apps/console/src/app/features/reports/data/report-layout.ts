import type {
  ContactsReport,
  DisclosuresReport,
  FunnelReport,
  NeedsReport,
  OutcomeChangeReport,
  ReferralsReport,
  ReportTable,
} from '@harbour/domain';
import type { TimeColumns } from './report-filters';
import type { ReportDimension, ReportLabel } from './report-labels';
import { dimensionLabels } from './report-labels';

/**
 * One table a report shows: the same description drives the page and the CSV export, so a file
 * holds exactly the tables and columns the person saw.
 */
export interface TableLayout {
  readonly testId: string;
  readonly captionKey: string;
  /** The heading of the row names' column. */
  readonly rowHeaderKey: string;
  readonly table: ReportTable;
  readonly rows: ReportDimension;
  readonly columns: ReportDimension;
  /** Whether the rows add up to a total column, and the columns to a total row. */
  readonly rowTotals: boolean;
  readonly columnTotals: boolean;
}

/** The table over time a report shows: by quarter or by month. */
function timeTable(
  report: { readonly byMonth: ReportTable; readonly byQuarter: ReportTable },
  columns: TimeColumns,
): { readonly table: ReportTable; readonly columns: ReportDimension } {
  return columns === 'quarter'
    ? { table: report.byQuarter, columns: 'quarter' }
    : { table: report.byMonth, columns: 'month' };
}

/** Needs: category × quarter or month, then category × status when published. */
export function needsTables(report: NeedsReport, columns: TimeColumns): TableLayout[] {
  const time = timeTable(report, columns);
  return [
    {
      testId: `needs-by-${time.columns}`,
      captionKey: columns === 'quarter' ? 'reports.needs.byQuarter' : 'reports.needs.byMonth',
      rowHeaderKey: 'reports.needs.category',
      table: time.table,
      rows: 'category',
      columns: time.columns,
      rowTotals: true,
      columnTotals: true,
    },
    {
      testId: 'needs-by-status',
      captionKey: 'reports.needs.byStatus',
      rowHeaderKey: 'reports.needs.category',
      table: report.byStatus,
      rows: 'category',
      columns: 'needStatus',
      rowTotals: true,
      columnTotals: true,
    },
  ];
}

/** Referrals: partner × status when published, then partner × quarter or month. */
export function referralsTables(report: ReferralsReport, columns: TimeColumns): TableLayout[] {
  const time = timeTable(report, columns);
  return [
    {
      testId: 'referrals-by-status',
      captionKey: 'reports.referrals.byStatus',
      rowHeaderKey: 'reports.referrals.partner',
      table: report.byStatus,
      rows: 'partner',
      columns: 'referralStatus',
      rowTotals: true,
      columnTotals: true,
    },
    {
      testId: `referrals-by-${time.columns}`,
      captionKey:
        columns === 'quarter' ? 'reports.referrals.byQuarter' : 'reports.referrals.byMonth',
      rowHeaderKey: 'reports.referrals.partner',
      table: time.table,
      rows: 'partner',
      columns: time.columns,
      rowTotals: true,
      columnTotals: true,
    },
  ];
}

/** The acceptance and completion rates shown: partners with something published. */
export function shownRates(report: ReferralsReport): ReferralsReport['rates'] {
  return report.rates.filter((rate) => {
    const index = report.byStatus.rows.indexOf(rate.partner);
    return report.byStatus.rowTotals[index] !== 0;
  });
}

/** The funnel: stage × quarter or month. Stages are not parts of a whole: no column totals. */
export function funnelTables(report: FunnelReport, columns: TimeColumns): TableLayout[] {
  const time = timeTable(report, columns);
  return [
    {
      testId: `funnel-by-${time.columns}`,
      captionKey: columns === 'quarter' ? 'reports.funnel.byQuarter' : 'reports.funnel.byMonth',
      rowHeaderKey: 'reports.funnel.stage',
      table: time.table,
      rows: 'stage',
      columns: time.columns,
      rowTotals: true,
      columnTotals: false,
    },
  ];
}

/** People reached: channel, place and language × individual or group. */
export function contactsTables(report: ContactsReport): TableLayout[] {
  const table = (
    testId: string,
    captionKey: string,
    rowHeaderKey: string,
    source: ReportTable,
    rows: ReportDimension,
  ): TableLayout => ({
    testId,
    captionKey,
    rowHeaderKey,
    table: source,
    rows,
    columns: 'contactKind',
    rowTotals: true,
    columnTotals: true,
  });
  return [
    table(
      'contacts-by-channel',
      'reports.contacts.byChannel',
      'reports.contacts.channel',
      report.byChannel,
      'channel',
    ),
    table(
      'contacts-by-location',
      'reports.contacts.byLocation',
      'reports.contacts.location',
      report.byLocation,
      'location',
    ),
    table(
      'contacts-by-language',
      'reports.contacts.byLanguage',
      'reports.contacts.language',
      report.byLanguage,
      'language',
    ),
  ];
}

/**
 * Change per area of life: follow-up ratings, domain × better / same / worse, then domain ×
 * quarter or month.
 */
export function outcomeChangeTables(
  report: OutcomeChangeReport,
  columns: TimeColumns,
): TableLayout[] {
  const time = timeTable(report, columns);
  return [
    {
      testId: 'outcome-change-by-change',
      captionKey: 'outcomes.report.byChange',
      rowHeaderKey: 'outcomes.report.domain',
      table: report.byChange,
      rows: 'domain',
      columns: 'outcomeChange',
      rowTotals: true,
      // A person may rate several areas: the columns do not add up to people.
      columnTotals: false,
    },
    {
      testId: `outcome-change-by-${time.columns}`,
      captionKey: columns === 'quarter' ? 'outcomes.report.byQuarter' : 'outcomes.report.byMonth',
      rowHeaderKey: 'outcomes.report.domain',
      table: time.table,
      rows: 'domain',
      columns: time.columns,
      rowTotals: true,
      columnTotals: false,
    },
  ];
}

/**
 * Disclosure requests: authority × outcome (recorded, refused, disclosed), then outcome ×
 * quarter or month.
 */
export function disclosuresTables(report: DisclosuresReport, columns: TimeColumns): TableLayout[] {
  const time = timeTable(report, columns);
  return [
    {
      testId: 'disclosures-by-outcome',
      captionKey: 'reports.disclosures.byOutcome',
      rowHeaderKey: 'reports.disclosures.authority',
      table: report.byOutcome,
      rows: 'authority',
      columns: 'disclosureOutcome',
      rowTotals: true,
      columnTotals: true,
    },
    {
      testId: `disclosures-by-${time.columns}`,
      captionKey:
        columns === 'quarter' ? 'reports.disclosures.byQuarter' : 'reports.disclosures.byMonth',
      rowHeaderKey: 'reports.disclosures.outcome',
      table: time.table,
      rows: 'disclosureOutcome',
      columns: time.columns,
      rowTotals: true,
      columnTotals: true,
    },
  ];
}

/** A table with the names of its rows and columns. */
export interface LabelledTable extends TableLayout {
  readonly rowLabels: readonly ReportLabel[];
  readonly columnLabels: readonly ReportLabel[];
}

/** Names the rows and columns of each table (partners by the report's directory). */
export function labelled(
  layouts: readonly TableLayout[],
  partners: Readonly<Record<string, string>>,
): LabelledTable[] {
  return layouts.map((layout) => ({
    ...layout,
    rowLabels: dimensionLabels(layout.rows, layout.table.rows, partners),
    columnLabels: dimensionLabels(layout.columns, layout.table.columns, partners),
  }));
}
