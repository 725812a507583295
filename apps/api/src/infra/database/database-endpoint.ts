import { join } from 'node:path';
import type { HarbourConfig } from '../config/config';
import { bootstrapCluster, DEFAULT_LAYOUT, loadOrCreateRolePasswords } from './bootstrap';
import { connectionUrl, EmbeddedPostgres } from './embedded-postgres';

/** Where the API's two roles connect, and the embedded server behind them if there is one. */
export interface DatabaseEndpoint {
  /** Non-owner application role. */
  readonly appUrl: string;
  /** Owner role for migrations and maintenance; null when migrations run elsewhere. */
  readonly ownerUrl: string | null;
  readonly embedded: EmbeddedPostgres | null;
  /** Stops the embedded server if this process started it. */
  close(): Promise<void>;
}

/**
 * With DATABASE_URL: use that server. Without: start (or reuse) the embedded server under
 * `<dataDir>/postgres` and make sure its roles and database exist.
 */
export async function openDatabaseEndpoint(
  config: HarbourConfig,
  onProgress: (message: string) => void,
): Promise<DatabaseEndpoint> {
  const { database } = config;
  if (database.mode === 'external') {
    return {
      appUrl: database.url,
      ownerUrl: database.migrationUrl,
      embedded: null,
      close: () => Promise.resolve(),
    };
  }
  const dir = join(config.dataDir, 'postgres');
  const server = new EmbeddedPostgres({ dir, port: database.port, durability: 'full', onProgress });
  await server.start();
  try {
    const passwords = loadOrCreateRolePasswords(join(config.dataDir, 'db-roles.json'));
    await bootstrapCluster((db) => server.superuserUrl(db), DEFAULT_LAYOUT, passwords);
    const { database: name, ownerRole, appRole } = DEFAULT_LAYOUT;
    return {
      appUrl: connectionUrl(appRole, passwords.app, server.port, name),
      ownerUrl: connectionUrl(ownerRole, passwords.owner, server.port, name),
      embedded: server,
      close: () => server.stop(),
    };
  } catch (error) {
    await server.stop();
    throw error;
  }
}
