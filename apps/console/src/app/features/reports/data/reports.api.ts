import type { HttpContext } from '@angular/common/http';
import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  ContactsReport,
  FunnelReport,
  NeedsReport,
  DisclosuresReport,
  OutcomeChangeReport,
  PartnerView,
  ReferralsReport,
  ReportQuery,
  TimeToOutcomeReport,
} from '@harbour/domain';
import type { Observable } from 'rxjs';
import type { ReportView } from './report-filters';
import { toParams } from './report-filters';

const REPORTS = '/api/reports';

/** The JSON answer of each report endpoint. */
export interface ReportsByView {
  readonly needs: NeedsReport;
  readonly referrals: ReferralsReport;
  readonly funnel: FunnelReport;
  readonly 'time-to-outcome': TimeToOutcomeReport;
  readonly contacts: ContactsReport;
  readonly 'outcome-change': OutcomeChangeReport;
  readonly disclosures: DisclosuresReport;
}

/**
 * The coordinator's reports (`reports:read`), over closed quarters. Every number in them is
 * protected on the server and fixed when its quarter was first published. `tier=external` needs
 * step-up, so every call takes the context that `StepUpService` gives it. Each run is itself
 * recorded in the access log.
 */
@Injectable({ providedIn: 'root' })
export class ReportsApi {
  private readonly http = inject(HttpClient);

  report<V extends ReportView>(
    view: V,
    query: ReportQuery,
    context: HttpContext,
  ): Observable<ReportsByView[V]> {
    return this.http.get<ReportsByView[V]>(`${REPORTS}/${view}`, {
      params: toParams(query),
      context,
    });
  }

  /**
   * The same report for a file (`reports:export`): the API records it as an export
   * (`report.exported`) and answers the same JSON; the console writes the file, with the labels
   * the person sees.
   */
  exportReport<V extends ReportView>(
    view: V,
    query: ReportQuery,
    context: HttpContext,
  ): Observable<ReportsByView[V]> {
    return this.http.get<ReportsByView[V]>(`${REPORTS}/${view}/export`, {
      params: toParams(query),
      context,
    });
  }

  /** The organisation's partners, inactive ones too (old referrals still name them). */
  partners(): Observable<PartnerView[]> {
    return this.http.get<PartnerView[]>('/api/partners', {
      params: { includeInactive: true },
    });
  }
}
