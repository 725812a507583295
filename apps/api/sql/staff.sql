-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- staff.activeAdminCount
SELECT count(*)::int AS n FROM staff_user WHERE status = 'active' AND 'admin' = ANY (roles);

-- staff.activeCaseStaff
SELECT id, email, display_name, roles FROM staff_user
 WHERE organisation_id = :organisationId AND status = 'active'
   AND roles && ARRAY['caseworker', 'coordinator']::text[]
 ORDER BY id;

-- staff.addRoleGrants
INSERT INTO staff_role_grant (organisation_id, user_id, role, granted_at)
SELECT :organisationId, :userId, r, :now FROM unnest(:roles::text[]) AS r
ON CONFLICT DO NOTHING;

-- staff.cancelPendingChanges
UPDATE staff_change_request SET status = 'cancelled', decided_by = :by, decided_at = :at
 WHERE status = 'pending';

-- staff.dropRoleGrants
DELETE FROM staff_role_grant
 WHERE organisation_id = :organisationId AND user_id = :userId AND NOT (role = ANY (:roles::text[]));
