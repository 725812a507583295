import type { HttpContext } from '@angular/common/http';
import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  ContactsReport,
  FunnelReport,
  NeedsReport,
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
}

/**
 * The coordinator's reports (`reports:read`; CSV needs `reports:export`). Every number in them is
 * protected on the server. `tier=external` needs step-up, so every call takes the context that
 * `StepUpService.run` gives it. Each run is itself recorded in the access log.
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
   * A report as CSV. Read as text, not as a blob: an error body (such as
   * `403 step_up_required`) must stay readable JSON for the error interceptor.
   */
  exportCsv(view: ReportView, query: ReportQuery, context: HttpContext): Observable<string> {
    return this.http.get(`${REPORTS}/${view}`, {
      params: toParams(query),
      context,
      responseType: 'text',
      headers: { Accept: 'text/csv' },
    });
  }

  /** The organisation's partners, inactive ones too (old referrals still name them). */
  partners(): Observable<PartnerView[]> {
    return this.http.get<PartnerView[]>('/api/partners', {
      params: { includeInactive: true },
    });
  }
}
