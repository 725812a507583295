import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Erasure at a person's request (docs/design.md §9): `person.erased_at` marks a person whose keys were
 * destroyed and whose identity and index rows were deleted; such a person holds no identity.
 */
export class PersonErasure1795510000000 implements MigrationInterface {
  name = 'PersonErasure1795510000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "person" ADD "erased_at" TIMESTAMP WITH TIME ZONE`);
    await queryRunner.query(
      `ALTER TABLE "person" ADD CONSTRAINT "person_erased_has_no_identity" CHECK ("erased_at" IS NULL OR NOT "has_identity")`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "person" DROP CONSTRAINT "person_erased_has_no_identity"`);
    await queryRunner.query(`ALTER TABLE "person" DROP COLUMN "erased_at"`);
  }
}
