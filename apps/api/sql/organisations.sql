-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- organisations.adminBefore
SELECT 1 FROM staff_user u
  JOIN staff_role_grant g ON g.organisation_id = u.organisation_id AND g.user_id = u.id
 WHERE u.id = :userId AND u.status = 'active' AND 'admin' = ANY (u.roles)
   AND g.role = 'admin' AND g.granted_at < :since;

-- organisations.approveLift
INSERT INTO lockdown_lift_approval (organisation_id, user_id, approved_at)
VALUES (:organisationId, :userId, :at)
ON CONFLICT DO NOTHING;

-- organisations.endLockdown
UPDATE organisation SET lockdown_at = NULL, lockdown_by = NULL, version = version + 1
 WHERE id = :id;

-- organisations.liftApprovals
SELECT count(DISTINCT a.user_id)::int AS approvals
  FROM lockdown_lift_approval a
  JOIN staff_user u ON u.organisation_id = a.organisation_id AND u.id = a.user_id
  JOIN staff_role_grant g ON g.organisation_id = a.organisation_id AND g.user_id = a.user_id
 WHERE u.status = 'active' AND 'admin' = ANY (u.roles)
   AND g.role = 'admin' AND g.granted_at < :since;

-- organisations.liftApprovers
SELECT a.user_id, u.display_name FROM lockdown_lift_approval a
  JOIN staff_user u ON u.organisation_id = a.organisation_id AND u.id = a.user_id
 ORDER BY a.approved_at;

-- organisations.startLockdown
UPDATE organisation SET lockdown_at = coalesce(lockdown_at, :at),
       lockdown_by = coalesce(lockdown_by, :by), version = version + 1
 WHERE id = :id;

-- organisations.updateSettings
UPDATE organisation SET name = coalesce(:name, name), report_k = coalesce(:reportK, report_k),
       stale_referral_days = CASE WHEN :setStaleReferralDays THEN :staleReferralDays::smallint
                                  ELSE stale_referral_days END,
       version = version + 1
 WHERE id = :id AND version = :version RETURNING id;
