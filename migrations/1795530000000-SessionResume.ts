import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A session check in one statement (docs/security.md T6, T11): `auth_session_resume` sets the tenant
 * from the token hash (through the SECURITY DEFINER `auth_session_organisation`, the one
 * cross-tenant lookup), then reads the session with its user and moves a live session's idle
 * deadline forward, under row-level security as the caller (SECURITY INVOKER). Run on its own,
 * the statement is its own transaction, so the tenant setting ends with it: one round trip where
 * an explicit transaction takes four.
 */
export class SessionResume1795530000000 implements MigrationInterface {
  name = 'SessionResume1795530000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
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
      $$`);
    await queryRunner.query(
      `REVOKE ALL ON FUNCTION "auth_session_resume"(bytea, timestamptz, timestamptz) FROM PUBLIC`,
    );
    await queryRunner.query(
      `GRANT EXECUTE ON FUNCTION "auth_session_resume"(bytea, timestamptz, timestamptz) TO "harbour_api"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION "auth_session_resume"(bytea, timestamptz, timestamptz)`);
  }
}
