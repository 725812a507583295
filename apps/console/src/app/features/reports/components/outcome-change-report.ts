import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { OutcomeChangeReport } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import type { TimeColumns } from '../data/report-filters';
import { rowTotalBars } from '../data/report-charts';
import { DOMAIN_NAME_KEYS } from '../data/report-labels';
import { labelled, outcomeChangeTables } from '../data/report-layout';
import { BarChart } from './bar-chart';
import { ReportLegend } from './report-legend';
import { ReportTableView } from './report-table';
import { ReportValue } from './report-value';

/**
 * Change per area of life: follow-up ratings of outcome check-ins (a bar per area), area ×
 * better / same / worse and area × quarter or month, and each area's share better and worse
 * (not published when the counts behind them are not).
 */
@Component({
  selector: 'app-outcome-change-report',
  imports: [BarChart, ReportLegend, ReportTableView, ReportValue, TranslocoPipe],
  template: `
    <app-report-legend [meta]="report().meta" />
    @if (bars().length === 0) {
      <p data-testid="outcome-change-empty">{{ 'reports.empty' | transloco }}</p>
    } @else {
      <app-bar-chart [bars]="bars()" [label]="'outcomes.report.chartLabel' | transloco" />
    }
    @for (table of tables(); track table.testId) {
      <app-report-table [layout]="table" />
    }
    <div
      class="scroll"
      role="region"
      tabindex="0"
      [attr.aria-label]="'outcomes.report.shares' | transloco"
    >
      <table class="rates" data-testid="outcome-change-shares">
        <caption>
          {{
            'outcomes.report.shares' | transloco
          }}
        </caption>
        <thead>
          <tr>
            <th scope="col">{{ 'outcomes.report.domain' | transloco }}</th>
            <th scope="col">{{ 'outcomes.report.shareImproved' | transloco }}</th>
            <th scope="col">{{ 'outcomes.report.shareWorsened' | transloco }}</th>
          </tr>
        </thead>
        <tbody>
          @for (share of report().shares; track share.domain) {
            <tr [attr.data-row]="share.domain">
              <th scope="row">{{ domainKeys[share.domain] | transloco }}</th>
              @for (value of [share.improved, share.worsened]; track $index) {
                <td><app-report-value [value]="value" format="percent" /></td>
              }
            </tr>
          }
        </tbody>
      </table>
    </div>
  `,
  styleUrl: './report-extra-table.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class OutcomeChangeReportView {
  readonly report = input.required<OutcomeChangeReport>();
  readonly columns = input<TimeColumns>('quarter');

  protected readonly domainKeys = DOMAIN_NAME_KEYS;
  protected readonly tables = computed(() =>
    labelled(outcomeChangeTables(this.report(), this.columns()), this.report().meta.partners),
  );
  protected readonly bars = computed(() =>
    rowTotalBars(this.report().byChange, 'domain', this.report().meta.partners),
  );
}
