import type { MigrationInterface, QueryRunner } from 'typeorm';
import PgBoss from 'pg-boss';
import pgBossVersion from 'pg-boss/version.json';

/**
 * Background jobs and the rotation of organisation data keys (docs/adr/0009-jobs-on-pg-boss.md,
 * docs/operations.md "Key rotation").
 *
 * - The job runner's own schema (`pgboss`, version 24 of pg-boss's schema, created here by the
 *   owner: the API role never changes the schema) and its queues. The API role may read and
 *   write its rows: they hold job names and ids, never case data.
 * - `background_job`: Harbour's record of a long job (kind, state, progress), per organisation
 *   under row-level security: what `GET /api/jobs/:id` answers. A job runner job points at it.
 * - `organisation.current_data_key_id`: the data key new values are sealed under. Every
 *   transaction that asks the keyring for a key reads it (with its lockdown state), so the
 *   switch to a new key is seen by every instance at once.
 * - `organisation_key.retired_at` / `destroy_after`: a data key no field uses any more is
 *   retired, and its material destroyed once old backups can no longer need it.
 * - `ciphertext_key_id(bytea)`: the key id in a ciphertext's header (bytes 2–5, big-endian).
 * - `key_rotation_batch` / `key_rotation_apply`: the rotation's only way to read and rewrite
 *   sealed fields, including fields the API role may otherwise only insert (contact notes,
 *   retry state). SECURITY DEFINER, restricted to the listed fields of the caller's own tenant,
 *   to rows under a `decrypt_only` data key, and to new values under the current data key, with
 *   a compare-and-swap on the old ciphertext so a concurrent edit is never overwritten.
 * - `retired_keys_due(now)`: which organisations have retired keys whose backup window is over
 *   (organisation ids only).
 */
export const PG_BOSS_SCHEMA_VERSION = 24;

/** The fields a data-key rotation may rewrite: `table.column`, each table keyed by `id`. */
export const ROTATABLE_FIELDS = [
  'canary.sealed',
  'contact.notes',
  'idempotency_key.response',
  'referral.override_reason',
  'staff_user.totp_pending',
  'staff_user.totp_secret',
] as const;

/** The job runner's queues, created here (creating one is DDL, which the API role may not run). */
export const JOB_QUEUES = [
  // A rotation runs in slices; a slice that dies with its process expires and is retried.
  { name: 'key-rotation', retryLimit: 20, retryDelay: 2, expireInSeconds: 120 },
] as const;

