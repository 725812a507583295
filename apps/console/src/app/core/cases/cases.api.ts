import { HttpClient, HttpContext, HttpParams } from '@angular/common/http';
import { inject, Injectable } from '@angular/core';
import type {
  AmendContactRequest,
  BulkIntakeRequest,
  BulkIntakeResponse,
  ConsentView,
  ContactDetail,
  ContactPage,
  ContactQuery,
  ContactView,
  CreateContactRequest,
  CreateNeedRequest,
  CreatePersonRequest,
  CreateReferralRequest,
  ErasureReceipt,
  LookupCandidate,
  LookupRequest,
  MergePersonsRequest,
  MergeReceipt,
  NeedView,
  PartnerInput,
  PartnerQuery,
  PartnerView,
  PersonView,
  RecordConsentRequest,
  ReferralQuery,
  ReferralTransitionRequest,
  ReferralView,
  RevealRequest,
  RevealResponse,
  UpdateNeedRequest,
  UpdatePartnerRequest,
  UpdatePersonRequest,
} from '@harbour/domain';
import type { Observable } from 'rxjs';
import { MESSAGE_HANDLED_BY_CALLER } from '../http/http-context';

/**
 * Case records (docs/design.md §11). Identity values travel only in request bodies — a lookup is a
 * POST for that reason — and every create carries the caller's `Idempotency-Key`, so that a
 * retry after a lost answer never records the same contact twice.
 */
@Injectable({ providedIn: 'root' })
export class CasesApi {
  private readonly http = inject(HttpClient);

  // ---- people -------------------------------------------------------------------------------

  /** A `possible_duplicate` answer is the caller's to show (the candidates, then a choice). */
  createPerson(body: CreatePersonRequest, idempotencyKey: string): Observable<PersonView> {
    return this.http.post<PersonView>('/api/persons', body, {
      headers: { 'Idempotency-Key': idempotencyKey },
      context: new HttpContext().set(MESSAGE_HANDLED_BY_CALLER, ['possible_duplicate']),
    });
  }

  /** Irreversible (a key is destroyed), so the API asks for a fresh step-up, as for erasure. */
  merge(
    survivorId: string,
    body: MergePersonsRequest,
    context: HttpContext,
  ): Observable<MergeReceipt> {
    return this.http.post<MergeReceipt>(
      `/api/persons/${encodeURIComponent(survivorId)}/merge`,
      body,
      { context: context.set(MESSAGE_HANDLED_BY_CALLER, ['version_conflict']) },
    );
  }

  person(id: string): Observable<PersonView> {
    return this.http.get<PersonView>(`/api/persons/${encodeURIComponent(id)}`);
  }

  /** A correction of categories and identity (identity values travel in the body only). */
  updatePerson(id: string, body: UpdatePersonRequest): Observable<PersonView> {
    return this.http.patch<PersonView>(`/api/persons/${encodeURIComponent(id)}`, body, {
      context: new HttpContext().set(MESSAGE_HANDLED_BY_CALLER, [
        'version_conflict',
        'validation_failed',
      ]),
    });
  }

  lookup(body: LookupRequest): Observable<LookupCandidate[]> {
    return this.http.post<LookupCandidate[]>('/api/persons/lookup', body);
  }

  /** The purpose is a category; a detail travels in the body only and is stored encrypted. */
  reveal(id: string, request: RevealRequest): Observable<RevealResponse> {
    return this.http.post<RevealResponse>(
      `/api/persons/${encodeURIComponent(id)}/reveal`,
      request,
      {
        context: validationHandledHere(),
      },
    );
  }

  consents(personId: string): Observable<ConsentView[]> {
    return this.http.get<ConsentView[]>(`/api/persons/${encodeURIComponent(personId)}/consents`);
  }

  recordConsent(
    personId: string,
    body: RecordConsentRequest,
    idempotencyKey: string,
  ): Observable<ConsentView> {
    return this.http.post<ConsentView>(
      `/api/persons/${encodeURIComponent(personId)}/consents`,
      body,
      { headers: { 'Idempotency-Key': idempotencyKey } },
    );
  }

  revokeConsent(personId: string, consent: ConsentView): Observable<ConsentView> {
    return this.http.post<ConsentView>(
      `/api/persons/${encodeURIComponent(personId)}/consents/${encodeURIComponent(consent.id)}/revoke`,
      { version: consent.version },
      { context: new HttpContext().set(MESSAGE_HANDLED_BY_CALLER, ['version_conflict']) },
    );
  }

  /** Irreversible, so the API asks for a fresh step-up: pass the context `StepUpService` gives. */
  erase(id: string, version: number, context: HttpContext): Observable<ErasureReceipt> {
    return this.http.post<ErasureReceipt>(
      `/api/persons/${encodeURIComponent(id)}/erase`,
      { version },
      { context: context.set(MESSAGE_HANDLED_BY_CALLER, ['version_conflict']) },
    );
  }

