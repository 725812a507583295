import { ChangeDetectionStrategy, Component, computed, inject, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import { TranslocoPipe } from '@jsverse/transloco';
import { LanguageService } from '../../../core/i18n/language.service';
import { FormError } from '../../../core/ui/form-error';
import { formatYearNumber } from '../data/report-format';
import type { ReportFilter, ReportView } from '../data/report-filters';
import { FILTER_ATTRIBUTE_KEYS, REPORT_TITLE_KEYS } from '../data/report-labels';
import type { ReportState } from '../data/reports.store';
import { QuarterPipe } from './month.pipe';

const REPORT_INTRO_KEYS: Readonly<Record<ReportView, string>> = {
  needs: 'reports.needs.intro',
  referrals: 'reports.referrals.intro',
  funnel: 'reports.funnel.intro',
  'time-to-outcome': 'reports.timeToOutcome.intro',
  contacts: 'reports.contacts.intro',
  'outcome-change': 'outcomes.report.intro',
  disclosures: 'reports.disclosures.intro',
};

/**
 * One report's section: its heading, its export button, and what it is doing (loading, failed,
 * not available with the applied filter, waiting for step-up, or — time to outcome over a year
 * not yet over — not published for that period); the report itself is projected in once it is
 * ready. Where a report can be shown for a quarter of the year instead (`quarters`), it offers
 * them.
 */
@Component({
  selector: 'app-report-section',
  imports: [
    FormError,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    QuarterPipe,
    TranslocoPipe,
  ],
  templateUrl: './report-section.html',
  styleUrl: './report-section.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReportSection {
  readonly view = input.required<ReportView>();
  readonly state = input.required<ReportState<unknown>>();
  readonly filter = input<ReportFilter | null>(null);
  readonly canExport = input(false);
  readonly exporting = input(false);
  /** Quarters this report can be shown for instead of the applied year (none: not offered). */
  readonly quarters = input<readonly string[]>([]);
  /** The one of them it is shown for, if any. */
  readonly quarter = input<string | null>(null);
  readonly export = output();
  readonly retry = output();
  readonly quarterChosen = output<string>();

  protected readonly language = inject(LanguageService).active;
  /** The year the offered quarters belong to, as the active language writes it. */
  protected readonly year = computed(() => {
    const [first] = this.quarters();
    return first === undefined
      ? ''
      : formatYearNumber(Number(first.slice(0, 4)), this.language().code);
  });

  protected readonly titleKey = computed(() => REPORT_TITLE_KEYS[this.view()]);
  protected readonly introKey = computed(() => REPORT_INTRO_KEYS[this.view()]);
  protected readonly headingId = computed(() => `report-heading-${this.view()}`);
  protected readonly attributeKey = computed(() => {
    const filter = this.filter();
    return filter === null ? null : FILTER_ATTRIBUTE_KEYS[filter.attribute];
  });
  /**
   * A refused second step-up, and a period the API says has not closed (this device's clock is
   * ahead of the server's), are explained in words of their own; the rest by their code.
   */
  protected readonly errorKey = computed(() => {
    const state = this.state();
    if (state.kind !== 'error') return null;
    if (state.error.code === 'step_up_required') return 'reports.stepUpFailed';
    const notClosed = state.error.details.fields?.some(
      (field) => field.path === 'period' && field.reason === 'not_closed',
    );
    return notClosed === true ? 'reports.periodNotClosed' : null;
  });
}