export class KeyRotationAndJobs1795700000000 implements MigrationInterface {
  name = 'KeyRotationAndJobs1795700000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The schema this migration creates is pg-boss's schema 24; a newer pg-boss needs a new
    // migration built from PgBoss.getMigrationPlans, never a changed one.
    if (pgBossVersion.schema !== PG_BOSS_SCHEMA_VERSION) {
      throw new Error(
        `pg-boss schema ${pgBossVersion.schema} installed; this migration creates ${PG_BOSS_SCHEMA_VERSION}`,
      );
    }
    const plans = PgBoss.getConstructionPlans('pgboss').trim();
    // The plans open and commit a transaction of their own; the migration already runs in one.
    if (!plans.startsWith('BEGIN;') || !plans.endsWith('COMMIT;')) {
      throw new Error('unexpected shape of pg-boss construction plans');
    }
    await queryRunner.query(plans.slice('BEGIN;'.length, -'COMMIT;'.length));
    for (const queue of JOB_QUEUES) {
      await queryRunner.query(`SELECT pgboss.create_queue($1, $2)`, [
        queue.name,
        JSON.stringify({ policy: 'standard', ...queue, name: undefined }),
      ]);
    }
    await queryRunner.query(`GRANT USAGE ON SCHEMA pgboss TO "harbour_api"`);
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA pgboss TO "harbour_api"`,
    );

    await queryRunner.query(`
      CREATE TABLE "background_job" (
        "organisation_id" uuid NOT NULL,
        "id" uuid NOT NULL,
        "kind" text NOT NULL,
        "state" text NOT NULL,
        "done" integer NOT NULL DEFAULT 0,
        "total" integer,
        "detail" jsonb NOT NULL,
        "error_code" text,
        "created_by" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "started_at" TIMESTAMP WITH TIME ZONE,
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "finished_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "background_job_kind" CHECK ("kind" IN ('rotate_data_key')),
        CONSTRAINT "background_job_state" CHECK ("state" IN ('queued', 'running', 'completed', 'failed')),
        CONSTRAINT "background_job_progress" CHECK ("done" >= 0 AND ("total" IS NULL OR "total" >= 0)),
        CONSTRAINT "background_job_pkey" PRIMARY KEY ("organisation_id", "id")
      )`);
    await queryRunner.query(
      `ALTER TABLE "background_job" ADD CONSTRAINT "background_job_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `CREATE INDEX "background_job_recent" ON "background_job" ("organisation_id", "created_at")`,
    );
    await queryRunner.query(`ALTER TABLE "background_job" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "background_job" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY "background_job_tenant_isolation" ON "background_job"
        USING ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
        WITH CHECK ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON "background_job" TO "harbour_api"`);

    await queryRunner.query(
      `ALTER TABLE "organisation" ADD "current_data_key_id" integer NOT NULL DEFAULT 2`,
    );
    await queryRunner.query(
      `ALTER TABLE "organisation_key" ADD "retired_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `ALTER TABLE "organisation_key" ADD "destroy_after" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `CREATE INDEX "organisation_key_retired" ON "organisation_key" ("destroy_after") WHERE "status" = 'retired'`,
    );

    await queryRunner.query(`
      CREATE FUNCTION "ciphertext_key_id"(p_ciphertext bytea)
      RETURNS bigint
      LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
      SET search_path = pg_catalog
      AS $$
        SELECT (get_byte(p_ciphertext, 2)::bigint << 24) | (get_byte(p_ciphertext, 3) << 16)
             | (get_byte(p_ciphertext, 4) << 8) | get_byte(p_ciphertext, 5)
      $$`);
    await queryRunner.query(
      `GRANT EXECUTE ON FUNCTION "ciphertext_key_id"(bytea) TO "harbour_api"`,
    );

    const fields = ROTATABLE_FIELDS.map((f) => `'${f}'`).join(', ');
    await queryRunner.query(`
      CREATE FUNCTION "key_rotation_batch"(p_field text, p_key_id integer, p_after uuid, p_limit integer)
      RETURNS TABLE (id uuid, ciphertext bytea)
      LANGUAGE plpgsql VOLATILE SECURITY DEFINER
      SET search_path = pg_catalog, public
      AS $$
      DECLARE
        tenant uuid := NULLIF(current_setting('app.org_id', true), '')::uuid;
      BEGIN
        IF p_field NOT IN (${fields}) THEN
          RAISE EXCEPTION 'not a rotatable field: %', p_field USING ERRCODE = '22023';
        END IF;
        IF tenant IS NULL THEN
          RAISE EXCEPTION 'no tenant' USING ERRCODE = '42501';
        END IF;
        IF p_limit < 1 OR p_limit > 1000 THEN
          RAISE EXCEPTION 'batch size out of range' USING ERRCODE = '22023';
        END IF;
        RETURN QUERY EXECUTE format(
          'SELECT t.id, t.%2$I FROM public.%1$I t
            WHERE t.organisation_id = $1 AND t.id > $2 AND public.ciphertext_key_id(t.%2$I) = $3
            ORDER BY t.id LIMIT $4 FOR UPDATE SKIP LOCKED',
          split_part(p_field, '.', 1), split_part(p_field, '.', 2))
          USING tenant, COALESCE(p_after, '00000000-0000-0000-0000-000000000000'::uuid), p_key_id, p_limit;
      END
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION "key_rotation_apply"(p_field text, p_ids uuid[], p_old bytea[], p_new bytea[])
      RETURNS integer
      LANGUAGE plpgsql VOLATILE SECURITY DEFINER
      SET search_path = pg_catalog, public
      AS $$
      DECLARE
        tenant uuid := NULLIF(current_setting('app.org_id', true), '')::uuid;
        current_key integer;
        moved integer;
      BEGIN
        IF p_field NOT IN (${fields}) THEN
          RAISE EXCEPTION 'not a rotatable field: %', p_field USING ERRCODE = '22023';
        END IF;
        IF tenant IS NULL THEN
          RAISE EXCEPTION 'no tenant' USING ERRCODE = '42501';
        END IF;
        IF cardinality(p_ids) IS DISTINCT FROM cardinality(p_old)
           OR cardinality(p_ids) IS DISTINCT FROM cardinality(p_new) THEN
          RAISE EXCEPTION 'arrays differ in length' USING ERRCODE = '22023';
        END IF;
        SELECT o.current_data_key_id INTO current_key FROM public.organisation o WHERE o.id = tenant;
        IF EXISTS (SELECT 1 FROM unnest(p_new) AS n(v)
                    WHERE octet_length(v) < 46 OR get_byte(v, 0) <> 1
                       OR public.ciphertext_key_id(v) <> current_key) THEN
          RAISE EXCEPTION 'a new value is not sealed under the current data key' USING ERRCODE = '22023';
        END IF;
        -- Each distinct key id of the old values once (a batch is nearly always under one key).
        IF EXISTS (SELECT 1 FROM (SELECT DISTINCT public.ciphertext_key_id(v) AS key_id
                                    FROM unnest(p_old) AS o(v)) AS old
                    WHERE NOT EXISTS (
                      SELECT 1 FROM public.organisation_key k
                       WHERE k.organisation_id = tenant AND k.purpose = 'organisation_data'
                         AND k.status = 'decrypt_only' AND k.key_id = old.key_id)) THEN
          RAISE EXCEPTION 'an old value is not under a data key being rotated' USING ERRCODE = '22023';
        END IF;
        EXECUTE format(
          'UPDATE public.%1$I t SET %2$I = v.new
             FROM unnest($2::uuid[], $3::bytea[], $4::bytea[]) AS v(id, old, new)
            WHERE t.organisation_id = $1 AND t.id = v.id AND t.%2$I = v.old',
          split_part(p_field, '.', 1), split_part(p_field, '.', 2))
          USING tenant, p_ids, p_old, p_new;
        GET DIAGNOSTICS moved = ROW_COUNT;
        RETURN moved;
      END
      $$`);
    await queryRunner.query(`
      CREATE FUNCTION "retired_keys_due"(p_now timestamptz)
      RETURNS TABLE (organisation_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER
      SET search_path = pg_catalog, public
      AS $$
        SELECT DISTINCT k.organisation_id FROM public.organisation_key k
         WHERE k.status = 'retired' AND k.destroy_after <= p_now
      $$`);
    for (const fn of [
      `"key_rotation_batch"(text, integer, uuid, integer)`,
      `"key_rotation_apply"(text, uuid[], bytea[], bytea[])`,
      `"retired_keys_due"(timestamptz)`,
    ]) {
      await queryRunner.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await queryRunner.query(`GRANT EXECUTE ON FUNCTION ${fn} TO "harbour_api"`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION "retired_keys_due"(timestamptz)`);
    await queryRunner.query(`DROP FUNCTION "key_rotation_apply"(text, uuid[], bytea[], bytea[])`);
    await queryRunner.query(`DROP FUNCTION "key_rotation_batch"(text, integer, uuid, integer)`);
    await queryRunner.query(`DROP FUNCTION "ciphertext_key_id"(bytea)`);
    await queryRunner.query(`DROP INDEX "organisation_key_retired"`);
    await queryRunner.query(`ALTER TABLE "organisation_key" DROP COLUMN "destroy_after"`);
    await queryRunner.query(`ALTER TABLE "organisation_key" DROP COLUMN "retired_at"`);
    await queryRunner.query(`ALTER TABLE "organisation" DROP COLUMN "current_data_key_id"`);
    await queryRunner.query(`DROP TABLE "background_job"`);
    await queryRunner.query(`DROP SCHEMA pgboss CASCADE`);
  }
}
