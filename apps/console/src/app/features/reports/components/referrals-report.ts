import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ReferralsReport } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import type { TimeColumns } from '../data/report-filters';
import { rowTotalBars } from '../data/report-charts';
import { partnerLabel } from '../data/report-labels';
import { labelled, referralsTables, shownRates } from '../data/report-layout';
import { BarChart } from './bar-chart';
import { ReportLabelText } from './report-label';
import { ReportLegend } from './report-legend';
import { ReportTableView } from './report-table';
import { ReportValue } from './report-value';

/**
 * Referrals made: a bar per partner, partner × status when published and partner × quarter or
 * month, and each partner's acceptance and completion rates (not published when the counts
 * behind them are not).
 */
@Component({
  selector: 'app-referrals-report',
  imports: [BarChart, ReportLabelText, ReportLegend, ReportTableView, ReportValue, TranslocoPipe],
  template: `
    <app-report-legend [meta]="report().meta" />
    @if (bars().length === 0) {
      <p data-testid="referrals-empty">{{ 'reports.empty' | transloco }}</p>
    } @else {
      <app-bar-chart [bars]="bars()" [label]="'reports.referrals.chartLabel' | transloco" />
    }
    @for (table of tables(); track table.testId) {
      <app-report-table [layout]="table" />
    }
    @if (rates().length > 0) {
      <div
        class="scroll"
        role="region"
        tabindex="0"
        [attr.aria-label]="'reports.referrals.rates' | transloco"
      >
        <table class="rates" data-testid="referrals-rates">
          <caption>
            {{
              'reports.referrals.rates' | transloco
            }}
          </caption>
          <thead>
            <tr>
              <th scope="col">{{ 'reports.referrals.partner' | transloco }}</th>
              <th scope="col">{{ 'reports.referrals.acceptance' | transloco }}</th>
              <th scope="col">{{ 'reports.referrals.completion' | transloco }}</th>
            </tr>
          </thead>
          <tbody>
            @for (rate of rates(); track rate.partner) {
              <tr [attr.data-row]="rate.partner">
                <th scope="row"><app-report-label [label]="rate.label" /></th>
                @for (value of [rate.acceptance, rate.completion]; track $index) {
                  <td><app-report-value [value]="value" format="percent" /></td>
                }
              </tr>
            }
          </tbody>
        </table>
      </div>
      <p class="legend">
        {{ 'reports.referrals.ratesLegend' | transloco }}
        {{ 'reports.referrals.rateNotPublished' | transloco }}
      </p>
    }
  `,
  styleUrl: './report-extra-table.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReferralsReportView {
  readonly report = input.required<ReferralsReport>();
  readonly columns = input<TimeColumns>('quarter');

  private readonly partners = computed(() => this.report().meta.partners);
  protected readonly tables = computed(() =>
    labelled(referralsTables(this.report(), this.columns()), this.partners()),
  );
  protected readonly bars = computed(() =>
    rowTotalBars(this.report().byStatus, 'partner', this.partners()),
  );
  /** Rates of partners with something published (a partner with no referrals has nothing). */
  protected readonly rates = computed(() =>
    shownRates(this.report()).map((rate) => ({
      ...rate,
      label: partnerLabel(rate.partner, this.partners()),
    })),
  );
}
