import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Each organisation's k for internal reports (docs/design.md §8): 2 to 11, 5 by default. */
export class OrganisationReportK1795540000000 implements MigrationInterface {
  name = 'OrganisationReportK1795540000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "organisation" ADD "report_k" smallint NOT NULL DEFAULT '5'`,
    );
    await queryRunner.query(
      `ALTER TABLE "organisation" ADD CONSTRAINT "organisation_report_k" CHECK ("report_k" BETWEEN 2 AND 11)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "organisation" DROP CONSTRAINT "organisation_report_k"`);
    await queryRunner.query(`ALTER TABLE "organisation" DROP COLUMN "report_k"`);
  }
}
