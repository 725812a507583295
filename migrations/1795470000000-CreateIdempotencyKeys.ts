import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `Idempotency-Key` on creates (docs/design.md §11): one row per (organisation, user, route, key)
 * with the request's hash and the first answer, encrypted under the organisation key.
 */
export class CreateIdempotencyKeys1795470000000 implements MigrationInterface {
  name = 'CreateIdempotencyKeys1795470000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "idempotency_key" ("organisation_id" uuid NOT NULL, "id" uuid NOT NULL, "user_id" uuid NOT NULL, "route" text NOT NULL, "key" text NOT NULL, "request_hash" bytea NOT NULL, "status" integer NOT NULL, "response" bytea NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "idempotency_key_response_envelope" CHECK (octet_length("response") >= 46 AND get_byte("response", 0) = 1), CONSTRAINT "idempotency_key_length" CHECK (char_length("key") BETWEEN 1 AND 100), CONSTRAINT "idempotency_key_pkey" PRIMARY KEY ("organisation_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idempotency_key_unique" ON "idempotency_key"("organisation_id", "user_id", "route", "key")`,
    );
    await queryRunner.query(
      `ALTER TABLE "idempotency_key" ADD CONSTRAINT "idempotency_key_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "idempotency_key" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "idempotency_key" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY "idempotency_key_tenant_isolation" ON "idempotency_key"
        USING ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
        WITH CHECK ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
    await queryRunner.query(`GRANT SELECT, INSERT ON "idempotency_key" TO "harbour_api"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "idempotency_key"`);
  }
}
