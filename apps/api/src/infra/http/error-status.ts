import type { ErrorCode } from '@harbour/domain';

/** HTTP status for each error code. Exhaustive: a new code does not compile until mapped. */
export function statusForCode(code: ErrorCode): number {
  switch (code) {
    case 'validation_failed':
    case 'malformed_json':
    case 'password_rejected':
      return 400;
    case 'unauthenticated':
    case 'invalid_credentials':
    case 'invalid_code':
    case 'mfa_required':
    case 'mfa_enrolment_required':
      return 401;
    case 'step_up_required':
    case 'forbidden':
    case 'csrf_rejected':
    case 'password_change_required':
    case 'lockdown_active':
    case 'own_role_change':
    case 'second_admin_required':
    case 'person_restricted':
    case 'disclosure_self_approval':
      return 403;
    case 'not_found':
      return 404;
    case 'version_conflict':
    case 'conflict':
    case 'email_taken':
    case 'last_admin':
    case 'approval_expired':
    case 'invalid_transition':
    case 'contact_not_amendable':
    case 'partner_inactive':
    case 'follow_up_closed':
    case 'possible_duplicate':
    case 'person_erased':
    case 'disclosure_already_approved':
    case 'disclosure_status':
      return 409;
    case 'person_merged':
      return 410;
    case 'payload_too_large':
      return 413;
    case 'unsupported_media_type':
      return 415;
    case 'consent_required':
    case 'due_date_in_past':
    case 'assignee_not_eligible':
    case 'not_a_case_worker':
    case 'merge_same_person':
    case 'disclosure_unknown_person':
    case 'retention_period_invalid':
    case 'language_unsupported':
      return 422;
    case 'rate_limited':
    case 'account_locked':
      return 429;
    case 'internal_error':
      return 500;
    case 'service_unavailable':
      return 503;
  }
}
