import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import { TranslocoPipe } from '@jsverse/transloco';
import type { LabelledTable } from '../data/report-layout';
import { ReportLabelText } from './report-label';
import { ReportValue } from './report-value';

/**
 * A protected two-way table with its margins. A figure that is not published shows the marker
 * (see `ReportValue`). Wide tables (a column per month) scroll sideways inside their own
 * focusable region.
 */
@Component({
  selector: 'app-report-table',
  imports: [ReportLabelText, ReportValue, TranslocoPipe],
  templateUrl: './report-table.html',
  styleUrl: './report-table.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReportTableView {
  readonly layout = input.required<LabelledTable>();

  protected readonly rows = computed(() => {
    const { table, rowLabels } = this.layout();
    return table.rows.map((id, index) => ({
      id,
      label: rowLabels[index] ?? ({ kind: 'text', text: id } as const),
      cells: table.cells[index] ?? [],
      total: table.rowTotals[index] ?? null,
    }));
  });
}
