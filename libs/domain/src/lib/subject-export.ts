import type { AuditAction } from './audit';
import type { ContactKind } from './contacts';
import type { PersonDisclosureView } from './disclosure-requests';
import type { ConsentMethod, ConsentPurpose } from './referrals';
import type { FollowUpSource, FollowUpStatus } from './follow-ups';
import type {
  AgeBand,
  Circumstance,
  ContactChannel,
  GenderIdentity,
  LanguageGroup,
  LocationType,
  RegionOfOrigin,
} from './cases';
import type { IdentityField } from './persons';
import type { Role } from './roles';

/**
 * A person's own data (subject access): everything the organisation holds about one person, as
 * JSON in the shape below or as a readable HTML file in one of the console's languages.
 * Staff are never named in it: who handled the record appears as roles only.
 */

export const SUBJECT_EXPORT_LANGUAGES = ['en', 'th', 'zh-Hans', 'ko', 'vi'] as const;
export type SubjectExportLanguage = (typeof SUBJECT_EXPORT_LANGUAGES)[number];

export const SUBJECT_EXPORT_FORMATS = ['json', 'html'] as const;
export type SubjectExportFormat = (typeof SUBJECT_EXPORT_FORMATS)[number];

/** Why the export is made (trimmed): long enough to say why, short enough to stay a reason. */
export const MIN_SUBJECT_EXPORT_PURPOSE_LENGTH = 10;
export const MAX_SUBJECT_EXPORT_PURPOSE_LENGTH = 1_000;

/** The version of the JSON shape; a change that removes or renames a field raises it. */
export const SUBJECT_EXPORT_VERSION = 1 as const;

export interface SubjectExportRequest {
  readonly language: SubjectExportLanguage;
  readonly format: SubjectExportFormat;
  /** Why the export is made; sealed under the person's key, never in the access log. */
  readonly purpose: string;
}

/** The language to propose for a person from their language group (the coordinator may change it). */
export function subjectExportLanguageFor(group: LanguageGroup | null): SubjectExportLanguage {
  switch (group) {
    case 'thai':
      return 'th';
    case 'chinese_mandarin':
    case 'chinese_cantonese':
      return 'zh-Hans';
    case 'korean':
      return 'ko';
    case 'vietnamese':
      return 'vi';
    default:
      return 'en';
  }
}

export function isSubjectExportLanguage(value: unknown): value is SubjectExportLanguage {
  return (
    typeof value === 'string' && (SUBJECT_EXPORT_LANGUAGES as readonly string[]).includes(value)
  );
}

/**
 * The receipt of an erasure, as it can be downloaded afterwards: what was removed (field names
 * and counts, never a value). Counts are null for a person erased before Harbour kept receipts.
 */
export interface ErasureReceiptRecord {
  readonly personId: string;
  readonly code: string;
  readonly erasedAt: string;
  readonly identityFieldsRemoved: readonly IdentityField[] | null;
  readonly indexEntriesRemoved: number | null;
  readonly keysDestroyed: number | null;
  readonly notesShredded: number | null;
  /** Open follow-ups the erasure cancelled; null on receipts kept before they were counted. */
  readonly followUpsCancelled: number | null;
  readonly backupsClearAt: string;
}

export interface SubjectContactAmendment {
  readonly id: string;
  readonly createdAt: string;
  readonly fields: readonly string[];
  readonly reason: string | null;
  /** The corrected notes this amendment holds (null: withdrawn, or not a notes correction). */
  readonly notes: string | null;
}

export interface SubjectContact {
  readonly id: string;
  readonly kind: ContactKind;
  readonly occurredOn: string;
  readonly channel: ContactChannel;
  readonly locationType: LocationType;
  readonly languageGroup: LanguageGroup | null;
  readonly interpreterUsed: boolean;
  readonly peerLed: boolean;
  readonly circumstances: readonly Circumstance[];
  /** The notes as first written (later corrections are in `amendments`). */
  readonly notes: string | null;
  readonly createdAt: string;
  /** Oldest first. */
  readonly amendments: readonly SubjectContactAmendment[];
}

export interface SubjectNeed {
  readonly id: string;
  readonly contactId: string | null;
  readonly category: string;
  readonly priority: string;
  readonly status: string;
  readonly identifiedOn: string;
  readonly closedOn: string | null;
}

