import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The session check of SessionResume1795530000000, plus the organisation's lockdown time. */
const RESUME_WITH_LOCKDOWN = `
  CREATE FUNCTION "auth_session_resume"(
    p_token_hash bytea, p_now timestamptz, p_idle_until timestamptz)
  RETURNS TABLE (
    id uuid, organisation_id uuid, user_id uuid, stage text, csrf_hash bytea,
    created_at timestamptz, idle_expires_at timestamptz, absolute_expires_at timestamptz,
    step_up_at timestamptz, email text, display_name text, roles text[], status text,
    must_change_password boolean, lockdown_at timestamptz)
  LANGUAGE plpgsql VOLATILE SECURITY INVOKER
  SET search_path = pg_catalog, public
  AS $$
  #variable_conflict use_column
  BEGIN
    PERFORM set_config('app.org_id',
      COALESCE(public.auth_session_organisation(p_token_hash)::text, ''), true);
    RETURN QUERY
      WITH found AS (
        SELECT s.id, s.organisation_id, s.user_id, s.stage, s.csrf_hash, s.created_at,
               s.idle_expires_at, s.absolute_expires_at, s.step_up_at,
               u.email, u.display_name, u.roles, u.status, u.must_change_password,
               o.lockdown_at
          FROM public.staff_session s
          JOIN public.staff_user u ON u.organisation_id = s.organisation_id AND u.id = s.user_id
          JOIN public.organisation o ON o.id = s.organisation_id
         WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL),
      touched AS (
        UPDATE public.staff_session t
           SET last_seen_at = p_now,
               idle_expires_at = LEAST(p_idle_until, f.absolute_expires_at)
          FROM found f
         WHERE t.organisation_id = f.organisation_id AND t.id = f.id
           AND f.stage = 'active' AND f.status = 'active'
           AND p_now < f.absolute_expires_at AND p_now < f.idle_expires_at
        RETURNING t.id)
      SELECT f.* FROM found f;
  END
  $$`;

/** As SessionResume1795530000000 created it (for `down`). */
const RESUME_WITHOUT_LOCKDOWN = `
  CREATE FUNCTION "auth_session_resume"(
    p_token_hash bytea, p_now timestamptz, p_idle_until timestamptz)
  RETURNS TABLE (
    id uuid, organisation_id uuid, user_id uuid, stage text, csrf_hash bytea,
    created_at timestamptz, idle_expires_at timestamptz, absolute_expires_at timestamptz,
    step_up_at timestamptz, email text, display_name text, roles text[], status text,
    must_change_password boolean)
  LANGUAGE plpgsql VOLATILE SECURITY INVOKER
  SET search_path = pg_catalog, public
  AS $$
  #variable_conflict use_column
  BEGIN
    PERFORM set_config('app.org_id',
      COALESCE(public.auth_session_organisation(p_token_hash)::text, ''), true);
    RETURN QUERY
      WITH found AS (
        SELECT s.id, s.organisation_id, s.user_id, s.stage, s.csrf_hash, s.created_at,
               s.idle_expires_at, s.absolute_expires_at, s.step_up_at,
               u.email, u.display_name, u.roles, u.status, u.must_change_password
          FROM public.staff_session s
          JOIN public.staff_user u ON u.organisation_id = s.organisation_id AND u.id = s.user_id
         WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL),
      touched AS (
        UPDATE public.staff_session t
           SET last_seen_at = p_now,
               idle_expires_at = LEAST(p_idle_until, f.absolute_expires_at)
          FROM found f
         WHERE t.organisation_id = f.organisation_id AND t.id = f.id
           AND f.stage = 'active' AND f.status = 'active'
           AND p_now < f.absolute_expires_at AND p_now < f.idle_expires_at
        RETURNING t.id)
      SELECT f.* FROM found f;
  END
  $$`;

const SIGNATURE = `"auth_session_resume"(bytea, timestamptz, timestamptz)`;

/**
 * Lockdown enforced on every request (docs/security.md T25): the one-statement session check also
 * returns the organisation's `lockdown_at`, so the access guard refuses everything outside the
 * lockdown allow-list without another round trip. And `staff_role_grant` records when each
 * role was given, so that only admins who held the role before a lockdown began can lift it.
 * Existing roles are dated from the account's last update (the latest moment the role can have
 * been given; a later date only ever excludes an admin from approving, never admits one).
 */
export class LockdownEnforcement1795551000000 implements MigrationInterface {
  name = 'LockdownEnforcement1795551000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "staff_role_grant" ("organisation_id" uuid NOT NULL, "user_id" uuid NOT NULL, "role" text NOT NULL, "granted_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "staff_role_grant_role" CHECK ("role" IN ('caseworker', 'coordinator', 'auditor', 'admin')), CONSTRAINT "staff_role_grant_pkey" PRIMARY KEY ("organisation_id", "user_id", "role"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "staff_role_grant" ADD CONSTRAINT "staff_role_grant_user_fk" FOREIGN KEY ("organisation_id", "user_id") REFERENCES "staff_user"("organisation_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "staff_role_grant" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "staff_role_grant" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY "staff_role_grant_tenant_isolation" ON "staff_role_grant"
        USING ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
        WITH CHECK ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
    await queryRunner.query(`GRANT SELECT, INSERT, DELETE ON "staff_role_grant" TO "harbour_api"`);
    // Runs as the owner, which bypasses row-level security: every organisation's staff.
    await queryRunner.query(
      `INSERT INTO "staff_role_grant" ("organisation_id", "user_id", "role", "granted_at")
       SELECT u.organisation_id, u.id, r.role, u.updated_at
         FROM "staff_user" u, unnest(u.roles) AS r(role)`,
    );

    await queryRunner.query(`DROP FUNCTION ${SIGNATURE}`);
    await queryRunner.query(RESUME_WITH_LOCKDOWN);
    await queryRunner.query(`REVOKE ALL ON FUNCTION ${SIGNATURE} FROM PUBLIC`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION ${SIGNATURE} TO "harbour_api"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION ${SIGNATURE}`);
    await queryRunner.query(RESUME_WITHOUT_LOCKDOWN);
    await queryRunner.query(`REVOKE ALL ON FUNCTION ${SIGNATURE} FROM PUBLIC`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION ${SIGNATURE} TO "harbour_api"`);
    await queryRunner.query(`DROP TABLE "staff_role_grant"`);
  }
}
