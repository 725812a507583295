import { DataSource, type MixedList, type MigrationInterface } from 'typeorm';
import { HarbourNamingStrategy } from './naming-strategy';

type EntityList = MixedList<string | (new () => unknown)>;
type MigrationList = readonly (new () => MigrationInterface)[];

export interface DataSourceOptions {
  readonly url: string;
  readonly entities: EntityList;
  readonly migrations?: MigrationList;
  /** Pool size per API instance. */
  readonly poolSize?: number;
  readonly applicationName?: string;
}

/**
 * One place that builds TypeORM data sources. Never `synchronize`; migrations run explicitly
 * (docs/style.md §13). TypeORM's own query logging stays off: it would print parameters. Keys
 * are named as the migrations name them (`HarbourNamingStrategy`).
 */
export function createDataSource(options: DataSourceOptions): DataSource {
  return new DataSource({
    type: 'postgres',
    url: options.url,
    entities: options.entities,
    migrations: options.migrations ? [...options.migrations] : [],
    migrationsTableName: 'typeorm_migration',
    migrationsTransactionMode: 'each',
    synchronize: false,
    namingStrategy: new HarbourNamingStrategy(),
    migrationsRun: false,
    logging: false,
    applicationName: options.applicationName ?? 'harbour-api',
    extra: {
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
      // Bound every statement so a stuck query cannot hold a pooled connection forever.
      statement_timeout: 30_000,
      idle_in_transaction_session_timeout: 60_000,
      // Every transaction is READ COMMITTED from the connection's start-up parameters, so
      // `START TRANSACTION` needs no second statement (`Db.transaction` relies on it).
      // Named statements (`Tx.prepared`: the hot paths, all key lookups and inserts) keep one
      // generic plan per connection instead of being planned again on every execution, which
      // cost more than running them (a lookup: 0.4 ms planning for 0.1 ms of execution).
      options:
        '-c default_transaction_isolation=read\\ committed -c plan_cache_mode=force_generic_plan',
    },
  });
}

/** Applies pending migrations as the owner role; returns the names applied. */
export async function runMigrations(url: string, migrations: MigrationList): Promise<string[]> {
  const dataSource = createDataSource({
    url,
    entities: [],
    migrations,
    applicationName: 'harbour-migrate',
    poolSize: 1,
  });
  await dataSource.initialize();
  try {
    const applied = await dataSource.runMigrations({ transaction: 'each' });
    return applied.map((m) => m.name);
  } finally {
    await dataSource.destroy();
  }
}
