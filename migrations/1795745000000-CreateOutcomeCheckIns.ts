import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outcome check-ins (docs/design.md §3): the person's own rating of six areas of life, 1 to 5
 * or null for not discussed, on a day. Class C only (a date and small numbers, no identity, no
 * free text). Row-level security like every tenant table; the API may add and read check-ins,
 * never change or delete them (a person's erasure removes the person row's dependants by
 * cascade, as for consents). The coordinator report of change per domain is a family of stored
 * publications of its own (`checkIns`, docs/adr/0007).
 */
export class CreateOutcomeCheckIns1795745000000 implements MigrationInterface {
  name = 'CreateOutcomeCheckIns1795745000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "outcome_check_in" ("organisation_id" uuid NOT NULL, "id" uuid NOT NULL, "person_id" uuid NOT NULL, "checked_on" date NOT NULL, "safety" smallint, "legal_status" smallint, "health_wellbeing" smallint, "work_money" smallint, "housing" smallint, "social_support" smallint, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "outcome_check_in_something_rated" CHECK (num_nonnulls("safety", "legal_status", "health_wellbeing", "work_money", "housing", "social_support") > 0), CONSTRAINT "outcome_check_in_social_support" CHECK ("social_support" IS NULL OR "social_support" BETWEEN 1 AND 5), CONSTRAINT "outcome_check_in_housing" CHECK ("housing" IS NULL OR "housing" BETWEEN 1 AND 5), CONSTRAINT "outcome_check_in_work_money" CHECK ("work_money" IS NULL OR "work_money" BETWEEN 1 AND 5), CONSTRAINT "outcome_check_in_health_wellbeing" CHECK ("health_wellbeing" IS NULL OR "health_wellbeing" BETWEEN 1 AND 5), CONSTRAINT "outcome_check_in_legal_status" CHECK ("legal_status" IS NULL OR "legal_status" BETWEEN 1 AND 5), CONSTRAINT "outcome_check_in_safety" CHECK ("safety" IS NULL OR "safety" BETWEEN 1 AND 5), CONSTRAINT "outcome_check_in_pkey" PRIMARY KEY ("organisation_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "outcome_check_in_organisation_created" ON "outcome_check_in" ("organisation_id", "created_at") `,
    );
    await queryRunner.query(
      `CREATE INDEX "outcome_check_in_person" ON "outcome_check_in" ("organisation_id", "person_id", "checked_on") `,
    );
    await queryRunner.query(
      `ALTER TABLE "outcome_check_in" ADD CONSTRAINT "outcome_check_in_person_fk" FOREIGN KEY ("organisation_id", "person_id") REFERENCES "person"("organisation_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "outcome_check_in" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "outcome_check_in" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY "outcome_check_in_tenant_isolation" ON "outcome_check_in"
        USING ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
        WITH CHECK ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
    await queryRunner.query(`GRANT SELECT, INSERT ON "outcome_check_in" TO "harbour_api"`);
    // A merge moves the absorbed person's check-ins to the survivor (ratings are never changed).
    await queryRunner.query(`GRANT UPDATE ("person_id") ON "outcome_check_in" TO "harbour_api"`);
    await queryRunner.query(
      `ALTER TABLE "report_publication" DROP CONSTRAINT "report_publication_family"`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_publication" ADD CONSTRAINT "report_publication_family" CHECK ("family" IN ('needs', 'referrals', 'contacts', 'outcomes', 'checkIns'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "report_publication" WHERE "family" = 'checkIns'`);
    await queryRunner.query(
      `ALTER TABLE "report_publication" DROP CONSTRAINT "report_publication_family"`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_publication" ADD CONSTRAINT "report_publication_family" CHECK ("family" IN ('needs', 'referrals', 'contacts', 'outcomes'))`,
    );
    await queryRunner.query(`DROP TABLE "outcome_check_in"`);
  }
}
