/** Staff roles within one organisation (docs/design.md §6). */
export const ROLES = ['caseworker', 'coordinator', 'auditor', 'admin'] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

export type RoleSetProblem = 'empty' | 'duplicate' | 'auditor_combined';

/**
 * Separation of duties: a user holds at least one role, no role twice, and `auditor` is never
 * combined with another role. Returns the first problem found, or `null` when the set is valid.
 */
export function checkRoleSet(roles: readonly Role[]): RoleSetProblem | null {
  if (roles.length === 0) return 'empty';
  if (new Set(roles).size !== roles.length) return 'duplicate';
  if (roles.includes('auditor') && roles.length > 1) return 'auditor_combined';
  return null;
}

/** Roles that reach case content (people, identities, notes, reports). */
export const CASE_ROLES = ['caseworker', 'coordinator'] as const satisfies readonly Role[];

/**
 * Separation of duties (docs/design.md §6, ADR 0008): granting one of these roles, or resetting the
 * password or second factor of an account holding one, needs a second admin's approval. The case
 * roles reach case content; `admin` is the role that approves, so an account holding it must not
 * be minted or taken over by one admin alone either (it would be the "second" admin).
 */
export const GUARDED_ROLES = [...CASE_ROLES, 'admin'] as const satisfies readonly Role[];

export function isGuardedRole(role: Role): boolean {
  return (GUARDED_ROLES as readonly Role[]).includes(role);
}

/** Whether an account with these roles is guarded (its resets need a second admin). */
export function holdsGuardedRole(roles: readonly Role[]): boolean {
  return roles.some(isGuardedRole);
}

/** The guarded roles `after` adds to `before` (what makes a role change need a second admin). */
export function guardedRolesGranted(before: readonly Role[], after: readonly Role[]): Role[] {
  return after.filter((role) => isGuardedRole(role) && !before.includes(role));
}

/** Whether two role lists hold the same roles, in any order. */
export function sameRoles(a: readonly Role[], b: readonly Role[]): boolean {
  return a.length === b.length && a.every((role) => b.includes(role));
}
