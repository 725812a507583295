import { readFileSync } from 'node:fs';
import { uuidv7 } from '@harbour/domain';
import { findCanaries } from '../../test/canaries';
import { Client } from 'pg';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { API_GROUP_ROLE } from './bootstrap';
import { SERVER_SETTINGS } from './embedded-postgres';

/** Tables that hold no tenant data and so need no row-level security. */
const NON_TENANT_TABLES = ['backup_run', 'login_throttle', 'typeorm_migration'];

describe('database roles (docs/security.md T11)', () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createTestDatabase();
  });

  afterAll(async () => {
    await db.drop();
  });

  it('connects the API as a role that is not superuser and cannot bypass RLS', async () => {
    const [me] = await db.asApp<{ rolname: string; rolsuper: boolean; rolbypassrls: boolean }>(
      'SELECT rolname, rolsuper, rolbypassrls FROM pg_roles WHERE rolname = current_user',
    );
    expect(me).toEqual({ rolname: db.info.layout.appRole, rolsuper: false, rolbypassrls: false });
  });

  it('gives the API role no superuser or BYPASSRLS through any role it inherits', async () => {
    const inherited = await db.asApp<{
      rolname: string;
      rolsuper: boolean;
      rolbypassrls: boolean;
      rolcreaterole: boolean;
      rolcreatedb: boolean;
    }>(
      `SELECT r.rolname, r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb
         FROM pg_roles r
        WHERE pg_has_role(current_user, r.oid, 'MEMBER')`,
    );
    expect(inherited.map((r) => r.rolname).sort()).toEqual(
      [API_GROUP_ROLE, db.info.layout.appRole].sort(),
    );
    for (const role of inherited) {
      expect(role).toMatchObject({
        rolsuper: false,
        rolbypassrls: false,
        rolcreaterole: false,
        rolcreatedb: false,
      });
    }
  });

  it('lets the API role own no table, sequence, view, function, schema or database', async () => {
    const owned = await db.asSuperuser<{ kind: string; name: string }>(
      `WITH api AS (SELECT oid FROM pg_roles WHERE rolname = ANY($1))
       SELECT 'relation' AS kind, relname::text AS name FROM pg_class WHERE relowner IN (SELECT oid FROM api)
       UNION ALL SELECT 'function', proname::text FROM pg_proc WHERE proowner IN (SELECT oid FROM api)
       UNION ALL SELECT 'schema', nspname::text FROM pg_namespace WHERE nspowner IN (SELECT oid FROM api)
       UNION ALL SELECT 'type', typname::text FROM pg_type WHERE typowner IN (SELECT oid FROM api)
       UNION ALL SELECT 'database', datname::text FROM pg_database WHERE datdba IN (SELECT oid FROM api)`,
      [[db.info.layout.appRole, API_GROUP_ROLE]],
    );
    expect(owned).toEqual([]);
    // The check itself must be able to fail: the owner role does own the tables.
    const ownerTables = await db.asSuperuser<{ count: string }>(
      `SELECT count(*) FROM pg_class c JOIN pg_roles r ON r.oid = c.relowner
        WHERE r.rolname = $1 AND c.relkind = 'r'`,
      [db.info.layout.ownerRole],
    );
    expect(Number(ownerTables[0]!.count)).toBeGreaterThan(0);
  });

  it('enables and forces row-level security on every table with organisation_id', async () => {
    const tables = await db.asSuperuser<{
      relname: string;
      relrowsecurity: boolean;
      relforcerowsecurity: boolean;
      tenant: boolean;
    }>(
      `SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity,
              (c.relname = 'organisation' OR EXISTS (
                 SELECT 1 FROM pg_attribute a
                  WHERE a.attrelid = c.oid AND a.attname = 'organisation_id' AND NOT a.attisdropped
              )) AS tenant
         FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p')`,
    );
    // Tables without tenant data are a deliberate, short list.
    expect(
      tables
        .filter((t) => !t.tenant)
        .map((t) => t.relname)
        .sort(),
    ).toEqual(NON_TENANT_TABLES);
    const tenant = tables.filter((t) => t.tenant);
    expect(tenant.length).toBeGreaterThan(1);
    for (const table of tenant) {
      expect({
        table: table.relname,
        enabled: table.relrowsecurity,
        forced: table.relforcerowsecurity,
      }).toEqual({ table: table.relname, enabled: true, forced: true });
    }
  });

  it('gives every tenant table a policy on app.org_id', async () => {
    const policies = await db.asSuperuser<{ tablename: string; qual: string; with_check: string }>(
      `SELECT tablename, qual, with_check FROM pg_policies WHERE schemaname = 'public'`,
    );
    const tenantTables = await db.asSuperuser<{ relname: string }>(
      `SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relrowsecurity`,
    );
    for (const { relname } of tenantTables) {
      const policy = policies.find((p) => p.tablename === relname);
      expect({ table: relname, hasPolicy: policy !== undefined }).toEqual({
        table: relname,
        hasPolicy: true,
      });
      expect(policy!.qual).toContain("current_setting('app.org_id'::text, true)");
      expect(policy!.with_check).toContain("current_setting('app.org_id'::text, true)");
    }
  });

  it('cannot create objects in the public schema', async () => {
    await expect(db.asApp('CREATE TABLE sneaky (id int)')).rejects.toThrow(/permission denied/);
  });

  it('can create in no schema, so no function of its own can shadow one the API calls unqualified', async () => {
    // The access event's final message calls audit_expect_appended() by its bare name: a
    // function of the same name earlier on the search path would answer in its place.
    const creatable = await db.asApp<{ nspname: string }>(
      `SELECT nspname FROM pg_namespace
        WHERE has_schema_privilege(current_user, oid, 'CREATE')
          AND nspname !~ '^pg_(toast_)?temp_'`,
    );
    expect(creatable).toEqual([]);
    await expect(
      db.asApp(`CREATE FUNCTION audit_expect_appended(n bigint) RETURNS bigint
                  LANGUAGE sql AS 'SELECT n'`),
    ).rejects.toThrow(/permission denied/);
    await expect(db.asApp(`CREATE SCHEMA harbour_shadow`)).rejects.toThrow(/permission denied/);
  });

  it('sees no organisation without a tenant set, and only its own with one', async () => {
    const a = uuidv7();
    const b = uuidv7();
    await db.asOwner('INSERT INTO organisation (id, name) VALUES ($1, $2), ($3, $4)', [
      a,
      'Org A',
      b,
      'Org B',
    ]);

    expect(await db.asApp('SELECT id FROM organisation')).toEqual([]);

    const client = new Client({ connectionString: db.appUrl });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', $1, true)`, [a]);
      const seen = await client.query<{ id: string }>('SELECT id FROM organisation');
      expect(seen.rows.map((r) => r.id)).toEqual([a]);
      await client.query('COMMIT');
      // set_config(..., true) is transaction-local: the next transaction sees nothing again.
      const after = await client.query('SELECT id FROM organisation');
      expect(after.rows).toEqual([]);
    } finally {
      await client.end();
    }
  });

  it('lets the API role create an organisation only as its own tenant, and never rewrite another', async () => {
    const a = uuidv7();
    const b = uuidv7();
    await db.asOwner('INSERT INTO organisation (id, name) VALUES ($1, $2), ($3, $4)', [
      a,
      'Org A',
      b,
      'Org B',
    ]);
    const client = new Client({ connectionString: db.appUrl });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', $1, true)`, [a]);
      const updated = await client.query(
        `UPDATE organisation SET name = 'hijacked' WHERE id = $1`,
        [b],
      );
      expect(updated.rowCount).toBe(0);
      await expect(
        client.query(`UPDATE organisation SET id = $1 WHERE id = $2`, [b, a]),
      ).rejects.toThrow();
      await client.query('ROLLBACK');
      // No tenant set: the insert violates the policy.
      await expect(
        client.query('INSERT INTO organisation (id, name) VALUES ($1, $2)', [uuidv7(), 'New']),
      ).rejects.toThrow(/row-level security/);
      // Another organisation's id than the tenant's: also refused.
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', $1, true)`, [a]);
      await expect(
        client.query('INSERT INTO organisation (id, name) VALUES ($1, $2)', [uuidv7(), 'Other']),
      ).rejects.toThrow(/row-level security/);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
    const names = await db.asSuperuser<{ name: string }>(
      'SELECT name FROM organisation WHERE id = $1',
      [b],
    );
    expect(names).toEqual([{ name: 'Org B' }]);
  });

  it('keeps values out of the server log when statements fail (docs/security.md T13, T14)', async () => {
    const canary = 'Quokka Zzcanary';
    const client = new Client({ connectionString: db.appUrl });
    await client.connect();
    try {
      // A bad cast quotes the value in the primary message; a constraint error in DETAIL.
      await expect(client.query('SELECT $1::integer', [canary])).rejects.toThrow();
      await expect(client.query('SELECT $1::uuid', [`${canary} 王芳`])).rejects.toThrow();
      await expect(
        client.query(`SELECT 1/0 WHERE $1 = 'Somchai Jaidee'`, ['Somchai Jaidee']),
      ).rejects.toThrow();
    } finally {
      await client.end();
    }
    // The checks must be able to fail: the client did see the value in its error.
    expect(findCanaries('invalid input syntax for type integer: "Quokka Zzcanary"')).not.toEqual(
      [],
    );
    expect(findCanaries(readFileSync(db.info.logFile))).toEqual([]);
  });

  it('runs the server with logging that cannot leak values (docs/security.md T14)', async () => {
    for (const setting of [
      'log_min_messages',
      'log_statement',
      'log_parameter_max_length',
      'log_parameter_max_length_on_error',
      'log_min_error_statement',
      'log_error_verbosity',
    ]) {
      const [row] = await db.asSuperuser<Record<string, string>>(`SHOW ${setting}`);
      expect({ setting, value: row![setting] }).toEqual({
        setting,
        value: SERVER_SETTINGS[setting],
      });
    }
  });
});
