import { csvCell } from '../../infra/http/csv';
import type { ReportCount, ReportMeta, ReportTable } from '@harbour/domain';

/**
 * A report as CSV: a header block saying what it is (range, tier, k, filter), then each table
 * in long form (`table,row,column,value`), suppressed values written as `<k`. Only published
 * numbers appear; nothing here can be more exact than the JSON.
 */
export function reportCsv(
  meta: ReportMeta,
  tables: Readonly<Record<string, ReportTable>>,
  extra: readonly (readonly [string, string, string, ReportCount | string])[] = [],
): string {
  const suppressed = `<${meta.k}`;
  const label = (value: string) => meta.partners[value] ?? value;
  const lines: string[][] = [
    ['report', meta.report],
    ['from', meta.from],
    ['to', meta.to],
    ['tier', meta.tier],
    ['k', String(meta.k)],
    ['rounded_to', meta.roundedTo === null ? '' : String(meta.roundedTo)],
    ['filter', meta.filter === null ? '' : `${meta.filter.attribute}=${label(meta.filter.value)}`],
    [],
    ['table', 'row', 'column', 'value'],
  ];
  const value = (v: ReportCount | string) => (v === null ? suppressed : String(v));
  for (const [name, t] of Object.entries(tables)) {
    t.rows.forEach((row, r) => {
      t.columns.forEach((column, c) =>
        lines.push([name, label(row), label(column), value(t.cells[r]![c]!)]),
      );
      lines.push([name, label(row), 'total', value(t.rowTotals[r]!)]);
    });
    t.columns.forEach((column, c) =>
      lines.push([name, 'total', label(column), value(t.columnTotals[c]!)]),
    );
    lines.push([name, 'total', 'total', value(t.total)]);
  }
  for (const [name, row, column, v] of extra) lines.push([name, label(row), column, value(v)]);
  return lines.map((line) => line.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
