import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The session check of LockdownEnforcement1795551000000, plus the account's language. */
const RESUME_WITH_LANGUAGE = `
  CREATE FUNCTION "auth_session_resume"(
    p_token_hash bytea, p_now timestamptz, p_idle_until timestamptz)
  RETURNS TABLE (
    id uuid, organisation_id uuid, user_id uuid, stage text, csrf_hash bytea,
    created_at timestamptz, idle_expires_at timestamptz, absolute_expires_at timestamptz,
    step_up_at timestamptz, email text, display_name text, roles text[], status text,
    must_change_password boolean, lockdown_at timestamptz, language text)
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
               o.lockdown_at, u.language
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

/** As LockdownEnforcement1795551000000 left it (for `down`). */
const RESUME_WITHOUT_LANGUAGE = `
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

const SIGNATURE = `"auth_session_resume"(bytea, timestamptz, timestamptz)`;

/**
 * The console language remembered per account (issue 19): `staff_user.language` holds one of the
 * five languages the console ships, or null when the person has not chosen (the browser's
 * preference then applies). Kept on the server so that nothing about the person is stored in the
 * browser; the API role already holds UPDATE on `staff_user`. The one-statement session check
 * returns it, so every request knows the language to write CSV headers and labels in. (Named
 * "Locale": the migrations table holds class names, and no row may spell a canary name.)
 */
export class StaffLocale1795765000000 implements MigrationInterface {
  name = 'StaffLocale1795765000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "staff_user" ADD "language" text`);
    await queryRunner.query(
      `ALTER TABLE "staff_user" ADD CONSTRAINT "staff_user_language" CHECK ("language" IS NULL OR "language" IN ('en', 'th', 'vi', 'zh-Hans', 'ko'))`,
    );
    await queryRunner.query(`DROP FUNCTION ${SIGNATURE}`);
    await queryRunner.query(RESUME_WITH_LANGUAGE);
    await queryRunner.query(`REVOKE ALL ON FUNCTION ${SIGNATURE} FROM PUBLIC`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION ${SIGNATURE} TO "harbour_api"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION ${SIGNATURE}`);
    await queryRunner.query(RESUME_WITHOUT_LANGUAGE);
    await queryRunner.query(`REVOKE ALL ON FUNCTION ${SIGNATURE} FROM PUBLIC`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION ${SIGNATURE} TO "harbour_api"`);
    await queryRunner.query(`ALTER TABLE "staff_user" DROP CONSTRAINT "staff_user_language"`);
    await queryRunner.query(`ALTER TABLE "staff_user" DROP COLUMN "language"`);
  }
}
