import type { HttpContext } from '@angular/common/http';
import { HttpClient, HttpHeaders } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type { CanaryView, PlantCanaryRequest } from '@harbour/domain';
import type { Observable } from 'rxjs';
import { MESSAGE_HANDLED_BY_CALLER } from '../../../core/http/http-context';

const CANARIES = '/api/canaries';

/** Canary people (`canaries:manage`, admins). Planting and retiring need step-up. */
@Injectable({ providedIn: 'root' })
export class CanariesApi {
  private readonly http = inject(HttpClient);

  list(): Observable<CanaryView[]> {
    return this.http.get<CanaryView[]>(CANARIES);
  }

  /** The key makes a retried plant (a lost answer) apply once. */
  plant(
    request: PlantCanaryRequest,
    idempotencyKey: string,
    context: HttpContext,
  ): Observable<CanaryView> {
    return this.http.post<CanaryView>(CANARIES, request, {
      context: context.set(MESSAGE_HANDLED_BY_CALLER, ['validation_failed']),
      headers: new HttpHeaders({ 'Idempotency-Key': idempotencyKey }),
    });
  }

  retire(id: string, context: HttpContext): Observable<CanaryView> {
    return this.http.post<CanaryView>(`${CANARIES}/${encodeURIComponent(id)}/retire`, null, {
      context,
    });
  }
}
