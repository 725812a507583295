import type { AgeBand, GenderIdentity, LanguageGroup, RegionOfOrigin, SlkSex } from './cases';

/**
 * People API shapes (docs/design.md §11). Identity values travel only in request and response
 * bodies (never in paths or queries), and only `reveal` ever returns them.
 */

/** Class A identity fields; each is optional. `dateOfBirth` is YYYY-MM-DD. */
export interface PersonIdentityInput {
  readonly givenName?: string;
  readonly familyName?: string;
  readonly alias?: string;
  readonly dateOfBirth?: string;
  readonly sex?: SlkSex;
  readonly phone?: string;
}

/** The identity fields, named as the access log names fields revealed. */
export const IDENTITY_FIELDS = [
  'givenName',
  'familyName',
  'alias',
  'dateOfBirth',
  'sex',
  'phone',
] as const;
export type IdentityField = (typeof IDENTITY_FIELDS)[number];

export interface CreatePersonRequest {
  readonly identity?: PersonIdentityInput;
  readonly ageBand?: AgeBand;
  readonly regionOfOrigin?: RegionOfOrigin;
  readonly languageGroup?: LanguageGroup;
  readonly genderIdentity?: GenderIdentity;
  readonly consentToReporting?: boolean;
  /**
   * Check for likely existing people first (the console always asks, and asks again without it
   * when the worker chose "Create anyway"): when someone already recorded has the same name pair,
   * SLK-581 or phone, the create is refused with 409 `possible_duplicate` naming their codes.
   */
  readonly checkDuplicates?: boolean;
}

export interface UpdatePersonRequest {
  readonly version: number;
  /** Identity fields to set (a field given as `null` is removed). */
  readonly identity?: { readonly [K in keyof PersonIdentityInput]?: PersonIdentityInput[K] | null };
  readonly ageBand?: AgeBand;
  readonly regionOfOrigin?: RegionOfOrigin;
  readonly languageGroup?: LanguageGroup | null;
  readonly genderIdentity?: GenderIdentity | null;
  readonly consentToReporting?: boolean;
}

