import { BreakpointObserver } from '@angular/cdk/layout';
import type { ElementRef, OnInit } from '@angular/core';
import {
  afterNextRender,
  ChangeDetectionStrategy,
  Component,
  computed,
  effect,
  inject,
  Injector,
  signal,
  untracked,
  viewChild,
  DestroyRef,
} from '@angular/core';
import { toSignal, takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatDialog } from '@angular/material/dialog';
import { MatIconModule } from '@angular/material/icon';
import { MatProgressBarModule } from '@angular/material/progress-bar';
import type { AccessEventView, AuditAnomaly } from '@harbour/domain';
import { TranslocoPipe } from '@jsverse/transloco';
import { map } from 'rxjs';
import { SessionStore } from '../../../core/auth/session.store';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { LanguageService } from '../../../core/i18n/language.service';
import { NumberPipe } from '../../../core/i18n/number.pipe';
import { FileDownload } from '../../../core/ui/file-download';
import { FormError } from '../../../core/ui/form-error';
import { AnomaliesPanel } from '../components/anomalies-panel';
import { AuditFiltersForm } from '../components/audit-filters-form';
import { ChainStatusCard } from '../components/chain-status-card';
import { EventDetailDialog } from '../components/event-detail-dialog';
import { EventsList } from '../components/events-list';
import type { AuditFilters } from '../data/audit-filters';
import { AuditStore } from '../data/audit.store';

/** At this width and above the events are a table; below, a list of cards. */
export const EVENTS_TABLE_QUERY = '(min-width: 1280px)';

/** The media type of the saved export. */
const CSV_TYPE = 'text/csv;charset=utf-8';

/**
 * The auditor's access log: is the log intact, what looks unusual, and who accessed what, with
 * filters, details and inclusion proofs, and a CSV export (step-up). Everything this page asks
 * the API is itself recorded in the log.
 */
@Component({
  selector: 'app-access-log-page',
  imports: [
    AnomaliesPanel,
    AuditFiltersForm,
    ChainStatusCard,
    EventsList,
    FormError,
    MatButtonModule,
    MatIconModule,
    MatProgressBarModule,
    NumberPipe,
    TranslocoPipe,
  ],
  templateUrl: './access-log-page.html',
  styleUrl: './access-log-page.scss',
  changeDetection: ChangeDetectionStrategy.OnPush,
})
export class AccessLogPage implements OnInit {
  private readonly destroyRef = inject(DestroyRef);
  protected readonly store = inject(AuditStore);
  private readonly dialog = inject(MatDialog);
  private readonly injector = inject(Injector);
  private readonly download = inject(FileDownload);
  private readonly breakpoints = inject(BreakpointObserver);
  private readonly session = inject(SessionStore);

  protected readonly language = inject(LanguageService).active;
  protected readonly wide = toSignal(
    this.breakpoints.observe(EVENTS_TABLE_QUERY).pipe(map((state) => state.matches)),
    { initialValue: this.breakpoints.isMatched(EVENTS_TABLE_QUERY) },
  );
  protected readonly canExport = computed(() => this.session.permissions().has('audit:export'));
  protected readonly exporting = signal(false);
  /** Export failures the error interceptor leaves to this page (a refused step-up). */
  protected readonly exportError = signal<AppError | null>(null);
  protected readonly exported = signal<string | null>(null);

  private readonly list = viewChild(EventsList);
  private readonly eventsHeading = viewChild.required<ElementRef<HTMLElement>>('eventsHeading');
  /** After "Load older": the index of the first new event, which receives focus. */
  private readonly focusIndex = signal<number | null>(null);

  constructor() {
    effect(() => {
      const index = this.focusIndex();
      const event = this.store.events()[index ?? -1];
      if (index === null || event === undefined) return;
      untracked(() => this.focusIndex.set(null));
      afterNextRender(() => this.list()?.focusEvent(event.seq), { injector: this.injector });
    });
  }

  ngOnInit(): void {
    this.store.load();
  }

  protected applyFilters(filters: AuditFilters): void {
    this.focusIndex.set(null);
    this.store.applyFilters(filters);
  }

  protected clearFilters(): void {
    this.focusIndex.set(null);
    this.store.clearFilters();
  }

  /** The clicked name's button goes away with the old list: focus moves to the list's heading. */
  protected filterByActor(event: AccessEventView): void {
    if (event.actorId === null) return;
    this.focusIndex.set(null);
    this.store.filterByActor(event.actorId, event.actorName);
    this.eventsHeading().nativeElement.focus();
  }

  protected showAnomaly(anomaly: AuditAnomaly): void {
    this.focusIndex.set(null);
    this.store.showAnomaly(anomaly);
    this.eventsHeading().nativeElement.focus();
  }

  protected loadOlder(): void {
    this.focusIndex.set(this.store.events().length);
    this.store.loadOlder();
  }

  protected openDetail(event: AccessEventView): void {
    this.dialog.open<EventDetailDialog, AccessEventView>(EventDetailDialog, {
      data: event,
      injector: this.injector,
      width: '720px',
    });
  }

  protected exportCsv(): void {
    if (this.exporting()) return;
    this.exporting.set(true);
    this.exported.set(null);
    this.exportError.set(null);
    this.store
      .exportCsv()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: ({ fileName, csv }) => {
          this.download.save(csv, fileName, CSV_TYPE);
          this.exported.set(fileName);
        },
        error: (error: unknown) => {
          this.exporting.set(false);
          // The interceptor has shown every other failure; a second step-up refusal it leaves here.
          const appError = appErrorOf(error);
          if (appError.code === 'step_up_required') this.exportError.set(appError);
        },
        complete: () => this.exporting.set(false),
      });
  }
}
