import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Merging two records of the same person (issue 17, duplicates).
 *
 * - `person.merged_into`: the surviving record of a merged one. A merged record has lost its
 *   identity and key like an erased one (`erased_at` is set with it), so every write that refuses
 *   an erased person refuses it too; it can only point at another person of its organisation.
 * - `person_merge`: one row per merge (survivor, absorbed and its code, counts, who and when),
 *   insert-only, under the organisation policy like every tenant table.
 * - `person_merge_move(table, absorbed, survivor, ids, old, new)`: the merge's only way to
 *   rewrite rows the API role may otherwise only insert (contacts and their notes, the words kept
 *   with a reveal, contact amendments' reasons and notes). SECURITY DEFINER, limited to those tables of the caller's own tenant: it
 *   swaps each listed sealed value (compare-and-swap on the old ciphertext) for one under a live
 *   key of the survivor, refusing an old value not under a key of the absorbed person, then moves
 *   every row of the absorbed person to the survivor — and refuses to if any value is still under
 *   the absorbed person's key (a moved note must stay readable).
 */
export class PersonMerges1795743000000 implements MigrationInterface {
  name = 'PersonMerges1795743000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE TABLE "person_merge" ("organisation_id" uuid NOT NULL, "id" uuid NOT NULL, "survivor_id" uuid NOT NULL, "absorbed_id" uuid NOT NULL, "absorbed_code" text NOT NULL, "rows_moved" integer NOT NULL, "values_reencrypted" integer NOT NULL, "merged_by" uuid NOT NULL, "merged_at" TIMESTAMP WITH TIME ZONE NOT NULL, CONSTRAINT "person_merge_counts" CHECK ("rows_moved" >= 0 AND "values_reencrypted" >= 0), CONSTRAINT "person_merge_two_people" CHECK ("survivor_id" <> "absorbed_id"), CONSTRAINT "person_merge_pkey" PRIMARY KEY ("organisation_id", "id"))`,
    );
    await queryRunner.query(
      `CREATE INDEX "person_merge_survivor" ON "person_merge"  ("organisation_id", "survivor_id") `,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX "person_merge_absorbed" ON "person_merge"  ("organisation_id", "absorbed_id") `,
    );
    await queryRunner.query(`ALTER TABLE "person" ADD "merged_into" uuid`);
    await queryRunner.query(
      `ALTER TABLE "person" ADD CONSTRAINT "person_merged_into_other" CHECK ("merged_into" IS NULL OR "merged_into" <> "id")`,
    );
    await queryRunner.query(
      `ALTER TABLE "person" ADD CONSTRAINT "person_merged_is_erased" CHECK ("merged_into" IS NULL OR "erased_at" IS NOT NULL)`,
    );
    await queryRunner.query(
      `ALTER TABLE "person" ADD CONSTRAINT "person_merged_into_fk" FOREIGN KEY ("organisation_id", "merged_into") REFERENCES "person"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "person_merge" ADD CONSTRAINT "person_merge_organisation_fk" FOREIGN KEY ("organisation_id") REFERENCES "organisation"("id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "person_merge" ADD CONSTRAINT "person_merge_survivor_fk" FOREIGN KEY ("organisation_id", "survivor_id") REFERENCES "person"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(
      `ALTER TABLE "person_merge" ADD CONSTRAINT "person_merge_absorbed_fk" FOREIGN KEY ("organisation_id", "absorbed_id") REFERENCES "person"("organisation_id","id") ON DELETE RESTRICT ON UPDATE NO ACTION`,
    );
    await queryRunner.query(`ALTER TABLE "person_merge" ENABLE ROW LEVEL SECURITY`);
    await queryRunner.query(`ALTER TABLE "person_merge" FORCE ROW LEVEL SECURITY`);
    await queryRunner.query(`
      CREATE POLICY "person_merge_tenant_isolation" ON "person_merge"
        USING ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)
        WITH CHECK ("organisation_id" = NULLIF(current_setting('app.org_id', true), '')::uuid)`);
    await queryRunner.query(`GRANT SELECT, INSERT ON "person_merge" TO "harbour_api"`);
    await queryRunner.query(`
      CREATE FUNCTION "person_merge_move"(p_table text, p_absorbed uuid, p_survivor uuid,
                                          p_ids uuid[], p_old bytea[], p_new bytea[])
      RETURNS integer
      LANGUAGE plpgsql VOLATILE SECURITY DEFINER
      SET search_path = pg_catalog, public
      AS $$
      DECLARE
        tenant uuid := NULLIF(current_setting('app.org_id', true), '')::uuid;
        sealed text;
        target text;
        checked text[];
        col text;
        resealed integer;
        moved integer;
      BEGIN
        -- A step of the merge: the table's sealed column it re-seals, and whether it then moves
        -- the rows (a contact amendment has two sealed columns: its reason first, unmoved, then
        -- its notes, after which the rows move).
        sealed := CASE p_table WHEN 'contact' THEN 'notes' WHEN 'reveal_detail' THEN 'detail'
                               WHEN 'contact_amendment.reason' THEN 'reason'
                               WHEN 'contact_amendment' THEN 'notes' END;
        target := CASE p_table WHEN 'contact_amendment.reason' THEN 'contact_amendment'
                               ELSE p_table END;
        checked := CASE target WHEN 'contact_amendment' THEN ARRAY['reason', 'notes']
                               ELSE ARRAY[sealed] END;
        IF sealed IS NULL THEN
          RAISE EXCEPTION 'not a table a merge moves this way: %', p_table USING ERRCODE = '22023';
        END IF;
        IF tenant IS NULL THEN
          RAISE EXCEPTION 'no tenant' USING ERRCODE = '42501';
        END IF;
        IF p_absorbed = p_survivor THEN
          RAISE EXCEPTION 'a person is not merged into themselves' USING ERRCODE = '22023';
        END IF;
        IF cardinality(p_ids) IS DISTINCT FROM cardinality(p_old)
           OR cardinality(p_ids) IS DISTINCT FROM cardinality(p_new) THEN
          RAISE EXCEPTION 'arrays differ in length' USING ERRCODE = '22023';
        END IF;
        IF EXISTS (SELECT 1 FROM unnest(p_new) AS n(v)
                    WHERE octet_length(v) < 46 OR get_byte(v, 0) <> 1
                       OR NOT EXISTS (
                         SELECT 1 FROM public.organisation_key k
                          WHERE k.organisation_id = tenant AND k.purpose = 'person_data'
                            AND k.subject_id = p_survivor AND k.status = 'active'
                            AND k.key_id = public.ciphertext_key_id(v))) THEN
          RAISE EXCEPTION 'a new value is not sealed under a key of the survivor' USING ERRCODE = '22023';
        END IF;
        IF EXISTS (SELECT 1 FROM unnest(p_old) AS o(v)
                    WHERE NOT EXISTS (
                      SELECT 1 FROM public.organisation_key k
                       WHERE k.organisation_id = tenant AND k.purpose = 'person_data'
                         AND k.subject_id = p_absorbed
                         AND k.key_id = public.ciphertext_key_id(v))) THEN
          RAISE EXCEPTION 'an old value is not under a key of the absorbed person' USING ERRCODE = '22023';
        END IF;
        EXECUTE format(
          'UPDATE public.%1$I t SET %2$I = v.new
             FROM unnest($2::uuid[], $3::bytea[], $4::bytea[]) AS v(id, old, new)
            WHERE t.organisation_id = $1 AND t.id = v.id AND t.person_id = $5 AND t.%2$I = v.old',
          target, sealed)
          USING tenant, p_ids, p_old, p_new, p_absorbed;
        GET DIAGNOSTICS resealed = ROW_COUNT;
        IF resealed <> cardinality(p_ids) THEN
          RAISE EXCEPTION 'a value changed under the merge' USING ERRCODE = '40001';
        END IF;
        IF p_table = 'contact_amendment.reason' THEN
          RETURN 0;
        END IF;
        FOREACH col IN ARRAY checked LOOP
          EXECUTE format(
            'SELECT count(*)::integer FROM public.%1$I t
              WHERE t.organisation_id = $1 AND t.person_id = $2 AND t.%2$I IS NOT NULL
                AND EXISTS (SELECT 1 FROM public.organisation_key k
                             WHERE k.organisation_id = $1 AND k.purpose = ''person_data''
                               AND k.subject_id = $2 AND k.key_id = public.ciphertext_key_id(t.%2$I))',
            target, col)
            INTO moved USING tenant, p_absorbed;
          IF moved > 0 THEN
            RAISE EXCEPTION 'values are still under the absorbed person''s key' USING ERRCODE = '22023';
          END IF;
        END LOOP;
        EXECUTE format(
          'UPDATE public.%1$I t SET person_id = $3 WHERE t.organisation_id = $1 AND t.person_id = $2',
          target)
          USING tenant, p_absorbed, p_survivor;
        GET DIAGNOSTICS moved = ROW_COUNT;
        RETURN moved;
      END
      $$`);
    const fn = `"person_merge_move"(text, uuid, uuid, uuid[], bytea[], bytea[])`;
    await queryRunner.query(`REVOKE ALL ON FUNCTION ${fn} FROM PUBLIC`);
    await queryRunner.query(`GRANT EXECUTE ON FUNCTION ${fn} TO "harbour_api"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `DROP FUNCTION "person_merge_move"(text, uuid, uuid, uuid[], bytea[], bytea[])`,
    );
    await queryRunner.query(`DROP TABLE "person_merge"`);
    await queryRunner.query(`ALTER TABLE "person" DROP CONSTRAINT "person_merged_into_fk"`);
    await queryRunner.query(`ALTER TABLE "person" DROP CONSTRAINT "person_merged_is_erased"`);
    await queryRunner.query(`ALTER TABLE "person" DROP CONSTRAINT "person_merged_into_other"`);
    await queryRunner.query(`ALTER TABLE "person" DROP COLUMN "merged_into"`);
  }
}
