import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { Client } from 'pg';

/**
 * Role layout (docs/design.md §6, docs/security.md T11):
 * - `harbour_owner` owns the database, the schema and every table, and runs migrations.
 * - `harbour_api` is a NOLOGIN group role: migrations grant table privileges to it, nothing else.
 * - the application login role (`harbour_app` here) is a member of `harbour_api`; it is not a
 *   superuser, cannot bypass row-level security, and owns nothing.
 */
export const API_GROUP_ROLE = 'harbour_api';

export interface RolePasswords {
  readonly owner: string;
  readonly app: string;
}

export interface ClusterLayout {
  readonly database: string;
  readonly ownerRole: string;
  readonly appRole: string;
}

export const DEFAULT_LAYOUT: ClusterLayout = {
  database: 'harbour',
  ownerRole: 'harbour_owner',
  appRole: 'harbour_app',
};

/** Loads the role passwords of an embedded cluster, creating them (mode 0600) on first use. */
export function loadOrCreateRolePasswords(file: string): RolePasswords {
  if (existsSync(file)) {
    if ((statSync(file).mode & 0o077) !== 0) {
      throw new Error(`${file} must not be readable by others (chmod 600)`);
    }
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<RolePasswords>;
    if (typeof parsed.owner === 'string' && typeof parsed.app === 'string') {
      return { owner: parsed.owner, app: parsed.app };
    }
    throw new Error(`${file} is not a valid role password file`);
  }
  const passwords: RolePasswords = {
    owner: randomBytes(24).toString('base64url'),
    app: randomBytes(24).toString('base64url'),
  };
  const fd = openSync(file, 'wx', 0o600);
  try {
    writeFileSync(fd, JSON.stringify(passwords, null, 2) + '\n');
  } finally {
    closeSync(fd);
  }
  return passwords;
}

/**
 * Creates (or repairs) the roles and the database on a cluster we administer, idempotently.
 * Runs as the cluster superuser; only used for the embedded server and by `harbour bootstrap-db`.
 */
export async function bootstrapCluster(
  superuserUrl: (database: string) => string,
  layout: ClusterLayout,
  passwords: RolePasswords,
): Promise<void> {
  const admin = new Client({ connectionString: superuserUrl('postgres') });
  await admin.connect();
  try {
    const { ownerRole, appRole, database } = layout;
    const owner = quoteIdent(ownerRole);
    const app = quoteIdent(appRole);
    const group = quoteIdent(API_GROUP_ROLE);
    await ensureRole(admin, ownerRole);
    // The owner needs BYPASSRLS only for maintenance (seeding, operator commands); it already
    // controls its own tables, so this grants nothing it could not take.
    await admin.query(
      `ALTER ROLE ${owner} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION BYPASSRLS PASSWORD ${quoteLiteral(passwords.owner)}`,
    );
    await ensureRole(admin, API_GROUP_ROLE);
    await admin.query(
      `ALTER ROLE ${group} NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS`,
    );
    await ensureRole(admin, appRole);
    await admin.query(
      `ALTER ROLE ${app} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS INHERIT PASSWORD ${quoteLiteral(passwords.app)}`,
    );
    await admin.query(`GRANT ${group} TO ${app}`);

    // The data database and, beside it, the keyring database (`<name>_keyring`): wrapped keys
    // live apart from the data they open, and are backed up apart (docs/operations.md).
    for (const name of [database, keyringDatabaseName(database)]) {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount === 0) {
        await admin.query(
          `CREATE DATABASE ${quoteIdent(name)} OWNER ${owner} ENCODING 'UTF8' TEMPLATE template0`,
        );
      }
      await prepareDatabase(superuserUrl(name), { ...layout, database: name });
    }
  } finally {
    await admin.end();
  }
}

/**
 * Per-database hardening: only the two Harbour roles may connect; the public schema belongs to
 * the owner and nobody else may create objects in it.
 */
export async function prepareDatabase(
  superuserDatabaseUrl: string,
  layout: ClusterLayout,
): Promise<void> {
  const client = new Client({ connectionString: superuserDatabaseUrl });
  await client.connect();
  try {
    const db = quoteIdent(layout.database);
    const owner = quoteIdent(layout.ownerRole);
    const group = quoteIdent(API_GROUP_ROLE);
    await client.query(`REVOKE ALL ON DATABASE ${db} FROM PUBLIC`);
    await client.query(`GRANT CONNECT ON DATABASE ${db} TO ${group}`);
    await client.query(`GRANT CONNECT, CREATE, TEMPORARY ON DATABASE ${db} TO ${owner}`);
    await client.query(`ALTER SCHEMA public OWNER TO ${owner}`);
    await client.query('REVOKE ALL ON SCHEMA public FROM PUBLIC');
    await client.query(`GRANT USAGE ON SCHEMA public TO ${group}`);
  } finally {
    await client.end();
  }
}

async function ensureRole(client: Client, role: string): Promise<void> {
  const found = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  if (found.rowCount === 0) await client.query(`CREATE ROLE ${quoteIdent(role)}`);
}

/** The keyring database beside data database `database` on a cluster Harbour administers. */
export function keyringDatabaseName(database: string): string {
  return `${database}_keyring`;
}

export function quoteIdent(identifier: string): string {
  if (!/^[a-z_][a-z0-9_]{0,62}$/.test(identifier)) {
    throw new Error('database identifiers must be lower-case letters, digits and underscores');
  }
  return `"${identifier}"`;
}

function quoteLiteral(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}
