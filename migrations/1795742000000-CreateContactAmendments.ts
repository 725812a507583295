import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Corrections of contacts without losing history (issue 17): `contact_amendment` holds, beside
 * the untouched contact, why it was corrected and the corrected values, sealed under the
 * person's own key (reason and notes: envelopes, CHECKed). Row-level security like every
 * tenant table; the API may add and read amendments, never change or delete them.
 */
export class CreateContactAmendments1795742000000 implements MigrationInterface {
  name = 'CreateContactAmendments1795742000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "contact_amendment" ("organisation_id" uuid NOT NULL, "id" uuid NOT NULL, "contact_id" uuid NOT NULL, "person_id" uuid NOT NULL, "fields" text array NOT NULL, "reason" bytea NOT NULL, "notes" bytea, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "contact_amendment_fields" CHECK (cardinality("fields") >= 1 AND "fields" <@ ARRAY['notes']::text[]), CONSTRAINT "contact_amendment_notes_envelope" CHECK ("notes" IS NULL OR (octet_length("notes") >= 46 AND get_byte("notes", 0) = 1)), CONSTRAINT "contact_amendment_reason_envelope" CHECK (octet_length("reason") >= 46 AND get_byte("reason", 0) = 1), CONSTRAINT "contact_amendment_pkey" PRIMARY KEY ("organisation_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "contact_amendment_person" ON "contact_amendment" ("organisation_id", "person_id") `,
    );
    await queryRunner.query(
      `CREATE INDEX "contact_amendment_contact" ON "contact_amendment" ("organisation_id", "contact_id", "created_at") `,
    );
    await queryRunner.query(
      `ALTER TABLE "contact_amendment" ADD CONSTRAINT "contact_amendment_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "contact_amendment" ADD CONSTRAINT "contact_amendment_contact_fk" FOREIGN KEY ("organisation_id", "contact_id") REFERENCES "contact"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "contact_amendment" ADD CONSTRAINT "contact_amendment_person_fk" FOREIGN KEY ("organisation_id", "person_id") REFERENCES "person"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "contact_amendment" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "contact_amendment" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY "contact_amendment_tenant_isolation" ON "contact_amendment"
        USING ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
        WITH CHECK ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
    await queryRunner.query(`GRANT SELECT, INSERT ON "contact_amendment" TO "harbour_api"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "contact_amendment"`);
  }
}
