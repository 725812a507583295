import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_TABLES = ['retention_policy', 'purge_run'] as const;

/**
 * Retention (docs/design.md §9):
 * - `retention_policy`: per organisation and record class, how long to keep (null: forever,
 *   where allowed); the API reads and writes it (never deletes).
 * - `purge_run`: one row per purge run with counts per class, never an id or a code; the API
 *   adds and reads runs.
 * - The API role may not delete referrals, contacts, their amendments or needs (case records
 *   are insert-only or update-only for it). Two SECURITY DEFINER functions do exactly the purge
 *   of a retention class, in the caller's own tenant only, and re-check the class's rule on
 *   every row, so a caller cannot delete a record that is not due:
 *   `retention_purge_referrals(ids, closed_before)` deletes referrals closed before the cutoff
 *   (their history by cascade) and their closed follow-ups; `retention_purge_contacts(ids,
 *   before)` deletes contacts that happened before the cutoff with their amendments, detaches
 *   the needs of a person recorded on them (the need stays with the person) and deletes the
 *   needs of an anonymous contact.
 * - `retention_organisations()` lists the organisations the daily purge visits (not those in
 *   lockdown, whose keys are refused).
 */
export class CreateRetentionPolicies1795750000000 implements MigrationInterface {
  name = 'CreateRetentionPolicies1795750000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "retention_policy" ("organisation_id" uuid NOT NULL, "record_class" text NOT NULL, "keep" integer, "version" integer NOT NULL, "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL, "updated_by" uuid NOT NULL, CONSTRAINT "retention_policy_keep" CHECK ("keep" IS NULL OR "keep" >= 1), CONSTRAINT "retention_policy_class" CHECK ("record_class" IN ('inactive_people', 'closed_referrals', 'contacts', 'access_events', 'idempotency_records', 'expired_sessions', 'throttle_rows')), CONSTRAINT "retention_policy_pkey" PRIMARY KEY ("organisation_id", "record_class"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "purge_run" ("organisation_id" uuid NOT NULL, "id" uuid NOT NULL, "trigger" text NOT NULL, "started_at" TIMESTAMP WITH TIME ZONE NOT NULL, "finished_at" TIMESTAMP WITH TIME ZONE NOT NULL, "counts" jsonb NOT NULL, CONSTRAINT "purge_run_times" CHECK ("finished_at" >= "started_at"), CONSTRAINT "purge_run_trigger" CHECK ("trigger" IN ('job', 'cli', 'admin')), CONSTRAINT "purge_run_pkey" PRIMARY KEY ("organisation_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "purge_run_recent" ON "purge_run" ("organisation_id", "finished_at") `,
    );
    for (const table of TENANT_TABLES) {
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD CONSTRAINT "${table}_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
      );
      await queryRunner.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY`);
      await queryRunner.query(`
        CREATE POLICY "${table}_tenant_isolation" ON "${table}"
          USING ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
          WITH CHECK ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
    }
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON "retention_policy" TO "harbour_api"`);
    await queryRunner.query(`GRANT SELECT, INSERT ON "purge_run" TO "harbour_api"`);

    await queryRunner.query(`
      CREATE FUNCTION "retention_organisations"()
      RETURNS TABLE (organisation_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER
      SET search_path = pg_catalog, public
      AS $$
        SELECT o.id FROM public.organisation o WHERE o.lockdown_at IS NULL ORDER BY o.id
      $$`);

    await queryRunner.query(`
      CREATE FUNCTION "retention_purge_referrals"(p_ids uuid[], p_closed_before timestamptz)
      RETURNS integer
      LANGUAGE plpgsql VOLATILE SECURITY DEFINER
      SET search_path = pg_catalog, public
      AS $$
      DECLARE
        tenant uuid := NULLIF(current_setting('app.org_id', true), '')::uuid;
        due uuid[];
        removed integer;
      BEGIN
        IF tenant IS NULL THEN
          RAISE EXCEPTION 'no tenant' USING ERRCODE = '42501';
        END IF;
        SELECT coalesce(array_agg(r.id), '{}') INTO due FROM public.referral r
         WHERE r.organisation_id = tenant AND r.id = ANY (p_ids)
           AND r.closed_at IS NOT NULL AND r.closed_at < p_closed_before
           AND NOT EXISTS (SELECT 1 FROM public.follow_up f
                            WHERE f.organisation_id = tenant AND f.referral_id = r.id
                              AND f.status = 'open');
        IF cardinality(due) <> cardinality(p_ids) THEN
          RAISE EXCEPTION 'a referral is not due for purge' USING ERRCODE = '22023';
        END IF;
        DELETE FROM public.follow_up f WHERE f.organisation_id = tenant AND f.referral_id = ANY (due);
        DELETE FROM public.referral r WHERE r.organisation_id = tenant AND r.id = ANY (due);
        GET DIAGNOSTICS removed = ROW_COUNT;
        RETURN removed;
      END
      $$`);

    await queryRunner.query(`
      CREATE FUNCTION "retention_purge_contacts"(p_ids uuid[], p_before date)
      RETURNS integer
      LANGUAGE plpgsql VOLATILE SECURITY DEFINER
      SET search_path = pg_catalog, public
      AS $$
      DECLARE
        tenant uuid := NULLIF(current_setting('app.org_id', true), '')::uuid;
        due uuid[];
        removed integer;
      BEGIN
        IF tenant IS NULL THEN
          RAISE EXCEPTION 'no tenant' USING ERRCODE = '42501';
        END IF;
        SELECT coalesce(array_agg(c.id), '{}') INTO due FROM public.contact c
         WHERE c.organisation_id = tenant AND c.id = ANY (p_ids) AND c.occurred_on < p_before;
        IF cardinality(due) <> cardinality(p_ids) THEN
          RAISE EXCEPTION 'a contact is not due for purge' USING ERRCODE = '22023';
        END IF;
        DELETE FROM public.contact_amendment a
         WHERE a.organisation_id = tenant AND a.contact_id = ANY (due);
        UPDATE public.support_need n SET contact_id = NULL
         WHERE n.organisation_id = tenant AND n.contact_id = ANY (due) AND n.person_id IS NOT NULL;
        DELETE FROM public.support_need n
         WHERE n.organisation_id = tenant AND n.contact_id = ANY (due) AND n.person_id IS NULL;
        DELETE FROM public.contact c WHERE c.organisation_id = tenant AND c.id = ANY (due);
        GET DIAGNOSTICS removed = ROW_COUNT;
        RETURN removed;
      END
      $$`);

    for (const fn of FUNCTIONS) {
      await queryRunner.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
      await queryRunner.query(`GRANT EXECUTE ON FUNCTION ${fn} TO "harbour_api"`);
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const fn of FUNCTIONS) await queryRunner.query(`DROP FUNCTION ${fn}`);
    await queryRunner.query(`DROP TABLE "purge_run"`);
    await queryRunner.query(`DROP TABLE "retention_policy"`);
  }
}

const FUNCTIONS = [
  `"retention_organisations"()`,
  `"retention_purge_referrals"(uuid[], timestamptz)`,
  `"retention_purge_contacts"(uuid[], date)`,
] as const;
