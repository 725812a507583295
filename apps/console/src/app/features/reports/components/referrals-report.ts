import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { ReferralsReport } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { LanguageService } from '../../../core/i18n/language.service';
import { rowTotalBars } from '../data/report-charts';
import { dimensionLabels, partnerLabel } from '../data/report-labels';
import { BarChart } from './bar-chart';
import { ReportLabelText } from './report-label';
import { ReportTableView } from './report-table';
import { ReportValuePipe } from './report-value.pipe';
import { SuppressionLegend } from './suppression-legend';

/**
 * Referrals made: a bar per partner, partner × status and partner × month, and each partner's
 * acceptance and completion rates (not published when their counts are suppressed).
 */
@Component({
  selector: 'app-referrals-report',
  imports: [
    BarChart,
    ReportLabelText,
    ReportTableView,
    ReportValuePipe,
    SuppressionLegend,
    TranslocoPipe,
  ],
  template: `
    @let current = report();
    @let k = current.meta.k;
    <app-suppression-legend [k]="k" [roundedTo]="current.meta.roundedTo" />
    @if (bars().length === 0) {
      <p data-testid="referrals-empty">{{ 'reports.empty' | transloco }}</p>
    } @else {
      <app-bar-chart [bars]="bars()" [k]="k" [label]="'reports.referrals.chartLabel' | transloco" />
    }
    <app-report-table
      testId="referrals-by-status"
      [table]="current.byStatus"
      [rowLabels]="partnerRows()"
      [columnLabels]="statuses()"
      [k]="k"
      [caption]="'reports.referrals.byStatus' | transloco"
      [rowHeader]="'reports.referrals.partner' | transloco"
    />
    <app-report-table
      testId="referrals-by-month"
      [table]="current.byMonth"
      [rowLabels]="partnerRows()"
      [columnLabels]="months()"
      [k]="k"
      [caption]="'reports.referrals.byMonth' | transloco"
      [rowHeader]="'reports.referrals.partner' | transloco"
    />
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
                  <td>
                    @if (value === null) {
                      <span
                        class="hidden-rate"
                        data-testid="rate-hidden"
                        [attr.title]="'reports.referrals.rateHiddenHint' | transloco"
                        >{{ 'reports.referrals.rateHidden' | transloco }}</span
                      >
                    } @else {
                      {{ value | appReportValue: 'percent' : language().code }}
                    }
                  </td>
                }
              </tr>
            }
          </tbody>
        </table>
      </div>
      <p class="legend">{{ 'reports.referrals.ratesLegend' | transloco }}</p>
    }
  `,
  styleUrl: './report-extra-table.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReferralsReportView {
  readonly report = input.required<ReferralsReport>();

  protected readonly language = inject(LanguageService).active;
  private readonly partners = computed(() => this.report().meta.partners);
  protected readonly bars = computed(() =>
    rowTotalBars(this.report().byStatus, 'partner', this.partners()),
  );
  protected readonly partnerRows = computed(() =>
    dimensionLabels('partner', this.report().byStatus.rows, this.partners()),
  );
  protected readonly statuses = computed(() =>
    dimensionLabels('referralStatus', this.report().byStatus.columns, this.partners()),
  );
  protected readonly months = computed(() =>
    dimensionLabels('month', this.report().byMonth.columns, this.partners()),
  );
  /** Rates of partners with something published (a partner with no referrals has nothing). */
  protected readonly rates = computed(() =>
    this.report()
      .rates.filter((rate) => {
        const index = this.report().byStatus.rows.indexOf(rate.partner);
        return this.report().byStatus.rowTotals[index] !== 0;
      })
      .map((rate) => ({ ...rate, label: partnerLabel(rate.partner, this.partners()) })),
  );
}
