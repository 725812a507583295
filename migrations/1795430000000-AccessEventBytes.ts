import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Every access event keeps the exact bytes its leaf hash covers (`event`: RFC 8785 canonical
 * JSON, docs/design.md §7), and a CHECK constraint ties the queryable columns to those bytes. The
 * verifier then hashes the stored bytes instead of re-serialising every column, and a column
 * can no longer be changed on its own: an UPDATE (even by a superuser with triggers disabled)
 * that makes a column disagree with the bytes violates the constraint, and the verifier checks
 * that the constraint and its function are still in place and validated.
 */

/** The body of `access_event_matches`; the verifier compares the catalog's copy with this text. */
export const ACCESS_EVENT_MATCHES_BODY = `
DECLARE
  j jsonb := convert_from(p_event, 'UTF8')::jsonb;
BEGIN
  RETURN jsonb_typeof(j) = 'object'
    AND (SELECT count(*) FROM jsonb_object_keys(j)) = 13
    AND j -> 'v' = '1'::jsonb
    AND j -> 'organisationId' = to_jsonb(p_organisation_id::text)
    AND j -> 'seq' = to_jsonb(p_seq)
    AND jsonb_typeof(j -> 'occurredAt') = 'string'
    AND (j ->> 'occurredAt')::timestamptz = p_occurred_at
    AND j -> 'actorId' = coalesce(to_jsonb(p_actor_id::text), 'null'::jsonb)
    AND j -> 'actorRoles' = to_jsonb(p_actor_roles)
    AND j -> 'action' = to_jsonb(p_action)
    AND j -> 'resourceType' = coalesce(to_jsonb(p_resource_type), 'null'::jsonb)
    AND j -> 'resourceIds' = to_jsonb(p_resource_ids)
    AND j -> 'fields' = to_jsonb(p_fields)
    AND j -> 'purpose' = coalesce(to_jsonb(p_purpose), 'null'::jsonb)
    AND j -> 'outcome' = to_jsonb(p_outcome)
    AND j -> 'requestId' = to_jsonb(p_request_id);
END
`;

/** The constraint, as `pg_get_constraintdef` prints it. */
export const ACCESS_EVENT_BYTES_CHECK =
  'CHECK (access_event_matches(event, organisation_id, seq, occurred_at, actor_id, actor_roles, action, resource_type, resource_ids, fields, purpose, outcome, request_id))';

/**
 * The canonical bytes of an event written before this migration, rebuilt from its columns in
 * SQL: keys in RFC 8785 order, strings through `to_json` (whose escaping equals RFC 8785's for
 * the well-formed strings PostgreSQL text can hold), times as the writer formatted them. A row
 * whose rebuilt bytes do not hash to its `leaf_hash` was altered before the migration: it is
 * kept as it is, and the verifier reports it.
 */
export const LEGACY_EVENT_BYTES_SQL = `convert_to(
  '{"action":' || to_json("action")::text
  || ',"actorId":' || coalesce(to_json("actor_id"::text)::text, 'null')
  || ',"actorRoles":' || to_json("actor_roles")::text
  || ',"fields":' || to_json("fields")::text
  || ',"occurredAt":' || to_json(to_char("occurred_at" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'))::text
  || ',"organisationId":' || to_json("organisation_id"::text)::text
  || ',"outcome":' || to_json("outcome")::text
  || ',"purpose":' || coalesce(to_json("purpose")::text, 'null')
  || ',"requestId":' || to_json("request_id")::text
  || ',"resourceIds":' || to_json("resource_ids")::text
  || ',"resourceType":' || coalesce(to_json("resource_type")::text, 'null')
  || ',"seq":' || "seq"::text
  || ',"v":1}', 'UTF8')`;

export class AccessEventBytes1795430000000 implements MigrationInterface {
  name = 'AccessEventBytes1795430000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "access_event" ADD "event" bytea`);
    // Existing rows: the owner fills the new column once, past row-level security and the
    // append-only trigger, then both are restored in the same transaction.
    await queryRunner.query(`ALTER TABLE "access_event" NO FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(
      `ALTER TABLE "access_event" DISABLE TRIGGER "access_event_append_only"`,
    );
    await queryRunner.query(`UPDATE "access_event" SET "event" = ${LEGACY_EVENT_BYTES_SQL}`);
    await queryRunner.query(`ALTER TABLE "access_event" ENABLE TRIGGER "access_event_append_only"`);
    await queryRunner.query(`ALTER TABLE "access_event" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "access_event" ALTER COLUMN "event" SET NOT NULL`);
    await queryRunner.query(`
      CREATE FUNCTION "access_event_matches"(
        p_event bytea, p_organisation_id uuid, p_seq bigint, p_occurred_at timestamptz,
        p_actor_id uuid, p_actor_roles text[], p_action text, p_resource_type text,
        p_resource_ids text[], p_fields text[], p_purpose text, p_outcome text, p_request_id text
      ) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS $body$${ACCESS_EVENT_MATCHES_BODY}$body$`);
    await queryRunner.query(
      `ALTER TABLE "access_event" ADD CONSTRAINT "access_event_bytes" ${ACCESS_EVENT_BYTES_CHECK}`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "access_event" DROP CONSTRAINT "access_event_bytes"`);
    await queryRunner.query(`DROP FUNCTION "access_event_matches"`);
    await queryRunner.query(`ALTER TABLE "access_event" DROP COLUMN "event"`);
  }
}
