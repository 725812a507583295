import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ReportTable } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import type { ReportLabel } from '../data/report-labels';
import { ReportLabelText } from './report-label';
import { ReportValue } from './report-value';

/**
 * A protected two-way table with its margins. Suppressed cells read "< k" (see `ReportValue`).
 * Wide tables (a column per month) scroll sideways inside their own focusable region.
 */
@Component({
  selector: 'app-report-table',
  imports: [ReportLabelText, ReportValue, TranslocoPipe],
  templateUrl: './report-table.html',
  styleUrl: './report-table.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReportTableView {
  readonly table = input.required<ReportTable>();
  readonly rowLabels = input.required<readonly ReportLabel[]>();
  readonly columnLabels = input.required<readonly ReportLabel[]>();
  readonly k = input.required<number>();
  /** The table's caption (already translated). */
  readonly caption = input.required<string>();
  /** The heading of the row names' column (already translated). */
  readonly rowHeader = input.required<string>();
  /** Whether the rows add up to a total column, and the columns to a total row. */
  readonly rowTotals = input(true);
  readonly columnTotals = input(true);
  readonly testId = input<string | null>(null);

  protected readonly rows = computed(() => {
    const table = this.table();
    const labels = this.rowLabels();
    return table.rows.map((id, index) => ({
      id,
      label: labels[index] ?? ({ kind: 'text', text: id } as const),
      cells: table.cells[index] ?? [],
      total: table.rowTotals[index] ?? null,
    }));
  });
}
