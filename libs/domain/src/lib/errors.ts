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
  /** Dotted path of the offending property, e.g. `identity.givenName`. */
  readonly path: string;
  /** Machine-readable reason, e.g. `isString`, `whitelist`, `maxLength`. */
  readonly reason: string;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
