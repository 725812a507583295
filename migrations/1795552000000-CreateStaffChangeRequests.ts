import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Separation of duties (docs/security.md T26, ADR 0008): staff changes that could give one person
 * case content wait here for a second admin. The API may create and decide requests (insert,
 * update), never delete them. `staff_change_request_second_admin` refuses, in the database
 * itself, a request applied by the admin who asked for it or by the account it concerns.
 */
export class CreateStaffChangeRequests1795552000000 implements MigrationInterface {
  name = 'CreateStaffChangeRequests1795552000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "staff_change_request" ("organisation_id" uuid NOT NULL, "id" uuid NOT NULL, "kind" text NOT NULL, "target_user_id" uuid, "email" text, "display_name" text, "roles_before" text array NOT NULL, "roles_after" text array NOT NULL, "requested_by" uuid NOT NULL, "requested_at" TIMESTAMP WITH TIME ZONE NOT NULL, "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL, "status" text NOT NULL, "decided_by" uuid, "decided_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "staff_change_request_expiry" CHECK ("expires_at" > "requested_at"), CONSTRAINT "staff_change_request_second_admin" CHECK ("status" <> 'applied' OR ("decided_by" <> "requested_by" AND "decided_by" <> "target_user_id")), CONSTRAINT "staff_change_request_decided" CHECK (("status" IN ('applied', 'cancelled')) = ("decided_by" IS NOT NULL AND "decided_at" IS NOT NULL)), CONSTRAINT "staff_change_request_account" CHECK (("kind" = 'create_account') = ("email" IS NOT NULL AND "display_name" IS NOT NULL) AND ("target_user_id" IS NOT NULL OR ("kind" = 'create_account' AND "status" <> 'applied'))), CONSTRAINT "staff_change_request_roles" CHECK (cardinality("roles_after") >= 1 AND "roles_after" <@ ARRAY['caseworker', 'coordinator', 'auditor', 'admin']::text[] AND "roles_before" <@ ARRAY['caseworker', 'coordinator', 'auditor', 'admin']::text[]), CONSTRAINT "staff_change_request_status" CHECK ("status" IN ('pending', 'applied', 'cancelled', 'expired')), CONSTRAINT "staff_change_request_kind" CHECK ("kind" IN ('create_account', 'grant_roles', 'reset_password', 'reset_mfa')), CONSTRAINT "staff_change_request_pkey" PRIMARY KEY ("organisation_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "staff_change_request_pending_email" ON "staff_change_request"  ("organisation_id", "email") WHERE "status" = 'pending' AND "kind" = 'create_account'`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "staff_change_request_pending_target" ON "staff_change_request"  ("organisation_id", "kind", "target_user_id") WHERE "status" = 'pending' AND "target_user_id" IS NOT NULL`,
    );
    for (const [name, column] of [
      ['target', 'target_user_id'],
      ['requester', 'requested_by'],
      ['decider', 'decided_by'],
    ] as const) {
      await queryRunner.query(
        `ALTER TABLE "staff_change_request" ADD CONSTRAINT "staff_change_request_${name}_fk" FOREIGN KEY ("organisation_id", "${column}") REFERENCES "staff_user"("organisation_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
      );
    }
    await queryRunner.query(`ALTER TABLE "staff_change_request" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "staff_change_request" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY "staff_change_request_tenant_isolation" ON "staff_change_request"
        USING ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
        WITH CHECK ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
    await queryRunner.query(
      `GRANT SELECT, INSERT, UPDATE ON "staff_change_request" TO "harbour_api"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "staff_change_request"`);
  }
}
