import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { NeedsReport } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import type { TimeColumns } from '../data/report-filters';
import { rowTotalBars } from '../data/report-charts';
import { labelled, needsTables } from '../data/report-layout';
import { BarChart } from './bar-chart';
import { ReportLegend } from './report-legend';
import { ReportTableView } from './report-table';

/**
 * Needs recorded: a bar per category, then category × quarter or month (as chosen) and category ×
 * status when published.
 */
@Component({
  selector: 'app-needs-report',
  imports: [BarChart, ReportLegend, ReportTableView, TranslocoPipe],
  template: `
    <app-report-legend [meta]="report().meta" />
    @if (bars().length === 0) {
      <p data-testid="needs-empty">{{ 'reports.empty' | transloco }}</p>
    } @else {
      <app-bar-chart [bars]="bars()" [label]="'reports.needs.chartLabel' | transloco" />
    }
    @for (table of tables(); track table.testId) {
      <app-report-table [layout]="table" />
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NeedsReportView {
  readonly report = input.required<NeedsReport>();
  readonly columns = input<TimeColumns>('quarter');

  protected readonly tables = computed(() =>
    labelled(needsTables(this.report(), this.columns()), this.report().meta.partners),
  );
  /** Drawn from the table over time shown (its row totals). */
  protected readonly bars = computed(() =>
    rowTotalBars(this.tables()[0]!.table, 'category', this.report().meta.partners),
  );
}
