import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ROTATABLE_FIELDS as EARLIER_ROTATABLE_FIELDS } from './1795700000000-KeyRotationAndJobs';

/**
 * Disclosure requests (issue 18, docs/design.md §9): a request from an authority for data about
 * people, recorded by a coordinator and approved by two other people before anything leaves.
 *
 * - `disclosure_request`: status, authority, period, fields; who asks, the legal instrument, the
 *   legal advice and a refusal's reason sealed under the organisation's data key (envelope
 *   CHECKs). The API may add and update requests, never delete them.
 * - `disclosure_request_person`: the people asked about (by id). A merge moves them (and drops
 *   an absorbed row the survivor already has), so the API may also update and delete these.
 * - `disclosure_approval`: who approved, counting as which role; one row per approver and per
 *   role (unique keys). A trigger refuses an approval by the request's recorder, and a request
 *   marked approved without one coordinator and one admin approval from two people.
 * - `disclosure_file`: the encrypted ZIP produced once (insert-only).
 * - The four sealed columns join the fields a data-key rotation rewrites: `key_rotation_batch`
 *   and `key_rotation_apply` are replaced with the longer list (same bodies otherwise).
 * - `report_publication` may hold the `disclosures` family (counts by authority and outcome).
 */
export const DISCLOSURE_ROTATABLE_FIELDS = [
  'disclosure_request.requester',
  'disclosure_request.legal_instrument',
  'disclosure_request.legal_advice',
  'disclosure_request.refusal_reason',
] as const;

/** Every field a data-key rotation may rewrite, from this migration on. */
export const ROTATABLE_FIELDS = [
  ...EARLIER_ROTATABLE_FIELDS,
  ...DISCLOSURE_ROTATABLE_FIELDS,
] as const;

/** The rotation functions of 1795700000000-KeyRotationAndJobs, over `fields`. */
function rotationFunctions(fields: string): string[] {
  return [
    `
      CREATE OR REPLACE FUNCTION "key_rotation_batch"(p_field text, p_key_id integer, p_after uuid, p_limit integer)
      RETURNS TABLE (id uuid, ciphertext bytea)
      LANGUAGE plpgsql VOLATILE SECURITY DEFINER
      SET search_path = pg_catalog, public
      AS $$
      DECLARE
        tenant uuid := NULLIF(current_setting('app.org_id', true), '')::uuid;
      BEGIN
        IF p_field NOT IN (${fields}) THEN
          RAISE EXCEPTION 'not a rotatable field: %', p_field USING ERRCODE = '22023';
        END IF;
        IF tenant IS NULL THEN
          RAISE EXCEPTION 'no tenant' USING ERRCODE = '42501';
        END IF;
        IF p_limit < 1 OR p_limit > 1000 THEN
          RAISE EXCEPTION 'batch size out of range' USING ERRCODE = '22023';
        END IF;
        RETURN QUERY EXECUTE format(
          'SELECT t.id, t.%2$I FROM public.%1$I t
            WHERE t.organisation_id = $1 AND t.id > $2 AND public.ciphertext_key_id(t.%2$I) = $3
            ORDER BY t.id LIMIT $4 FOR UPDATE SKIP LOCKED',
          split_part(p_field, '.', 1), split_part(p_field, '.', 2))
          USING tenant, COALESCE(p_after, '00000000-0000-0000-0000-000000000000'::uuid), p_key_id, p_limit;
      END
      $$`,
    `
      CREATE OR REPLACE FUNCTION "key_rotation_apply"(p_field text, p_ids uuid[], p_old bytea[], p_new bytea[])
      RETURNS integer
      LANGUAGE plpgsql VOLATILE SECURITY DEFINER
      SET search_path = pg_catalog, public
      AS $$
      DECLARE
        tenant uuid := NULLIF(current_setting('app.org_id', true), '')::uuid;
        current_key integer;
        moved integer;
      BEGIN
        IF p_field NOT IN (${fields}) THEN
          RAISE EXCEPTION 'not a rotatable field: %', p_field USING ERRCODE = '22023';
        END IF;
        IF tenant IS NULL THEN
          RAISE EXCEPTION 'no tenant' USING ERRCODE = '42501';
        END IF;
        IF cardinality(p_ids) IS DISTINCT FROM cardinality(p_old)
           OR cardinality(p_ids) IS DISTINCT FROM cardinality(p_new) THEN
          RAISE EXCEPTION 'arrays differ in length' USING ERRCODE = '22023';
        END IF;
        SELECT o.current_data_key_id INTO current_key FROM public.organisation o WHERE o.id = tenant;
        IF EXISTS (SELECT 1 FROM unnest(p_new) AS n(v)
                    WHERE octet_length(v) < 46 OR get_byte(v, 0) <> 1
                       OR public.ciphertext_key_id(v) <> current_key) THEN
          RAISE EXCEPTION 'a new value is not sealed under the current data key' USING ERRCODE = '22023';
        END IF;
        -- Each distinct key id of the old values once (a batch is nearly always under one key).
        IF EXISTS (SELECT 1 FROM (SELECT DISTINCT public.ciphertext_key_id(v) AS key_id
                                    FROM unnest(p_old) AS o(v)) AS old
                    WHERE NOT EXISTS (
                      SELECT 1 FROM public.organisation_key k
                       WHERE k.organisation_id = tenant AND k.purpose = 'organisation_data'
                         AND k.status = 'decrypt_only' AND k.key_id = old.key_id)) THEN
          RAISE EXCEPTION 'an old value is not under a data key being rotated' USING ERRCODE = '22023';
        END IF;
        EXECUTE format(
          'UPDATE public.%1$I t SET %2$I = v.new
             FROM unnest($2::uuid[], $3::bytea[], $4::bytea[]) AS v(id, old, new)
            WHERE t.organisation_id = $1 AND t.id = v.id AND t.%2$I = v.old',
          split_part(p_field, '.', 1), split_part(p_field, '.', 2))
          USING tenant, p_ids, p_old, p_new;
        GET DIAGNOSTICS moved = ROW_COUNT;
        RETURN moved;
      END
      $$`,
  ];
}

