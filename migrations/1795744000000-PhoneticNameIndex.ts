import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Similar-name blind index (ADR 0010): two new kinds of `person_index` row. `name_phonetic` holds
 * one keyed, truncated value per phonetic key of a person's name units (Latin tokens, Thai,
 * Hangul and Han tokens romanised, name parts split and joined); `name_phonetic_pair` one per
 * unordered pair of those keys. Both need the organisation's index key and the decrypted name,
 * which SQL never holds: people indexed before this migration get their rows when their
 * identity is next saved or when the similar-name re-index reaches them (ADR 0010).
 */
export class PhoneticNameIndex1795744000000 implements MigrationInterface {
  name = 'PhoneticNameIndex1795744000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "person_index" DROP CONSTRAINT "person_index_kind"`);
    await queryRunner.query(
      `ALTER TABLE "person_index" ADD CONSTRAINT "person_index_kind" CHECK ("kind" IN ('name', 'name_pair', 'name_unpaired', 'name_phonetic', 'name_phonetic_pair', 'alias', 'slk', 'phone'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    const organisations = (await queryRunner.query(
      `SELECT id FROM "organisation" ORDER BY id`,
    )) as {
      id: string;
    }[];
    for (const { id } of organisations) {
      await queryRunner.query(`SELECT set_config('app.org_id', $1, true)`, [id]);
      await queryRunner.query(
        `DELETE FROM "person_index" WHERE "organisation_id" = $1 AND "kind" IN ('name_phonetic', 'name_phonetic_pair')`,
        [id],
      );
    }
    await queryRunner.query(`SELECT set_config('app.org_id', '', true)`);
    await queryRunner.query(`ALTER TABLE "person_index" DROP CONSTRAINT "person_index_kind"`);
    await queryRunner.query(
      `ALTER TABLE "person_index" ADD CONSTRAINT "person_index_kind" CHECK ("kind" IN ('name', 'name_pair', 'name_unpaired', 'alias', 'slk', 'phone'))`,
    );
  }
}
