/** Staff roles within one organisation (DESIGN.md §6). */
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
