import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * No identity through side doors (docs/security.md T28).
 *
 * - `reveal_detail`: the optional words given with a reveal, encrypted under the person's own
 *   key (so erasing the person shreds them); the access log keeps only the purpose category.
 * - `idempotency_key` keeps keyed MACs (HMAC-SHA256 under a subkey of the organisation's data
 *   key) of the client's `Idempotency-Key` and of the request, never the key itself or an
 *   unkeyed hash of the body; each record expires 24 hours after it was written, names the
 *   people it concerns (`person_ids`, so erasing a person deletes it), and may be deleted by the
 *   API role. Existing records are retry state only, and hold raw keys and unkeyed hashes: they
 *   are deleted (a retry in flight across the upgrade is treated as a new request).
 * - `idempotency_purge(now)` deletes expired records of every organisation (SECURITY DEFINER:
 *   the one cross-tenant delete; it touches nothing but expired retry state).
 */
export class CloseSideDoors1795556000000 implements MigrationInterface {
  name = 'CloseSideDoors1795556000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "reveal_detail" ("organisation_id" uuid NOT NULL, "id" uuid NOT NULL, "person_id" uuid NOT NULL, "purpose" text NOT NULL, "detail" bytea NOT NULL, "request_id" text NOT NULL, "created_by" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), CONSTRAINT "reveal_detail_envelope" CHECK (octet_length("detail") >= 46 AND get_byte("detail", 0) = 1), CONSTRAINT "reveal_detail_purpose" CHECK ("purpose" IN ('referral', 'appointment', 'safety_check', 'legal_support', 'court', 'correction_of_details', 'other')), CONSTRAINT "reveal_detail_pkey" PRIMARY KEY ("organisation_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "reveal_detail_person" ON "reveal_detail" ("organisation_id", "person_id") `,
    );
    await queryRunner.query(
      `ALTER TABLE "reveal_detail" ADD CONSTRAINT "reveal_detail_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "reveal_detail" ADD CONSTRAINT "reveal_detail_person_fk" FOREIGN KEY ("organisation_id", "person_id") REFERENCES "person"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "reveal_detail" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "reveal_detail" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY "reveal_detail_tenant_isolation" ON "reveal_detail"
        USING ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
        WITH CHECK ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
    await queryRunner.query(`GRANT SELECT, INSERT ON "reveal_detail" TO "harbour_api"`);

    // Retry state written before this migration holds raw keys and unkeyed body hashes.
    await queryRunner.query(`DELETE FROM "idempotency_key"`);
    await queryRunner.query(`DROP INDEX "public"."idempotency_key_unique"`);
    await queryRunner.query(
      `ALTER TABLE "idempotency_key" DROP CONSTRAINT "idempotency_key_length"`,
    );
    await queryRunner.query(`ALTER TABLE "idempotency_key" DROP COLUMN "key"`);
    await queryRunner.query(`ALTER TABLE "idempotency_key" DROP COLUMN "request_hash"`);
    await queryRunner.query(`ALTER TABLE "idempotency_key" ADD "key_mac" bytea NOT NULL`);
    await queryRunner.query(`ALTER TABLE "idempotency_key" ADD "request_mac" bytea NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "idempotency_key" ADD "person_ids" uuid array NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(
      `ALTER TABLE "idempotency_key" ADD "expires_at" TIMESTAMP WITH TIME ZONE NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "idempotency_key" ADD CONSTRAINT "idempotency_key_macs" CHECK (octet_length("key_mac") = 32 AND octet_length("request_mac") = 32)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idempotency_key_unique" ON "idempotency_key" ("organisation_id", "user_id", "route", "key_mac") `,
    );
    await queryRunner.query(
      `CREATE INDEX "idempotency_key_expiry" ON "idempotency_key" ("expires_at") `,
    );
    await queryRunner.query(`GRANT DELETE ON "idempotency_key" TO "harbour_api"`);
    await queryRunner.query(`
      CREATE FUNCTION "idempotency_purge"(p_now timestamptz)
      RETURNS integer
      LANGUAGE sql VOLATILE SECURITY DEFINER
      SET search_path = pg_catalog, public
      AS $$
        WITH gone AS (DELETE FROM public.idempotency_key WHERE expires_at <= p_now RETURNING 1)
        SELECT count(*)::integer FROM gone
      $$`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION "idempotency_purge"(timestamptz) FROM PUBLIC`);
    await queryRunner.query(
      `GRANT EXECUTE ON FUNCTION "idempotency_purge"(timestamptz) TO "harbour_api"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION "idempotency_purge"(timestamptz)`);
    await queryRunner.query(`REVOKE DELETE ON "idempotency_key" FROM "harbour_api"`);
    await queryRunner.query(`DELETE FROM "idempotency_key"`);
    await queryRunner.query(`DROP INDEX "public"."idempotency_key_expiry"`);
    await queryRunner.query(`DROP INDEX "public"."idempotency_key_unique"`);
    await queryRunner.query(`ALTER TABLE "idempotency_key" DROP CONSTRAINT "idempotency_key_macs"`);
    await queryRunner.query(`ALTER TABLE "idempotency_key" DROP COLUMN "expires_at"`);
    await queryRunner.query(`ALTER TABLE "idempotency_key" DROP COLUMN "person_ids"`);
    await queryRunner.query(`ALTER TABLE "idempotency_key" DROP COLUMN "request_mac"`);
    await queryRunner.query(`ALTER TABLE "idempotency_key" DROP COLUMN "key_mac"`);
    await queryRunner.query(`ALTER TABLE "idempotency_key" ADD "request_hash" bytea NOT NULL`);
    await queryRunner.query(`ALTER TABLE "idempotency_key" ADD "key" text NOT NULL`);
    await queryRunner.query(
      `ALTER TABLE "idempotency_key" ADD CONSTRAINT "idempotency_key_length" CHECK (char_length("key") BETWEEN 1 AND 100)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "idempotency_key_unique" ON "idempotency_key"("organisation_id", "user_id", "route", "key")`,
    );
    await queryRunner.query(`DROP TABLE "reveal_detail"`);
  }
}
