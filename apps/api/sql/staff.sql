-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- staff.activeCaseStaff
SELECT id, email, display_name, roles FROM staff_user
 WHERE organisation_id = :organisationId AND status = 'active'
   AND roles && ARRAY['caseworker', 'coordinator']::text[]
 ORDER BY id;
