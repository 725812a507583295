import { computed, DestroyRef, inject, Injectable, signal } from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import {
  IDENTITY_FIELDS,
  MERGE_CATEGORY_FIELDS,
  type IdentityField,
  type MergeCategoryField,
  type MergePersonsRequest,
  type MergeReceipt,
  type MergeSide,
  type PersonIdentityInput,
  type PersonView,
  type RevealRequest,
} from '@harbour/domain';
import { EMPTY, forkJoin, map, tap, type Observable } from 'rxjs';
import { StepUpService } from '../../../core/auth/step-up.service';
import { CasesApi } from '../../../core/cases/cases.api';
import { appErrorOf, type AppError } from '../../../core/http/app-error';

/** One of the two records on the merge page, with what it holds. */
export interface MergeSideView {
  readonly person: PersonView;
  readonly contacts: number;
  readonly referrals: number;
  /** Revealed identity (memory only, after an audited reveal), or null while hidden. */
  readonly identity: PersonIdentityInput | null;
}

export type IdentityChoice = Partial<Record<IdentityField, MergeSide>>;
export type CategoryChoice = Partial<Record<MergeCategoryField, MergeSide>>;

/** How many contacts the page counts at most (a merge moves all of them anyway). */
export const CONTACTS_COUNTED = 200;

/**
 * The merge request from the two records and the choices made: only fields whose values
 * differ are sent (where they agree, or one side has none, the API's rule keeps a value).
 */
export function mergeRequest(
  survivor: MergeSideView,
  absorbed: MergeSideView,
  identity: IdentityChoice,
  categories: CategoryChoice,
): MergePersonsRequest {
  const chosenIdentity: IdentityChoice = {};
  for (const field of IDENTITY_FIELDS) {
    const side = identity[field];
    if (side !== undefined) chosenIdentity[field] = side;
  }
  const chosenCategories: CategoryChoice = {};
  for (const field of MERGE_CATEGORY_FIELDS) {
    const side = categories[field];
    if (side !== undefined && survivor.person[field] !== absorbed.person[field])
      chosenCategories[field] = side;
  }
  return {
    absorbedId: absorbed.person.id,
    survivorVersion: survivor.person.version,
    absorbedVersion: absorbed.person.version,
    ...(Object.keys(chosenIdentity).length > 0 ? { identity: chosenIdentity } : {}),
    ...(Object.keys(chosenCategories).length > 0 ? { categories: chosenCategories } : {}),
  };
}

/**
 * The merge page's state (provided by the page): the two records side by side, identities
 * revealed only on request (each an access event with its purpose), the choices, and the merge
 * itself behind a fresh step-up. Nothing is kept beyond the page.
 */
@Injectable()
export class MergeStore {
  private readonly api = inject(CasesApi);
  private readonly stepUp = inject(StepUpService);
  private readonly destroyRef = inject(DestroyRef);

  private readonly survivorState = signal<MergeSideView | null>(null);
  private readonly absorbedState = signal<MergeSideView | null>(null);
  private readonly errorState = signal<AppError | null>(null);
  private readonly busyState = signal(false);
  private readonly notFoundState = signal(false);
  private readonly receiptState = signal<MergeReceipt | null>(null);
  private readonly identityChoice = signal<IdentityChoice>({});
  private readonly categoryChoice = signal<CategoryChoice>({});

  readonly survivor = this.survivorState.asReadonly();
  readonly absorbed = this.absorbedState.asReadonly();
  readonly error = this.errorState.asReadonly();
  readonly busy = this.busyState.asReadonly();
  readonly notFound = this.notFoundState.asReadonly();
  readonly receipt = this.receiptState.asReadonly();
  readonly identity = this.identityChoice.asReadonly();
  readonly categories = this.categoryChoice.asReadonly();
  readonly ready = computed(() => this.survivor() !== null && this.absorbed() !== null);

  /** Opens the page for records `a` (kept) and `b` (merged into it), when given. */
  open(a: string | undefined, b: string | undefined): void {
    if (a !== undefined && a !== '') this.load(a, (side) => this.survivorState.set(side));
    if (b !== undefined && b !== '') this.load(b, (side) => this.absorbedState.set(side));
  }

