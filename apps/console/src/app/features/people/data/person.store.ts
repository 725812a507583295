import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type {
  ContactView,
  ErasureReceipt,
  NeedStatus,
  NeedView,
  PartnerView,
  PersonIdentityInput,
  PersonView,
  ReferralView,
  RevealRequest,
} from '@harbour/domain';
import {
  catchError,
  defer,
  EMPTY,
  forkJoin,
  of,
  switchMap,
  tap,
  throwError,
  type Observable,
} from 'rxjs';
import { StepUpService } from '../../../core/auth/step-up.service';
import { appErrorOf, type AppError } from '../../../core/http/app-error';
import { ScreenPrivacy } from '../../../core/safety/screen-privacy';
import type { ReferDialogResult } from '../components/refer-dialog';
import type { TransitionDialogResult } from '../components/transition-dialog';
import { CasesApi, newIdempotencyKey } from '../../../core/cases/cases.api';
import { buildTimeline } from './timeline';

/** Contacts shown on a person's page (the API's page size limit). */
const CONTACTS_SHOWN = 200;

/**
 * One person's page (provided by the page, so it lives and dies with it): the person, their
 * contacts with needs, referrals and the partner directory, the identity while it is revealed
 * (in memory only, dropped when the page goes), and the changes staff make there. Every request
 * ends with the page; nothing is reloaded after it is gone.
 */
@Injectable()
export class PersonStore {
  private readonly api = inject(CasesApi);
  private readonly stepUp = inject(StepUpService);
  private readonly destroyRef = inject(DestroyRef);
  private destroyed = false;
  private id: string | null = null;

  private readonly personState = signal<PersonView | null>(null);
  private readonly contactsState = signal<readonly ContactView[]>([]);
  private readonly referralsState = signal<readonly ReferralView[]>([]);
  private readonly partnersState = signal<readonly PartnerView[]>([]);
  private readonly loadingState = signal(false);
  private readonly errorState = signal<AppError | null>(null);
  private readonly noticeState = signal<string | null>(null);
  private readonly identityState = signal<PersonIdentityInput | null>(null);
  private readonly busyState = signal(false);
  private readonly receiptState = signal<ErasureReceipt | null>(null);
  private readonly notesState = signal<Readonly<Record<string, string | null>>>({});

  readonly person = this.personState.asReadonly();
  readonly contacts = this.contactsState.asReadonly();
  readonly referrals = this.referralsState.asReadonly();
  readonly partners = this.partnersState.asReadonly();
  readonly loading = this.loadingState.asReadonly();
  readonly error = this.errorState.asReadonly();
  /** A translation key saying what just happened (done, or a conflict that reloaded). */
  readonly notice = this.noticeState.asReadonly();
  /** The revealed identity: this page's memory only. */
  readonly identity = this.identityState.asReadonly();
  readonly busy = this.busyState.asReadonly();
  readonly receipt = this.receiptState.asReadonly();
  /** Notes read on this page, by contact id (null: none can be read any more). Memory only. */
  readonly notes = this.notesState.asReadonly();
  readonly timeline = computed(() => buildTimeline(this.contacts(), this.referrals()));
  readonly partnerNames = computed(
    () => new Map(this.partners().map((partner) => [partner.id, partner.name])),
  );

  constructor() {
    this.destroyRef.onDestroy(() => {
      this.destroyed = true;
      this.identityState.set(null);
      this.notesState.set({});
    });
    // Away from the tab for a while: what was revealed is hidden again (docs/security.md).
    inject(ScreenPrivacy).onHidden(() => {
      this.identityState.set(null);
      this.notesState.set({});
    }, this.destroyRef);
  }

  /** Shows the person `id`. */
  open(id: string): void {
    this.id = id;
    this.load();
  }

