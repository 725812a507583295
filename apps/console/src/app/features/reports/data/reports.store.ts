import type { HttpContext } from '@angular/common/http';
import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type { ReportMeta, ReportQuery } from '@harbour/domain';
import type { Observable, Subscription } from 'rxjs';
import { catchError, map, merge, of, throwError } from 'rxjs';
import type { StepUpAction } from '../../../core/auth/step-up.service';
import { StepUpService } from '../../../core/auth/step-up.service';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { MESSAGE_HANDLED_BY_CALLER } from '../../../core/http/http-context';
import { Clock } from '../../../core/time/clock';
import type { PartnerOption, ReportFilters, ReportView, TimeColumns } from './report-filters';
import {
  defaultFilters,
  exportFileName,
  isQuarter,
  quartersOffered,
  REPORT_VIEWS,
  supportsFilter,
  timeColumnsFor,
  timesReportable,
  toQuery,
  yearOf,
} from './report-filters';
import type { ReportsByView } from './reports.api';
import { ReportsApi } from './reports.api';

/** Where one report is: asked for, shown, refused, or not asked (and why). */
export type ReportState<T> =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly report: T }
  | { readonly kind: 'error'; readonly error: AppError }
  /** The report does not accept the applied filter: nothing was asked. */
  | { readonly kind: 'unsupported' }
  /** The external tier needs step-up, and the coordinator cancelled it: nothing was asked. */
  | { readonly kind: 'stepUpCancelled' }
  /**
   * Time to outcome over a year that has not fully closed: it is published for a closed quarter
   * or a whole closed year only, so nothing was asked; one of these quarters can be chosen.
   */
  | { readonly kind: 'periodOpen'; readonly quarters: readonly string[] };

export type ReportStates = { readonly [V in ReportView]: ReportState<ReportsByView[V]> };

type ReportUpdate = {
  [V in ReportView]: { readonly view: V; readonly state: ReportState<ReportsByView[V]> };
}[ReportView];

/** An exported report: the answer of its export endpoint, and the file name to save it under. */
export interface ReportExport {
  readonly view: ReportView;
  readonly fileName: string;
  readonly report: ReportsByView[ReportView];
}

/** Failures each report section explains in place (the rest also pop up a message). */
const EXPLAINED_IN_PLACE = ['validation_failed'] as const;

function allIn(kind: 'loading' | 'unsupported' | 'stepUpCancelled'): ReportStates {
  return {
    needs: { kind },
    referrals: { kind },
    funnel: { kind },
    'time-to-outcome': { kind },
    contacts: { kind },
    'outcome-change': { kind },
    disclosures: { kind },
  };
}

/**
 * The coordinator's reports dashboard (provided by its route): the five reports under the
 * applied filters, asked for together; applying filters drops any answer still in flight.
 *
 * The external tier needs a recent step-up: unless the last one is still fresh, the step-up
 * dialog opens *before* any report is asked for, once for all of them (a refused request would
 * be recorded as a denied attempt); cancelling it asks for nothing. Should the API refuse all the
 * same (the clocks disagree), the first refusal opens the dialog and everything is asked again.
 *
 * Time to outcome is not asked for over a year that has not fully closed: its section offers
 * that year's closed quarters instead (`showTimesFor`).
 */
@Injectable()
export class ReportsStore {
  private readonly destroyRef = inject(DestroyRef);
  private readonly api = inject(ReportsApi);
  private readonly stepUp = inject(StepUpService);
  private readonly clock = inject(Clock);

  private readonly applied = signal<ReportFilters>(defaultFilters(this.clock.now()));
  private readonly states = signal<ReportStates>(allIn('loading'));
  private readonly partnerList = signal<readonly PartnerOption[]>([]);
  private readonly chosenColumns = signal<TimeColumns>('quarter');
  /** The closed quarter time to outcome is shown for, when the year has not fully closed. */
  private readonly timesQuarter = signal<string | null>(null);

