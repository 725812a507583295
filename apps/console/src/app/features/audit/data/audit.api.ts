import { HttpClient, HttpContext, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  AccessEventPage,
  AccessEventQuery,
  AuditAnomaly,
  AuditVerification,
  CheckpointView,
  InclusionProofView,
  ReviewAnomalyRequest,
} from '@harbour/domain';
import type { Observable } from 'rxjs';
import { MESSAGE_HANDLED_BY_CALLER } from '../../../core/http/http-context';
import { toParams } from './audit-filters';

const AUDIT = '/api/audit';

/**
 * The access log (`audit:read`; the export needs `audit:export` and step-up). Every one of these
 * calls is itself written to the log.
 */
@Injectable({ providedIn: 'root' })
export class AuditApi {
  private readonly http = inject(HttpClient);

  /** Newest first; pass `nextBefore` as `before` for the next page. */
  events(query: AccessEventQuery): Observable<AccessEventPage> {
    return this.http.get<AccessEventPage>(`${AUDIT}/events`, { params: toParams(query) });
  }

  /** Re-computes the whole log and checks it against the latest checkpoint. */
  verify(): Observable<AuditVerification> {
    return this.http.get<AuditVerification>(`${AUDIT}/verify`);
  }

  /** `404 not_found` while no checkpoint has been signed yet (the caller says so, quietly). */
  latestCheckpoint(): Observable<CheckpointView> {
    return this.http.get<CheckpointView>(`${AUDIT}/checkpoints/latest`, {
      context: new HttpContext().set(MESSAGE_HANDLED_BY_CALLER, ['not_found']),
    });
  }

  inclusionProof(seq: number, treeSize: number): Observable<InclusionProofView> {
    return this.http.get<InclusionProofView>(`${AUDIT}/proofs/inclusion`, {
      params: new HttpParams().set('seq', seq).set('treeSize', treeSize),
    });
  }

  /** Open flags first, most serious kind first (the API's order). */
  anomalies(): Observable<AuditAnomaly[]> {
    return this.http.get<AuditAnomaly[]>(`${AUDIT}/anomalies`);
  }

  /** Marks a flag reviewed (the request is itself the logged review). */
  reviewAnomaly(id: string): Observable<void> {
    return this.http.post<void>(
      `${AUDIT}/anomalies/review`,
      { id } satisfies ReviewAnomalyRequest,
      {
        context: new HttpContext().set(MESSAGE_HANDLED_BY_CALLER, ['not_found']),
      },
    );
  }

  /**
   * The filtered log as CSV. Read as text, not as a blob: an error body (such as
   * `403 step_up_required`) must stay readable JSON for the error interceptor.
   */
  exportCsv(query: AccessEventQuery, context: HttpContext): Observable<string> {
    return this.http.get(`${AUDIT}/export`, {
      params: toParams(query),
      context,
      responseType: 'text',
      headers: { Accept: 'text/csv' },
    });
  }
}
