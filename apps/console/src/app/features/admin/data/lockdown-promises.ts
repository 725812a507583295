import type { LockdownPromise } from '@harbour/domain';
import { LOCKDOWN_PROMISES } from '@harbour/domain';

/**
 * One sentence per promise a lockdown makes (`LOCKDOWN_PROMISES` in @harbour/domain: each one is
 * enforced by the API and checked by its lockdown test). `Record` makes the list exhaustive: a new
 * promise does not compile here until it has its sentence, and nothing can be promised here that
 * the domain list (and so the API test) does not name.
 */
export const LOCKDOWN_PROMISE_KEYS: Readonly<Record<LockdownPromise, string>> = {
  everyone_signed_out: 'admin.organisation.lockdown.promises.everyone_signed_out',
  admins_only_sign_in: 'admin.organisation.lockdown.promises.admins_only_sign_in',
  no_identity: 'admin.organisation.lockdown.promises.no_identity',
  no_notes: 'admin.organisation.lockdown.promises.no_notes',
  no_lookup: 'admin.organisation.lockdown.promises.no_lookup',
  no_reports: 'admin.organisation.lockdown.promises.no_reports',
  no_exports: 'admin.organisation.lockdown.promises.no_exports',
  no_staff_changes: 'admin.organisation.lockdown.promises.no_staff_changes',
  keys_dropped: 'admin.organisation.lockdown.promises.keys_dropped',
  two_prior_admins_lift: 'admin.organisation.lockdown.promises.two_prior_admins_lift',
};

/** The promises in the domain's order, each with its sentence. */
export const LOCKDOWN_PROMISE_LINES: readonly { promise: LockdownPromise; key: string }[] =
  LOCKDOWN_PROMISES.map((promise) => ({ promise, key: LOCKDOWN_PROMISE_KEYS[promise] }));
