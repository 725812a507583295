import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `metrics_organisations_in_lockdown()`: how many organisations are in lockdown now, for the
 * `harbour_organisations_in_lockdown` metric. SECURITY DEFINER because row-level security shows
 * the API role one organisation at a time; it answers a count and nothing else (no id, no name),
 * so a scrape learns no tenant's identity.
 */
export class CountLockdowns1795774000000 implements MigrationInterface {
  name = 'CountLockdowns1795774000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION "metrics_organisations_in_lockdown"()
      RETURNS integer
      LANGUAGE sql STABLE SECURITY DEFINER
      SET search_path = pg_catalog, public
      AS $$
        SELECT count(*)::integer FROM public.organisation WHERE lockdown_at IS NOT NULL
      $$`);
    await queryRunner.query(
      `REVOKE ALL ON FUNCTION "metrics_organisations_in_lockdown"() FROM PUBLIC`,
    );
    await queryRunner.query(
      `GRANT EXECUTE ON FUNCTION "metrics_organisations_in_lockdown"() TO "harbour_api"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION "metrics_organisations_in_lockdown"()`);
  }
}
