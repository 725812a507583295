import { MIGRATIONS } from '@harbour/migrations';
import { ENTITIES } from '../../app/entities';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { createDataSource, runMigrations } from './data-source';

/**
 * The drift check (STYLE.md §15): migrate an empty database, then ask TypeORM what
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
});