/** A person as every read returns it: code and categories, never identity. */
export interface PersonView {
  readonly id: string;
  readonly code: string;
  readonly version: number;
  readonly ageBand: AgeBand;
  readonly regionOfOrigin: RegionOfOrigin;
  readonly languageGroup: LanguageGroup | null;
  readonly genderIdentity: GenderIdentity | null;
  readonly consentToReporting: boolean;
  /** Whether identity fields are held (and can be revealed with a purpose). */
  readonly hasIdentity: boolean;
  /** Names of the identity fields held, never their values. */
  readonly identityFields: readonly IdentityField[];
  /** When the person's identity was erased at their request (their keys destroyed). */
  readonly erasedAt: string | null;
  /**
   * Restricted: only the person's key workers and coordinators may reveal their identity or read
   * their notes; everyone else sees the pseudonymous code only.
   */
  readonly restricted: boolean;
  /**
   * Set when this record was merged into another (a duplicate): the surviving person, whose
   * record holds everything this one had. The merged record holds no identity and no key.
   */
  readonly mergedInto?: { readonly id: string; readonly code: string } | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * Why an identity is revealed: a category from a closed list (docs/design.md §7). The category is
 * what the access log records and auditors see; it can never carry a name. Anything more goes in
 * `RevealRequest.detail`, which is encrypted under the person's own key.
 */
export const REVEAL_PURPOSES = [
  'referral',
  'appointment',
  'safety_check',
  'legal_support',
  'court',
  'correction_of_details',
  'other',
] as const;
export type RevealPurpose = (typeof REVEAL_PURPOSES)[number];

export function isRevealPurpose(value: unknown): value is RevealPurpose {
  return typeof value === 'string' && (REVEAL_PURPOSES as readonly string[]).includes(value);
}

export interface RevealRequest {
  /** Why the identity is needed: one of `REVEAL_PURPOSES` (recorded in the access log). */
  readonly purpose: RevealPurpose;
  /**
   * Optional words about the purpose. Stored encrypted under the person's key (so erased with
   * them), never in the access log and never shown to auditors. Must not hold a name.
   */
  readonly detail?: string;
}

export interface RevealResponse {
  readonly identity: PersonIdentityInput;
}

export interface LookupRequest {
  /** Free text in any order: "Srisuk Malai" finds "Malai Srisuk". */
  readonly name?: string;
  readonly alias?: string;
  readonly dateOfBirth?: string;
  readonly sex?: SlkSex;
  readonly phone?: string;
  readonly code?: string;
}

/** `name_similar`: the name is close (a typo, another transliteration or script), not equal. */
export type LookupMatch = 'name' | 'name_similar' | 'alias' | 'slk' | 'phone' | 'code';

export interface LookupCandidate {
  readonly id: string;
  readonly code: string;
  readonly matchedOn: readonly LookupMatch[];
}

export const MAX_LOOKUP_CANDIDATES = 20;
/** The longest `RevealRequest.detail`, in characters. */
export const MAX_REVEAL_DETAIL_LENGTH = 500;
export const MAX_IDENTITY_TEXT_LENGTH = 200;

export interface ErasePersonRequest {
  readonly version: number;
}

/**
 * What an erasure did (docs/design.md §9), for the person or their advocate: counts and field names,
 * never an identity value. The pseudonymous record and its categories stay for statistics.
 */
export interface ErasureReceipt {
  readonly personId: string;
  readonly code: string;
  readonly erasedAt: string;
  readonly identityFieldsRemoved: readonly IdentityField[];
  readonly indexEntriesRemoved: number;
  readonly keysDestroyed: number;
  /** Contact notes that were encrypted under the destroyed key and can no longer be read. */
  readonly notesShredded: number;
  /** The person's open follow-ups the erasure closed as cancelled (their text is unreadable). */
  readonly followUpsCancelled: number;
  /**
   * From this moment no copy Harbour keeps can decrypt the person: the keyring backups taken
   * before the erasure (the only other place their key was) have expired by then.
   */
  readonly backupsClearAt: string;
}

/**
 * A likely existing person found when a new one is recorded (name pair, SLK-581 or phone,
 * each confirmed by decryption): pseudonymous only, never an identity value.
 */
export interface DuplicateCandidate {
  readonly id: string;
  readonly code: string;
  readonly matchedOn: readonly LookupMatch[];
  /** The day of the person's latest contact (YYYY-MM-DD), null when none. */
  readonly lastSeenOn: string | null;
}

/** Which record's value a merge keeps for a field. */
export type MergeSide = 'survivor' | 'absorbed';
export const MERGE_SIDES = ['survivor', 'absorbed'] as const;

/** Categories a merge takes from one record or the other. */
export const MERGE_CATEGORY_FIELDS = [
  'ageBand',
  'regionOfOrigin',
  'languageGroup',
  'genderIdentity',
  'consentToReporting',
] as const;
export type MergeCategoryField = (typeof MERGE_CATEGORY_FIELDS)[number];

/**
 * `POST /api/persons/:survivorId/merge`: the absorbed person's contacts, needs, referrals,
 * consents and notes move to the survivor; each identity field and category is taken from the
 * side named (a field not named keeps the survivor's value, or the absorbed one's when the
 * survivor has none); both versions must be current.
 */
export interface MergePersonsRequest {
  readonly absorbedId: string;
  readonly survivorVersion: number;
  readonly absorbedVersion: number;
  readonly identity?: Readonly<Partial<Record<IdentityField, MergeSide>>>;
  readonly categories?: Readonly<Partial<Record<MergeCategoryField, MergeSide>>>;
}

/** What a merge did: counts and field names, never an identity value. */
export interface MergeReceipt {
  readonly survivor: PersonView;
  readonly absorbedId: string;
  readonly absorbedCode: string;
  readonly mergedAt: string;
  /** Rows moved to the survivor, by table. */
  readonly moved: Readonly<Record<string, number>>;
  /** Sealed values re-encrypted from the absorbed person's key to the survivor's. */
  readonly reencrypted: number;
  /** The absorbed person's keys destroyed (crypto-shredded). */
  readonly keysDestroyed: number;
  readonly identityFields: readonly IdentityField[];
}
