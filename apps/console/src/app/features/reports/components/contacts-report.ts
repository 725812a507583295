import { ChangeDetectionStrategy, Component, computed, input } from '@angular/core';
import type { ContactsReport } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { circumstanceBars, rowTotalBars } from '../data/report-charts';
import { dimensionLabel, dimensionLabels } from '../data/report-labels';
import { BarChart } from './bar-chart';
import { ReportLabelText } from './report-label';
import { ReportTableView } from './report-table';
import { ReportValue } from './report-value';
import { SuppressionLegend } from './suppression-legend';

/**
 * People reached (a group contact counts its headcount): a bar per channel, channel, location
 * type and language × individual or group, and the people reached with each circumstance tag
 * (only without a filter: the API leaves them out when one is applied).
 */
@Component({
  selector: 'app-contacts-report',
  imports: [
    BarChart,
    ReportLabelText,
    ReportTableView,
    ReportValue,
    SuppressionLegend,
    TranslocoPipe,
  ],
  template: `
    @let current = report();
    @let k = current.meta.k;
    <app-suppression-legend [k]="k" [roundedTo]="current.meta.roundedTo" />
    @if (bars().length === 0) {
      <p data-testid="contacts-empty">{{ 'reports.empty' | transloco }}</p>
    } @else {
      <app-bar-chart [bars]="bars()" [k]="k" [label]="'reports.contacts.chartLabel' | transloco" />
    }
    <app-report-table
      testId="contacts-by-channel"
      [table]="current.byChannel"
      [rowLabels]="channels()"
      [columnLabels]="kinds()"
      [k]="k"
      [caption]="'reports.contacts.byChannel' | transloco"
      [rowHeader]="'reports.contacts.channel' | transloco"
    />
    <app-report-table
      testId="contacts-by-location"
      [table]="current.byLocation"
      [rowLabels]="locations()"
      [columnLabels]="locationKinds()"
      [k]="k"
      [caption]="'reports.contacts.byLocation' | transloco"
      [rowHeader]="'reports.contacts.location' | transloco"
    />
    <app-report-table
      testId="contacts-by-language"
      [table]="current.byLanguage"
      [rowLabels]="languages()"
      [columnLabels]="languageKinds()"
      [k]="k"
      [caption]="'reports.contacts.byLanguage' | transloco"
      [rowHeader]="'reports.contacts.language' | transloco"
    />
    @if (circumstances().length === 0) {
      <p class="legend" data-testid="contacts-circumstances-filtered">
        {{ 'reports.contacts.circumstancesFiltered' | transloco }}
      </p>
    } @else {
      @if (circumstanceBars().length > 0) {
        <app-bar-chart
          [bars]="circumstanceBars()"
          [k]="k"
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
                <td><app-report-value [value]="row.people" [k]="k" /></td>
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
  protected readonly bars = computed(() =>
    rowTotalBars(this.report().byChannel, 'channel', this.partners()),
  );
  protected readonly channels = computed(() =>
    dimensionLabels('channel', this.report().byChannel.rows, this.partners()),
  );
  protected readonly kinds = computed(() =>
    dimensionLabels('contactKind', this.report().byChannel.columns, this.partners()),
  );
  protected readonly locations = computed(() =>
    dimensionLabels('location', this.report().byLocation.rows, this.partners()),
  );
  protected readonly locationKinds = computed(() =>
    dimensionLabels('contactKind', this.report().byLocation.columns, this.partners()),
  );
  protected readonly languages = computed(() =>
    dimensionLabels('language', this.report().byLanguage.rows, this.partners()),
  );
  protected readonly languageKinds = computed(() =>
    dimensionLabels('contactKind', this.report().byLanguage.columns, this.partners()),
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
