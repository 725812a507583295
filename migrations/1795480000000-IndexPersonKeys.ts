import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A person's current key is found by its subject (contact notes are encrypted under it, so a
 * contact create looks it up): an index on person keys by subject.
 */
export class IndexPersonKeys1795480000000 implements MigrationInterface {
  name = 'IndexPersonKeys1795480000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "organisation_key_person" ON "organisation_key" ("organisation_id", "subject_id") WHERE "purpose" = 'person_data'`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "organisation_key_person"`);
  }
}
