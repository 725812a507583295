import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { FunnelReport } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { rowTotalBars } from '../data/report-charts';
import { dimensionLabels } from '../data/report-labels';
import { BarChart } from './bar-chart';
import { ReportTableView } from './report-table';
import { SuppressionLegend } from './suppression-legend';

/**
 * Needs identified, then referrals made, accepted and completed: a bar per stage, and stage ×
 * month. Stages are not parts of a whole, so the months have no totals.
 */
@Component({
  selector: 'app-funnel-report',
  imports: [BarChart, ReportTableView, SuppressionLegend, TranslocoPipe],
  template: `
    @let current = report();
    @let k = current.meta.k;
    <app-suppression-legend [k]="k" [roundedTo]="current.meta.roundedTo" />
    @if (bars().length === 0) {
      <p data-testid="funnel-empty">{{ 'reports.empty' | transloco }}</p>
    } @else {
      <app-bar-chart [bars]="bars()" [k]="k" [label]="'reports.funnel.chartLabel' | transloco" />
    }
    <app-report-table
      testId="funnel-by-month"
      [table]="current.byMonth"
      [rowLabels]="stages()"
      [columnLabels]="months()"
      [k]="k"
      [columnTotals]="false"
      [caption]="'reports.funnel.byMonth' | transloco"
      [rowHeader]="'reports.funnel.stage' | transloco"
    />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class FunnelReportView {
  readonly report = input.required<FunnelReport>();

  private readonly partners = computed(() => this.report().meta.partners);
  protected readonly bars = computed(() =>
    rowTotalBars(this.report().byMonth, 'stage', this.partners()),
  );
  protected readonly stages = computed(() =>
    dimensionLabels('stage', this.report().byMonth.rows, this.partners()),
  );
  protected readonly months = computed(() =>
    dimensionLabels('month', this.report().byMonth.columns, this.partners()),
  );
}
