import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { DisclosuresReport } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import type { TimeColumns } from '../data/report-filters';
import { rowTotalBars } from '../data/report-charts';
import { disclosuresTables, labelled } from '../data/report-layout';
import { BarChart } from './bar-chart';
import { ReportLegend } from './report-legend';
import { ReportTableView } from './report-table';

/**
 * Requests from authorities for people's data (a bar per authority), authority × recorded /
 * refused / disclosed, and outcome × quarter or month: how often the organisation was asked and
 * how often it said no. Every number protected on the server like every report.
 */
@Component({
  selector: 'app-disclosures-report',
  imports: [BarChart, ReportLegend, ReportTableView, TranslocoPipe],
  template: `
    <app-report-legend [meta]="report().meta" />
    @if (bars().length === 0) {
      <p data-testid="disclosures-empty">{{ 'reports.empty' | transloco }}</p>
    } @else {
      <app-bar-chart [bars]="bars()" [label]="'reports.disclosures.chartLabel' | transloco" />
    }
    @for (table of tables(); track table.testId) {
      <app-report-table [layout]="table" />
    }
  `,
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class DisclosuresReportView {
  readonly report = input.required<DisclosuresReport>();
  readonly columns = input<TimeColumns>('quarter');

  protected readonly tables = computed(() =>
    labelled(disclosuresTables(this.report(), this.columns()), this.report().meta.partners),
  );
  protected readonly bars = computed(() =>
    rowTotalBars(this.report().byOutcome, 'authority', this.report().meta.partners),
  );
}
