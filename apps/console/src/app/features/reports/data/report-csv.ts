import type {
  ContactsReport,
  DisclosuresReport,
  FunnelReport,
  NeedsReport,
  OutcomeChangeReport,
  OutcomeTimes,
  ReferralsReport,
  ReportCount,
  ReportMeta,
  TimeToOutcomeReport,
} from '@harbour/domain';
import type { ReportView, TimeColumns } from './report-filters';
import { formatMonth, formatPublishedAt, periodText, quarterText } from './report-format';
import type { ReportLabel } from './report-labels';
import {
  dimensionLabel,
  FILTER_ATTRIBUTE_KEYS,
  filterValueLabel,
  REPORT_TITLE_KEYS,
} from './report-labels';
import type { TableLayout } from './report-layout';
import {
  contactsTables,
  funnelTables,
  needsTables,
  disclosuresTables,
  outcomeChangeTables,
  referralsTables,
  shownRates,
} from './report-layout';
import type { ReportsByView } from './reports.api';

/** Translates a key in the active language (Transloco's `translate`). */
export type Translate = (key: string, params?: Record<string, unknown>) => string;

/** What a CSV is written in: the person's language, and the time columns they chose. */
export interface CsvContext {
  readonly translate: Translate;
  /** The active language's code, for months, quarters and dates (`Intl`). */
  readonly language: string;
  readonly columns: TimeColumns;
}

/** The media type a CSV is saved with. */
export const CSV_TYPE = 'text/csv;charset=utf-8';

/** Makes spreadsheets read the file as UTF-8 (Thai, Chinese, Korean, Vietnamese). */
const BYTE_ORDER_MARK = '\uFEFF';

/** A cell starting with one of these is a formula to a spreadsheet (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * One cell: text a spreadsheet never runs as a formula (a leading `'` keeps it text), quoted
 * where it holds a comma, a quote or a line break (RFC 4180).
 */
export function csvCell(value: string): string {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(guarded) ? `"${guarded.replace(/"/g, '""')}"` : guarded;
}

/** Rows as a CSV file's text: UTF-8 byte order mark, CRLF line ends (RFC 4180). */
export function csvText(rows: readonly (readonly string[])[]): string {
  return BYTE_ORDER_MARK + rows.map((row) => row.map(csvCell).join(',') + '\r\n').join('');
}

/**
 * A report as the person saw it, as CSV: a header block (report, period, tier, k, rounding,
 * filter, when each quarter's figures were fixed, what the not-published marker means), then
 * exactly the tables the page shows, with their columns, every label in the person's language,
 * and every figure that is not published as the marker (never a number it does not have).
 */
export function reportCsv(
  view: ReportView,
  report: ReportsByView[ReportView],
  context: CsvContext,
): string {
  return csvText(reportRows(view, report, context));
}

/** The rows of `reportCsv`. */
export function reportRows(
  view: ReportView,
  report: ReportsByView[ReportView],
  context: CsvContext,
): string[][] {
  const body: string[][] = [];
  switch (view) {
    case 'needs':
      for (const layout of needsTables(report as NeedsReport, context.columns)) {
        body.push(...tableRows(layout, report.meta, context));
      }
      break;
    case 'referrals': {
      const referrals = report as ReferralsReport;
      for (const layout of referralsTables(referrals, context.columns)) {
        body.push(...tableRows(layout, report.meta, context));
      }
      body.push(...rateRows(referrals, context));
      break;
    }
    case 'funnel':
      for (const layout of funnelTables(report as FunnelReport, context.columns)) {
        body.push(...tableRows(layout, report.meta, context));
      }
      break;
    case 'time-to-outcome': {
      const times = report as TimeToOutcomeReport;
      body.push(
        ...timeRows(
          'reports.timeToOutcome.byCategory',
          'reports.timeToOutcome.category',
          times.byCategory,
          'category',
          context,
          report.meta,
        ),
        ...timeRows(
          'reports.timeToOutcome.byPartner',
          'reports.timeToOutcome.partner',
          times.byPartner,
          'partner',
          context,
          report.meta,
        ),
      );
      break;
    }
    case 'disclosures':
      for (const layout of disclosuresTables(report as DisclosuresReport, context.columns)) {
        body.push(...tableRows(layout, report.meta, context));
      }
      break;
    case 'outcome-change': {
      const outcomes = report as OutcomeChangeReport;
      for (const layout of outcomeChangeTables(outcomes, context.columns)) {
        body.push(...tableRows(layout, report.meta, context));
      }
      body.push(...shareRows(outcomes, context));
      break;
    }
    case 'contacts': {
      const contacts = report as ContactsReport;
      for (const layout of contactsTables(contacts)) {
        body.push(...tableRows(layout, report.meta, context));
      }
      body.push(...circumstanceRows(contacts, context));
      break;
    }
  }
  return [...headerRows(view, report.meta, context), [], ...body];
}

/** A label in the person's language. */
export function labelText(label: ReportLabel, context: CsvContext): string {
  switch (label.kind) {
    case 'key':
      return context.translate(label.key);
    case 'month':
      return formatMonth(label.month, context.language);
    case 'quarter': {
      const text = quarterText(label.quarter, context.language);
      return context.translate(text.key, text.params);
    }
    case 'text':
      return label.text;
  }
}

