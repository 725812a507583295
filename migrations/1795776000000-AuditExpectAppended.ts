import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The SQLSTATE `audit_expect_appended` raises: the access-log head was not the one the writer
 * sealed its event on, so the event was not written (docs/adr/0019).
 */
export const AUDIT_HEAD_MOVED_SQLSTATE = 'HL001';

/**
 * `audit_expect_appended(n)`: answers `n` when it is 1 and otherwise raises
 * `AUDIT_HEAD_MOVED_SQLSTATE`. A request's access event and its COMMIT travel in one message
 * (docs/adr/0019); the statement that appends the event on the head its process last wrote ends
 * with this check, so a head that moved is an error, which stops PostgreSQL before the COMMIT
 * (a statement that wrote nothing would otherwise let the request commit without its event).
 * It reads and writes nothing; only the API role may run it.
 */
export class AuditExpectAppended1795776000000 implements MigrationInterface {
  name = 'AuditExpectAppended1795776000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE FUNCTION "audit_expect_appended"(appended bigint)
      RETURNS bigint
      LANGUAGE plpgsql VOLATILE
      SET search_path = pg_catalog
      AS $$
      BEGIN
        IF appended IS DISTINCT FROM 1 THEN
          RAISE EXCEPTION 'the access-log head was not the expected one'
            USING ERRCODE = '${AUDIT_HEAD_MOVED_SQLSTATE}';
        END IF;
        RETURN appended;
      END
      $$`);
    await queryRunner.query(`REVOKE ALL ON FUNCTION "audit_expect_appended"(bigint) FROM PUBLIC`);
    await queryRunner.query(
      `GRANT EXECUTE ON FUNCTION "audit_expect_appended"(bigint) TO "harbour_api"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP FUNCTION "audit_expect_appended"(bigint)`);
  }
}
