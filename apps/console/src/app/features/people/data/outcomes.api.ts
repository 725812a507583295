import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { CheckInView, RecordCheckInRequest } from '@harbour/domain';
import type { Observable } from 'rxjs';

const checkIns = (personId: string) => `/api/persons/${encodeURIComponent(personId)}/check-ins`;

/** A person's outcome check-ins (`case:read` to list, `case:write` to record). */
@Injectable({ providedIn: 'root' })
export class OutcomesApi {
  private readonly http = inject(HttpClient);

  /** Newest first. */
  list(personId: string): Observable<CheckInView[]> {
    return this.http.get<CheckInView[]>(checkIns(personId));
  }

  record(
    personId: string,
    body: RecordCheckInRequest,
    idempotencyKey: string,
  ): Observable<CheckInView> {
    return this.http.post<CheckInView>(checkIns(personId), body, {
      headers: { 'Idempotency-Key': idempotencyKey },
    });
  }
}
