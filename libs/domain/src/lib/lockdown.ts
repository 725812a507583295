/**
 * What an organisation's lockdown promises (docs/design.md §6, docs/security.md T25). The console's
 * confirmation lists exactly these, one sentence each, and the API's lockdown test checks each
 * one (a `Record` over this list: a new promise does not compile until it is tested). Change the
 * list, the sentences and the enforcement together.
 */
export const LOCKDOWN_PROMISES = [
  /** Every session of the organisation ends, the admin's who starts it too. */
  'everyone_signed_out',
  /** Only admins can sign in, and only to see the lockdown and approve lifting it. */
  'admins_only_sign_in',
  /** No identity details are revealed to anyone. */
  'no_identity',
  /** No notes are read. */
  'no_notes',
  /** No person is looked up. */
  'no_lookup',
  /** No report is run. */
  'no_reports',
  /** Nothing is exported (reports, access log). */
  'no_exports',
  /** No staff account is created, no role changed, no password or MFA reset. */
  'no_staff_changes',
  /** The API drops the organisation's keys from memory and refuses to load them. */
  'keys_dropped',
  /** Lifting needs two different admins who held the role before the lockdown, each with step-up. */
  'two_prior_admins_lift',
] as const;

export type LockdownPromise = (typeof LOCKDOWN_PROMISES)[number];

/** Distinct admins (holding the role since before the lockdown) needed to lift it. */
export const LOCKDOWN_LIFT_APPROVALS = 2;
