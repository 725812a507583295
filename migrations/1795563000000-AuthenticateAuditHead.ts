import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The log head is authenticated (docs/security.md T27): `audit_log_state.head_mac` is an HMAC over
 * the head's size, Merkle frontier and checkpoint position under the organisation's audit key,
 * which the database holds only wrapped. Heads written before this migration have none; the
 * writer adopts such a head once the whole log verifies against the witness.
 *
 * `audit_checkpoints_due` is the checkpoint task's one look across tenants: which organisations
 * have events no checkpoint covers since before `p_covered_before`, or (with `p_unwitnessed`)
 * checkpoints not yet exported to the witness. It returns organisation ids only.
 */
export class AuthenticateAuditHead1795563000000 implements MigrationInterface {
  name = 'AuthenticateAuditHead1795563000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_log_state" ADD "head_mac" bytea`);
    await queryRunner.query(
      `ALTER TABLE "audit_log_state" ADD CONSTRAINT "audit_log_state_head_mac" CHECK ("head_mac" IS NULL OR octet_length("head_mac") = 32)`,
    );
    await queryRunner.query(
      `CREATE INDEX "audit_checkpoint_unwitnessed" ON "audit_checkpoint" ("organisation_id") WHERE "witnessed_at" IS NULL`,
    );
    await queryRunner.query(`
      CREATE FUNCTION "audit_checkpoints_due"(p_covered_before timestamptz, p_unwitnessed boolean)
      RETURNS TABLE (organisation_id uuid)
      LANGUAGE sql STABLE SECURITY DEFINER
      SET search_path = pg_catalog, public
      AS $$
        SELECT s.organisation_id FROM public.audit_log_state s
         WHERE s.tree_size > s.checkpoint_size
           AND (s.checkpoint_at IS NULL OR s.checkpoint_at <= p_covered_before)
        UNION
        SELECT c.organisation_id FROM public.audit_checkpoint c
         WHERE p_unwitnessed AND c.witnessed_at IS NULL
      $$`);
    await queryRunner.query(
      `REVOKE ALL ON FUNCTION "audit_checkpoints_due"(timestamptz, boolean) FROM PUBLIC`,
    );
    await queryRunner.query(
      `GRANT EXECUTE ON FUNCTION "audit_checkpoints_due"(timestamptz, boolean) TO "harbour_api"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION "audit_checkpoints_due"(timestamptz, boolean)`);
    await queryRunner.query(`DROP INDEX "audit_checkpoint_unwitnessed"`);
    await queryRunner.query(
      `ALTER TABLE "audit_log_state" DROP CONSTRAINT "audit_log_state_head_mac"`,
    );
    await queryRunner.query(`ALTER TABLE "audit_log_state" DROP COLUMN "head_mac"`);
  }
}
