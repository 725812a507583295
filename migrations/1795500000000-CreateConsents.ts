import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A person's consents (docs/design.md §3): per purpose, revocable, never deleted (the history stays),
 * at most one in force per person and purpose. Row-level security like every tenant table; the
 * API may add and revoke (update) consents, never delete them.
 */
export class CreateConsents1795500000000 implements MigrationInterface {
  name = 'CreateConsents1795500000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "consent" ("organisation_id" uuid NOT NULL, "id" uuid NOT NULL, "person_id" uuid NOT NULL, "purpose" text NOT NULL, "method" text NOT NULL, "given_at" TIMESTAMP WITH TIME ZONE NOT NULL, "given_by" uuid NOT NULL, "revoked_at" TIMESTAMP WITH TIME ZONE, "revoked_by" uuid, "version" integer NOT NULL, CONSTRAINT "consent_revoked_after_given" CHECK ("revoked_at" IS NULL OR "revoked_at" >= "given_at"), CONSTRAINT "consent_revocation_complete" CHECK (("revoked_at" IS NULL) = ("revoked_by" IS NULL)), CONSTRAINT "consent_method" CHECK ("method" IN ('verbal', 'written')), CONSTRAINT "consent_purpose" CHECK ("purpose" IN ('referral_sharing', 'contact_by_phone', 'contact_by_text', 'aggregate_reporting')), CONSTRAINT "consent_pkey" PRIMARY KEY ("organisation_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "consent_in_force" ON "consent"  ("organisation_id", "person_id", "purpose") WHERE "revoked_at" IS NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "consent" ADD CONSTRAINT "consent_person_fk" FOREIGN KEY ("organisation_id", "person_id") REFERENCES "person"("organisation_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "consent" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "consent" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY "consent_tenant_isolation" ON "consent"
        USING ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
        WITH CHECK ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON "consent" TO "harbour_api"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "consent"`);
  }
}
