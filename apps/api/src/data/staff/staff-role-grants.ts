import type { Role } from '@harbour/domain';
import type { Tx } from '../../infra/database/transaction';
import { query, statement } from '../sql';

const dropRoles = statement<{ organisationId: string; userId: string; roles: string[] }>(
  'staff.dropRoleGrants',
  `DELETE FROM staff_role_grant
 WHERE organisation_id = :organisationId AND user_id = :userId AND NOT (role = ANY (:roles::text[]))`,
);

const addRoles = statement<{ organisationId: string; userId: string; roles: string[]; now: Date }>(
  'staff.addRoleGrants',
  `INSERT INTO staff_role_grant (organisation_id, user_id, role, granted_at)
SELECT :organisationId, :userId, r, :now FROM unnest(:roles::text[]) AS r
ON CONFLICT DO NOTHING`,
);

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
  await query(tx.manager, dropRoles, { organisationId, userId, roles: [...roles] });
  await query(tx.manager, addRoles, { organisationId, userId, roles: [...roles], now });
}