export interface SubjectReferralStep {
  readonly from: string | null;
  readonly to: string;
  readonly at: string;
}

export interface SubjectReferral {
  readonly id: string;
  readonly needId: string;
  readonly partnerName: string;
  readonly status: string;
  readonly consentMethod: string | null;
  readonly consentScope: readonly string[];
  readonly consentAt: string | null;
  /** Why a coordinator sent it without recorded consent (null: not overridden). */
  readonly overrideReason: string | null;
  readonly closedAt: string | null;
  readonly createdAt: string;
  /** Oldest first. */
  readonly steps: readonly SubjectReferralStep[];
}

export interface SubjectConsent {
  readonly id: string;
  readonly purpose: ConsentPurpose;
  readonly method: ConsentMethod;
  readonly givenAt: string;
  readonly revokedAt: string | null;
}

export interface SubjectFollowUp {
  readonly id: string;
  readonly needId: string | null;
  readonly referralId: string | null;
  readonly source: FollowUpSource;
  readonly text: string | null;
  readonly dueOn: string;
  readonly status: FollowUpStatus;
  readonly completedAt: string | null;
  readonly createdAt: string;
}

export interface SubjectCheckIn {
  readonly id: string;
  readonly checkedOn: string;
  /** 1 (worst) … 5 (best); null: not discussed. */
  readonly safety: number | null;
  readonly legalStatus: number | null;
  readonly healthWellbeing: number | null;
  readonly workMoney: number | null;
  readonly housing: number | null;
  readonly socialSupport: number | null;
  readonly createdAt: string;
}

/** A key worker, as the roles they hold (never their name or id). */
export interface SubjectKeyWorker {
  readonly roles: readonly Role[];
  readonly assignedAt: string;
}

/** One access to the person's record: what was done, by which role(s), on which day. */
export interface SubjectAccess {
  readonly on: string;
  readonly action: AuditAction;
  readonly roles: readonly Role[];
  readonly outcome: string;
}

interface SubjectExportHeader {
  readonly format: 'harbour.subject-export';
  readonly version: typeof SUBJECT_EXPORT_VERSION;
  readonly generatedAt: string;
  readonly language: SubjectExportLanguage;
  readonly personId: string;
  readonly code: string;
}

/** Everything held about a person who has not been erased. */
export interface SubjectExportFull extends SubjectExportHeader {
  readonly erased: false;
  readonly person: {
    readonly createdAt: string;
    readonly restricted: boolean;
    readonly ageBand: AgeBand;
    readonly regionOfOrigin: RegionOfOrigin;
    readonly languageGroup: LanguageGroup | null;
    readonly genderIdentity: GenderIdentity | null;
    readonly consentToReporting: boolean;
  };
  /** Decrypted identity fields held (absent fields are not held). */
  readonly identity: Partial<Record<IdentityField, string>>;
  readonly consents: readonly SubjectConsent[];
  readonly contacts: readonly SubjectContact[];
  readonly needs: readonly SubjectNeed[];
  readonly referrals: readonly SubjectReferral[];
  readonly followUps: readonly SubjectFollowUp[];
  readonly outcomeCheckIns: readonly SubjectCheckIn[];
  readonly keyWorkers: readonly SubjectKeyWorker[];
  /** Requests from outside (police, immigration, court) that named the person, newest first. */
  readonly disclosures: readonly PersonDisclosureView[];
  readonly accessHistory: readonly SubjectAccess[];
}

/** An erased person: nothing but the receipt of the erasure. */
export interface SubjectExportErased extends SubjectExportHeader {
  readonly erased: true;
  readonly erasure: ErasureReceiptRecord;
}

export type SubjectExport = SubjectExportFull | SubjectExportErased;

/** The sections of a full export, named in the access event (never their values). */
export const SUBJECT_EXPORT_SECTIONS = [
  'person',
  'identity',
  'consents',
  'contacts',
  'needs',
  'referrals',
  'followUps',
  'outcomeCheckIns',
  'keyWorkers',
  'disclosures',
  'accessHistory',
] as const;
export type SubjectExportSection = (typeof SUBJECT_EXPORT_SECTIONS)[number];
