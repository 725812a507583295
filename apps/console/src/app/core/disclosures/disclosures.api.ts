import { HttpClient, HttpContext, HttpHeaders } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  CreateDisclosureRequest,
  DisclosureExportResponse,
  DisclosureRequestView,
  PersonDisclosureView,
  RefuseDisclosureRequest,
} from '@harbour/domain';
import type { Observable } from 'rxjs';
import { map } from 'rxjs';
import { MESSAGE_HANDLED_BY_CALLER, SHOW_ERROR_MESSAGE } from '../http/http-context';

const DISCLOSURES = '/api/disclosures';

export interface DisclosureFile {
  readonly blob: Blob;
  readonly fileName: string | null;
}

/** A plain `filename="…"` of `Content-Disposition`: letters, digits, dot, dash, underscore. */
export function attachmentName(header: string | null): string | null {
  const match = /filename="?([A-Za-z0-9._-]{1,100})"?/.exec(header ?? '');
  return match?.[1] ?? null;
}

function requestUrl(id: string): string {
  return `${DISCLOSURES}/${encodeURIComponent(id)}`;
}

/**
 * Disclosure requests from police, immigration or a court (coordinators record them; a
 * coordinator and an admin approve them). Steps that need step-up take the `HttpContext` from
 * `StepUpService.run`. Shared by the disclosures feature and the person page's panel.
 */
@Injectable({ providedIn: 'root' })
export class DisclosuresApi {
  private readonly http = inject(HttpClient);

  /** Newest first. */
  list(): Observable<DisclosureRequestView[]> {
    return this.http.get<DisclosureRequestView[]>(DISCLOSURES);
  }

  get(id: string): Observable<DisclosureRequestView> {
    return this.http.get<DisclosureRequestView>(requestUrl(id));
  }

  /** The key makes a retried create (a lost answer) apply once; refusals are shown in the form. */
  create(
    request: CreateDisclosureRequest,
    idempotencyKey: string,
  ): Observable<DisclosureRequestView> {
    return this.http.post<DisclosureRequestView>(DISCLOSURES, request, {
      context: new HttpContext().set(MESSAGE_HANDLED_BY_CALLER, [
        'validation_failed',
        'disclosure_unknown_person',
      ]),
      headers: new HttpHeaders({ 'Idempotency-Key': idempotencyKey }),
    });
  }

  review(view: DisclosureRequestView, context?: HttpContext): Observable<DisclosureRequestView> {
    return this.step(view, 'review', context);
  }

  approve(view: DisclosureRequestView, context: HttpContext): Observable<DisclosureRequestView> {
    return this.step(view, 'approve', context);
  }

  close(view: DisclosureRequestView, context?: HttpContext): Observable<DisclosureRequestView> {
    return this.step(view, 'close', context);
  }

  refuse(
    view: DisclosureRequestView,
    reason: string,
    context: HttpContext,
  ): Observable<DisclosureRequestView> {
    const body: RefuseDisclosureRequest = { version: view.version, reason };
    return this.http.post<DisclosureRequestView>(`${requestUrl(view.id)}/refuse`, body, {
      context: context.set(MESSAGE_HANDLED_BY_CALLER, ['validation_failed']),
    });
  }

  /** Produces the file once: the answer holds the passphrase, shown once and kept nowhere. */
  export(view: DisclosureRequestView, context: HttpContext): Observable<DisclosureExportResponse> {
    return this.http.post<DisclosureExportResponse>(
      `${requestUrl(view.id)}/export`,
      { version: view.version },
      { context },
    );
  }

  /** The encrypted ZIP, as produced, and the name the API gives it (if it names one). */
  file(id: string): Observable<DisclosureFile> {
    return this.http
      .get(`${requestUrl(id)}/file`, { responseType: 'blob', observe: 'response' })
      .pipe(
        map((response) => ({
          blob: response.body ?? new Blob([]),
          fileName: attachmentName(response.headers.get('Content-Disposition')),
        })),
      );
  }

  /** That disclosures about this person were asked for or happened (no request details). */
  forPerson(personId: string): Observable<PersonDisclosureView[]> {
    // A panel on the person page: if it cannot be read, the page goes on without it.
    return this.http.get<PersonDisclosureView[]>(
      `/api/persons/${encodeURIComponent(personId)}/disclosures`,
      { context: new HttpContext().set(SHOW_ERROR_MESSAGE, false) },
    );
  }

  private step(
    view: DisclosureRequestView,
    step: 'review' | 'approve' | 'close',
    context?: HttpContext,
  ): Observable<DisclosureRequestView> {
    return this.http.post<DisclosureRequestView>(
      `${requestUrl(view.id)}/${step}`,
      { version: view.version },
      context === undefined ? {} : { context },
    );
  }
}
