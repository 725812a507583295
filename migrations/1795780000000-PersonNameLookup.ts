import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The first definition of `person_name_lookup_rebuild` (replaced by
 * 1795782000000-PersonNameLookupKeyWorkers, whose `down` restores this one).
 */
export const PERSON_NAME_LOOKUP_REBUILD = `
      CREATE FUNCTION "person_name_lookup_rebuild"(p_organisations uuid[], p_persons uuid[])
      RETURNS void
      LANGUAGE sql VOLATILE SECURITY DEFINER
      SET search_path = pg_catalog, public
      SET enable_seqscan = off
      AS $$
        DELETE FROM public.person_name_lookup l
         USING unnest(p_organisations, p_persons) AS t(organisation_id, person_id)
         WHERE l.organisation_id = t.organisation_id AND l.person_id = t.person_id;
        WITH touched AS (
          SELECT DISTINCT * FROM unnest(p_organisations, p_persons) AS t(organisation_id, person_id)
        ), indexed AS (
          SELECT i.organisation_id, i.kind, i.bits, i.value, i.person_id,
                 array_agg(i.value) FILTER (WHERE i.kind = 'name') OVER (
                   PARTITION BY i.organisation_id, i.person_id, i.bits ORDER BY i.value
                   ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS token_values
            FROM touched t
            JOIN public.person_index i
              ON i.organisation_id = t.organisation_id AND i.person_id = t.person_id
        )
        INSERT INTO public.person_name_lookup
               (organisation_id, kind, bits, value, person_id, code, restricted, key_id,
                token_values, given_name, family_name)
        SELECT i.organisation_id, i.kind, i.bits, i.value, i.person_id, p.code, p.restricted,
               pi.key_id, COALESCE(i.token_values, '{}'), pi.given_name, pi.family_name
          FROM indexed i
          JOIN public.person p ON p.organisation_id = i.organisation_id AND p.id = i.person_id
          JOIN public.person_identity pi
            ON pi.organisation_id = i.organisation_id AND pi.person_id = i.person_id
         WHERE i.kind IN ('name_pair', 'name_unpaired');
      $$`;

/**
 * A covering row for name lookups (docs/adr/0020): `person_name_lookup` holds, for each name-pair
 * row and `name_unpaired` marker of `person_index`, what the exact name lookup reads — the
 * person's code and restricted flag, the key id and the two name envelopes of `person_identity`
 * (the same bytes, under the same person key), and the person's name-token values at the same
 * width — so that the lookup is one primary-key probe rather than a probe per token and four
 * joins.
 *
 * Nothing in the application writes it. Triggers keep it in step with its sources in the same
 * transaction: statement-level triggers on `person_index` and `person_identity` rebuild the rows
 * of every person a statement touched (cascaded deletes included), and a row-level trigger on
 * `person` copies a changed code or restricted flag. The trigger functions run as the table's
 * owner (the application role may only read it), under the caller's tenant like everything
 * else: row-level security is forced here as on every tenant table.
 */
