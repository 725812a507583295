import type { OnInit } from '@angular/core';
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatIconModule } from '@angular/material/icon';
import { TranslocoPipe } from '@jsverse/transloco';
import { SessionStore } from '../../../core/auth/session.store';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { LanguageService } from '../../../core/i18n/language.service';
import { FileDownload } from '../../../core/ui/file-download';
import { FormError } from '../../../core/ui/form-error';
import { ContactsReportView } from '../components/contacts-report';
import { FunnelReportView } from '../components/funnel-report';
import { MonthPipe } from '../components/month.pipe';
import { NeedsReportView } from '../components/needs-report';
import { ReferralsReportView } from '../components/referrals-report';
import { ReportFiltersForm } from '../components/report-filters-form';
import { ReportLabelText } from '../components/report-label';
import { ReportSection } from '../components/report-section';
import { TimeToOutcomeReportView } from '../components/time-to-outcome-report';
import type { ReportFilters, ReportView } from '../data/report-filters';
import { FILTER_ATTRIBUTE_KEYS, filterValueLabel } from '../data/report-labels';
import { ReportsStore } from '../data/reports.store';

/** The media type of a saved export. */
const CSV_TYPE = 'text/csv;charset=utf-8';

/**
 * The coordinator's reports: needs, referrals, the funnel from need to outcome, time to outcome,
 * and people reached by contacts, over a range of months, narrowed by at most one filter. Every
 * number is protected on the server (small counts read "< k"); the external tier is stricter and
 * needs step-up. Each report can be saved as CSV (`reports:export`). Every run is recorded in the
 * access log.
 */
@Component({
  selector: 'app-reports-page',
  imports: [
    ContactsReportView,
    FormError,
    FunnelReportView,
    MatIconModule,
    MonthPipe,
    NeedsReportView,
    ReferralsReportView,
    ReportFiltersForm,
    ReportLabelText,
    ReportSection,
    TimeToOutcomeReportView,
    TranslocoPipe,
  ],
  templateUrl: './reports-page.html',
  styleUrl: './reports-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class ReportsPage implements OnInit {
  protected readonly store = inject(ReportsStore);
  private readonly session = inject(SessionStore);
  private readonly download = inject(FileDownload);

  protected readonly language = inject(LanguageService).active;
  protected readonly canExport = computed(() => this.session.permissions().has('reports:export'));
  protected readonly attributeKeys = FILTER_ATTRIBUTE_KEYS;
  /** The report being exported, if any (one at a time). */
  protected readonly exporting = signal<ReportView | null>(null);
  /** Export failures the error interceptor leaves to this page (a refused step-up). */
  protected readonly exportError = signal<AppError | null>(null);
  protected readonly exported = signal<string | null>(null);

  /** The applied filter's value, named. */
  protected readonly filterLabel = computed(() => {
    const filter = this.store.filters().filter;
    return filter === null
      ? null
      : filterValueLabel(filter.attribute, filter.value, this.store.partnerNames());
  });

  ngOnInit(): void {
    this.store.load();
  }

  protected applyFilters(filters: ReportFilters): void {
    this.exported.set(null);
    this.exportError.set(null);
    this.store.applyFilters(filters);
  }

  protected exportCsv(view: ReportView): void {
    if (this.exporting() !== null) return;
    this.exporting.set(view);
    this.exported.set(null);
    this.exportError.set(null);
    this.store.exportCsv(view).subscribe({
      next: ({ fileName, csv }) => {
        this.download.save(csv, fileName, CSV_TYPE);
        this.exported.set(fileName);
      },
      error: (error: unknown) => {
        this.exporting.set(null);
        // The interceptor has shown every other failure; a second step-up refusal it leaves here.
        const appError = appErrorOf(error);
        if (appError.code === 'step_up_required') this.exportError.set(appError);
      },
      complete: () => this.exporting.set(null),
    });
  }
}
