import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ContactsReport } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { circumstanceBars, rowTotalBars } from '../data/report-charts';
import { dimensionLabel } from '../data/report-labels';
import { contactsTables, labelled } from '../data/report-layout';
import { BarChart } from './bar-chart';
import { ReportLabelText } from './report-label';
import { ReportLegend } from './report-legend';
import { ReportTableView } from './report-table';
import { ReportValue } from './report-value';

/**
 * People reached (a group contact counts its headcount): a bar per channel, channel, location
 * type and language × individual or group, and the people reached with each circumstance tag
 * (only without a filter: the API leaves them out when one is applied).
 */
@Component({
  selector: 'app-contacts-report',
  imports: [BarChart, ReportLabelText, ReportLegend, ReportTableView, ReportValue, TranslocoPipe],
  template: `
    <app-report-legend [meta]="report().meta" />
    @if (bars().length === 0) {
      <p data-testid="contacts-empty">{{ 'reports.empty' | transloco }}</p>
    } @else {
      <app-bar-chart [bars]="bars()" [label]="'reports.contacts.chartLabel' | transloco" />
    }
    @for (table of tables(); track table.testId) {
      <app-report-table [layout]="table" />
    }
    @if (circumstances().length === 0) {
      <p class="legend" data-testid="contacts-circumstances-filtered">
        {{ 'reports.contacts.circumstancesFiltered' | transloco }}
      </p>
    } @else {
      @if (circumstanceBars().length > 0) {
        <app-bar-chart
          [bars]="circumstanceBars()"
          [label]="'reports.contacts.circumstanceChartLabel' | transloco"
        />
      }
      <div
        class="scroll"
        role="region"
        tabindex="0"
        [attr.aria-label]="'reports.contacts.byCircumstance' | transloco"
      >
        <table data-testid="contacts-by-circumstance">
          <caption>
            {{
              'reports.contacts.byCircumstance' | transloco
            }}
          </caption>
          <thead>
            <tr>
              <th scope="col">{{ 'reports.contacts.circumstance' | transloco }}</th>
              <th scope="col">{{ 'reports.contacts.people' | transloco }}</th>
            </tr>
          </thead>
          <tbody>
            @for (row of circumstances(); track row.circumstance) {
              <tr [attr.data-row]="row.circumstance">
                <th scope="row"><app-report-label [label]="row.label" /></th>
                <td><app-report-value [value]="row.people" /></td>
              </tr>
            }
          </tbody>
        </table>
      </div>
      <p class="legend">{{ 'reports.contacts.circumstancesLegend' | transloco }}</p>
    }
  `,
  styleUrl: './report-extra-table.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ContactsReportView {
  readonly report = input.required<ContactsReport>();

  private readonly partners = computed(() => this.report().meta.partners);
  protected readonly tables = computed(() =>
    labelled(contactsTables(this.report()), this.partners()),
  );
  protected readonly bars = computed(() =>
    rowTotalBars(this.report().byChannel, 'channel', this.partners()),
  );
  protected readonly circumstanceBars = computed(() =>
    circumstanceBars(this.report().byCircumstance, this.partners()),
  );
  protected readonly circumstances = computed(() =>
    this.report().byCircumstance.map((entry) => ({
      ...entry,
      label: dimensionLabel('circumstance', entry.circumstance, this.partners()),
    })),
  );
}
