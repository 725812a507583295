import type { AgeBand, GenderIdentity, LanguageGroup, RegionOfOrigin } from './cases';
import type { Role } from './roles';

/**
 * Key workers (issue 17): the staff members with a case role who hold a person's case. A
 * restricted person's identity and notes are readable only by their key workers and by
 * coordinators; everyone else sees the pseudonymous code only.
 */

/** The most people one page of "my people" holds. */
export const MAX_KEY_WORKER_PAGE = 100;

/** A staff member with a case role, as colleagues see them: a name, never an e-mail. */
export interface CaseStaffView {
  readonly id: string;
  readonly displayName: string;
  readonly roles: readonly Role[];
  /** Disabled staff are listed too (their people can be handed over), never chosen. */
  readonly active: boolean;
}

export interface KeyWorkerView {
  readonly staffId: string;
  readonly displayName: string;
  readonly assignedAt: string;
}

/** A person's key workers, the restriction, and what the caller may do with them. */
export interface PersonKeyWorkers {
  readonly personId: string;
  readonly restricted: boolean;
  readonly keyWorkers: readonly KeyWorkerView[];
  /** Whether the caller is one of the key workers. */
  readonly youAreKeyWorker: boolean;
  /** Whether the caller may reveal the identity and read the notes (false only when restricted). */
  readonly mayReadProtected: boolean;
  /** Whether the caller may add or remove any key worker and set the restriction (coordinators). */
  readonly mayManage: boolean;
}

export interface AssignKeyWorkerRequest {
  readonly staffId: string;
}

export interface SetRestrictionRequest {
  readonly restricted: boolean;
  readonly version: number;
}

/** One of a key worker's people: the pseudonymous code and categories, never identity. */
export interface KeyWorkerPersonView {
  readonly personId: string;
  readonly code: string;
  readonly ageBand: AgeBand;
  readonly regionOfOrigin: RegionOfOrigin;
  readonly languageGroup: LanguageGroup | null;
  readonly genderIdentity: GenderIdentity | null;
  readonly restricted: boolean;
  readonly assignedAt: string;
  /** The date of the person's latest contact, or null. */
  readonly lastContactOn: string | null;
  /** Support needs identified or in progress. */
  readonly openNeeds: number;
}

export interface KeyWorkerPeopleQuery {
  readonly cursor?: string;
  readonly limit?: number;
}

export interface KeyWorkerPeoplePage {
  readonly items: readonly KeyWorkerPersonView[];
  readonly nextCursor: string | null;
}

/** Some (`personIds`) or all of one key worker's people handed to another (coordinators). */
export interface HandOverRequest {
  readonly fromStaffId: string;
  readonly toStaffId: string;
  readonly personIds?: readonly string[];
}

export interface HandOverReceipt {
  readonly id: string;
  readonly fromStaffId: string;
  readonly toStaffId: string;
  readonly personIds: readonly string[];
  readonly count: number;
  readonly handedAt: string;
}
