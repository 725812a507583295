import { ChangeDetectionStrategy, Component, computed, inject, input } from '@angular/core';
import type { OutcomeTimes, TimeToOutcomeReport } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { LanguageService } from '../../../core/i18n/language.service';
import { NumberPipe } from '../../../core/i18n/number.pipe';
import { medianBars } from '../data/report-charts';
import type { ReportDimension, ReportLabel } from '../data/report-labels';
import { dimensionLabel } from '../data/report-labels';
import { BarChart } from './bar-chart';
import { ReportLabelText } from './report-label';
import { ReportValuePipe } from './report-value.pipe';
import { ReportLegend } from './report-legend';

interface TimesRow extends OutcomeTimes {
  readonly label: ReportLabel;
}

/**
 * Days from a referral being made to its final status, for referrals closed in a closed quarter
 * or a whole closed year: the median per need category as bars, and quartiles per category and
 * per partner. A group with fewer than k closed referrals has no times; the chart leaves it out
 * (a stub would suggest a length of time), the tables say "< k closed" (true for quartiles: the
 * only reason they are not published).
 */
@Component({
  selector: 'app-time-to-outcome-report',
  imports: [BarChart, NumberPipe, ReportLabelText, ReportValuePipe, ReportLegend, TranslocoPipe],
  template: `
    @let current = report();
    @let k = current.meta.k;
    @let threshold = k | appNumber: language().code;
    <app-report-legend
      [meta]="current.meta"
      explanationKey="reports.timeToOutcome.suppressedLegend"
      markerKey="reports.timeToOutcome.suppressedShort"
    />
    @if (bars().length === 0) {
      <p data-testid="time-to-outcome-empty">
        {{ 'reports.timeToOutcome.nonePublished' | transloco: { k: threshold } }}
      </p>
    } @else {
      <app-bar-chart
        format="days"
        [bars]="bars()"
        [label]="'reports.timeToOutcome.chartLabel' | transloco"
      />
    }
    @for (table of tables(); track table.testId) {
      <div
        class="scroll"
        role="region"
        tabindex="0"
        [attr.aria-label]="table.captionKey | transloco"
      >
        <table [attr.data-testid]="table.testId">
          <caption>
            {{
              table.captionKey | transloco
            }}
          </caption>
          <thead>
            <tr>
              <th scope="col">{{ table.headerKey | transloco }}</th>
              <th scope="col">{{ 'reports.timeToOutcome.q1' | transloco }}</th>
              <th scope="col">{{ 'reports.timeToOutcome.median' | transloco }}</th>
              <th scope="col">{{ 'reports.timeToOutcome.q3' | transloco }}</th>
            </tr>
          </thead>
          <tbody>
            @for (row of table.rows; track row.group) {
              <tr [attr.data-row]="row.group">
                <th scope="row"><app-report-label [label]="row.label" /></th>
                @if (row.days; as days) {
                  <td>{{ days.q1 | appReportValue: 'days' : language().code }}</td>
                  <td>{{ days.median | appReportValue: 'days' : language().code }}</td>
                  <td>{{ days.q3 | appReportValue: 'days' : language().code }}</td>
                } @else {
                  <td colspan="3">
                    <span
                      class="too-few"
                      data-testid="not-published"
                      [attr.title]="
                        'reports.timeToOutcome.suppressedLegend' | transloco: { k: threshold }
                      "
                      >{{
                        'reports.timeToOutcome.suppressedShort' | transloco: { k: threshold }
                      }}</span
                    >
                  </td>
                }
              </tr>
            }
          </tbody>
        </table>
      </div>
    }
  `,
  styleUrl: './report-extra-table.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class TimeToOutcomeReportView {
  readonly report = input.required<TimeToOutcomeReport>();

  protected readonly language = inject(LanguageService).active;
  private readonly partners = computed(() => this.report().meta.partners);
  protected readonly bars = computed(() =>
    medianBars(this.report().byCategory, 'category', this.partners()),
  );
  protected readonly tables = computed(() => [
    {
      testId: 'time-by-category',
      captionKey: 'reports.timeToOutcome.byCategory',
      headerKey: 'reports.timeToOutcome.category',
      rows: this.rows(this.report().byCategory, 'category'),
    },
    {
      testId: 'time-by-partner',
      captionKey: 'reports.timeToOutcome.byPartner',
      headerKey: 'reports.timeToOutcome.partner',
      rows: this.rows(this.report().byPartner, 'partner'),
    },
  ]);

  private rows(groups: readonly OutcomeTimes[], dimension: ReportDimension): TimesRow[] {
    return groups.map((group) => ({
      ...group,
      label: dimensionLabel(dimension, group.group, this.partners()),
    }));
  }
}
