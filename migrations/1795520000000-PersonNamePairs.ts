import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Name-pair blind index (docs/design.md §5): two new kinds of `person_index` row. `name_pair` holds
 * one value per unordered pair of a person's folded name tokens, so a lookup by two or more
 * tokens probes small buckets however common each token is alone. `name_unpaired` (value 0)
 * marks a person whose name has no pair rows — more distinct tokens than pairs are kept for, or
 * indexed before pairs existed — so a lookup checks such people through their token rows.
 *
 * Pair values need the organisation's index key, which SQL never holds, so people already
 * indexed are marked `name_unpaired` here (per organisation, under its tenant, as row-level
 * security is forced): still found, through their token rows, until re-indexed.
 */
export class PersonNamePairs1795520000000 implements MigrationInterface {
  name = 'PersonNamePairs1795520000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "person_index" DROP CONSTRAINT "person_index_kind"`);
    await queryRunner.query(
      `ALTER TABLE "person_index" ADD CONSTRAINT "person_index_kind" CHECK ("kind" IN ('name', 'name_pair', 'name_unpaired', 'alias', 'slk', 'phone'))`,
    );
    await inEachOrganisation(
      queryRunner,
      `INSERT INTO "person_index" ("organisation_id", "kind", "bits", "value", "person_id")
       SELECT DISTINCT "organisation_id", 'name_unpaired', "bits", 0, "person_id"
         FROM "person_index" WHERE "organisation_id" = $1 AND "kind" = 'name'
       ON CONFLICT DO NOTHING`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await inEachOrganisation(
      queryRunner,
      `DELETE FROM "person_index" WHERE "organisation_id" = $1 AND "kind" IN ('name_pair', 'name_unpaired')`,
    );
    await queryRunner.query(`ALTER TABLE "person_index" DROP CONSTRAINT "person_index_kind"`);
    await queryRunner.query(
      `ALTER TABLE "person_index" ADD CONSTRAINT "person_index_kind" CHECK ("kind" IN ('name', 'alias', 'slk', 'phone'))`,
    );
  }
}

/** Runs `sql` ($1 the organisation) once per organisation, under its tenant (RLS is forced). */
async function inEachOrganisation(queryRunner: QueryRunner, sql: string): Promise<void> {
  const organisations = (await queryRunner.query(`SELECT id FROM "organisation" ORDER BY id`)) as {
    id: string;
  }[];
  for (const { id } of organisations) {
    await queryRunner.query(`SELECT set_config('app.org_id', $1, true)`, [id]);
    await queryRunner.query(sql, [id]);
  }
  await queryRunner.query(`SELECT set_config('app.org_id', '', true)`);
}
