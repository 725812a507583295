import { DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import type {
  CreateContactRequest,
  CreatePersonRequest,
  DuplicateCandidate,
  PersonView,
} from '@harbour/domain';
import { of, switchMap, type Observable } from 'rxjs';
import { CasesApi, newIdempotencyKey } from '../../../core/cases/cases.api';
import type { OutboxSubmission } from '../../../core/device/outbox';
import { appErrorOf, type AppError } from '../../../core/http/app-error';

/** What was saved, for the confirmation (the person's code, and a link when there is one). */
export interface SavedContact {
  readonly personCode: string | null;
  readonly personId: string | null;
}

/** Who a contact is with: nobody (group, anonymous), a returning person, or a new one. */
export type ContactPerson =
  | { readonly kind: 'none' }
  | { readonly kind: 'existing'; readonly person: PersonView }
  | { readonly kind: 'new'; readonly request: CreatePersonRequest };

/**
 * Logging a contact (provided by its page): the returning person it is with, and the save — a
 * new person first, then the contact, each with its own `Idempotency-Key` kept across retries
 * of the same submission, so that the API records each once. A new person created by a
 * submission whose contact then failed is reused on retry.
 */
@Injectable()
export class LogContactStore {
  private readonly api = inject(CasesApi);
  private readonly destroyRef = inject(DestroyRef);

  private readonly existingState = signal<PersonView | null>(null);
  private readonly savingState = signal(false);
  private readonly errorState = signal<AppError | null>(null);
  private readonly savedState = signal<SavedContact | null>(null);
  private readonly refusedState = signal<readonly string[]>([]);
  private readonly duplicatesState = signal<readonly DuplicateCandidate[]>([]);

  /** The returning person the contact is with, when the page was opened for one. */
  readonly existing = this.existingState.asReadonly();
  readonly saving = this.savingState.asReadonly();
  readonly error = this.errorState.asReadonly();
  readonly saved = this.savedState.asReadonly();
  /** The fields the API refused, to mark on the form. */
  readonly refused = this.refusedState.asReadonly();
  /** Likely existing people the API named for the new person: the worker chooses. */
  readonly duplicates = this.duplicatesState.asReadonly();

  private personKey = newIdempotencyKey();
  private contactKey = newIdempotencyKey();
  private createdPerson: PersonView | null = null;
  /** A new person is checked against people already recorded until the worker says otherwise. */
  private checkDuplicates = true;
  private lastSubmission: {
    contact: (personId: string | null) => CreateContactRequest;
    done: () => void;
    person: ContactPerson;
  } | null = null;

  /** Reads the returning person `id`. */
  openFor(id: string): void {
    this.api
      .person(id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (found) => this.existingState.set(found),
        error: (error: unknown) => this.errorState.set(appErrorOf(error)),
      });
  }

  /** Saves the contact with `person`; `done` runs once it is recorded. */
  save(
    person: ContactPerson,
    contact: (personId: string | null) => CreateContactRequest,
    done: () => void,
  ): void {
    if (this.saving()) return;
    this.lastSubmission = { person, contact, done };
    this.savingState.set(true);
    this.errorState.set(null);
    this.refusedState.set([]);
    this.savedState.set(null);
    this.duplicatesState.set([]);
    this.personFor(person)
      .pipe(
        switchMap((found) => this.api.createContact(contact(found?.id ?? null), this.contactKey)),
        takeUntilDestroyed(this.destroyRef),
      )
      .subscribe({
        next: (created) => {
          this.savedState.set({ personCode: created.personCode, personId: created.personId });
          this.existingState.set(null);
          this.createdPerson = null;
          this.checkDuplicates = true;
          this.lastSubmission = null;
          this.personKey = newIdempotencyKey();
          this.contactKey = newIdempotencyKey();
          done();
        },
        error: (error: unknown) => {
          const failure = appErrorOf(error);
          if (failure.code === 'possible_duplicate' && failure.details.candidates !== undefined) {
            // Nothing was recorded: the next attempt (another person, or "create anyway") is new.
            this.personKey = newIdempotencyKey();
            this.duplicatesState.set(failure.details.candidates);
            this.savingState.set(false);
            return;
          }
          this.errorState.set(failure);
          this.refusedState.set((failure.details.fields ?? []).map((field) => field.path));
          this.savingState.set(false);
        },
        complete: () => this.savingState.set(false),
      });
  }

  /** "Create anyway": the same submission, without the duplicate check. */
  createAnyway(): void {
    const last = this.lastSubmission;
    if (last === null) return;
    this.checkDuplicates = false;
    this.save(last.person, last.contact, last.done);
  }

  /** "Use this person": the contact is logged with the person already recorded. */
  useCandidate(candidate: DuplicateCandidate): void {
    const last = this.lastSubmission;
    if (last === null || this.saving()) return;
    this.savingState.set(true);
    this.duplicatesState.set([]);
    this.api
      .person(candidate.id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (found) => {
          this.existingState.set(found);
          this.savingState.set(false);
          this.save({ kind: 'existing', person: found }, last.contact, last.done);
        },
        error: (error: unknown) => {
          this.errorState.set(appErrorOf(error));
          this.savingState.set(false);
        },
      });
  }

  /**
   * This submission, to keep on the device and send later (docs/adr/0012), with the keys of
   * this submission: an attempt that failed without an answer may have been recorded, and the
   * same keys make sure it is recorded once. A person an earlier attempt created is reused.
   */
  deviceSubmission(
    person: ContactPerson,
    contact: (personId: string | null) => CreateContactRequest,
  ): OutboxSubmission {
    const known = person.kind === 'existing' ? person.person.id : (this.createdPerson?.id ?? null);
    const submission: OutboxSubmission = {
      kind: 'contact',
      person:
        person.kind === 'new' && known === null
          ? { request: person.request, key: this.personKey }
          : null,
      contact: contact(person.kind === 'none' ? null : known),
      contactKey: this.contactKey,
    };
    return submission;
  }

  /** The submission is kept on the device: the next one is new. */
  keptOnDevice(): void {
    this.errorState.set(null);
    this.refusedState.set([]);
    this.duplicatesState.set([]);
    this.existingState.set(null);
    this.createdPerson = null;
    this.checkDuplicates = true;
    this.lastSubmission = null;
    this.personKey = newIdempotencyKey();
    this.contactKey = newIdempotencyKey();
  }

  /** The person the contact is with: none, the returning one, or a new one (created first). */
  private personFor(person: ContactPerson): Observable<PersonView | null> {
    if (person.kind === 'none') return of(null);
    if (person.kind === 'existing') return of(person.person);
    if (this.createdPerson !== null) return of(this.createdPerson);
    const request: CreatePersonRequest = this.checkDuplicates
      ? { ...person.request, checkDuplicates: true }
      : person.request;
    return this.api.createPerson(request, this.personKey).pipe(
      switchMap((created) => {
        this.createdPerson = created;
        return of(created);
      }),
    );
  }
}