  /** Finds the other record by its printed code (a lookup by code, like the find page). */
  findOther(code: string): void {
    this.notFoundState.set(false);
    this.api
      .lookup({ code })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (found) => {
          const other = found.find((c) => c.matchedOn.includes('code'));
          if (other === undefined) this.notFoundState.set(true);
          else this.load(other.id, (side) => this.absorbedState.set(side));
        },
        error: (error: unknown) => this.errorState.set(appErrorOf(error)),
      });
  }

  swap(): void {
    const survivor = this.survivor();
    this.survivorState.set(this.absorbed());
    this.absorbedState.set(survivor);
    const flip = (side: MergeSide): MergeSide => (side === 'survivor' ? 'absorbed' : 'survivor');
    this.identityChoice.update((c) => mapValues(c, flip));
    this.categoryChoice.update((c) => mapValues(c, flip));
  }

  chooseIdentity(field: IdentityField, side: MergeSide): void {
    this.identityChoice.update((c) => ({ ...c, [field]: side }));
  }

  chooseCategory(field: MergeCategoryField, side: MergeSide): void {
    this.categoryChoice.update((c) => ({ ...c, [field]: side }));
  }

  /**
   * Reveals both identities for `request` (two reveals, two access events); the caller (the
   * reveal dialog) subscribes and shows a refusal itself.
   */
  revealingBoth(request: RevealRequest): Observable<unknown> {
    const survivor = this.survivor();
    const absorbed = this.absorbed();
    if (survivor === null || absorbed === null) return EMPTY;
    return forkJoin([
      this.api.reveal(survivor.person.id, request),
      this.api.reveal(absorbed.person.id, request),
    ]).pipe(
      tap(([kept, gone]) => {
        this.survivorState.update((s) => (s === null ? s : { ...s, identity: kept.identity }));
        this.absorbedState.update((s) => (s === null ? s : { ...s, identity: gone.identity }));
      }),
    );
  }

  /** Merges after a fresh step-up; `done` gets the receipt (the page then opens the survivor). */
  merge(done: (receipt: MergeReceipt) => void): void {
    const survivor = this.survivor();
    const absorbed = this.absorbed();
    if (survivor === null || absorbed === null || this.busy()) return;
    const body = mergeRequest(survivor, absorbed, this.identity(), this.categories());
    this.busyState.set(true);
    this.errorState.set(null);
    this.stepUp
      .run((context) => this.api.merge(survivor.person.id, body, context), { required: true })
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: (receipt) => {
          this.receiptState.set(receipt);
          // Revealed values are not kept once the merge is done.
          this.survivorState.set(null);
          this.absorbedState.set(null);
          done(receipt);
        },
        error: (error: unknown) => {
          this.errorState.set(appErrorOf(error));
          this.busyState.set(false);
        },
        complete: () => this.busyState.set(false),
      });
  }

  private load(id: string, set: (side: MergeSideView) => void): void {
    this.side(id)
      .pipe(takeUntilDestroyed(this.destroyRef))
      .subscribe({
        next: set,
        error: (error: unknown) => this.errorState.set(appErrorOf(error)),
      });
  }

  private side(id: string): Observable<MergeSideView> {
    return forkJoin({
      person: this.api.person(id),
      contacts: this.api.contacts({ person: id, limit: CONTACTS_COUNTED }),
      referrals: this.api.referrals({ person: id }),
    }).pipe(
      map(({ person, contacts, referrals }) => ({
        person,
        contacts: contacts.items.length,
        referrals: referrals.length,
        identity: null,
      })),
    );
  }
}

function mapValues<K extends string>(
  choice: Partial<Record<K, MergeSide>>,
  fn: (side: MergeSide) => MergeSide,
): Partial<Record<K, MergeSide>> {
  const out: Partial<Record<K, MergeSide>> = {};
  for (const [key, side] of Object.entries(choice) as [K, MergeSide][]) out[key] = fn(side);
  return out;
}
