import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Follow-ups (issue 17): dated tasks on a person, need or referral, assigned to a staff member.
 * Manual ones carry text sealed under the person's key (CHECK on the envelope); automatic ones
 * (`stale_referral`, added by the scheduled task for a referral that has waited on its partner
 * for the organisation's `stale_referral_days`) carry none, one open per referral (partial
 * unique index). Row-level security like every tenant table; the API may add and update
 * follow-ups, never delete them.
 *
 * `stale_referral_organisations()` tells the scheduled task, which runs outside any tenant,
 * which organisations have automatic follow-ups switched on (their ids only).
 */
export class CreateFollowUps1795740000000 implements MigrationInterface {
  name = 'CreateFollowUps1795740000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "organisation" ADD "stale_referral_days" smallint DEFAULT '14'`,
    );
    await queryRunner.query(
      `ALTER TABLE "organisation" ADD CONSTRAINT "organisation_stale_referral_days" CHECK ("stale_referral_days" IS NULL OR "stale_referral_days" BETWEEN 1 AND 365)`,
    );
    await queryRunner.query(
      `CREATE TABLE "follow_up" ("organisation_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', "person_id" uuid, "need_id" uuid, "referral_id" uuid, "source" text NOT NULL, "text" bytea, "due_on" date NOT NULL, "assigned_to" uuid NOT NULL, "status" text NOT NULL DEFAULT 'open', "snoozed_count" integer NOT NULL DEFAULT '0', "completed_at" TIMESTAMP WITH TIME ZONE, "completed_by" uuid, "created_by" uuid NOT NULL, CONSTRAINT "follow_up_snoozed_count" CHECK ("snoozed_count" >= 0), CONSTRAINT "follow_up_closed_complete" CHECK (("status" = 'open') = ("completed_at" IS NULL) AND ("completed_at" IS NULL) = ("completed_by" IS NULL)), CONSTRAINT "follow_up_text_envelope" CHECK ("text" IS NULL OR (octet_length("text") >= 46 AND get_byte("text", 0) = 1)), CONSTRAINT "follow_up_shape" CHECK (("source" = 'manual' AND "person_id" IS NOT NULL AND "text" IS NOT NULL) OR ("source" = 'stale_referral' AND "referral_id" IS NOT NULL AND "text" IS NULL)), CONSTRAINT "follow_up_source" CHECK ("source" IN ('manual', 'stale_referral')), CONSTRAINT "follow_up_status" CHECK ("status" IN ('open', 'done', 'cancelled')), CONSTRAINT "follow_up_pkey" PRIMARY KEY ("organisation_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "follow_up_open_stale_referral" ON "follow_up" ("organisation_id", "referral_id") WHERE "source" = 'stale_referral' AND "status" = 'open'`,
    );
    await queryRunner.query(
      `CREATE INDEX "follow_up_person" ON "follow_up" ("organisation_id", "person_id")`,
    );
    await queryRunner.query(
      `CREATE INDEX "follow_up_assignee_due" ON "follow_up" ("organisation_id", "assigned_to", "status", "due_on")`,
    );
    await queryRunner.query(
      `ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_person_fk" FOREIGN KEY ("organisation_id", "person_id") REFERENCES "person"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_need_fk" FOREIGN KEY ("organisation_id", "need_id") REFERENCES "support_need"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_referral_fk" FOREIGN KEY ("organisation_id", "referral_id") REFERENCES "referral"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_assigned_to_fk" FOREIGN KEY ("organisation_id", "assigned_to") REFERENCES "staff_user"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "follow_up" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "follow_up" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY "follow_up_tenant_isolation" ON "follow_up"
        USING ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
        WITH CHECK ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON "follow_up" TO "harbour_api"`);

    await queryRunner.query(`
      CREATE FUNCTION "stale_referral_organisations"()
      RETURNS TABLE (organisation_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER
      SET search_path = pg_catalog, public
      AS $$
        SELECT o.id FROM public.organisation o
         WHERE o.stale_referral_days IS NOT NULL AND o.lockdown_at IS NULL
         ORDER BY o.id
      $$`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION "stale_referral_organisations"() FROM PUBLIC`);
    await queryRunner.query(
      `GRANT EXECUTE ON FUNCTION "stale_referral_organisations"() TO "harbour_api"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION "stale_referral_organisations"()`);
    await queryRunner.query(`DROP TABLE "follow_up"`);
    await queryRunner.query(
      `ALTER TABLE "organisation" DROP CONSTRAINT "organisation_stale_referral_days"`,
    );
    await queryRunner.query(`ALTER TABLE "organisation" DROP COLUMN "stale_referral_days"`);
  }
}