  private reportsRequest: Subscription | null = null;
  private timesRequest: Subscription | null = null;
  private partnersRequest: Subscription | null = null;

  readonly filters = this.applied.asReadonly();
  readonly reports = this.states.asReadonly();
  readonly partners = this.partnerList.asReadonly();
  /** The time columns of the tables shown: a year by quarter (the default) or by month. */
  readonly timeColumns = computed(() =>
    timeColumnsFor(this.applied().period, this.chosenColumns()),
  );
  /** Whether the applied period can be shown by quarter or by month (a year can). */
  readonly canChooseColumns = computed(() => !isQuarter(this.applied().period));
  /**
   * The quarters time to outcome can be shown for while the applied year has not fully closed
   * (empty otherwise), and the one it is shown for.
   */
  readonly timesQuarters = computed<readonly string[]>(() => {
    const period = this.applied().period;
    return timesReportable(period, this.clock.now())
      ? []
      : quartersOffered(yearOf(period), this.clock.now());
  });
  /** The quarter chosen for time to outcome (null: it follows the applied period). */
  readonly timesQuarterChosen = this.timesQuarter.asReadonly();
  readonly timesPeriod = computed(() => this.timesQuarter() ?? this.applied().period);
  readonly loading = computed(() =>
    REPORT_VIEWS.some((view) => this.states()[view].kind === 'loading'),
  );
  /** Partner names: from the partner list, and from any report shown (which also knows them). */
  readonly partnerNames = computed<Readonly<Record<string, string>>>(() => {
    const names: Record<string, string> = {};
    for (const partner of this.partnerList()) names[partner.id] = partner.name;
    for (const view of REPORT_VIEWS) {
      const state = this.states()[view];
      if (state.kind === 'ready') Object.assign(names, state.report.meta.partners);
    }
    return names;
  });
  /** The threshold of the reports shown (published counts are 0 or at least k). */
  readonly k = computed<number | null>(() => this.firstMeta()?.k ?? null);
  /** Published counts are multiples of this on the external tier; null for exact counts. */
  readonly roundedTo = computed<number | null>(() => this.firstMeta()?.roundedTo ?? null);

  constructor() {
    this.destroyRef.onDestroy(() => {
      this.reportsRequest?.unsubscribe();
      this.timesRequest?.unsubscribe();
      this.partnersRequest?.unsubscribe();
    });
  }

  /** Everything the page shows: the partners (for the filter) and the reports. */
  load(): void {
    this.loadPartners();
    this.reload();
  }

