import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Device keys (issue 19, offline capture; docs/adr/0012): `device_key_epoch` holds, per staff
 * member, the generation of the keys the API releases to their devices. Raising it revokes
 * every key released before. A tenant table under the organisation policy like the others.
 */
export class CreateDeviceKeyEpochs1795760002000 implements MigrationInterface {
  name = 'CreateDeviceKeyEpochs1795760002000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "device_key_epoch" ("organisation_id" uuid NOT NULL, "user_id" uuid NOT NULL, "epoch" integer NOT NULL DEFAULT '0', "changed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "device_key_epoch_positive" CHECK ("epoch" >= 0), CONSTRAINT "device_key_epoch_pkey" PRIMARY KEY ("organisation_id", "user_id"))`,
    );
    await queryRunner.query(
      `ALTER TABLE "device_key_epoch" ADD CONSTRAINT "device_key_epoch_user_fk" FOREIGN KEY ("organisation_id", "user_id") REFERENCES "staff_user"("organisation_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "device_key_epoch" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "device_key_epoch" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY "device_key_epoch_tenant_isolation" ON "device_key_epoch"
        USING ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
        WITH CHECK ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON "device_key_epoch" TO "harbour_api"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "device_key_epoch"`);
  }
}
