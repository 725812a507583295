import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { generatePersonCode } from '@harbour/domain';
import { MIGRATIONS } from '@harbour/migrations';
import { ENTITIES } from '../../data/entities';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { createDataSource, runMigrations } from './data-source';

/**
 * The drift check (docs/style.md §15): migrate an empty database, then ask TypeORM what
 * `migration:generate` would write for the entities. It must find nothing.
 */
describe('migrations', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase({ empty: true });
  });

  afterAll(async () => {
    await db.drop();
  });

  it('apply to an empty database', async () => {
    const applied = await runMigrations(db.ownerUrl, MIGRATIONS);
    expect(applied).toEqual(MIGRATIONS.map((m) => new m().name));
  });

  it('leave nothing for migration:generate to find (no drift from the entities)', async () => {
    const dataSource = createDataSource({ url: db.ownerUrl, entities: [...ENTITIES], poolSize: 1 });
    await dataSource.initialize();
    try {
      const pending = await dataSource.driver.createSchemaBuilder().log();
      expect(pending.upQueries.map((q) => q.query)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('name every primary and foreign key as the entities do (HarbourNamingStrategy)', async () => {
    // migration:generate does not compare primary-key names, so they are pinned here.
    const dataSource = createDataSource({ url: db.ownerUrl, entities: [...ENTITIES], poolSize: 1 });
    await dataSource.initialize();
    try {
      const { namingStrategy } = dataSource;
      const expected = dataSource.entityMetadatas.flatMap((m) => [
        `${m.tableName} p ${
          m.primaryColumns[0]?.primaryKeyConstraintName ??
          namingStrategy.primaryKeyName(
            m.tableName,
            m.primaryColumns.map((c) => c.databaseName),
          )
        }`,
        ...m.foreignKeys.map((fk) => `${m.tableName} f ${fk.name}`),
      ]);
      const rows = await dataSource.query<{ key: string }[]>(
        `SELECT conrelid::regclass::text || ' ' || contype::text || ' ' || conname AS key
           FROM pg_constraint
          WHERE contype IN ('p', 'f') AND conrelid::regclass::text = ANY($1)`,
        [dataSource.entityMetadatas.map((m) => m.tableName)],
      );
      expect(rows.map((r) => r.key).sort()).toEqual(expected.sort());
      expect(expected).toContain('person p person_pkey');
      expect(expected).toContain('person f person_organisation_fk');
    } finally {
      await dataSource.destroy();
    }
  });

  it('revert completely with their down methods and apply again', async () => {
    const dataSource = createDataSource({
      url: db.ownerUrl,
      entities: [],
      migrations: MIGRATIONS,
      poolSize: 1,
    });
    await dataSource.initialize();
    try {
      for (const _migration of MIGRATIONS)
        await dataSource.undoLastMigration({ transaction: 'each' });
      const left: unknown = await dataSource.query(
        `SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'typeorm_migration'`,
      );
      expect(left).toEqual([]);
      const reapplied = await dataSource.runMigrations({ transaction: 'each' });
      expect(reapplied).toHaveLength(MIGRATIONS.length);
    } finally {
      await dataSource.destroy();
    }
  });

  it('mark people name-indexed before pair rows existed as name_unpaired (PersonNamePairs)', async () => {
    const fresh = await createTestDatabase({ empty: true });
    try {
      const at = MIGRATIONS.findIndex((m) => new m().name === 'PersonNamePairs1795520000000');
      expect(at).toBeGreaterThan(0);
      await runMigrations(fresh.ownerUrl, MIGRATIONS.slice(0, at));
      const organisation = randomUUID();
      const [named, unnamed] = [randomUUID(), randomUUID()];
      const owner = new Client({ connectionString: fresh.ownerUrl });
      await owner.connect();
      try {
        await owner.query('BEGIN');
        await owner.query(`INSERT INTO organisation (id, name) VALUES ($1, 'Before pairs')`, [
          organisation,
        ]);
        await owner.query(`SELECT set_config('app.org_id', $1, true)`, [organisation]);
        await owner.query(
          `INSERT INTO person (organisation_id, id, code) VALUES ($1, $2, $4), ($1, $3, $5)`,
          [organisation, named, unnamed, generatePersonCode(), generatePersonCode()],
        );
        await owner.query(
          `INSERT INTO person_index (organisation_id, kind, bits, value, person_id)
           VALUES ($1, 'name', 16, 7, $2), ($1, 'name', 16, 9, $2), ($1, 'phone', 16, 7, $3)`,
          [organisation, named, unnamed],
        );
        await owner.query('COMMIT');
        await runMigrations(fresh.ownerUrl, MIGRATIONS);
        await owner.query('BEGIN');
        await owner.query(`SELECT set_config('app.org_id', $1, true)`, [organisation]);
        const { rows } = await owner.query<{ person_id: string; bits: number; value: string }>(
          `SELECT person_id, bits, value FROM person_index WHERE kind = 'name_unpaired'`,
        );
        await owner.query('COMMIT');
        expect(rows).toEqual([{ person_id: named, bits: 16, value: '0' }]);
      } finally {
        await owner.end();
      }
    } finally {
      await fresh.drop();
    }
  });
});
