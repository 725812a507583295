import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { FunnelReport } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import type { TimeColumns } from '../data/report-filters';
import { rowTotalBars } from '../data/report-charts';
import { funnelTables, labelled } from '../data/report-layout';
import { BarChart } from './bar-chart';
import { ReportLegend } from './report-legend';
import { ReportTableView } from './report-table';

/**
 * Needs recorded, then referrals made, accepted and completed: a bar per stage, and stage ×
 * quarter or month. Stages are not parts of a whole, so the columns have no totals.
 */
@Component({
  selector: 'app-funnel-report',
  imports: [BarChart, ReportLegend, ReportTableView, TranslocoPipe],
  template: `
    <app-report-legend [meta]="report().meta" />
    @if (bars().length === 0) {
      <p data-testid="funnel-empty">{{ 'reports.empty' | transloco }}</p>
    } @else {
      <app-bar-chart [bars]="bars()" [label]="'reports.funnel.chartLabel' | transloco" />
    }
    @for (table of tables(); track table.testId) {
      <app-report-table [layout]="table" />
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FunnelReportView {
  readonly report = input.required<FunnelReport>();
  readonly columns = input<TimeColumns>('quarter');

  protected readonly tables = computed(() =>
    labelled(funnelTables(this.report(), this.columns()), this.report().meta.partners),
  );
  /** Drawn from the table shown (its row totals). */
  protected readonly bars = computed(() =>
    rowTotalBars(this.tables()[0]!.table, 'stage', this.report().meta.partners),
  );
}
