import type { MigrationInterface, QueryRunner } from 'typeorm';

const TENANT_TABLES = ['access_event', 'audit_checkpoint', 'audit_log_state'] as const;

export class CreateAccessLog1795396089927 implements MigrationInterface {
  name = 'CreateAccessLog1795396089927';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "access_event" (
        "organisation_id" uuid NOT NULL,
        "seq" bigint NOT NULL,
        "occurred_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "actor_id" uuid,
        "actor_roles" text array NOT NULL DEFAULT '{}',
        "action" text NOT NULL,
        "resource_type" text,
        "resource_ids" text array NOT NULL DEFAULT '{}',
        "fields" text array NOT NULL DEFAULT '{}',
        "purpose" text,
        "outcome" text NOT NULL,
        "request_id" text NOT NULL,
        "leaf_hash" bytea NOT NULL,
        "mac" bytea NOT NULL,
        CONSTRAINT "access_event_hashes" CHECK (octet_length("leaf_hash") = 32 AND octet_length("mac") = 32),
        CONSTRAINT "access_event_action" CHECK (char_length("action") BETWEEN 1 AND 100),
        CONSTRAINT "access_event_outcome" CHECK ("outcome" IN ('success', 'denied', 'failure')),
        CONSTRAINT "access_event_seq" CHECK ("seq" >= 0),
        CONSTRAINT "access_event_pkey" PRIMARY KEY ("organisation_id", "seq")
      )`);
    await queryRunner.query(
      `CREATE INDEX "access_event_time" ON "access_event" ("organisation_id", "occurred_at")`,
    );
    await queryRunner.query(
      `CREATE INDEX "access_event_actor" ON "access_event" ("organisation_id", "actor_id", "occurred_at")`,
    );
    await queryRunner.query(`
      CREATE TABLE "audit_checkpoint" (
        "organisation_id" uuid NOT NULL,
        "tree_size" bigint NOT NULL,
        "root_hash" bytea NOT NULL,
        "signed_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "body" text NOT NULL,
        "signature" bytea NOT NULL,
        "public_key" bytea NOT NULL,
        "witnessed_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "audit_checkpoint_signature" CHECK (octet_length("signature") = 64 AND octet_length("public_key") = 32),
        CONSTRAINT "audit_checkpoint_sizes" CHECK ("tree_size" >= 1 AND octet_length("root_hash") = 32),
        CONSTRAINT "audit_checkpoint_pkey" PRIMARY KEY ("organisation_id", "tree_size")
      )`);
    await queryRunner.query(`
      CREATE TABLE "audit_log_state" (
        "organisation_id" uuid NOT NULL,
        "tree_size" bigint NOT NULL DEFAULT '0',
        "frontier" bytea array NOT NULL DEFAULT '{}',
        "checkpoint_size" bigint NOT NULL DEFAULT '0',
        "checkpoint_at" TIMESTAMP WITH TIME ZONE,
        CONSTRAINT "audit_log_state_pkey" PRIMARY KEY ("organisation_id")
      )`);
    for (const table of TENANT_TABLES) {
      await queryRunner.query(
        `ALTER TABLE "${table}" ADD CONSTRAINT "${table}_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
      );
      await queryRunner.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY`);
      await queryRunner.query(`
        CREATE POLICY "${table}_tenant_isolation" ON "${table}"
          USING ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
          WITH CHECK ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
    }

    // Append-only (docs/design.md §7): the API role may only add events and checkpoints, and a trigger
    // refuses changes from anyone whose triggers run (a superuser can disable triggers; the
    // verifier catches what that allows).
    await queryRunner.query(`
      CREATE FUNCTION "audit_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'the access log is append-only (% on %)', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER "access_event_append_only" BEFORE UPDATE OR DELETE ON "access_event"
        FOR EACH ROW EXECUTE FUNCTION "audit_append_only"()`);
    await queryRunner.query(`
      CREATE TRIGGER "access_event_no_truncate" BEFORE TRUNCATE ON "access_event"
        FOR EACH STATEMENT EXECUTE FUNCTION "audit_append_only"()`);
    await queryRunner.query(`
      CREATE TRIGGER "audit_checkpoint_no_delete" BEFORE DELETE ON "audit_checkpoint"
        FOR EACH ROW EXECUTE FUNCTION "audit_append_only"()`);
    await queryRunner.query(`
      CREATE TRIGGER "audit_checkpoint_no_truncate" BEFORE TRUNCATE ON "audit_checkpoint"
        FOR EACH STATEMENT EXECUTE FUNCTION "audit_append_only"()`);
    await queryRunner.query(`GRANT SELECT, INSERT ON "access_event" TO "harbour_api"`);
    await queryRunner.query(`GRANT SELECT, INSERT ON "audit_checkpoint" TO "harbour_api"`);
    // Only the witness export time of a checkpoint may change.
    await queryRunner.query(`GRANT UPDATE ("witnessed_at") ON "audit_checkpoint" TO "harbour_api"`);
    await queryRunner.query(`GRANT SELECT, INSERT, UPDATE ON "audit_log_state" TO "harbour_api"`);

    // The organisation keyring gains the audit key (signs checkpoints, MACs events).
    await queryRunner.query(
      `ALTER TABLE "organisation_key" DROP CONSTRAINT "organisation_key_purpose"`,
    );
    await queryRunner.query(
      `ALTER TABLE "organisation_key" ADD CONSTRAINT "organisation_key_purpose" CHECK ("purpose" IN ('kek', 'organisation_data', 'person_data', 'index', 'audit'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "organisation_key" WHERE "purpose" = 'audit'`);
    await queryRunner.query(
      `ALTER TABLE "organisation_key" DROP CONSTRAINT "organisation_key_purpose"`,
    );
    await queryRunner.query(
      `ALTER TABLE "organisation_key" ADD CONSTRAINT "organisation_key_purpose" CHECK ("purpose" IN ('kek', 'organisation_data', 'person_data', 'index'))`,
    );
    await queryRunner.query(`DROP TABLE "audit_log_state"`);
    await queryRunner.query(`DROP TABLE "audit_checkpoint"`);
    await queryRunner.query(`DROP TABLE "access_event"`);
    await queryRunner.query(`DROP FUNCTION "audit_append_only"()`);
  }
}
