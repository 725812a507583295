import { randomBytes } from 'node:crypto';
import { Client, type QueryResultRow } from 'pg';
import { keyringDatabaseName, prepareDatabase } from '../../infra/database/bootstrap';
import { connectionUrl } from '../../infra/database/embedded-postgres';
import { CLUSTER_ENV, TEMPLATE_DATABASE, type TestClusterInfo } from './cluster';

/** A private database for one test file, cloned from the migrated template. */
export interface TestDatabase {
  readonly name: string;
  readonly info: TestClusterInfo;
  /** The non-owner application role, as the API connects. */
  readonly appUrl: string;
  /** The owner role that runs migrations. */
  readonly ownerUrl: string;
  readonly superuserUrl: string;
  /** Runs one statement as the superuser (for inspecting what the app role cannot see). */
  asSuperuser<R extends QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  asOwner<R extends QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  asApp<R extends QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  /** The keyring database beside it (`<name>_keyring`): wrapped key material. */
  readonly keyringName: string;
  /** Runs one statement as the superuser on the keyring database. */
  asKeyring<R extends QueryResultRow>(sql: string, params?: unknown[]): Promise<R[]>;
  drop(): Promise<void>;
}

export function clusterInfo(): TestClusterInfo {
  const raw = process.env[CLUSTER_ENV];
  if (raw === undefined)
    throw new Error('medium tests need the global setup (npm run test:medium)');
  return JSON.parse(raw) as TestClusterInfo;
}

export async function createTestDatabase(
  options: { empty?: boolean; info?: TestClusterInfo } = {},
): Promise<TestDatabase> {
  // `info`: a cluster of the test's own (e.g. the primary of a replica) instead of the run's.
  const info = options.info ?? clusterInfo();
  const name = `harbour_t_${randomBytes(6).toString('hex')}`;
  const superuser = (db: string): string =>
    connectionUrl('postgres', info.superuserPassword, info.port, db);
  await once(superuser('postgres'), async (client) => {
    const template = options.empty === true ? 'template0' : TEMPLATE_DATABASE;
    for (const [db, from] of [
      [name, template],
      [
        keyringDatabaseName(name),
        options.empty === true ? template : keyringDatabaseName(template),
      ],
    ] as const) {
      await client.query(
        `CREATE DATABASE ${db} TEMPLATE ${from} OWNER ${info.layout.ownerRole} ENCODING 'UTF8'`,
      );
    }
  });
  await prepareDatabase(superuser(name), { ...info.layout, database: name });
  await prepareDatabase(superuser(keyringDatabaseName(name)), {
    ...info.layout,
    database: keyringDatabaseName(name),
  });
  const keyring = keyringDatabaseName(name);

  const appUrl = connectionUrl(info.layout.appRole, info.passwords.app, info.port, name);
  const ownerUrl = connectionUrl(info.layout.ownerRole, info.passwords.owner, info.port, name);
  const run =
    (url: string) =>
    <R extends QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> =>
      once(url, async (client) => (await client.query<R>(sql, params)).rows);

  return {
    name,
    info,
    appUrl,
    ownerUrl,
    superuserUrl: superuser(name),
    asSuperuser: run(superuser(name)),
    asOwner: run(ownerUrl),
    asApp: run(appUrl),
    keyringName: keyring,
    asKeyring: run(superuser(keyring)),
    drop: () =>
      once(superuser('postgres'), async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await client.query(`DROP DATABASE IF EXISTS ${keyring} WITH (FORCE)`);
      }),
  };
}

async function once<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