export class PersonNameLookup1795780000000 implements MigrationInterface {
  name = 'PersonNameLookup1795780000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "person_name_lookup" (
        "organisation_id" uuid NOT NULL,
        "kind" text NOT NULL,
        "bits" smallint NOT NULL,
        "value" bigint NOT NULL,
        "person_id" uuid NOT NULL,
        "code" text NOT NULL,
        "restricted" boolean NOT NULL,
        "key_id" integer NOT NULL,
        "token_values" bigint array NOT NULL,
        "given_name" bytea,
        "family_name" bytea,
        CONSTRAINT "person_name_lookup_kind" CHECK ("kind" IN ('name_pair', 'name_unpaired')),
        CONSTRAINT "person_name_lookup_pkey" PRIMARY KEY ("organisation_id", "kind", "bits", "value", "person_id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "person_name_lookup_person" ON "person_name_lookup" ("organisation_id", "person_id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "person_name_lookup" ADD CONSTRAINT "person_name_lookup_person_fk" FOREIGN KEY ("organisation_id", "person_id") REFERENCES "person"("organisation_id","id") ON DELETE CASCADE ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "person_name_lookup" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "person_name_lookup" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY "person_name_lookup_tenant_isolation" ON "person_name_lookup"
        USING ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
        WITH CHECK ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
    await queryRunner.query(`GRANT SELECT ON "person_name_lookup" TO "harbour_api"`);

    // The rows of the people (organisation, person) given, rebuilt from their sources: their
    // index rows read once through `person_index_person`, the token values gathered by a window
    // over them (a join to an aggregate was re-sorted for every row: 20 s per 5,000 people). A
    // rebuild touches a few rows of each of a few people, so its plans are index probes driven by
    // the list; sequential scans are refused, because a bulk write into a fresh table (its
    // statistics not yet gathered) otherwise scanned the whole table per person.
    await queryRunner.query(PERSON_NAME_LOOKUP_REBUILD);
    for (const [name, source] of [
      ['person_name_lookup_from_new', 'new_rows'],
      ['person_name_lookup_from_old', 'old_rows'],
      [
        'person_name_lookup_from_both',
        '(SELECT organisation_id, person_id FROM old_rows UNION SELECT organisation_id, person_id FROM new_rows)',
      ],
    ] as const) {
      await queryRunner.query(`
        CREATE FUNCTION "${name}"() RETURNS trigger
        LANGUAGE plpgsql SECURITY DEFINER
        SET search_path = pg_catalog, public
        AS $$
        BEGIN
          PERFORM public.person_name_lookup_rebuild(array_agg(s.organisation_id), array_agg(s.person_id))
             FROM ${source} s
           HAVING count(*) > 0;
          RETURN NULL;
        END
        $$`);
    }
    for (const table of ['person_index', 'person_identity']) {
      await queryRunner.query(`
        CREATE TRIGGER "${table}_name_lookup_insert" AFTER INSERT ON "${table}"
        REFERENCING NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION "person_name_lookup_from_new"()`);
      await queryRunner.query(`
        CREATE TRIGGER "${table}_name_lookup_delete" AFTER DELETE ON "${table}"
        REFERENCING OLD TABLE AS old_rows
        FOR EACH STATEMENT EXECUTE FUNCTION "person_name_lookup_from_old"()`);
      await queryRunner.query(`
        CREATE TRIGGER "${table}_name_lookup_update" AFTER UPDATE ON "${table}"
        REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
        FOR EACH STATEMENT EXECUTE FUNCTION "person_name_lookup_from_both"()`);
    }
    await queryRunner.query(`
      CREATE FUNCTION "person_name_lookup_person_changed"() RETURNS trigger
      LANGUAGE plpgsql SECURITY DEFINER
      SET search_path = pg_catalog, public
      AS $$
      BEGIN
        UPDATE public.person_name_lookup SET code = NEW.code, restricted = NEW.restricted
         WHERE organisation_id = NEW.organisation_id AND person_id = NEW.id;
        RETURN NULL;
      END
      $$`);
    await queryRunner.query(`
      CREATE TRIGGER "person_name_lookup_update" AFTER UPDATE OF "code", "restricted" ON "person"
      FOR EACH ROW
      WHEN (OLD."code" IS DISTINCT FROM NEW."code" OR OLD."restricted" IS DISTINCT FROM NEW."restricted")
      EXECUTE FUNCTION "person_name_lookup_person_changed"()`);
    for (const fn of [
      'person_name_lookup_rebuild(uuid[], uuid[])',
      'person_name_lookup_from_new()',
      'person_name_lookup_from_old()',
      'person_name_lookup_from_both()',
      'person_name_lookup_person_changed()',
    ]) {
      await queryRunner.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
    }

    // The people already written, per organisation under its tenant (row-level security is
    // forced).
    const organisations = (await queryRunner.query(
      `SELECT id FROM "organisation" ORDER BY id`,
    )) as { id: string }[];
    for (const { id } of organisations) {
      await queryRunner.query(`SELECT set_config('app.org_id', $1, true)`, [id]);
      await queryRunner.query(
        `SELECT person_name_lookup_rebuild(array_agg(organisation_id), array_agg(id))
           FROM "person" WHERE organisation_id = $1 HAVING count(*) > 0`,
        [id],
      );
    }
    await queryRunner.query(`SELECT set_config('app.org_id', '', true)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER "person_name_lookup_update" ON "person"`);
    for (const table of ['person_index', 'person_identity']) {
      for (const event of ['insert', 'delete', 'update']) {
        await queryRunner.query(`DROP TRIGGER "${table}_name_lookup_${event}" ON "${table}"`);
      }
    }
    await queryRunner.query(`DROP FUNCTION "person_name_lookup_person_changed"()`);
    await queryRunner.query(`DROP FUNCTION "person_name_lookup_from_both"()`);
    await queryRunner.query(`DROP FUNCTION "person_name_lookup_from_old"()`);
    await queryRunner.query(`DROP FUNCTION "person_name_lookup_from_new"()`);
    await queryRunner.query(`DROP FUNCTION "person_name_lookup_rebuild"(uuid[], uuid[])`);
    await queryRunner.query(`DROP TABLE "person_name_lookup"`);
  }
}
