import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_POLICY = `NULLIF(current_setting('app.org_id', true), '')::uuid`;

/**
 * Key workers and restricted people (issue 17): `person_key_worker` names the staff who hold a
 * person's case; `person.restricted` limits a person's identity and notes to their key workers
 * and coordinators; `key_worker_handover` records each hand-over of people between workers
 * (insert-only for the API role, so the record of who held a case stays).
 */
export class CreateKeyWorkers1795741000000 implements MigrationInterface {
  name = 'CreateKeyWorkers1795741000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "key_worker_handover" ("organisation_id" uuid NOT NULL, "id" uuid NOT NULL, "from_staff_id" uuid NOT NULL, "to_staff_id" uuid NOT NULL, "person_ids" uuid array NOT NULL, "person_count" integer NOT NULL, "handed_by" uuid NOT NULL, "handed_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "key_worker_handover_count" CHECK ("person_count" = cardinality("person_ids")), CONSTRAINT "key_worker_handover_distinct" CHECK ("from_staff_id" <> "to_staff_id"), CONSTRAINT "key_worker_handover_pkey" PRIMARY KEY ("organisation_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "key_worker_handover_from" ON "key_worker_handover"  ("organisation_id", "from_staff_id") `,
    );
    await queryRunner.query(
      `CREATE TABLE "person_key_worker" ("organisation_id" uuid NOT NULL, "person_id" uuid NOT NULL, "staff_id" uuid NOT NULL, "assigned_at" TIMESTAMP WITH TIME ZONE NOT NULL, "assigned_by" uuid, CONSTRAINT "person_key_worker_pkey" PRIMARY KEY ("organisation_id", "person_id", "staff_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "person_key_worker_staff" ON "person_key_worker"  ("organisation_id", "staff_id") `,
    );
    await queryRunner.query(`ALTER TABLE "person" ADD "restricted" boolean NOT NULL DEFAULT false`);
    await queryRunner.query(`ALTER TABLE "person" ADD "restricted_changed_by" uuid`);
    await queryRunner.query(
      `ALTER TABLE "person" ADD "restricted_changed_at" TIMESTAMP WITH TIME ZONE`,
    );
    await queryRunner.query(
      `ALTER TABLE "key_worker_handover" ADD CONSTRAINT "key_worker_handover_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "key_worker_handover" ADD CONSTRAINT "key_worker_handover_from_staff_fk" FOREIGN KEY ("organisation_id", "from_staff_id") REFERENCES "staff_user"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "key_worker_handover" ADD CONSTRAINT "key_worker_handover_to_staff_fk" FOREIGN KEY ("organisation_id", "to_staff_id") REFERENCES "staff_user"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "person_key_worker" ADD CONSTRAINT "person_key_worker_person_fk" FOREIGN KEY ("organisation_id", "person_id") REFERENCES "person"("organisation_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "person_key_worker" ADD CONSTRAINT "person_key_worker_staff_fk" FOREIGN KEY ("organisation_id", "staff_id") REFERENCES "staff_user"("organisation_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    for (const table of ['person_key_worker', 'key_worker_handover']) {
      await queryRunner.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY`);
      await queryRunner.query(`
      CREATE POLICY "${table}_tenant_isolation" ON "${table}"
        USING ("organisation_id" = ${TENANT_POLICY})
        WITH CHECK ("organisation_id" = ${TENANT_POLICY})`);
    }
    await queryRunner.query(`GRANT SELECT, INSERT, DELETE ON "person_key_worker" TO "harbour_api"`);
    // A merge moves the absorbed person's key workers to the survivor (nothing else is updated).
    await queryRunner.query(`GRANT UPDATE ("person_id") ON "person_key_worker" TO "harbour_api"`);
    await queryRunner.query(`GRANT SELECT, INSERT ON "key_worker_handover" TO "harbour_api"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "person_key_worker"`);
    await queryRunner.query(`DROP TABLE "key_worker_handover"`);
    await queryRunner.query(`ALTER TABLE "person" DROP COLUMN "restricted_changed_at"`);
    await queryRunner.query(`ALTER TABLE "person" DROP COLUMN "restricted_changed_by"`);
    await queryRunner.query(`ALTER TABLE "person" DROP COLUMN "restricted"`);
  }
}
