-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- sessions.countMfaFailure
UPDATE staff_session SET mfa_failures = mfa_failures + 1 WHERE id = :id RETURNING mfa_failures;

-- sessions.loadById
WITH found AS (
  SELECT s.id, s.organisation_id, s.user_id, s.stage, s.csrf_hash, s.created_at,
         s.idle_expires_at, s.absolute_expires_at, s.step_up_at,
         u.email, u.display_name, u.language, u.roles, u.status, u.must_change_password,
         o.lockdown_at
    FROM staff_session s
    JOIN staff_user u ON u.organisation_id = s.organisation_id AND u.id = s.user_id
    JOIN organisation o ON o.id = s.organisation_id
   WHERE s.id = :id AND s.revoked_at IS NULL),
touched AS (
  UPDATE staff_session t
     SET last_seen_at = :now, idle_expires_at = LEAST(:idleUntil::timestamptz, f.absolute_expires_at)
    FROM found f
   WHERE t.id = f.id AND f.stage = 'active' AND f.status = 'active'
     AND :now::timestamptz < f.absolute_expires_at AND :now::timestamptz < f.idle_expires_at
  RETURNING t.id)
SELECT f.* FROM found f;

-- sessions.markStepUp
UPDATE staff_session SET step_up_at = :now WHERE id = :id;

-- sessions.resume
SELECT * FROM auth_session_resume(:tokenHash, :now, :idleUntil);

-- sessions.revoke
UPDATE staff_session SET revoked_at = :now, revoke_reason = :reason
 WHERE id = :id AND revoked_at IS NULL;

-- sessions.revokeAll
UPDATE staff_session SET revoked_at = :now, revoke_reason = :reason WHERE revoked_at IS NULL;

-- sessions.revokeForUser
UPDATE staff_session SET revoked_at = :now, revoke_reason = :reason
 WHERE user_id = :userId AND revoked_at IS NULL;
