import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  AssigneeView,
  CreateFollowUpRequest,
  DayCounts,
  DayView,
  FollowUpQuery,
  FollowUpView,
  UpdateFollowUpRequest,
} from '@harbour/domain';
import type { Observable } from 'rxjs';

/**
 * Follow-ups and the caseworker's day (issue 17). A follow-up's text travels in bodies only; the
 * day is asked for the browser's own calendar day (the API accepts it when it is today somewhere).
 */
@Injectable({ providedIn: 'root' })
export class FollowUpsApi {
  private readonly http = inject(HttpClient);

  create(body: CreateFollowUpRequest, idempotencyKey: string): Observable<FollowUpView> {
    return this.http.post<FollowUpView>('/api/follow-ups', body, {
      headers: { 'Idempotency-Key': idempotencyKey },
    });
  }

  list(query: FollowUpQuery): Observable<FollowUpView[]> {
    let params = new HttpParams();
    if (query.mine !== undefined) params = params.set('mine', String(query.mine));
    if (query.person !== undefined) params = params.set('person', query.person);
    if (query.status !== undefined) params = params.set('status', query.status);
    if (query.dueBefore !== undefined) params = params.set('dueBefore', query.dueBefore);
    return this.http.get<FollowUpView[]>('/api/follow-ups', { params });
  }

  /** Active case staff of the organisation: whom a follow-up may be assigned to. */
  assignees(): Observable<AssigneeView[]> {
    return this.http.get<AssigneeView[]>('/api/follow-ups/assignees');
  }

  update(id: string, body: UpdateFollowUpRequest): Observable<FollowUpView> {
    return this.http.patch<FollowUpView>(`/api/follow-ups/${encodeURIComponent(id)}`, body);
  }

  day(today: string): Observable<DayView> {
    return this.http.get<DayView>('/api/me/day', { params: { today } });
  }

  counts(today: string): Observable<DayCounts> {
    return this.http.get<DayCounts>('/api/me/day/counts', { params: { today } });
  }
}
