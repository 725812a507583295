import type { PersonIdentityInput } from './persons';
import type {
  AgeBand,
  Circumstance,
  GenderIdentity,
  RegionOfOrigin,
  ContactChannel,
  LanguageGroup,
  LocationType,
  NeedCategory,
  NeedPriority,
  NeedStatus,
} from './cases';

/**
 * Contacts and support needs API shapes (docs/design.md §3, §11). A contact is individual (zero or
 * one person) or a group of anonymous people counted by headcount (an outreach visit, a
 * post-raid intake). Notes are class B: encrypted, returned only when one contact is opened.
 */

export const CONTACT_KINDS = ['individual', 'group'] as const;
export type ContactKind = (typeof CONTACT_KINDS)[number];

export const MAX_NOTES_LENGTH = 4_000;
export const MAX_NEEDS_PER_CONTACT = 15;

export interface NewNeed {
  readonly category: NeedCategory;
  readonly priority?: NeedPriority;
}

export interface CreateContactRequest {
  readonly kind?: ContactKind;
  readonly personId?: string;
  /** Group contacts: how many people (2 or more). */
  readonly headcount?: number;
  /** YYYY-MM-DD, not in the future. */
  readonly occurredOn: string;
  readonly channel: ContactChannel;
  readonly locationType: LocationType;
  readonly languageGroup?: LanguageGroup;
  readonly interpreterUsed?: boolean;
  readonly peerLed?: boolean;
  readonly circumstances?: readonly Circumstance[];
  readonly notes?: string;
  readonly needs?: readonly NewNeed[];
}

export interface NeedView {
  readonly id: string;
  readonly personId: string | null;
  readonly contactId: string | null;
  readonly category: NeedCategory;
  readonly priority: NeedPriority;
  readonly status: NeedStatus;
  readonly identifiedOn: string;
  readonly closedOn: string | null;
  readonly version: number;
}

export interface ContactView {
  readonly id: string;
  readonly kind: ContactKind;
  readonly personId: string | null;
  readonly personCode: string | null;
  readonly headcount: number;
  readonly occurredOn: string;
  readonly channel: ContactChannel;
  readonly locationType: LocationType;
  readonly languageGroup: LanguageGroup | null;
  readonly interpreterUsed: boolean;
  readonly peerLed: boolean;
  readonly circumstances: readonly Circumstance[];
  readonly hasNotes: boolean;
  readonly caseworkerId: string;
  readonly createdAt: string;
  readonly needs: readonly NeedView[];
  /** Whether an amendment corrected this contact (its values shown are the corrected ones). */
  readonly amended: boolean;
}

/** One contact opened on its own: with its notes (as last corrected) and its amendments. */
export interface ContactDetail extends ContactView {
  readonly notes: string | null;
  /** Oldest first. */
  readonly amendments: readonly ContactAmendmentView[];
}

// ---- amendments -----------------------------------------------------------------------------

/**
 * What an amendment may correct. Notes only: the class C columns (day, channel, place,
 * circumstances) feed the reports and their disclosure control straight from the contact row,
 * so a correction kept beside the row would make reports and the person's page disagree; needs
 * are rows of their own (added, moved on and closed directly).
 */
export const AMENDABLE_CONTACT_FIELDS = ['notes'] as const;
export type AmendableContactField = (typeof AMENDABLE_CONTACT_FIELDS)[number];

/** A reason long enough to say why (trimmed), and short enough to stay a reason. */
export const MIN_AMENDMENT_REASON_LENGTH = 10;
export const MAX_AMENDMENT_REASON_LENGTH = 1_000;

/**
 * A correction of a contact, appended (the contact itself is never rewritten). `notes`: the
 * corrected notes, or null to withdraw them (they were written on the wrong contact).
 */
export interface AmendContactRequest {
  readonly reason: string;
  readonly notes: string | null;
}

export interface ContactAmendmentView {
  readonly id: string;
  readonly createdBy: string;
  readonly createdAt: string;
  readonly fields: readonly AmendableContactField[];
  /** Null when it can no longer be read (the person was erased). */
  readonly reason: string | null;
}

export interface ContactQuery {
  readonly from?: string;
  readonly to?: string;
  readonly channel?: ContactChannel;
  readonly circumstance?: Circumstance;
  readonly caseworker?: string;
  readonly person?: string;
  readonly cursor?: string;
  readonly limit?: number;
}

export interface ContactPage {
  readonly items: readonly ContactView[];
  /** Pass back as `cursor` for the next page; null on the last one. */
  readonly nextCursor: string | null;
}

/** A person's needs (`GET /api/needs?person=`): those noted outside a contact. */
export interface NeedQuery {
  readonly person: string;
}

export interface CreateNeedRequest {
  readonly personId?: string;
  readonly contactId?: string;
  readonly category: NeedCategory;
  readonly priority?: NeedPriority;
}

export interface UpdateNeedRequest {
  readonly version: number;
  readonly status?: NeedStatus;
  readonly priority?: NeedPriority;
}

// ---- post-raid intake -----------------------------------------------------------------------

export const MAX_INTAKE_PEOPLE = 200;

/** One person of a bulk intake: a person record and their individual contact. */
export interface IntakePerson {
  readonly identity?: PersonIdentityInput;
  readonly ageBand?: AgeBand;
  readonly regionOfOrigin?: RegionOfOrigin;
  readonly languageGroup?: LanguageGroup;
  readonly genderIdentity?: GenderIdentity;
  readonly notes?: string;
  readonly needs?: readonly NewNeed[];
}

/** Many people met at one event (a raid, an outreach night), recorded all or nothing. */
export interface BulkIntakeRequest {
  readonly event: {
    readonly occurredOn: string;
    readonly channel: ContactChannel;
    readonly locationType: LocationType;
    readonly circumstances?: readonly Circumstance[];
    readonly interpreterUsed?: boolean;
    readonly peerLed?: boolean;
  };
  readonly people: readonly IntakePerson[];
}

export interface BulkIntakeResponse {
  readonly people: readonly {
    readonly personId: string;
    readonly code: string;
    readonly contactId: string;
  }[];
}
