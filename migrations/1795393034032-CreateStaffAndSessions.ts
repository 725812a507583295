import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Tenant tables of this migration: row-level security on organisation_id, as in the first. */
const TENANT_TABLES = [
  'organisation_key',
  'staff_user',
  'recovery_code',
  'staff_session',
  'lockdown_lift_approval',
] as const;

export class CreateStaffAndSessions1795393034032 implements MigrationInterface {
  name = 'CreateStaffAndSessions1795393034032';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "organisation" ADD "lockdown_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(`ALTER TABLE "organisation" ADD "lockdown_by" uuid`);

    await queryRunner.query(`
      CREATE TABLE "organisation_key" (
        "organisation_id" uuid NOT NULL,
        "key_id" integer NOT NULL,
        "purpose" text NOT NULL,
        "subject_id" uuid,
        "status" text NOT NULL,
        "wrapped" bytea,
        "wrapping_key_id" integer NOT NULL,
        "wrapped_by" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        CONSTRAINT "organisation_key_subject" CHECK (("purpose" = 'person_data') = ("subject_id" IS NOT NULL)),
        CONSTRAINT "organisation_key_material" CHECK (("status" = 'destroyed') = ("wrapped" IS NULL) AND ("wrapped" IS NULL OR (octet_length("wrapped") >= 46 AND get_byte("wrapped", 0) = 1))),
        CONSTRAINT "organisation_key_id_range" CHECK ("key_id" >= 1),
        CONSTRAINT "organisation_key_status" CHECK ("status" IN ('active', 'decrypt_only', 'retired', 'destroyed')),
        CONSTRAINT "organisation_key_purpose" CHECK ("purpose" IN ('kek', 'organisation_data', 'person_data', 'index')),
        CONSTRAINT "organisation_key_pkey" PRIMARY KEY ("organisation_id", "key_id")
      )`);
    await queryRunner.query(
      `ALTER TABLE "organisation_key" ADD CONSTRAINT "organisation_key_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    await queryRunner.query(`
      CREATE TABLE "staff_user" (
        "organisation_id" uuid NOT NULL,
        "id" uuid NOT NULL,
        "email" text NOT NULL,
        "display_name" text NOT NULL,
        "password_hash" text NOT NULL,
        "password_changed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "must_change_password" boolean NOT NULL DEFAULT false,
        "roles" text array NOT NULL,
        "status" text NOT NULL DEFAULT 'active',
        "totp_secret" bytea,
        "totp_pending" bytea,
        "totp_last_step" bigint,
        "totp_enrolled_at" TIMESTAMP WITH TIME ZONE,
        "last_sign_in_at" TIMESTAMP WITH TIME ZONE,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "version" integer NOT NULL DEFAULT '1',
        CONSTRAINT "staff_user_totp_encrypted" CHECK (("totp_secret" IS NULL OR (octet_length("totp_secret") >= 46 AND get_byte("totp_secret", 0) = 1)) AND ("totp_pending" IS NULL OR (octet_length("totp_pending") >= 46 AND get_byte("totp_pending", 0) = 1))),
        CONSTRAINT "staff_user_display_name" CHECK (char_length("display_name") BETWEEN 1 AND 200),
        CONSTRAINT "staff_user_email_normalised" CHECK ("email" = lower("email") AND char_length("email") BETWEEN 3 AND 254),
        CONSTRAINT "staff_user_roles" CHECK (cardinality("roles") >= 1 AND "roles" <@ ARRAY['caseworker', 'coordinator', 'auditor', 'admin']::text[] AND (NOT ('auditor' = ANY ("roles")) OR cardinality("roles") = 1)),
        CONSTRAINT "staff_user_status" CHECK ("status" IN ('active', 'disabled')),
        CONSTRAINT "staff_user_pkey" PRIMARY KEY ("organisation_id", "id")
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "staff_user_email_unique" ON "staff_user" ("organisation_id", "email")`,
    );
    await queryRunner.query(
      `ALTER TABLE "staff_user" ADD CONSTRAINT "staff_user_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );

    await queryRunner.query(`
      CREATE TABLE "recovery_code" (
        "organisation_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "code_hash" bytea NOT NULL,
        "used_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "recovery_code_pkey" PRIMARY KEY ("organisation_id", "user_id", "code_hash")
      )`);
    await queryRunner.query(
      `ALTER TABLE "recovery_code" ADD CONSTRAINT "recovery_code_user_fk" FOREIGN KEY ("organisation_id", "user_id") REFERENCES "staff_user"("organisation_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );

    await queryRunner.query(`
      CREATE TABLE "staff_session" (
        "organisation_id" uuid NOT NULL,
        "id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "token_hash" bytea NOT NULL,
        "csrf_hash" bytea NOT NULL,
        "stage" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "last_seen_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "idle_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "absolute_expires_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "step_up_at" TIMESTAMP WITH TIME ZONE,
        "revoked_at" TIMESTAMP WITH TIME ZONE,
        "revoke_reason" text,
        "mfa_failures" integer NOT NULL DEFAULT '0',
        CONSTRAINT "staff_session_stage" CHECK ("stage" IN ('mfa', 'enrol', 'active')),
        CONSTRAINT "staff_session_pkey" PRIMARY KEY ("organisation_id", "id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "staff_session_user" ON "staff_session" ("organisation_id", "user_id")`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "staff_session_token_unique" ON "staff_session" ("token_hash")`,
    );
    await queryRunner.query(
      `ALTER TABLE "staff_session" ADD CONSTRAINT "staff_session_user_fk" FOREIGN KEY ("organisation_id", "user_id") REFERENCES "staff_user"("organisation_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );

    await queryRunner.query(`
      CREATE TABLE "lockdown_lift_approval" (
        "organisation_id" uuid NOT NULL,
        "user_id" uuid NOT NULL,
        "approved_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "lockdown_lift_approval_pkey" PRIMARY KEY ("organisation_id", "user_id")
      )`);
    await queryRunner.query(
      `ALTER TABLE "lockdown_lift_approval" ADD CONSTRAINT "lockdown_lift_approval_user_fk" FOREIGN KEY ("organisation_id", "user_id") REFERENCES "staff_user"("organisation_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );

    // Not tenant data: throttling keys are an IP address or a hash of an e-mail address.
    await queryRunner.query(`
      CREATE TABLE "login_throttle" (
        "key" text NOT NULL,
        "window_started_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "window_attempts" integer NOT NULL DEFAULT '0',
        "consecutive_failures" integer NOT NULL DEFAULT '0',
        "next_attempt_at" TIMESTAMP WITH TIME ZONE,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        CONSTRAINT "login_throttle_pkey" PRIMARY KEY ("key")
      )`);

    for (const table of TENANT_TABLES) {
      await queryRunner.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY`);
      await queryRunner.query(`
        CREATE POLICY "${table}_tenant_isolation" ON "${table}"
          USING ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
          WITH CHECK ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
    }

    // Creating an organisation (operator CLI, demo seed) goes through the same policy: the new
    // organisation's id must be the transaction's tenant. No route exposes it.
    await queryRunner.query(`GRANT INSERT ON "organisation" TO "harbour_api"`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON "organisation_key" TO "harbour_api"`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON "staff_user" TO "harbour_api"`);
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON "recovery_code" TO "harbour_api"`,
    );
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON "staff_session" TO "harbour_api"`,
    );
    await queryRunner.query(
      `GRANT SELECT, INSERT, DELETE ON "lockdown_lift_approval" TO "harbour_api"`,
    );
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON "login_throttle" TO "harbour_api"`,
    );

    // Sign-in must find a user, and a request its session, before the organisation is known.
    // These two functions are the only paths across tenants: they run as the owner (which may
    // bypass row-level security) and return the minimum.
    await queryRunner.query(`
      CREATE FUNCTION "auth_login_candidates"(p_email text)
      RETURNS TABLE (organisation_id uuid, user_id uuid, password_hash text)
      LANGUAGE sql STABLE SECURITY DEFINER
      SET search_path = pg_catalog, public
      AS $$
        SELECT u.organisation_id, u.id, u.password_hash
          FROM public.staff_user u
         WHERE u.email = lower(p_email) AND u.status = 'active'
         ORDER BY u.created_at, u.id
         LIMIT 5
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION "auth_session_organisation"(p_token_hash bytea)
      RETURNS uuid
      LANGUAGE sql STABLE SECURITY DEFINER
      SET search_path = pg_catalog, public
      AS $$
        SELECT s.organisation_id FROM public.staff_session s
         WHERE s.token_hash = p_token_hash AND s.revoked_at IS NULL
      $$`);
    for (const fn of ['"auth_login_candidates"(text)', '"auth_session_organisation"(bytea)']) {
      await queryRunner.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await queryRunner.query(`GRANT EXECUTE ON FUNCTION ${fn} TO "harbour_api"`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE INSERT ON "organisation" FROM "harbour_api"`);
    await queryRunner.query(`DROP FUNCTION "auth_session_organisation"(bytea)`);
    await queryRunner.query(`DROP FUNCTION "auth_login_candidates"(text)`);
    await queryRunner.query(`DROP TABLE "login_throttle"`);
    await queryRunner.query(`DROP TABLE "lockdown_lift_approval"`);
    await queryRunner.query(`DROP TABLE "staff_session"`);
    await queryRunner.query(`DROP TABLE "recovery_code"`);
    await queryRunner.query(`DROP TABLE "staff_user"`);
    await queryRunner.query(`DROP TABLE "organisation_key"`);
    await queryRunner.query(`ALTER TABLE "organisation" DROP COLUMN "lockdown_by"`);
    await queryRunner.query(`ALTER TABLE "organisation" DROP COLUMN "lockdown_at"`);
  }
}
