import type { Role } from '@harbour/domain';
import type { Tx } from '../../infra/database/transaction';

/**
 * Keeps `staff_role_grant` in step with a user's roles: roles no longer held lose their row,
 * roles newly held get one dated `now`, roles kept keep their original date. Every path that
 * sets `staff_user.roles` calls it in the same transaction.
 */
export async function recordRoleGrants(
  tx: Tx,
  organisationId: string,
  userId: string,
  roles: readonly Role[],
  now: Date,
): Promise<void> {
  await tx.manager.query(
    `DELETE FROM staff_role_grant WHERE organisation_id = $1 AND user_id = $2 AND NOT (role = ANY ($3::text[]))`,
    [organisationId, userId, [...roles]],
  );
  await tx.manager.query(
    `INSERT INTO staff_role_grant (organisation_id, user_id, role, granted_at)
     SELECT $1, $2, r, $4 FROM unnest($3::text[]) AS r
     ON CONFLICT DO NOTHING`,
    [organisationId, userId, [...roles], now],
  );
}

/**
 * A role change as access-event fields (class C role names only, never a person's data):
 * `roles_before:admin` and `roles_after:admin,caseworker`, each list sorted.
 */
export function roleChangeFields(before: readonly Role[], after: readonly Role[]): string[] {
  const list = (roles: readonly Role[]): string => [...roles].sort().join(',');
  return [`roles_before:${list(before)}`, `roles_after:${list(after)}`];
}
