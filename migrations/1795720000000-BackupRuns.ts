import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * `backup_run`: the record of every `harbour backup`, `backup --verify` and `restore`
 * (docs/operations.md "Backup and restore"), written by the operator CLI as the owner role.
 * Deployment-wide (a backup covers every organisation), so no organisation and no row-level
 * security, like `login_throttle`; it holds a file name, counts and a `detail` of per-table and
 * per-field counts only — never a value, a path outside the backup folder, or a key. The API
 * role may read it (the admin home's "last backup" and "last verified restore").
 */
export class BackupRuns1795720000000 implements MigrationInterface {
  name = 'BackupRuns1795720000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE "backup_run" (
        "id" uuid NOT NULL,
        "kind" text NOT NULL,
        "started_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "finished_at" TIMESTAMP WITH TIME ZONE NOT NULL,
        "ok" boolean NOT NULL,
        "file_name" text,
        "tables" integer NOT NULL DEFAULT 0,
        "rows" bigint NOT NULL DEFAULT 0,
        "bytes" bigint NOT NULL DEFAULT 0,
        "error_code" text,
        "detail" jsonb NOT NULL,
        CONSTRAINT "backup_run_kind" CHECK ("kind" IN ('backup', 'verify', 'restore')),
        CONSTRAINT "backup_run_file_name" CHECK ("file_name" IS NULL OR ("file_name" !~ '[/\\\\]' AND char_length("file_name") BETWEEN 1 AND 255)),
        CONSTRAINT "backup_run_counts" CHECK ("tables" >= 0 AND "rows" >= 0 AND "bytes" >= 0),
        CONSTRAINT "backup_run_times" CHECK ("finished_at" >= "started_at"),
        CONSTRAINT "backup_run_pkey" PRIMARY KEY ("id")
      )`);
    await queryRunner.query(
      `CREATE INDEX "backup_run_recent" ON "backup_run" ("kind", "finished_at")`,
    );
    await queryRunner.query(`GRANT SELECT ON "backup_run" TO "harbour_api"`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`REVOKE ALL ON "backup_run" FROM "harbour_api"`);
    await queryRunner.query(`DROP TABLE "backup_run"`);
  }
}