function headerRows(view: ReportView, meta: ReportMeta, context: CsvContext): string[][] {
  const { translate, language } = context;
  const period = periodText(
    meta.period,
    meta.quarters.map((q) => q.quarter),
    language,
  );
  const k = String(meta.k);
  const filter =
    meta.filter === null
      ? translate('reports.filters.noFilter')
      : `${translate(FILTER_ATTRIBUTE_KEYS[meta.filter.attribute])}: ${labelText(
          filterValueLabel(meta.filter.attribute, meta.filter.value, meta.partners),
          context,
        )}`;
  const times = view === 'time-to-outcome';
  return [
    [translate(REPORT_TITLE_KEYS[view])],
    [translate('reports.csv.period'), translate(period.key, period.params)],
    [
      translate('reports.csv.tier'),
      translate(
        meta.tier === 'external' ? 'reports.filters.tierExternal' : 'reports.filters.tierInternal',
      ),
    ],
    [translate('reports.csv.k'), k],
    [
      translate('reports.csv.rounding'),
      meta.roundedTo === null
        ? translate('reports.csv.exact')
        : translate('reports.notPublished.rounded', { step: meta.roundedTo }),
    ],
    [translate('reports.csv.filter'), filter],
    [translate('reports.csv.fixed'), translate('reports.rules.fixed')],
    ...meta.quarters.map((quarter) => {
      const name = quarterText(quarter.quarter, language);
      return [
        translate('reports.csv.published'),
        translate(name.key, name.params),
        formatPublishedAt(quarter.publishedAt, language),
      ];
    }),
    times
      ? [
          translate('reports.timeToOutcome.suppressedShort', { k }),
          translate('reports.timeToOutcome.suppressedLegend', { k }),
        ]
      : [translate('reports.notPublished.marker'), translate('reports.notPublished.legend', { k })],
  ];
}

/** A published count, or the not-published marker. */
function count(value: ReportCount, context: CsvContext): string {
  return value === null ? context.translate('reports.notPublished.marker') : String(value);
}

function tableRows(layout: TableLayout, meta: ReportMeta, context: CsvContext): string[][] {
  const { table } = layout;
  const total = context.translate('reports.table.total');
  const name = (dimension: TableLayout['rows'], value: string): string =>
    labelText(dimensionLabel(dimension, value, meta.partners), context);
  const rows: string[][] = [
    [context.translate(layout.captionKey)],
    [
      context.translate(layout.rowHeaderKey),
      ...table.columns.map((column) => name(layout.columns, column)),
      ...(layout.rowTotals ? [total] : []),
    ],
    ...table.rows.map((row, r) => [
      name(layout.rows, row),
      ...(table.cells[r] ?? []).map((cell) => count(cell, context)),
      ...(layout.rowTotals ? [count(table.rowTotals[r] ?? null, context)] : []),
    ]),
  ];
  if (layout.columnTotals) {
    rows.push([
      total,
      ...table.columnTotals.map((cell) => count(cell, context)),
      ...(layout.rowTotals ? [count(table.total, context)] : []),
    ]);
  }
  rows.push([]);
  return rows;
}

/** A rate (0 to 1) as a percentage with at most one decimal, or the not-published marker. */
function percent(value: number | null, context: CsvContext): string {
  return value === null
    ? context.translate('reports.notPublished.marker')
    : `${Math.round(value * 1000) / 10}%`;
}

function shareRows(report: OutcomeChangeReport, context: CsvContext): string[][] {
  const { translate } = context;
  return [
    [translate('outcomes.report.shares')],
    [
      translate('outcomes.report.domain'),
      translate('outcomes.report.shareImproved'),
      translate('outcomes.report.shareWorsened'),
    ],
    ...report.shares.map((share) => [
      labelText(dimensionLabel('domain', share.domain, report.meta.partners), context),
      percent(share.improved, context),
      percent(share.worsened, context),
    ]),
    [],
  ];
}

function rateRows(report: ReferralsReport, context: CsvContext): string[][] {
  const rates = shownRates(report);
  if (rates.length === 0) return [];
  const { translate } = context;
  return [
    [translate('reports.referrals.rates')],
    [
      translate('reports.referrals.partner'),
      translate('reports.referrals.acceptance'),
      translate('reports.referrals.completion'),
    ],
    ...rates.map((rate) => [
      labelText(dimensionLabel('partner', rate.partner, report.meta.partners), context),
      percent(rate.acceptance, context),
      percent(rate.completion, context),
    ]),
    [translate('reports.referrals.ratesLegend')],
    [],
  ];
}

function timeRows(
  captionKey: string,
  headerKey: string,
  groups: readonly OutcomeTimes[],
  dimension: 'category' | 'partner',
  context: CsvContext,
  meta: ReportMeta,
): string[][] {
  const { translate } = context;
  const hidden = translate('reports.timeToOutcome.suppressedShort', { k: String(meta.k) });
  return [
    [translate(captionKey)],
    [
      translate(headerKey),
      translate('reports.timeToOutcome.q1'),
      translate('reports.timeToOutcome.median'),
      translate('reports.timeToOutcome.q3'),
    ],
    ...groups.map((group) => [
      labelText(dimensionLabel(dimension, group.group, meta.partners), context),
      ...(group.days === null
        ? [hidden, hidden, hidden]
        : [String(group.days.q1), String(group.days.median), String(group.days.q3)]),
    ]),
    [],
  ];
}

function circumstanceRows(report: ContactsReport, context: CsvContext): string[][] {
  const { translate } = context;
  if (report.byCircumstance.length === 0) {
    return [[translate('reports.contacts.circumstancesFiltered')], []];
  }
  return [
    [translate('reports.contacts.byCircumstance')],
    [translate('reports.contacts.circumstance'), translate('reports.contacts.people')],
    ...report.byCircumstance.map((entry) => [
      labelText(dimensionLabel('circumstance', entry.circumstance, report.meta.partners), context),
      count(entry.people, context),
    ]),
    [translate('reports.contacts.circumstancesLegend')],
    [],
  ];
}
