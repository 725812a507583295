-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- staff.acceptTotpStep
UPDATE staff_user SET totp_last_step = :step
 WHERE id = :id AND (totp_last_step IS NULL OR totp_last_step < :step) RETURNING id;

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

-- staff.changePassword
UPDATE staff_user SET password_hash = :hash, password_changed_at = :now,
       must_change_password = false, version = version + 1, updated_at = :now
 WHERE id = :id;

-- staff.changeRequest
SELECT r.id, r.kind, r.target_user_id, coalesce(r.email, t.email) AS email,
         coalesce(r.display_name, t.display_name) AS display_name, r.roles_before, r.roles_after,
         r.requested_by, q.display_name AS requester_name, r.requested_at, r.expires_at
    FROM staff_change_request r
    JOIN staff_user q ON q.organisation_id = r.organisation_id AND q.id = r.requested_by
    LEFT JOIN staff_user t ON t.organisation_id = r.organisation_id AND t.id = r.target_user_id
 WHERE r.id = :id;

-- staff.clearMfa
UPDATE staff_user SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL,
       totp_enrolled_at = NULL, version = version + 1
 WHERE id = :id;

-- staff.confirmTotp
UPDATE staff_user SET totp_secret = :secret, totp_pending = NULL, totp_enrolled_at = :now,
       totp_last_step = :step
 WHERE id = :id;

-- staff.decideChangeRequest
UPDATE staff_change_request
   SET status = :status, decided_by = :decidedBy, decided_at = :now,
       target_user_id = coalesce(target_user_id, :targetUserId)
 WHERE id = :id AND status = 'pending';

-- staff.dropRoleGrants
DELETE FROM staff_role_grant
 WHERE organisation_id = :organisationId AND user_id = :userId AND NOT (role = ANY (:roles::text[]));

-- staff.expireChangeRequests
UPDATE staff_change_request SET status = 'expired'
 WHERE status = 'pending' AND expires_at <= :now;

-- staff.insertChangeRequest
INSERT INTO staff_change_request (organisation_id, id, kind, target_user_id, email,
                                  display_name, roles_before, roles_after, requested_by,
                                  requested_at, expires_at, status)
VALUES (:organisationId, :id, :kind, :targetUserId, :email, :displayName, :rolesBefore,
        :rolesAfter, :requestedBy, :now, :expiresAt, 'pending');

-- staff.lockChangeRequest
SELECT id, kind, target_user_id, email, display_name, roles_before, roles_after, requested_by,
       status
  FROM staff_change_request WHERE id = :id FOR UPDATE;

-- staff.loginCandidates
SELECT organisation_id, user_id, password_hash FROM auth_login_candidates(:email);

-- staff.otherActiveAdmins
SELECT count(*)::int AS n FROM staff_user
 WHERE id <> :exceptId AND status = 'active' AND 'admin' = ANY (roles);

-- staff.pendingChangeRequests
SELECT r.id, r.kind, r.target_user_id, coalesce(r.email, t.email) AS email,
         coalesce(r.display_name, t.display_name) AS display_name, r.roles_before, r.roles_after,
         r.requested_by, q.display_name AS requester_name, r.requested_at, r.expires_at
    FROM staff_change_request r
    JOIN staff_user q ON q.organisation_id = r.organisation_id AND q.id = r.requested_by
    LEFT JOIN staff_user t ON t.organisation_id = r.organisation_id AND t.id = r.target_user_id
 WHERE r.status = 'pending' AND r.expires_at > :now ORDER BY r.requested_at, r.id;

-- staff.recordSignIn
UPDATE staff_user SET last_sign_in_at = :now WHERE id = :id;

-- staff.resetPassword
UPDATE staff_user SET password_hash = :hash, must_change_password = true,
       password_changed_at = :now, version = version + 1
 WHERE id = :id;

-- staff.setLanguage
UPDATE staff_user SET language = :language WHERE id = :id RETURNING id;

-- staff.setRoles
UPDATE staff_user SET roles = :roles, version = version + 1, updated_at = :now WHERE id = :id;

-- staff.setTotpPending
UPDATE staff_user SET totp_pending = :pending WHERE id = :id;

-- staff.setTotpSecret
UPDATE staff_user SET totp_secret = :secret, totp_enrolled_at = :now WHERE id = :id;

-- staff.throttleClear
DELETE FROM login_throttle WHERE key = :key;

-- staff.throttleHitAddress
INSERT INTO login_throttle (key, window_started_at, window_attempts, updated_at)
VALUES (:key, :now, 1, :now)
ON CONFLICT (key) DO UPDATE SET
  window_attempts = CASE WHEN login_throttle.window_started_at <= :now - interval '1 minute'
                         THEN 1 ELSE login_throttle.window_attempts + 1 END,
  window_started_at = CASE WHEN login_throttle.window_started_at <= :now - interval '1 minute'
                           THEN :now ELSE login_throttle.window_started_at END,
  updated_at = :now
RETURNING window_attempts, window_started_at, consecutive_failures, next_attempt_at;

-- staff.throttleRead
SELECT window_attempts, window_started_at, consecutive_failures, next_attempt_at
  FROM login_throttle WHERE key = :key;

-- staff.throttleRecordFailure
INSERT INTO login_throttle (key, window_started_at, consecutive_failures, next_attempt_at, updated_at)
VALUES (:key, :now, 1, NULL, :now)
ON CONFLICT (key) DO UPDATE SET
  consecutive_failures = login_throttle.consecutive_failures + 1,
  next_attempt_at = CASE
    WHEN login_throttle.consecutive_failures + 1 >= :from
    THEN :now + make_interval(secs => least(:baseSeconds * power(2, login_throttle.consecutive_failures + 1 - :from), :capSeconds))
    ELSE NULL END,
  updated_at = :now
RETURNING window_attempts, window_started_at, consecutive_failures, next_attempt_at;

-- staff.updateAccount
UPDATE staff_user SET display_name = :displayName, roles = :roles, status = :status,
       version = version + 1, updated_at = :now
 WHERE id = :id AND version = :version RETURNING id;

-- staff.useRecoveryCode
UPDATE recovery_code SET used_at = :now
 WHERE user_id = :userId AND code_hash = :hash AND used_at IS NULL RETURNING user_id;
