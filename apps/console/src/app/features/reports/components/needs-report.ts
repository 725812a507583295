import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { NeedsReport } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { rowTotalBars } from '../data/report-charts';
import { dimensionLabels } from '../data/report-labels';
import { BarChart } from './bar-chart';
import { ReportTableView } from './report-table';
import { SuppressionLegend } from './suppression-legend';

/** Needs identified: a bar per category, then category × month and category × status. */
@Component({
  selector: 'app-needs-report',
  imports: [BarChart, ReportTableView, SuppressionLegend, TranslocoPipe],
  template: `
    @let current = report();
    @let k = current.meta.k;
    <app-suppression-legend [k]="k" [roundedTo]="current.meta.roundedTo" />
    @if (bars().length === 0) {
      <p data-testid="needs-empty">{{ 'reports.empty' | transloco }}</p>
    } @else {
      <app-bar-chart [bars]="bars()" [k]="k" [label]="'reports.needs.chartLabel' | transloco" />
    }
    <app-report-table
      testId="needs-by-month"
      [table]="current.byMonth"
      [rowLabels]="categories()"
      [columnLabels]="months()"
      [k]="k"
      [caption]="'reports.needs.byMonth' | transloco"
      [rowHeader]="'reports.needs.category' | transloco"
    />
    <app-report-table
      testId="needs-by-status"
      [table]="current.byStatus"
      [rowLabels]="categories()"
      [columnLabels]="statuses()"
      [k]="k"
      [caption]="'reports.needs.byStatus' | transloco"
      [rowHeader]="'reports.needs.category' | transloco"
    />
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class NeedsReportView {
  readonly report = input.required<NeedsReport>();

  private readonly partners = computed(() => this.report().meta.partners);
  protected readonly bars = computed(() =>
    rowTotalBars(this.report().byMonth, 'category', this.partners()),
  );
  protected readonly categories = computed(() =>
    dimensionLabels('category', this.report().byMonth.rows, this.partners()),
  );
  protected readonly months = computed(() =>
    dimensionLabels('month', this.report().byMonth.columns, this.partners()),
  );
  protected readonly statuses = computed(() =>
    dimensionLabels('needStatus', this.report().byStatus.columns, this.partners()),
  );
}
