import { Client } from 'pg';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { ensureKeyringSchema, keyringUrlFor } from './keyring/keyring-schema';

const BATCH = 5000;

interface MaterialRow {
  organisation_id: string;
  key_id: number;
  purpose: string;
  subject_id: string | null;
  wrapping_key_id: number;
  wrapped_by: string;
  wrapped: Buffer;
  created_at: Date;
}

/** The keyring database of the data database this migration runs on, as the owner. */
function keyringOwnerUrl(queryRunner: QueryRunner): string {
  const options = queryRunner.connection.options as { url?: string };
  if (options.url === undefined) throw new Error('KeyringStore needs a URL-configured connection');
  return keyringUrlFor(options.url, process.env['HARBOUR_KEYRING_MIGRATION_URL']);
}

/**
 * The keyring moves to its own database (`migrations/keyring/keyring-schema.ts`): every key's wrapped
 * material is copied there (the data database stays authoritative until this commits, so a run
 * interrupted half-way copies again), every copy is checked byte for byte, and only then does
 * the data database lose its `wrapped`, `wrapped_by` and `wrapping_key_id` columns. From here a
 * backup of the data database holds ciphertext without any key that opens it.
 */
export class KeyringStore1795730000000 implements MigrationInterface {
  name = 'KeyringStore1795730000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    const url = keyringOwnerUrl(queryRunner);
    await ensureKeyringSchema(url);
    const keyring = new Client({ connectionString: url, application_name: 'harbour-migrate' });
    await keyring.connect();
    try {
      let after: [string, number] = ['00000000-0000-0000-0000-000000000000', 0];
      for (;;) {
        const rows = (await queryRunner.query(
          `SELECT organisation_id, key_id, purpose, subject_id, wrapping_key_id, wrapped_by, wrapped, created_at
             FROM "organisation_key"
            WHERE "wrapped" IS NOT NULL AND (organisation_id, key_id) > ($1::uuid, $2::int)
            ORDER BY organisation_id, key_id LIMIT ${BATCH}`,
          after,
        )) as MaterialRow[];
        if (rows.length === 0) break;
        await keyring.query(
          `INSERT INTO key_material (organisation_id, key_id, purpose, subject_id, wrapping_key_id,
                                     wrapped_by, wrapped, created_at)
           SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::uuid[], $5::int[], $6::text[],
                                $7::bytea[], $8::timestamptz[])
           ON CONFLICT (organisation_id, key_id) DO UPDATE
             SET purpose = EXCLUDED.purpose, subject_id = EXCLUDED.subject_id,
                 wrapping_key_id = EXCLUDED.wrapping_key_id, wrapped_by = EXCLUDED.wrapped_by,
                 wrapped = EXCLUDED.wrapped, created_at = EXCLUDED.created_at`,
          [
            rows.map((r) => r.organisation_id),
            rows.map((r) => r.key_id),
            rows.map((r) => r.purpose),
            rows.map((r) => r.subject_id),
            rows.map((r) => r.wrapping_key_id),
            rows.map((r) => r.wrapped_by),
            rows.map((r) => r.wrapped),
            rows.map((r) => r.created_at),
          ],
        );
        const same = await keyring.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM key_material k
             JOIN unnest($1::uuid[], $2::int[], $3::bytea[]) AS v(organisation_id, key_id, wrapped)
               ON k.organisation_id = v.organisation_id AND k.key_id = v.key_id
              AND k.wrapped = v.wrapped`,
          [
            rows.map((r) => r.organisation_id),
            rows.map((r) => r.key_id),
            rows.map((r) => r.wrapped),
          ],
        );
        if (same.rows[0]?.n !== rows.length) {
          throw new Error('KeyringStore: a copied key does not match its source; nothing dropped');
        }
        const last = rows[rows.length - 1]!;
        after = [last.organisation_id, last.key_id];
      }
      // Destroyed keys have no material: none may be left in the keyring either.
      const destroyed = (await queryRunner.query(
        `SELECT organisation_id, key_id FROM "organisation_key" WHERE "wrapped" IS NULL`,
      )) as { organisation_id: string; key_id: number }[];
      if (destroyed.length > 0) {
        await keyring.query(
          `DELETE FROM key_material k USING unnest($1::uuid[], $2::int[]) AS v(organisation_id, key_id)
            WHERE k.organisation_id = v.organisation_id AND k.key_id = v.key_id`,
          [destroyed.map((r) => r.organisation_id), destroyed.map((r) => r.key_id)],
        );
      }
    } finally {
      await keyring.end();
    }
    await queryRunner.query(
      `ALTER TABLE "organisation_key" DROP CONSTRAINT "organisation_key_material"`,
    );
    await queryRunner.query(`DROP INDEX "organisation_key_wrapping"`);
    await queryRunner.query(
      `ALTER TABLE "organisation_key" DROP COLUMN "wrapped", DROP COLUMN "wrapped_by", DROP COLUMN "wrapping_key_id"`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE "organisation_key" ADD "wrapped" bytea, ADD "wrapped_by" text, ADD "wrapping_key_id" integer`,
    );
    const keyring = new Client({
      connectionString: keyringOwnerUrl(queryRunner),
      application_name: 'harbour-migrate',
    });
    await keyring.connect();
    try {
      const { rows } = await keyring.query<MaterialRow>(
        `SELECT organisation_id, key_id, wrapping_key_id, wrapped_by, wrapped FROM key_material`,
      );
      for (let i = 0; i < rows.length; i += BATCH) {
        const batch = rows.slice(i, i + BATCH);
        await queryRunner.query(
          `UPDATE "organisation_key" k
              SET wrapped = v.wrapped, wrapped_by = v.wrapped_by, wrapping_key_id = v.wrapping_key_id
             FROM unnest($1::uuid[], $2::int[], $3::int[], $4::text[], $5::bytea[])
                  AS v(organisation_id, key_id, wrapping_key_id, wrapped_by, wrapped)
            WHERE k.organisation_id = v.organisation_id AND k.key_id = v.key_id`,
          [
            batch.map((r) => r.organisation_id),
            batch.map((r) => r.key_id),
            batch.map((r) => r.wrapping_key_id),
            batch.map((r) => r.wrapped_by),
            batch.map((r) => r.wrapped),
          ],
        );
      }
    } finally {
      await keyring.end();
    }
    // A key the keyring no longer holds is gone: its catalogue row says so.
    await queryRunner.query(
      `UPDATE "organisation_key" SET status = 'destroyed', wrapping_key_id = 1, wrapped_by = 'kek'
        WHERE wrapped IS NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "organisation_key" ALTER "wrapped_by" SET NOT NULL, ALTER "wrapping_key_id" SET NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE "organisation_key" ADD CONSTRAINT "organisation_key_material" CHECK (("status" = 'destroyed') = ("wrapped" IS NULL) AND ("wrapped" IS NULL OR (octet_length("wrapped") >= 46 AND get_byte("wrapped", 0) = 1)))`,
    );
    await queryRunner.query(
      `CREATE INDEX "organisation_key_wrapping" ON "organisation_key" ("organisation_id", "wrapping_key_id", "key_id") WHERE "wrapped" IS NOT NULL`,
    );
  }
}
