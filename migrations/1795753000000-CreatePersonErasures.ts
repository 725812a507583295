import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasure receipts kept (issue 18, a person's own data): `person_erasure` holds one row per
 * erased person — identity field names removed, counts, when, and the day the last keyring
 * backup holding the key expires — so the receipt can be downloaded again. Insert-only for the
 * API role, under the organisation policy like every tenant table. People erased before this
 * migration have no row: their receipt is rebuilt from the person row, counts unknown.
 */
export class CreatePersonErasures1795753000000 implements MigrationInterface {
  name = 'CreatePersonErasures1795753000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "person_erasure" ("organisation_id" uuid NOT NULL, "id" uuid NOT NULL, "person_id" uuid NOT NULL, "identity_fields" text array NOT NULL, "index_entries_removed" integer NOT NULL, "keys_destroyed" integer NOT NULL, "notes_shredded" integer NOT NULL, "erased_at" TIMESTAMP WITH TIME ZONE NOT NULL, "backups_clear_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "person_erasure_counts" CHECK ("index_entries_removed" >= 0 AND "keys_destroyed" >= 0 AND "notes_shredded" >= 0), CONSTRAINT "person_erasure_pkey" PRIMARY KEY ("organisation_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "person_erasure_person" ON "person_erasure"  ("organisation_id", "person_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "person_erasure" ADD CONSTRAINT "person_erasure_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "person_erasure" ADD CONSTRAINT "person_erasure_person_fk" FOREIGN KEY ("organisation_id", "person_id") REFERENCES "person"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "person_erasure" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "person_erasure" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY "person_erasure_tenant_isolation" ON "person_erasure"
        USING ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
        WITH CHECK ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
    await queryRunner.query(`GRANT SELECT, INSERT ON "person_erasure" TO "harbour_api"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "person_erasure"`);
  }
}
