import type { DuplicateCandidate } from './persons';
/**
 * Stable error codes shared by the API (which produces them) and the console (which translates
 * them). A code never changes meaning once released; new situations get new codes.
 */
export const ERROR_CODES = [
  'validation_failed',
  'malformed_json',
  'unsupported_media_type',
  'payload_too_large',
  'not_found',
  'unauthenticated',
  'invalid_credentials',
  'invalid_code',
  'account_locked',
  'password_rejected',
  'mfa_required',
  'mfa_enrolment_required',
  'password_change_required',
  'step_up_required',
  'forbidden',
  'csrf_rejected',
  'version_conflict',
  'consent_required',
  'invalid_transition',
  'contact_not_amendable',
  'partner_inactive',
  'follow_up_closed',
  'due_date_in_past',
  'assignee_not_eligible',
  'conflict',
  'email_taken',
  'last_admin',
  'own_role_change',
  'second_admin_required',
  'approval_expired',
  'lockdown_active',
  'person_restricted',
  'not_a_case_worker',
  'possible_duplicate',
  'merge_same_person',
  'retention_period_invalid',
  'language_unsupported',
  'person_merged',
  'person_erased',
  'disclosure_self_approval',
  'disclosure_already_approved',
  'disclosure_status',
  'disclosure_unknown_person',
  'rate_limited',
  'service_unavailable',
  'internal_error',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

/** The body of every error response the API sends. */
export interface ApiErrorBody {
  readonly code: ErrorCode;
  readonly message: string;
  readonly correlationId: string;
  /** For `validation_failed` and `password_rejected`: which fields failed and why, never their values. */
  readonly fields?: readonly FieldError[];
  /**
   * For `possible_duplicate`: the likely existing people (pseudonymous codes, how they matched,
   * when last seen), never an identity value.
   */
  readonly candidates?: readonly DuplicateCandidate[];
}

export interface FieldError {
  /** Dotted path of the offending property, e.g. `identity.givenName` or `people.2.identity.dateOfBirth`. */
  readonly path: string;
  /** Machine-readable reason, e.g. `isString`, `whitelist`, `maxLength`. */
  readonly reason: string;
  /**
   * The bounds of the failed rule, when it has any, from the same constants the rule uses: so
   * that a message can say what to do ("at least 10 characters", "a date between … and …").
   * Never a value from the request.
   */
  readonly limits?: FieldLimits;
}

/** The bounds a field error can carry (each only when the failed rule has it). */
export interface FieldLimits {
  /** Fewest characters (`minLength`) or list entries (`arrayMinSize`). */
  readonly minLength?: number;
  /** Most characters (`maxLength`) or list entries (`arrayMaxSize`). */
  readonly maxLength?: number;
  /** Smallest number (`min`). */
  readonly min?: number;
  /** Largest number (`max`, `int32`). */
  readonly max?: number;
  /** Earliest calendar day `YYYY-MM-DD` (`isDate`, date range rules). */
  readonly earliest?: string;
  /** Latest calendar day `YYYY-MM-DD` (`notInFuture`, date range rules). */
  readonly latest?: string;
}

/** The names of `FieldLimits`, in the order they are documented. */
export const FIELD_LIMIT_NAMES = [
  'minLength',
  'maxLength',
  'min',
  'max',
  'earliest',
  'latest',
] as const satisfies readonly (keyof FieldLimits)[];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
