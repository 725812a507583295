import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateOrganisation1795388502610 implements MigrationInterface {
  name = 'CreateOrganisation1795388502610';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "organisation" (
        "id" uuid NOT NULL,
        "name" text NOT NULL,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "version" integer NOT NULL DEFAULT 1,
        CONSTRAINT "organisation_name_length" CHECK (char_length("name") BETWEEN 1 AND 200),
        CONSTRAINT "organisation_pkey" PRIMARY KEY ("id")
      )`);
    // Tenant isolation: the application role sees only the organisation of the current
    // transaction (set with set_config('app.org_id', $1, true)); with none set it sees nothing.
    await queryRunner.query(`ALTER TABLE "organisation" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "organisation" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY "organisation_tenant_isolation" ON "organisation"
        USING ("id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
        WITH CHECK ("id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
    await queryRunner.query(`GRANT SELECT, UPDATE ON "organisation" TO "harbour_api"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE ALL ON "organisation" FROM "harbour_api"`);
    await queryRunner.query(`DROP POLICY "organisation_tenant_isolation" ON "organisation"`);
    await queryRunner.query(`DROP TABLE "organisation"`);
  }
}
