import type { Role } from '@harbour/domain';

/**
 * A role change as access-event fields (class C role names only, never a person's data):
 * `roles_before:admin` and `roles_after:admin,caseworker`, each list sorted.
 */
export function roleChangeFields(before: readonly Role[], after: readonly Role[]): string[] {
  const list = (roles: readonly Role[]): string => [...roles].sort().join(',');
  return [`roles_before:${list(before)}`, `roles_after:${list(after)}`];
}
