import type { MigrationInterface, QueryRunner } from 'typeorm';
import { PERSON_NAME_LOOKUP_REBUILD } from './1795780000000-PersonNameLookup';

/**
 * The key workers of each person on their covering rows (docs/adr/0023): `key_workers` holds the
 * staff ids of `person_key_worker` for the person, so that the exact name lookup can leave out a
 * restricted person the reader is not a key worker of by a test on the row itself. The lookup is
 * then one statement whatever it finds: a restricted person hidden from the reader costs the
 * same work as a row whose tokens do not match, and no more statements than a name nobody holds.
 *
 * The rebuild function gathers the key workers with the rest, and `person_key_worker` gets the
 * same statement-level triggers as `person_index` and `person_identity`: an assignment, removal
 * or hand-over rebuilds the rows of the people it touched, in its own transaction.
 */
export class PersonNameLookupKeyWorkers1795782000000 implements MigrationInterface {
  name = 'PersonNameLookupKeyWorkers1795782000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "person_name_lookup" ADD "key_workers" uuid array NOT NULL DEFAULT '{}'`,
    );
    await queryRunner.query(`
      CREATE OR REPLACE FUNCTION "person_name_lookup_rebuild"(p_organisations uuid[], p_persons uuid[])
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
        ), workers AS (
          SELECT t.organisation_id, t.person_id,
                 COALESCE((SELECT array_agg(w.staff_id ORDER BY w.staff_id)
                             FROM public.person_key_worker w
                            WHERE w.organisation_id = t.organisation_id
                              AND w.person_id = t.person_id), '{}') AS key_workers
            FROM touched t
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
               (organisation_id, kind, bits, value, person_id, code, restricted, key_workers,
                key_id, token_values, given_name, family_name)
        SELECT i.organisation_id, i.kind, i.bits, i.value, i.person_id, p.code, p.restricted,
               w.key_workers, pi.key_id, COALESCE(i.token_values, '{}'), pi.given_name,
               pi.family_name
          FROM indexed i
          JOIN workers w ON w.organisation_id = i.organisation_id AND w.person_id = i.person_id
          JOIN public.person p ON p.organisation_id = i.organisation_id AND p.id = i.person_id
          JOIN public.person_identity pi
            ON pi.organisation_id = i.organisation_id AND pi.person_id = i.person_id
         WHERE i.kind IN ('name_pair', 'name_unpaired');
      $$`);
    await queryRunner.query(
      `REVOKE ALL ON FUNCTION person_name_lookup_rebuild(uuid[], uuid[]) FROM PUBLIC`,
    );
    for (const [event, fn, transition] of TRIGGERS) {
      await queryRunner.query(`
        CREATE TRIGGER "person_key_worker_name_lookup_${event}"
        AFTER ${event.toUpperCase()} ON "person_key_worker"
        REFERENCING ${transition}
        FOR EACH STATEMENT EXECUTE FUNCTION "${fn}"()`);
    }

    // The people who already have key workers, per organisation under its tenant (row-level
    // security is forced on both tables).
    const organisations = (await queryRunner.query(
      `SELECT id FROM "organisation" ORDER BY id`,
    )) as { id: string }[];
    for (const { id } of organisations) {
      await queryRunner.query(`SELECT set_config('app.org_id', $1, true)`, [id]);
      await queryRunner.query(
        `SELECT person_name_lookup_rebuild(array_agg(organisation_id), array_agg(person_id))
           FROM (SELECT DISTINCT organisation_id, person_id FROM "person_key_worker"
                  WHERE organisation_id = $1) w
         HAVING count(*) > 0`,
        [id],
      );
    }
    await queryRunner.query(`SELECT set_config('app.org_id', '', true)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [event] of TRIGGERS) {
      await queryRunner.query(
        `DROP TRIGGER "person_key_worker_name_lookup_${event}" ON "person_key_worker"`,
      );
    }
    await queryRunner.query(
      PERSON_NAME_LOOKUP_REBUILD.replace('CREATE FUNCTION', 'CREATE OR REPLACE FUNCTION'),
    );
    await queryRunner.query(`ALTER TABLE "person_name_lookup" DROP COLUMN "key_workers"`);
  }
}

/** The triggers on `person_key_worker`: the rebuild functions of the first migration, reused. */
const TRIGGERS = [
  ['insert', 'person_name_lookup_from_new', 'NEW TABLE AS new_rows'],
  ['delete', 'person_name_lookup_from_old', 'OLD TABLE AS old_rows'],
  ['update', 'person_name_lookup_from_both', 'OLD TABLE AS old_rows NEW TABLE AS new_rows'],
] as const;