const TENANT_TABLES = [
  'disclosure_request',
  'disclosure_request_person',
  'disclosure_approval',
  'disclosure_file',
] as const;

const GRANTS: Readonly<Record<(typeof TENANT_TABLES)[number], string>> = {
  disclosure_request: 'SELECT, INSERT, UPDATE',
  disclosure_request_person: 'SELECT, INSERT, UPDATE, DELETE',
  disclosure_approval: 'SELECT, INSERT',
  disclosure_file: 'SELECT, INSERT',
};

export class CreateDisclosureRequests1795752000000 implements MigrationInterface {
  name = 'CreateDisclosureRequests1795752000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "disclosure_request" ("organisation_id" uuid NOT NULL, "id" uuid NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "updated_at" TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT now(), "version" integer NOT NULL DEFAULT '1', "status" text NOT NULL DEFAULT 'recorded', "authority" text NOT NULL, "requester" bytea NOT NULL, "legal_instrument" bytea NOT NULL, "legal_advice" bytea, "refusal_reason" bytea, "period_from" date NOT NULL, "period_to" date NOT NULL, "fields" text array NOT NULL, "recorded_by" uuid NOT NULL, "reviewed_at" TIMESTAMP WITH TIME ZONE, "decided_at" TIMESTAMP WITH TIME ZONE, "refused_by" uuid, "disclosed_at" TIMESTAMP WITH TIME ZONE, "disclosed_by" uuid, "closed_at" TIMESTAMP WITH TIME ZONE, CONSTRAINT "disclosure_request_disclosed" CHECK (("disclosed_at" IS NULL) = ("disclosed_by" IS NULL) AND ("status" NOT IN ('disclosed') OR "disclosed_at" IS NOT NULL)), CONSTRAINT "disclosure_request_refused" CHECK (("status" IN ('refused', 'closed')) OR "refusal_reason" IS NULL), CONSTRAINT "disclosure_request_fields" CHECK (cardinality("fields") >= 1), CONSTRAINT "disclosure_request_period" CHECK ("period_from" <= "period_to"), CONSTRAINT "disclosure_request_refusal_reason_envelope" CHECK ("refusal_reason" IS NULL OR (octet_length("refusal_reason") >= 46 AND get_byte("refusal_reason", 0) = 1)), CONSTRAINT "disclosure_request_legal_advice_envelope" CHECK ("legal_advice" IS NULL OR (octet_length("legal_advice") >= 46 AND get_byte("legal_advice", 0) = 1)), CONSTRAINT "disclosure_request_legal_instrument_envelope" CHECK ("legal_instrument" IS NULL OR (octet_length("legal_instrument") >= 46 AND get_byte("legal_instrument", 0) = 1)), CONSTRAINT "disclosure_request_requester_envelope" CHECK ("requester" IS NULL OR (octet_length("requester") >= 46 AND get_byte("requester", 0) = 1)), CONSTRAINT "disclosure_request_authority" CHECK ("authority" IN ('police', 'immigration', 'court', 'other')), CONSTRAINT "disclosure_request_status" CHECK ("status" IN ('recorded', 'under_review', 'approved', 'refused', 'disclosed', 'closed')), CONSTRAINT "disclosure_request_pkey" PRIMARY KEY ("organisation_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "disclosure_request_recent" ON "disclosure_request"  ("organisation_id", "created_at")`,
    );
    await queryRunner.query(
      `CREATE TABLE "disclosure_approval" ("organisation_id" uuid NOT NULL, "request_id" uuid NOT NULL, "approver_id" uuid NOT NULL, "as_role" text NOT NULL, "approved_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "disclosure_approval_as_role" CHECK ("as_role" IN ('coordinator', 'admin')), CONSTRAINT "disclosure_approval_pkey" PRIMARY KEY ("organisation_id", "request_id", "approver_id"))`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "disclosure_approval_role" ON "disclosure_approval"  ("organisation_id", "request_id", "as_role")`,
    );
    await queryRunner.query(
      `CREATE TABLE "disclosure_file" ("organisation_id" uuid NOT NULL, "request_id" uuid NOT NULL, "file_name" text NOT NULL, "content" bytea NOT NULL, "size_bytes" integer NOT NULL, "created_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "disclosure_file_size" CHECK ("size_bytes" = octet_length("content")), CONSTRAINT "disclosure_file_pkey" PRIMARY KEY ("organisation_id", "request_id"))`,
    );
    await queryRunner.query(
      `CREATE TABLE "disclosure_request_person" ("organisation_id" uuid NOT NULL, "request_id" uuid NOT NULL, "person_id" uuid NOT NULL, CONSTRAINT "disclosure_request_person_pkey" PRIMARY KEY ("organisation_id", "request_id", "person_id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "disclosure_request_person_person" ON "disclosure_request_person"  ("organisation_id", "person_id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "disclosure_request" ADD CONSTRAINT "disclosure_request_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "disclosure_request" ADD CONSTRAINT "disclosure_request_recorded_by_fk" FOREIGN KEY ("organisation_id", "recorded_by") REFERENCES "staff_user"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "disclosure_approval" ADD CONSTRAINT "disclosure_approval_request_fk" FOREIGN KEY ("organisation_id", "request_id") REFERENCES "disclosure_request"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "disclosure_approval" ADD CONSTRAINT "disclosure_approval_approver_fk" FOREIGN KEY ("organisation_id", "approver_id") REFERENCES "staff_user"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "disclosure_file" ADD CONSTRAINT "disclosure_file_request_fk" FOREIGN KEY ("organisation_id", "request_id") REFERENCES "disclosure_request"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "disclosure_request_person" ADD CONSTRAINT "disclosure_request_person_request_fk" FOREIGN KEY ("organisation_id", "request_id") REFERENCES "disclosure_request"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "disclosure_request_person" ADD CONSTRAINT "disclosure_request_person_person_fk" FOREIGN KEY ("organisation_id", "person_id") REFERENCES "person"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    for (const table of TENANT_TABLES) {
      await queryRunner.query(`ALTER TABLE "${table}" ENABLE ROW LEVEL SECURITY`);
      await queryRunner.query(`ALTER TABLE "${table}" FORCE ROW LEVEL SECURITY`);
      await queryRunner.query(`
        CREATE POLICY "${table}_tenant_isolation" ON "${table}"
          USING ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
          WITH CHECK ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
      await queryRunner.query(`GRANT ${GRANTS[table]} ON "${table}" TO "harbour_api"`);
    }

    // Two people, neither the recorder, one counting as coordinator and one as admin.
    await queryRunner.query(`
      CREATE FUNCTION "disclosure_approval_guard"() RETURNS trigger
      LANGUAGE plpgsql
      SET search_path = pg_catalog, public
      AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM public.disclosure_request r
                    WHERE r.organisation_id = NEW.organisation_id AND r.id = NEW.request_id
                      AND r.recorded_by = NEW.approver_id) THEN
          RAISE EXCEPTION 'the recorder of a disclosure request cannot approve it'
            USING ERRCODE = '23514', CONSTRAINT = 'disclosure_approval_not_recorder';
        END IF;
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER "disclosure_approval_not_recorder" BEFORE INSERT ON "disclosure_approval"
        FOR EACH ROW EXECUTE FUNCTION "disclosure_approval_guard"()`);
    await queryRunner.query(`
      CREATE FUNCTION "disclosure_request_guard"() RETURNS trigger
      LANGUAGE plpgsql
      SET search_path = pg_catalog, public
      AS $$
      BEGIN
        IF NEW.status = 'approved' AND OLD.status <> 'approved' AND (
             SELECT count(DISTINCT a.approver_id) < 2 OR count(DISTINCT a.as_role) < 2
               FROM public.disclosure_approval a
              WHERE a.organisation_id = NEW.organisation_id AND a.request_id = NEW.id) THEN
          RAISE EXCEPTION 'a disclosure request needs two approvals, a coordinator and an admin'
            USING ERRCODE = '23514', CONSTRAINT = 'disclosure_request_two_approvals';
        END IF;
        RETURN NEW;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER "disclosure_request_two_approvals" BEFORE UPDATE ON "disclosure_request"
        FOR EACH ROW EXECUTE FUNCTION "disclosure_request_guard"()`);

    for (const sql of rotationFunctions(ROTATABLE_FIELDS.map((f) => `'${f}'`).join(', '))) {
      await queryRunner.query(sql);
    }

    await queryRunner.query(
      `ALTER TABLE "report_publication" DROP CONSTRAINT "report_publication_family"`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_publication" ADD CONSTRAINT "report_publication_family" CHECK ("family" IN ('needs', 'referrals', 'contacts', 'outcomes', 'checkIns', 'disclosures'))`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "report_publication" WHERE "family" = 'disclosures'`);
    await queryRunner.query(
      `ALTER TABLE "report_publication" DROP CONSTRAINT "report_publication_family"`,
    );
    await queryRunner.query(
      `ALTER TABLE "report_publication" ADD CONSTRAINT "report_publication_family" CHECK ("family" IN ('needs', 'referrals', 'contacts', 'outcomes', 'checkIns'))`,
    );
    for (const sql of rotationFunctions(EARLIER_ROTATABLE_FIELDS.map((f) => `'${f}'`).join(', '))) {
      await queryRunner.query(sql);
    }
    await queryRunner.query(
      `DROP TRIGGER "disclosure_request_two_approvals" ON "disclosure_request"`,
    );
    await queryRunner.query(
      `DROP TRIGGER "disclosure_approval_not_recorder" ON "disclosure_approval"`,
    );
    await queryRunner.query(`DROP FUNCTION "disclosure_request_guard"()`);
    await queryRunner.query(`DROP FUNCTION "disclosure_approval_guard"()`);
    await queryRunner.query(`DROP TABLE "disclosure_file"`);
    await queryRunner.query(`DROP TABLE "disclosure_approval"`);
    await queryRunner.query(`DROP TABLE "disclosure_request_person"`);
    await queryRunner.query(`DROP TABLE "disclosure_request"`);
  }
}
