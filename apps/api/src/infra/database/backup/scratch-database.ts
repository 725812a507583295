import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import type { HarbourConfig } from '../../config/config';
import { BackupError } from './backup-errors';
import { keyringDatabaseName, prepareDatabase, quoteIdent } from '../bootstrap';
import type { DatabaseEndpoint } from '../database-endpoint';

/** A database created on the Harbour server to restore into, with the URLs of each role. */
export interface ScratchDatabase {
  readonly name: string;
  /** Superuser: loads the data (sets `session_replication_role`). */
  readonly adminUrl: string;
  /** Owner role: runs the migrations, so it owns every table as in the live database. */
  readonly ownerUrl: string;
  /** The API role, for booting the app on the restored data. */
  readonly appUrl: string;
  /** The keyring database beside it (`<name>_keyring`), with the same three roles. */
  readonly keyring: {
    readonly adminUrl: string;
    readonly ownerUrl: string;
    readonly appUrl: string;
  };
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/**
 * Creates an empty database on the same server, owned by the owner role and hardened as the
 * live one (`prepareDatabase`), through a superuser: the embedded server's, or
 * HARBOUR_RESTORE_ADMIN_URL with an external server.
 */
export async function createScratchDatabase(
  config: HarbourConfig,
  database: DatabaseEndpoint,
  name = `harbour_verify_${randomBytes(6).toString('hex')}`,
): Promise<ScratchDatabase> {
  const superuser =
    database.embedded !== null
      ? database.embedded.superuserUrl('postgres')
      : config.backup.adminUrl;
  if (superuser === null || database.ownerUrl === null) {
    throw new BackupError(
      'restore_role_insufficient',
      'creating a database to restore into needs DATABASE_MIGRATION_URL (the owner role) and HARBOUR_RESTORE_ADMIN_URL (a superuser of the same server)',
    );
  }
  const ownerRole = decodeURIComponent(new URL(database.ownerUrl).username);
  const appRole = decodeURIComponent(new URL(database.appUrl).username);
  const keyringName = keyringDatabaseName(name);
  const admin = new Client({ connectionString: superuser });
  await admin.connect();
  try {
    for (const db of [name, keyringName]) {
      await admin.query(
        `CREATE DATABASE ${quoteIdent(db)} OWNER ${quoteIdent(ownerRole)} ENCODING 'UTF8' TEMPLATE template0`,
      );
    }
  } finally {
    await admin.end();
  }
  const scratch: ScratchDatabase = {
    name,
    adminUrl: withDatabase(superuser, name),
    ownerUrl: withDatabase(database.ownerUrl, name),
    appUrl: withDatabase(database.appUrl, name),
    keyring: {
      adminUrl: withDatabase(superuser, keyringName),
      ownerUrl: withDatabase(database.ownerUrl, keyringName),
      appUrl: withDatabase(database.appUrl, keyringName),
    },
    drop: async () => {
      const client = new Client({ connectionString: superuser });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(name)} WITH (FORCE)`);
        await client.query(`DROP DATABASE IF EXISTS ${quoteIdent(keyringName)} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
  try {
    await prepareDatabase(scratch.adminUrl, { database: name, ownerRole, appRole });
    await prepareDatabase(scratch.keyring.adminUrl, { database: keyringName, ownerRole, appRole });
  } catch (error) {
    await scratch.drop();
    throw error;
  }
  return scratch;
}
