import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Canary people (docs/design.md §5): `canary` marks which people are decoys an admin planted. A row
 * holds nothing readable: its id is random (not time-ordered) and everything else — the
 * person's id, when and by whom it was planted, whether it was retired — is one envelope under
 * the organisation's data key, so the table alone does not tell a database reader which people
 * are decoys. The API role reads it (to flag accesses and leave decoys out of reports), adds to
 * it and rewrites the envelope (retirement); no route other than the admin's serves it.
 */
export class CreateCanaries1795566000000 implements MigrationInterface {
  name = 'CreateCanaries1795566000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "canary" (
        "organisation_id" uuid NOT NULL,
        "id" uuid NOT NULL,
        "sealed" bytea NOT NULL,
        CONSTRAINT "canary_sealed_envelope" CHECK (octet_length("sealed") >= 46 AND get_byte("sealed", 0) = 1),
        CONSTRAINT "canary_pkey" PRIMARY KEY ("organisation_id", "id")
      )`);
    await queryRunner.query(
      `ALTER TABLE "canary" ADD CONSTRAINT "canary_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "canary" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "canary" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY "canary_tenant_isolation" ON "canary"
        USING ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
        WITH CHECK ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
    await queryRunner.query(`GRANT SELECT, INSERT ON "canary" TO "harbour_api"`);
    await queryRunner.query(`GRANT UPDATE ("sealed") ON "canary" TO "harbour_api"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "canary"`);
  }
}
