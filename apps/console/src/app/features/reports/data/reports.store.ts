import type { HttpContext } from '@angular/common/http';
import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import type { ReportMeta, ReportQuery } from '@harbour/domain';
import type { Observable, Subscription } from 'rxjs';
import { catchError, map, merge, of, throwError } from 'rxjs';
import { StepUpService } from '../../../core/auth/step-up.service';
import type { AppError } from '../../../core/http/app-error';
import { appErrorOf } from '../../../core/http/app-error';
import { MESSAGE_HANDLED_BY_CALLER } from '../../../core/http/http-context';
import { Clock } from '../../../core/time/clock';
import type { PartnerOption, ReportFilters, ReportView } from './report-filters';
import {
  defaultFilters,
  exportFileName,
  REPORT_VIEWS,
  supportsFilter,
  toQuery,
} from './report-filters';
import type { ReportsByView } from './reports.api';
import { ReportsApi } from './reports.api';

/** Where one report is: asked for, shown, refused, or not asked because of the filter. */
export type ReportState<T> =
  | { readonly kind: 'loading' }
  | { readonly kind: 'ready'; readonly report: T }
  | { readonly kind: 'error'; readonly error: AppError }
  /** The report does not accept the applied filter's attribute: nothing was asked. */
  | { readonly kind: 'unsupported' }
  /** The external tier needs step-up, and the coordinator cancelled it. */
  | { readonly kind: 'stepUpCancelled' };

export type ReportStates = { readonly [V in ReportView]: ReportState<ReportsByView[V]> };

type ReportUpdate = {
  [V in ReportView]: { readonly view: V; readonly state: ReportState<ReportsByView[V]> };
}[ReportView];

/** A CSV export, ready to save. */
export interface ReportExport {
  readonly fileName: string;
  readonly csv: string;
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
  };
}

/**
 * The coordinator's reports dashboard (provided by its route): the five reports under the
 * applied filters, asked for together. Applying filters drops any answer still in flight. On the
 * external tier the first refusal (`403 step_up_required`) opens one step-up dialog for all of
 * them and then asks again; cancelling it leaves every report "not loaded".
 */
@Injectable()
export class ReportsStore {
  private readonly api = inject(ReportsApi);
  private readonly stepUp = inject(StepUpService);

  private readonly applied = signal<ReportFilters>(defaultFilters(inject(Clock).now()));
  private readonly states = signal<ReportStates>(allIn('loading'));
  private readonly partnerList = signal<readonly PartnerOption[]>([]);

  private reportsRequest: Subscription | null = null;
  private partnersRequest: Subscription | null = null;

  readonly filters = this.applied.asReadonly();
  readonly reports = this.states.asReadonly();
  readonly partners = this.partnerList.asReadonly();
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
    inject(DestroyRef).onDestroy(() => {
      this.reportsRequest?.unsubscribe();
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
    this.partnersRequest = this.api.partners().subscribe({
      next: (partners) =>
        this.partnerList.set(partners.map((partner) => ({ id: partner.id, name: partner.name }))),
      // The interceptor has said what went wrong; the reports still load.
      error: () => undefined,
    });
  }

  applyFilters(filters: ReportFilters): void {
    this.applied.set(filters);
    this.reload();
  }

  /** Asks for every report that accepts the applied filter; an answer still in flight is dropped. */
  reload(): void {
    this.reportsRequest?.unsubscribe();
    const filters = this.applied();
    const query = toQuery(filters);
    const wanted = REPORT_VIEWS.filter((view) => supportsFilter(view, filters.filter));
    const states: Record<string, ReportState<unknown>> = { ...allIn('unsupported') };
    for (const view of wanted) states[view] = { kind: 'loading' };
    this.states.set(states as ReportStates);
    if (wanted.length === 0) return;
    this.reportsRequest = this.stepUp
      .run((context) => merge(...wanted.map((view) => this.fetch(view, query, context))))
      .subscribe({
        next: (update) => this.update(update),
        // Only a second `step_up_required` gets here: every other failure is the report's own.
        error: (error: unknown) => this.settleLoading({ kind: 'error', error: appErrorOf(error) }),
        complete: () => this.settleLoading({ kind: 'stepUpCancelled' }),
      });
  }

  /**
   * One report as CSV (`reports:export`; step-up on the external tier), under the applied
   * filters. Completes without a value if the coordinator cancels step-up. The export is itself
   * recorded in the access log.
   */
  exportCsv(view: ReportView): Observable<ReportExport> {
    const filters = this.applied();
    const fileName = exportFileName(view, filters);
    return this.stepUp
      .run((context) => this.api.exportCsv(view, toQuery(filters), context))
      .pipe(map((csv) => ({ fileName, csv })));
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

  /** Every report still loading ends in `state` (the request ended without its answer). */
  private settleLoading(state: ReportState<never>): void {
    this.states.update((states) => {
      const next: Record<string, ReportState<unknown>> = { ...states };
      for (const view of REPORT_VIEWS) if (next[view]?.kind === 'loading') next[view] = state;
      return next as ReportStates;
    });
  }
}