  /** The partners a report can be narrowed to. Without them the partner filter offers nothing. */
  loadPartners(): void {
    this.partnersRequest?.unsubscribe();
    this.partnersRequest = this.api
      .partners()
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (partners) =>
          this.partnerList.set(partners.map((partner) => ({ id: partner.id, name: partner.name }))),
        // The interceptor has said what went wrong; the reports still load.
        error: () => undefined,
      });
  }

  applyFilters(filters: ReportFilters): void {
    this.applied.set(filters);
    this.timesQuarter.set(null);
    this.reload();
  }

  /** Shows the tables of a year by quarter or by month (nothing is asked again). */
  chooseColumns(columns: TimeColumns): void {
    this.chosenColumns.set(columns);
  }

  /** Asks for every report that accepts the applied filter; an answer still in flight is dropped. */
  reload(): void {
    this.reportsRequest?.unsubscribe();
    this.timesRequest?.unsubscribe();
    const filters = this.applied();
    const wanted = REPORT_VIEWS.filter((view) => supportsFilter(view, filters.filter));
    const states: Record<string, ReportState<unknown>> = { ...allIn('unsupported') };
    for (const view of wanted) states[view] = { kind: 'loading' };
    const timesOpen = this.timesQuarters().length > 0 && this.timesQuarter() === null;
    if (timesOpen && wanted.includes('time-to-outcome')) {
      states['time-to-outcome'] = { kind: 'periodOpen', quarters: this.timesQuarters() };
    }
    this.states.set(states as ReportStates);
    const asked = wanted.filter((view) => states[view]?.kind === 'loading');
    if (asked.length === 0) return;
    this.reportsRequest = this.withStepUp(filters, (context) =>
      merge(...asked.map((view) => this.fetch(view, this.queryFor(view), context))),
    )
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe(this.observer(asked));
  }

  /** Time to outcome for one closed quarter of a year that has not fully closed. */
  showTimesFor(quarter: string): void {
    if (!this.timesQuarters().includes(quarter)) return;
    this.timesRequest?.unsubscribe();
    this.timesQuarter.set(quarter);
    this.update({ view: 'time-to-outcome', state: { kind: 'loading' } });
    this.timesRequest = this.withStepUp(this.applied(), (context) =>
      this.fetch('time-to-outcome', this.queryFor('time-to-outcome'), context),
    )
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe(this.observer(['time-to-outcome']));
  }

  /**
   * One report for a file (`reports:export`; an export always needs step-up: asked for first
   * unless still fresh), under the
   * applied filters: the API records the export and answers the same figures, which the page
   * writes as CSV. Completes without a value if the coordinator cancels step-up.
   */
  exportReport(view: ReportView): Observable<ReportExport> {
    const filters = this.applied();
    const query = this.queryFor(view);
    const fileName = exportFileName(view, filters, query.period);
    return this.stepUp
      .runStepUpFirst((context) => this.api.exportReport(view, query, context))
      .pipe(map((report) => ({ view, fileName, report })));
  }

  /** The query of one report: time to outcome may be shown for a quarter of the applied year. */
  private queryFor(view: ReportView): ReportQuery {
    const filters = this.applied();
    return toQuery(filters, view === 'time-to-outcome' ? this.timesPeriod() : filters.period);
  }

  /** The external tier asks for step-up before anything is sent (unless it is still fresh). */
  private withStepUp<T>(filters: ReportFilters, action: StepUpAction<T>): Observable<T> {
    return filters.tier === 'external'
      ? this.stepUp.runStepUpFirst(action)
      : this.stepUp.run(action);
  }

  private observer(views: readonly ReportView[]) {
    return {
      next: (update: ReportUpdate) => this.update(update),
      // Only a second `step_up_required` gets here: every other failure is the report's own.
      error: (error: unknown) =>
        this.settleLoading(views, { kind: 'error', error: appErrorOf(error) }),
      complete: () => this.settleLoading(views, { kind: 'stepUpCancelled' }),
    };
  }

  private firstMeta(): ReportMeta | null {
    for (const view of REPORT_VIEWS) {
      const state = this.states()[view];
      if (state.kind === 'ready') return state.report.meta;
    }
    return null;
  }

  /** One report's answer as a state; only `step_up_required` stays an error (for step-up). */
  private fetch<V extends ReportView>(
    view: V,
    query: ReportQuery,
    context: HttpContext,
  ): Observable<ReportUpdate> {
    context.set(MESSAGE_HANDLED_BY_CALLER, EXPLAINED_IN_PLACE);
    return this.api.report(view, query, context).pipe(
      map((report) => ({ view, state: { kind: 'ready', report } }) as ReportUpdate),
      catchError((error: unknown) => {
        const appError = appErrorOf(error);
        if (appError.code === 'step_up_required') return throwError(() => error);
        return of({ view, state: { kind: 'error', error: appError } } as ReportUpdate);
      }),
    );
  }

  private update(update: ReportUpdate): void {
    this.states.update((states) => ({ ...states, [update.view]: update.state }));
  }

  /** Each of `views` still loading ends in `state` (the request ended without its answer). */
  private settleLoading(views: readonly ReportView[], state: ReportState<never>): void {
    this.states.update((states) => {
      const next: Record<string, ReportState<unknown>> = { ...states };
      for (const view of views) if (next[view]?.kind === 'loading') next[view] = state;
      return next as ReportStates;
    });
  }
}
