import type { MigrationInterface, QueryRunner } from 'typeorm';

const AGE_BANDS = `'under_18', '18_24', '25_34', '35_44', '45_54', '55_64', '65_plus', 'unknown'`;
const REGIONS = `'south_eastern_asia', 'eastern_asia', 'southern_asia', 'central_asia', 'western_asia', 'northern_africa', 'sub_saharan_africa', 'eastern_europe', 'northern_europe', 'southern_europe', 'western_europe', 'latin_america_caribbean', 'northern_america', 'oceania', 'unknown'`;
const LANGUAGES = `'english', 'thai', 'vietnamese', 'chinese_mandarin', 'chinese_cantonese', 'korean', 'japanese', 'indonesian_malay', 'tagalog', 'khmer', 'lao', 'burmese', 'nepali', 'hindi_urdu', 'spanish', 'portuguese', 'romanian', 'bulgarian', 'russian', 'arabic', 'other'`;
const GENDERS = `'woman', 'man', 'trans_woman', 'trans_man', 'non_binary', 'other', 'prefer_not_to_say'`;
const IDENTITY_COLUMNS = ['given_name', 'family_name', 'alias', 'date_of_birth', 'sex', 'phone'];
const TENANT_TABLES = ['person', 'person_identity', 'person_index'] as const;

/**
 * People (docs/design.md §3–§5): `person` (pseudonymous code and class C categories),
 * `person_identity` (class A fields, each an envelope under the person's own key; CHECK
 * constraints refuse anything else), `person_index` (blind-index side table), the organisation's
 * index width, and a sequence for person key ids.
 */
export class CreatePersons1795440000000 implements MigrationInterface {
  name = 'CreatePersons1795440000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "organisation" ADD "person_index_bits" smallint NOT NULL DEFAULT '16'`,
    );
    await queryRunner.query(
      `ALTER TABLE "organisation" ADD CONSTRAINT "organisation_person_index_bits" CHECK ("person_index_bits" BETWEEN 8 AND 32)`,
    );
    await queryRunner.query(`
      CREATE TABLE "person" (
        "organisation_id" uuid NOT NULL,
        "id" uuid NOT NULL,
        "code" text NOT NULL,
        "age_band" text NOT NULL DEFAULT 'unknown',
        "region_of_origin" text NOT NULL DEFAULT 'unknown',
        "language_group" text,
        "gender_identity" text,
        "consent_to_reporting" boolean NOT NULL DEFAULT false,
        "has_identity" boolean NOT NULL DEFAULT false,
        "created_by" uuid,
        "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(),
        "version" integer NOT NULL DEFAULT '1',
        CONSTRAINT "person_gender_identity" CHECK ("gender_identity" IS NULL OR "gender_identity" IN (${GENDERS})),
        CONSTRAINT "person_language_group" CHECK ("language_group" IS NULL OR "language_group" IN (${LANGUAGES})),
        CONSTRAINT "person_region_of_origin" CHECK ("region_of_origin" IN (${REGIONS})),
        CONSTRAINT "person_age_band" CHECK ("age_band" IN (${AGE_BANDS})),
        CONSTRAINT "person_code_format" CHECK ("code" ~ '^HB-[0-9A-HJKMNP-TV-Z]{4}-[0-9A-HJKMNP-TV-Z]{4}$'),
        CONSTRAINT "person_pkey" PRIMARY KEY ("organisation_id", "id")
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX "person_code_unique" ON "person" ("organisation_id", "code")`,
    );
    const envelopes = IDENTITY_COLUMNS.map(
      (c) =>
        `CONSTRAINT "person_identity_${c}_envelope" CHECK ("${c}" IS NULL OR (octet_length("${c}") >= 46 AND get_byte("${c}", 0) = 1))`,
    ).join(',\n        ');
    await queryRunner.query(`
      CREATE TABLE "person_identity" (
        "organisation_id" uuid NOT NULL,
        "person_id" uuid NOT NULL,
        "key_id" integer NOT NULL,
        "given_name" bytea,
        "family_name" bytea,
        "alias" bytea,
        "date_of_birth" bytea,
        "sex" bytea,
        "phone" bytea,
        ${envelopes},
        CONSTRAINT "person_identity_pkey" PRIMARY KEY ("organisation_id", "person_id")
      )`);
    await queryRunner.query(`
      CREATE TABLE "person_index" (
        "organisation_id" uuid NOT NULL,
        "kind" text NOT NULL,
        "bits" smallint NOT NULL,
        "value" bigint NOT NULL,
        "person_id" uuid NOT NULL,
        CONSTRAINT "person_index_value" CHECK ("value" >= 0 AND "value" < (1::bigint << "bits")),
        CONSTRAINT "person_index_bits" CHECK ("bits" BETWEEN 8 AND 32),
        CONSTRAINT "person_index_kind" CHECK ("kind" IN ('name', 'alias', 'slk', 'phone')),
        CONSTRAINT "person_index_pkey" PRIMARY KEY ("organisation_id", "kind", "bits", "value", "person_id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "person_index_person" ON "person_index" ("organisation_id", "person_id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "person" ADD CONSTRAINT "person_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "person_identity" ADD CONSTRAINT "person_identity_person_fk" FOREIGN KEY ("organisation_id", "person_id") REFERENCES "person"("organisation_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "person_identity" ADD CONSTRAINT "person_identity_key_fk" FOREIGN KEY ("organisation_id", "key_id") REFERENCES "organisation_key"("organisation_id","key_id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "person_index" ADD CONSTRAINT "person_index_person_fk" FOREIGN KEY ("organisation_id", "person_id") REFERENCES "person"("organisation_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );

    for (const table of TENANT_TABLES) {
      await queryRunner.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY`);
      await queryRunner.query(`
        CREATE POLICY "${table}_tenant_isolation" ON "${table}"
          USING ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
          WITH CHECK ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
    }
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON "person" TO "harbour_api"`);
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON "person_identity" TO "harbour_api"`,
    );
    await queryRunner.query(`GRANT SELECT, INSERT, DELETE ON "person_index" TO "harbour_api"`);

    // Person keys get ids from one sequence (unique per organisation because unique overall);
    // ids below 1,000 are the organisation's own keys.
    await queryRunner.query(`CREATE SEQUENCE "person_key_id_seq" AS integer START 1000`);
    await queryRunner.query(`GRANT USAGE ON SEQUENCE "person_key_id_seq" TO "harbour_api"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP SEQUENCE "person_key_id_seq"`);
    await queryRunner.query(`DROP TABLE "person_index"`);
    await queryRunner.query(`DROP TABLE "person_identity"`);
    await queryRunner.query(`DROP TABLE "person"`);
    await queryRunner.query(
      `ALTER TABLE "organisation" DROP CONSTRAINT "organisation_person_index_bits"`,
    );
    await queryRunner.query(`ALTER TABLE "organisation" DROP COLUMN "person_index_bits"`);
  }
}
