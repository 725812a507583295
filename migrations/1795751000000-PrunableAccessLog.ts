import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Access events can be pruned while the log stays verifiable (docs/adr/0011-pruning-the-access-log.md,
 * docs/security.md T16, T23). `access_log_pruned` keeps, per organisation, the size `n` of the
 * pruned prefix — always the size of a signed checkpoint, which it references — and the
 * frontier of `[0, n)` (the roots of its complete subtrees, largest first), the newest pruned
 * event's time and an HMAC the API writes under the audit key.
 *
 * The API role still cannot delete an access event: `access_log_prune` (SECURITY DEFINER) is
 * the only way, and it prunes only a prefix that a signed checkpoint covers, whose events are
 * all older than the cutoff and than a year before the database's clock, whose stored leaves
 * still hash their events and fold, with the kept frontier, to the checkpoint's root; it stores
 * the new frontier in the same transaction. `access_log_prune_plan` is the same computation
 * without the delete. The append-only trigger on `access_event` lets a delete through only for
 * the table's owner inside that function (marked by a transaction-local setting).
 */

/** The floor under any cutoff: no event younger than this is ever pruned, whatever the API asks. */
export const ACCESS_LOG_MIN_AGE = '1 year';

export class PrunableAccessLog1795751000000 implements MigrationInterface {
  name = 'PrunableAccessLog1795751000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "access_log_pruned" (
        "organisation_id" uuid NOT NULL,
        "pruned_size" bigint NOT NULL,
        "frontier" bytea array NOT NULL,
        "newest_pruned_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "pruned_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "mac" bytea,
        CONSTRAINT "access_log_pruned_size" CHECK ("pruned_size" >= 1),
        CONSTRAINT "access_log_pruned_mac" CHECK ("mac" IS NULL OR octet_length("mac") = 32),
        CONSTRAINT "access_log_pruned_pkey" PRIMARY KEY ("organisation_id")
      )`);
    await queryRunner.query(
      `ALTER TABLE "access_log_pruned" ADD CONSTRAINT "access_log_pruned_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "access_log_pruned" ADD CONSTRAINT "access_log_pruned_checkpoint_fk" FOREIGN KEY ("organisation_id", "pruned_size") REFERENCES "audit_checkpoint"("organisation_id", "tree_size") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "access_log_pruned" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "access_log_pruned" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY "access_log_pruned_tenant_isolation" ON "access_log_pruned"
        USING ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
        WITH CHECK ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
    // The API reads the row and writes its MAC; only `access_log_prune` inserts or moves it.
    await queryRunner.query(`GRANT SELECT ON "access_log_pruned" TO "harbour_api"`);
    await queryRunner.query(`GRANT UPDATE ("mac") ON "access_log_pruned" TO "harbour_api"`);
    await queryRunner.query(`
      CREATE TRIGGER "access_log_pruned_no_delete" BEFORE DELETE ON "access_log_pruned"
        FOR EACH ROW EXECUTE FUNCTION "audit_append_only"()`);
    await queryRunner.query(`
      CREATE TRIGGER "access_log_pruned_no_truncate" BEFORE TRUNCATE ON "access_log_pruned"
        FOR EACH STATEMENT EXECUTE FUNCTION "audit_append_only"()`);

    // Append-only, except a delete by the table's owner inside `access_log_prune`.
    await queryRunner.query(`
      CREATE FUNCTION "access_event_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE'
           AND current_setting('harbour.access_log_prune', true) = OLD.organisation_id::text
           AND current_user = (SELECT pg_get_userbyid(c.relowner) FROM pg_catalog.pg_class c
                                WHERE c.oid = TG_RELID) THEN
          RETURN OLD;
        END IF;
        RAISE EXCEPTION 'the access log is append-only (% on %)', TG_OP, TG_TABLE_NAME
          USING ERRCODE = 'insufficient_privilege';
      END
      $$`);
    await queryRunner.query(`DROP TRIGGER "access_event_append_only" ON "access_event"`);
    await queryRunner.query(`
      CREATE TRIGGER "access_event_append_only" BEFORE UPDATE OR DELETE ON "access_event"
        FOR EACH ROW EXECUTE FUNCTION "access_event_append_only"()`);

    await queryRunner.query(`
      CREATE FUNCTION "access_log_prune_plan"(p_organisation uuid, p_older_than timestamptz)
      RETURNS TABLE (from_size bigint, to_size bigint, oldest timestamptz, newest timestamptz)
      LANGUAGE sql STABLE
      SET search_path = pg_catalog, public
      AS $$
        WITH kept AS (
          SELECT coalesce((SELECT p.pruned_size FROM public.access_log_pruned p
                            WHERE p.organisation_id = p_organisation), 0) AS size
        ), cutoff AS (
          SELECT least(p_older_than, now() - interval '${ACCESS_LOG_MIN_AGE}') AS at
        ), first_young AS (
          SELECT coalesce(
                   (SELECT min(e.seq) FROM public.access_event e, cutoff
                     WHERE e.organisation_id = p_organisation AND e.occurred_at >= cutoff.at),
                   (SELECT max(e.seq) + 1 FROM public.access_event e
                     WHERE e.organisation_id = p_organisation),
                   0) AS seq
        ), target AS (
          SELECT greatest(kept.size, coalesce(
                   (SELECT max(c.tree_size) FROM public.audit_checkpoint c
                     WHERE c.organisation_id = p_organisation AND c.tree_size <= first_young.seq),
                   0)) AS size
            FROM kept, first_young
        )
        SELECT kept.size, target.size, min(e.occurred_at), max(e.occurred_at)
          FROM kept CROSS JOIN target
          LEFT JOIN public.access_event e
            ON e.organisation_id = p_organisation AND e.seq >= kept.size AND e.seq < target.size
         GROUP BY kept.size, target.size
      $$`);

    await queryRunner.query(`
      CREATE FUNCTION "access_log_prune"(p_organisation uuid, p_older_than timestamptz)
      RETURNS TABLE (from_size bigint, to_size bigint, oldest timestamptz, newest timestamptz)
      LANGUAGE plpgsql SECURITY DEFINER
      SET search_path = pg_catalog, public
      AS $$
      DECLARE
        v_plan record;
        v_frontier bytea[];
        v_size bigint;
        v_carry bigint;
        v_hash bytea;
        v_root bytea;
        v_event record;
      BEGIN
        IF p_organisation IS DISTINCT FROM NULLIF(current_setting('app.org_id', true), '')::uuid THEN
          RAISE EXCEPTION 'an access log is pruned only in its own organisation'
            USING ERRCODE = 'insufficient_privilege';
        END IF;
        -- The writer's lock: no event or checkpoint is added meanwhile.
        PERFORM 1 FROM public.audit_log_state s WHERE s.organisation_id = p_organisation FOR UPDATE;
        SELECT * INTO v_plan FROM public.access_log_prune_plan(p_organisation, p_older_than);
        IF v_plan.to_size <= v_plan.from_size THEN
          RETURN QUERY SELECT v_plan.from_size, v_plan.to_size, NULL::timestamptz, NULL::timestamptz;
          RETURN;
        END IF;
        v_frontier := coalesce((SELECT p.frontier FROM public.access_log_pruned p
                                 WHERE p.organisation_id = p_organisation), '{}'::bytea[]);
        v_size := v_plan.from_size;
        FOR v_event IN
          SELECT e.seq, e.event, e.leaf_hash FROM public.access_event e
           WHERE e.organisation_id = p_organisation
             AND e.seq >= v_plan.from_size AND e.seq < v_plan.to_size
           ORDER BY e.seq
        LOOP
          IF v_event.seq <> v_size
             OR sha256('\\x00'::bytea || v_event.event) <> v_event.leaf_hash THEN
            RAISE EXCEPTION 'access log event % does not match: not pruned', v_size
              USING ERRCODE = 'data_corrupted';
          END IF;
          v_hash := v_event.leaf_hash;
          v_carry := v_size;
          WHILE v_carry % 2 = 1 LOOP
            v_hash := sha256('\\x01'::bytea || v_frontier[cardinality(v_frontier)] || v_hash);
            v_frontier := v_frontier[1:cardinality(v_frontier) - 1];
            v_carry := v_carry / 2;
          END LOOP;
          v_frontier := v_frontier || v_hash;
          v_size := v_size + 1;
        END LOOP;
        IF v_size <> v_plan.to_size THEN
          RAISE EXCEPTION 'access log events before % are missing: not pruned', v_plan.to_size
            USING ERRCODE = 'data_corrupted';
        END IF;
        v_root := v_frontier[cardinality(v_frontier)];
        FOR i IN REVERSE cardinality(v_frontier) - 1 .. 1 LOOP
          v_root := sha256('\\x01'::bytea || v_frontier[i] || v_root);
        END LOOP;
        IF v_root IS DISTINCT FROM (SELECT c.root_hash FROM public.audit_checkpoint c
                                     WHERE c.organisation_id = p_organisation
                                       AND c.tree_size = v_plan.to_size) THEN
          RAISE EXCEPTION 'the access log does not match its checkpoint of size %: not pruned',
            v_plan.to_size USING ERRCODE = 'data_corrupted';
        END IF;
        PERFORM set_config('harbour.access_log_prune', p_organisation::text, true);
        DELETE FROM public.access_event e
         WHERE e.organisation_id = p_organisation
           AND e.seq >= v_plan.from_size AND e.seq < v_plan.to_size;
        PERFORM set_config('harbour.access_log_prune', '', true);
        INSERT INTO public.access_log_pruned
               (organisation_id, pruned_size, frontier, newest_pruned_at, pruned_at, mac)
        VALUES (p_organisation, v_plan.to_size, v_frontier, v_plan.newest, now(), NULL)
        ON CONFLICT (organisation_id) DO UPDATE
          SET pruned_size = EXCLUDED.pruned_size, frontier = EXCLUDED.frontier,
              newest_pruned_at = EXCLUDED.newest_pruned_at, pruned_at = EXCLUDED.pruned_at,
              mac = NULL;
        RETURN QUERY SELECT v_plan.from_size, v_plan.to_size, v_plan.oldest, v_plan.newest;
      END
      $$`);
    for (const fn of ['access_log_prune_plan', 'access_log_prune']) {
      await queryRunner.query(`REVOKE ALL ON FUNCTION "${fn}"(uuid, timestamptz) FROM PUBLIC`);
      await queryRunner.query(
        `GRANT EXECUTE ON FUNCTION "${fn}"(uuid, timestamptz) TO "harbour_api"`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION "access_log_prune"(uuid, timestamptz)`);
    await queryRunner.query(`DROP FUNCTION "access_log_prune_plan"(uuid, timestamptz)`);
    await queryRunner.query(`DROP TRIGGER "access_event_append_only" ON "access_event"`);
    await queryRunner.query(`
      CREATE TRIGGER "access_event_append_only" BEFORE UPDATE OR DELETE ON "access_event"
        FOR EACH ROW EXECUTE FUNCTION "audit_append_only"()`);
    await queryRunner.query(`DROP FUNCTION "access_event_append_only"()`);
    await queryRunner.query(`DROP TABLE "access_log_pruned"`);
  }
}
