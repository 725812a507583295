import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * An erasure receipt also counts the person's open follow-ups that the erasure cancelled
 * (`person_erasure.follow_ups_cancelled`). Receipts kept before this migration did not record
 * it: null there, "not recorded" on the receipt.
 */
export class ErasureCountsFollowUps1795778000000 implements MigrationInterface {
  name = 'ErasureCountsFollowUps1795778000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "person_erasure" ADD "follow_ups_cancelled" integer`);
    await queryRunner.query(
      `ALTER TABLE "person_erasure" ADD CONSTRAINT "person_erasure_follow_ups_cancelled" CHECK ("follow_ups_cancelled" IS NULL OR "follow_ups_cancelled" >= 0)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "person_erasure" DROP CONSTRAINT "person_erasure_follow_ups_cancelled"`,
    );
    await queryRunner.query(`ALTER TABLE "person_erasure" DROP COLUMN "follow_ups_cancelled"`);
  }
}
