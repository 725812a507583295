import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports over closed periods only (docs/adr/0007): each closed quarter's protected figures
 * (and each closed period's outcome times) are kept as first published, so no later request,
 * filter, tier or new record can change them. Insert and read only for the API role.
 */
export class CreateReportPublications1795600000000 implements MigrationInterface {
  name = 'CreateReportPublications1795600000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "report_publication" ("organisation_id" uuid NOT NULL, "family" text NOT NULL, "period" text NOT NULL, "published_at" TIMESTAMP WITH TIME ZONE NOT NULL, "k" integer NOT NULL, "content" jsonb NOT NULL, CONSTRAINT "report_publication_period" CHECK ("period" ~ '^[0-9]{4}(-Q[1-4])?$'), CONSTRAINT "report_publication_family" CHECK ("family" IN ('needs', 'referrals', 'contacts', 'outcomes')), CONSTRAINT "report_publication_pkey" PRIMARY KEY ("organisation_id", "family", "period"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_publication" ADD CONSTRAINT "report_publication_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "report_publication" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "report_publication" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY "report_publication_tenant_isolation" ON "report_publication"
        USING ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
        WITH CHECK ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
    await queryRunner.query(`GRANT SELECT, INSERT ON "report_publication" TO "harbour_api"`);
    // Records are counted in the quarter they were entered: the index the reports read by.
    await queryRunner.query(
      `CREATE INDEX "support_need_organisation_created" ON "support_need" ("organisation_id", "created_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "contact_organisation_created" ON "contact" ("organisation_id", "created_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "referral_organisation_created" ON "referral" ("organisation_id", "created_at")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "referral_organisation_created"`);
    await queryRunner.query(`DROP INDEX "contact_organisation_created"`);
    await queryRunner.query(`DROP INDEX "support_need_organisation_created"`);
    await queryRunner.query(`DROP TABLE "report_publication"`);
  }
}