  /** Reads the person and everything on their page again. */
  load(): void {
    const id = this.id;
    if (id === null || this.destroyed) return;
    this.loadingState.set(true);
    this.errorState.set(null);
    forkJoin({
      person: this.api.person(id),
      contacts: this.api.contacts({ person: id, limit: CONTACTS_SHOWN }),
      referrals: this.api.referrals({ person: id }),
      // Inactive partners too: referrals they already have keep their name.
      partners: this.api.partners({ includeInactive: true }),
    })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: ({ person, contacts, referrals, partners }) => {
          this.personState.set(person);
          this.contactsState.set(contacts.items);
          this.referralsState.set(referrals);
          this.partnersState.set(partners);
        },
        error: (error: unknown) => {
          this.errorState.set(appErrorOf(error));
          this.loadingState.set(false);
        },
        complete: () => this.loadingState.set(false),
      });
  }

  /** The reporting flag follows an aggregate-reporting consent: show the person as it is now. */
  reloadPerson(): void {
    if (this.id === null) return;
    this.api
      .person(this.id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (person) => this.personState.set(person),
        error: (error: unknown) => this.errorState.set(appErrorOf(error)),
      });
  }

  clearNotice(): void {
    this.noticeState.set(null);
  }

  /**
   * Reveals the identity for `request`; the caller (the reveal dialog) subscribes and shows a
   * refusal itself, next to the field it concerns.
   */
  revealing(request: RevealRequest): Observable<unknown> {
    if (this.id === null) return EMPTY;
    return this.api
      .reveal(this.id, request)
      .pipe(tap((response) => this.identityState.set(response.identity)));
  }

  hideIdentity(): void {
    this.identityState.set(null);
  }

  /** Reads one contact's notes (the server logs the read); kept only while the page is open. */
  readNote(contactId: string): void {
    this.api
      .contact(contactId)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (detail) => this.notesState.update((n) => ({ ...n, [contactId]: detail.notes })),
        error: (error: unknown) => this.errorState.set(appErrorOf(error)),
      });
  }

  hideNote(contactId: string): void {
    this.notesState.update((n) => {
      const rest = { ...n };
      delete rest[contactId];
      return rest;
    });
  }

  /** Erasure at the person's request (already confirmed with their code), with step-up. */
  erase(): void {
    const person = this.person();
    if (person === null || this.busy()) return;
    this.busyState.set(true);
    this.stepUp
      .run((context) => this.api.erase(person.id, person.version, context), { required: true })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (receipt) => {
          this.identityState.set(null);
          this.receiptState.set(receipt);
        },
        error: (error: unknown) => this.failed(error),
        complete: () => this.settled(),
      });
  }

  changeNeed(need: NeedView, status: NeedStatus): void {
    this.run(
      this.api.updateNeed(need.id, { version: need.version, status }),
      'cases.person.needUpdated',
    );
  }

  /**
   * A referral for `need`, and its consent when one was given in the same step, for the dialog
   * to send: a refusal of the referral goes back to it (to mark the field). Once the referral
   * exists, a refused consent is the page's to show (the draft stays; sending again would
   * make a second referral).
   */
  referring(need: NeedView, result: ReferDialogResult): Observable<unknown> {
    const consent = result.consent;
    return defer(() => {
      this.clearNotice();
      this.errorState.set(null);
      return this.api.createReferral(
        { needId: need.id, partnerId: result.partnerId },
        newIdempotencyKey(),
      );
    }).pipe(
      switchMap((referral) =>
        consent === undefined
          ? of(referral)
          : this.api
              .transition(referral.id, { version: referral.version, to: 'consented', consent })
              .pipe(
                catchError((error: unknown) => {
                  this.failed(error);
                  return EMPTY;
                }),
              ),
      ),
      tap(() => this.changed('cases.person.referralCreated')),
    );
  }

  /**
   * A referral moved on, for the dialog to send: a refusal goes back to it, except a version
   * conflict, which closes it and reloads the page (the referral changed meanwhile).
   */
  movingReferral(referral: ReferralView, result: TransitionDialogResult): Observable<unknown> {
    return defer(() => {
      this.clearNotice();
      this.errorState.set(null);
      return this.api.transition(referral.id, { ...result, version: referral.version });
    }).pipe(
      tap(() => this.changed('cases.person.referralMoved')),
      catchError((error: unknown) => {
        if (appErrorOf(error).code !== 'version_conflict') return throwError(() => error);
        this.failed(error);
        return EMPTY;
      }),
    );
  }

  private changed(doneKey: string): void {
    this.noticeState.set(doneKey);
    this.load();
  }

  /** One change, then a reload of the page's records (a conflict also reloads, and says so). */
  private run(change: Observable<unknown>, doneKey: string): void {
    if (this.busy()) return;
    this.busyState.set(true);
    this.noticeState.set(null);
    this.errorState.set(null);
    change.pipe(takeUntilDestroyed(this.destroyRef)).subscribe({
      next: () => this.noticeState.set(doneKey),
      error: (error: unknown) => this.failed(error),
      complete: () => this.settled(),
    });
  }

  private failed(error: unknown): void {
    const failure = appErrorOf(error);
    if (failure.code === 'version_conflict') this.noticeState.set('cases.person.conflict');
    else this.errorState.set(failure);
    this.settled();
  }

  private settled(): void {
    this.busyState.set(false);
    this.load();
  }
}
