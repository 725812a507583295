import { HttpClient, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  CaseStaffView,
  HandOverReceipt,
  HandOverRequest,
  KeyWorkerPeoplePage,
  PersonKeyWorkers,
  PersonView,
} from '@harbour/domain';
import type { Observable } from 'rxjs';

/** Key workers, "my people", hand-overs and the restriction of a person (issue 17). */
@Injectable({ providedIn: 'root' })
export class KeyWorkersApi {
  private readonly http = inject(HttpClient);

  ofPerson(personId: string): Observable<PersonKeyWorkers> {
    return this.http.get<PersonKeyWorkers>(
      `/api/persons/${encodeURIComponent(personId)}/key-workers`,
    );
  }

  assign(personId: string, staffId: string): Observable<PersonKeyWorkers> {
    return this.http.post<PersonKeyWorkers>(
      `/api/persons/${encodeURIComponent(personId)}/key-workers`,
      { staffId },
    );
  }

  remove(personId: string, staffId: string): Observable<PersonKeyWorkers> {
    return this.http.post<PersonKeyWorkers>(
      `/api/persons/${encodeURIComponent(personId)}/key-workers/remove`,
      { staffId },
    );
  }

  setRestriction(personId: string, restricted: boolean, version: number): Observable<PersonView> {
    return this.http.post<PersonView>(`/api/persons/${encodeURIComponent(personId)}/restriction`, {
      restricted,
      version,
    });
  }

  /** Active caseworkers and coordinators, by name. */
  caseStaff(): Observable<CaseStaffView[]> {
    return this.http.get<CaseStaffView[]>('/api/key-workers/staff');
  }

  /** The caller's people (`staffId` null) or one worker's people (coordinators). */
  people(staffId: string | null, cursor: string | null): Observable<KeyWorkerPeoplePage> {
    let params = new HttpParams();
    if (cursor !== null) params = params.set('cursor', cursor);
    const url =
      staffId === null
        ? '/api/key-workers/mine'
        : `/api/key-workers/${encodeURIComponent(staffId)}/people`;
    return this.http.get<KeyWorkerPeoplePage>(url, { params });
  }

  handOver(request: HandOverRequest): Observable<HandOverReceipt> {
    return this.http.post<HandOverReceipt>('/api/key-workers/hand-over', request);
  }
}
