import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Rotation of an organisation's key-encryption key (docs/operations.md "Key rotation"):
 *
 * - `organisation.current_kek_id`: the KEK new keys are wrapped by (read, like the current data
 *   key, in every transaction that asks the keyring for a key).
 * - `organisation_key_wrapping`: the keys each KEK wraps, so a rotation finds them in order and
 *   counts what is left without reading the whole keyring.
 * - A background job may now be a KEK rotation (`rotate_kek`).
 */
export class KekRotation1795710000000 implements MigrationInterface {
  name = 'KekRotation1795710000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "organisation" ADD "current_kek_id" integer NOT NULL DEFAULT 1`,
    );
    await queryRunner.query(
      `CREATE INDEX "organisation_key_wrapping" ON "organisation_key" ("organisation_id", "wrapping_key_id", "key_id") WHERE "wrapped" IS NOT NULL`,
    );
    await queryRunner.query(`ALTER TABLE "background_job" DROP CONSTRAINT "background_job_kind"`);
    await queryRunner.query(
      `ALTER TABLE "background_job" ADD CONSTRAINT "background_job_kind" CHECK ("kind" IN ('rotate_data_key', 'rotate_kek'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "background_job" DROP CONSTRAINT "background_job_kind"`);
    await queryRunner.query(
      `ALTER TABLE "background_job" ADD CONSTRAINT "background_job_kind" CHECK ("kind" IN ('rotate_data_key'))`,
    );
    await queryRunner.query(`DROP INDEX "organisation_key_wrapping"`);
    await queryRunner.query(`ALTER TABLE "organisation" DROP COLUMN "current_kek_id"`);
  }
}
