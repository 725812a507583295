import type { ContactsReport, OutcomeTimes, ReportTable } from '@harbour/domain';
import type { ChartBar } from '../components/bar-chart';
import type { ReportDimension } from './report-labels';
import { dimensionLabel } from './report-labels';

/**
 * One bar per row of a table, its length the row's total; rows with nothing in them are left
 * out (the table still lists them). A total that is not published stays in, as the marker only.
 */
export function rowTotalBars(
  table: ReportTable,
  dimension: ReportDimension,
  partners: Readonly<Record<string, string>>,
): ChartBar[] {
  return table.rows.flatMap((id, index) => {
    const value = table.rowTotals[index] ?? null;
    return value === 0 ? [] : [{ id, label: dimensionLabel(dimension, id, partners), value }];
  });
}

/** One bar per group with published times, its length the median in days. */
export function medianBars(
  groups: readonly OutcomeTimes[],
  dimension: ReportDimension,
  partners: Readonly<Record<string, string>>,
): ChartBar[] {
  return groups.flatMap((group) =>
    group.days === null
      ? []
      : [
          {
            id: group.group,
            label: dimensionLabel(dimension, group.group, partners),
            value: group.days.median,
          },
        ],
  );
}

/**
 * One bar per circumstance tag, its length the people reached with it (tags overlap, so the
 * bars do not add up to a total). Tags nobody was reached with are left out; a count that is not
 * published stays in, as the marker only.
 */
export function circumstanceBars(
  circumstances: ContactsReport['byCircumstance'],
  partners: Readonly<Record<string, string>>,
): ChartBar[] {
  return circumstances.flatMap((entry) =>
    entry.people === 0
      ? []
      : [
          {
            id: entry.circumstance,
            label: dimensionLabel('circumstance', entry.circumstance, partners),
            value: entry.people,
          },
        ],
  );
}
