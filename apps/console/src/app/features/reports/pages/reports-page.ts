import { DOCUMENT } from '@angular/common';
import type { OnInit } from '@angular/core';
import {
  ChangeDetectionStrategy,
  Component,
  computed,
  inject,
  signal,
  DestroyRef,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonToggleModule } from '@angular/material/button-toggle';
import { MatIconModule } from '@angular/material/icon';
import { EXTERNAL_TIER } from '@harbour/domain';
import { TranslocoPipe, TranslocoService } from '@jsverse/transloco';
import { SessionStore } from '../../../core/auth/session.store';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { LanguageService } from '../../../core/i18n/language.service';
import { Clock } from '../../../core/time/clock';
import { FileDownload } from '../../../core/ui/file-download';
import { FormError } from '../../../core/ui/form-error';
import { ContactsReportView } from '../components/contacts-report';
import { FunnelReportView } from '../components/funnel-report';
import { NeedsReportView } from '../components/needs-report';
import { DisclosuresReportView } from '../components/disclosures-report';
import { OutcomeChangeReportView } from '../components/outcome-change-report';
import { ReferralsReportView } from '../components/referrals-report';
import { ReportFiltersForm } from '../components/report-filters-form';
import { ReportLabelText } from '../components/report-label';
import { ReportSection } from '../components/report-section';
import { TimeToOutcomeReportView } from '../components/time-to-outcome-report';
import { CSV_TYPE, reportCsv } from '../data/report-csv';
import type { ReportFilters, ReportView, TimeColumns } from '../data/report-filters';
import { isQuarter, quartersOffered, REPORT_VIEWS, yearOf } from '../data/report-filters';
import { periodText } from '../data/report-format';
import { FILTER_ATTRIBUTE_KEYS, filterValueLabel, REPORT_TITLE_KEYS } from '../data/report-labels';
import { ReportsStore } from '../data/reports.store';

/**
 * The coordinator's reports: needs, referrals, the funnel from need to outcome, time to outcome,
 * people reached by contacts, and change per area of life from outcome check-ins, over closed quarters (a year's closed quarters, or one of
 * them), narrowed by at most one filter. Every number is protected on the server and fixed when
 * its quarter was first published; one that is not published reads "n/p", never a value. The
 * external tier is stricter and needs step-up, asked for before any report is. Each report can
 * be saved as CSV (`reports:export`), written here from the exported figures with the labels on
 * screen. Every run and every export is recorded in the access log.
 */
@Component({
  selector: 'app-reports-page',
  imports: [
    ContactsReportView,
    FormError,
    FunnelReportView,
    MatButtonToggleModule,
    MatIconModule,
    NeedsReportView,
    OutcomeChangeReportView,
    DisclosuresReportView,
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
  private readonly destroyRef = inject(DestroyRef);
  protected readonly store = inject(ReportsStore);
  private readonly session = inject(SessionStore);
  private readonly download = inject(FileDownload);
  private readonly transloco = inject(TranslocoService);
  private readonly clock = inject(Clock);
  private readonly document = inject(DOCUMENT);

  protected readonly language = inject(LanguageService).active;
  protected readonly canExport = computed(() => this.session.permissions().has('reports:export'));
  protected readonly attributeKeys = FILTER_ATTRIBUTE_KEYS;
  /** The reports, in page order, for the section navigation (a phone scrolls far otherwise). */
  protected readonly views = REPORT_VIEWS;
  protected readonly titleKeys = REPORT_TITLE_KEYS;
  protected readonly external = EXTERNAL_TIER;
  /** The report being exported, if any (one at a time). */
  protected readonly exporting = signal<ReportView | null>(null);
  /** Export failures the error interceptor leaves to this page (a refused step-up). */
  protected readonly exportError = signal<AppError | null>(null);
  protected readonly exported = signal<string | null>(null);

  /** The applied period in words ("2026 so far: January to September"). */
  protected readonly period = computed(() => {
    const period = this.store.filters().period;
    const quarters = isQuarter(period)
      ? [period]
      : quartersOffered(yearOf(period), this.clock.now());
    return periodText(period, quarters, this.language().code);
  });

  /** The applied filter's value, named. */
  protected readonly filterLabel = computed(() => {
    const filter = this.store.filters().filter;
    return filter === null
      ? null
      : filterValueLabel(filter.attribute, filter.value, this.store.partnerNames());
  });

  /**
   * Moves to a report's heading and focuses it, so keyboard and screen-reader users continue
   * from there (the URL keeps no fragment: the router owns it).
   */
  protected goToSection(event: Event, view: ReportView): void {
    const heading = this.document.getElementById(`report-heading-${view}`);
    if (heading === null) return;
    event.preventDefault();
    heading.scrollIntoView?.({ block: 'start' });
    heading.focus({ preventScroll: true });
  }

  ngOnInit(): void {
    this.store.load();
  }

  protected applyFilters(filters: ReportFilters): void {
    this.exported.set(null);
    this.exportError.set(null);
    this.store.applyFilters(filters);
  }

  protected chooseColumns(columns: TimeColumns): void {
    this.store.chooseColumns(columns);
  }

  /**
   * Asks the API for the report as an export (recorded as one), then writes the CSV here: the
   * tables and columns on screen, in the active language.
   */
  protected exportCsv(view: ReportView): void {
    if (this.exporting() !== null) return;
    this.exporting.set(view);
    this.exported.set(null);
    this.exportError.set(null);
    const columns = this.store.timeColumns();
    this.store
      .exportReport(view)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: ({ fileName, report }) => {
          const csv = reportCsv(view, report, {
            translate: (key, params) => this.transloco.translate(key, params),
            language: this.language().code,
            columns,
          });
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
