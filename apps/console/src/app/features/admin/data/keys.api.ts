import type { HttpContext } from '@angular/common/http';
import { HttpClient } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { JobView, KeysView, StartRotationRequest } from '@harbour/domain';
import type { Observable } from 'rxjs';

/** The keyring page's API (`keys:manage`, admins). Starting a rotation needs step-up. */
@Injectable({ providedIn: 'root' })
export class KeysApi {
  private readonly http = inject(HttpClient);

  keys(): Observable<KeysView> {
    return this.http.get<KeysView>('/api/keys');
  }

  startRotation(context: HttpContext): Observable<JobView> {
    const request: StartRotationRequest = { purpose: 'organisation_data' };
    return this.http.post<JobView>('/api/keys/rotations', request, { context });
  }

  job(id: string): Observable<JobView> {
    return this.http.get<JobView>(`/api/jobs/${encodeURIComponent(id)}`);
  }
}