  // ---- contacts and needs -------------------------------------------------------------------

  createContact(body: CreateContactRequest, idempotencyKey: string): Observable<ContactView> {
    return this.http.post<ContactView>('/api/contacts', body, {
      headers: { 'Idempotency-Key': idempotencyKey },
      context: validationHandledHere(),
    });
  }

  contacts(query: ContactQuery): Observable<ContactPage> {
    return this.http.get<ContactPage>('/api/contacts', { params: toParams(query) });
  }

  contact(id: string): Observable<ContactDetail> {
    return this.http.get<ContactDetail>(`/api/contacts/${encodeURIComponent(id)}`);
  }

  /** A correction appended to a contact, with its reason (the contact is never rewritten). */
  amendContact(
    id: string,
    body: AmendContactRequest,
    idempotencyKey: string,
  ): Observable<ContactView> {
    return this.http.post<ContactView>(`/api/contacts/${encodeURIComponent(id)}/amendments`, body, {
      headers: { 'Idempotency-Key': idempotencyKey },
      context: new HttpContext().set(MESSAGE_HANDLED_BY_CALLER, [
        'validation_failed',
        'contact_not_amendable',
        'conflict',
      ]),
    });
  }

  /** A person's needs noted outside a contact. */
  personNeeds(personId: string): Observable<NeedView[]> {
    return this.http.get<NeedView[]>('/api/needs', { params: { person: personId } });
  }

  createNeed(body: CreateNeedRequest, idempotencyKey: string): Observable<NeedView> {
    return this.http.post<NeedView>('/api/needs', body, {
      headers: { 'Idempotency-Key': idempotencyKey },
    });
  }

  updateNeed(id: string, body: UpdateNeedRequest): Observable<NeedView> {
    return this.http.patch<NeedView>(`/api/needs/${encodeURIComponent(id)}`, body, {
      context: new HttpContext().set(MESSAGE_HANDLED_BY_CALLER, ['version_conflict']),
    });
  }

  // ---- referrals and partners ---------------------------------------------------------------

  createReferral(body: CreateReferralRequest, idempotencyKey: string): Observable<ReferralView> {
    return this.http.post<ReferralView>('/api/referrals', body, {
      headers: { 'Idempotency-Key': idempotencyKey },
    });
  }

  transition(id: string, body: ReferralTransitionRequest): Observable<ReferralView> {
    return this.http.post<ReferralView>(
      `/api/referrals/${encodeURIComponent(id)}/transitions`,
      body,
      {
        context: new HttpContext().set(MESSAGE_HANDLED_BY_CALLER, [
          'version_conflict',
          'consent_required',
          'invalid_transition',
          'validation_failed',
        ]),
      },
    );
  }

  referrals(query: ReferralQuery): Observable<ReferralView[]> {
    return this.http.get<ReferralView[]>('/api/referrals', { params: toParams(query) });
  }

  partners(query: PartnerQuery = {}): Observable<PartnerView[]> {
    return this.http.get<PartnerView[]>('/api/partners', { params: toParams(query) });
  }

  createPartner(body: PartnerInput, idempotencyKey: string): Observable<PartnerView> {
    return this.http.post<PartnerView>('/api/partners', body, {
      headers: { 'Idempotency-Key': idempotencyKey },
      context: validationHandledHere(),
    });
  }

  /** An admin's edit, deactivation or reactivation of a partner, with its version. */
  updatePartner(id: string, body: UpdatePartnerRequest): Observable<PartnerView> {
    return this.http.patch<PartnerView>(`/api/partners/${encodeURIComponent(id)}`, body, {
      context: new HttpContext().set(MESSAGE_HANDLED_BY_CALLER, [
        'version_conflict',
        'validation_failed',
      ]),
    });
  }

  // ---- post-raid intake ---------------------------------------------------------------------

  bulkIntake(body: BulkIntakeRequest, idempotencyKey: string): Observable<BulkIntakeResponse> {
    return this.http.post<BulkIntakeResponse>('/api/intake/bulk', body, {
      headers: { 'Idempotency-Key': idempotencyKey },
      context: validationHandledHere(),
    });
  }
}

/** The form shows `validation_failed` next to the fields it names; other failures pop up. */
function validationHandledHere(): HttpContext {
  return new HttpContext().set(MESSAGE_HANDLED_BY_CALLER, ['validation_failed']);
}

/** Query parameters from a filter object: empty and `false` values are left out. */
export function toParams(query: object): HttpParams {
  let params = new HttpParams();
  for (const [key, value] of Object.entries(query) as [string, unknown][]) {
    if (value === undefined || value === null || value === '' || value === false) continue;
    if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
      params = params.set(key, String(value));
    }
  }
  return params;
}

/** A fresh key for one create; reuse it when retrying the same submission. */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
