import { createHash } from 'node:crypto';
import { generatePersonCode, uuidv7 } from '@harbour/domain';
import { Client } from 'pg';
import type { DataSource } from 'typeorm';
import { ENTITIES } from '../../data/entities';
import { PersonEntity } from '../../data/persons/person.entity';
import { AuthHarness } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { SessionService } from '../../core/sessions/session.service';
import { createDataSource } from './data-source';
import { Db, type OpeningRead } from './transaction';

/**
 * A handle on the keyring's opening read, which the application registers (lockdown, current
 * keys, the data-key lock): `takeOpened` finds its rows by name, so nothing else is used.
 */
const keyState: OpeningRead = {
  name: 'keys.transactionState',
  prepare: 'unused',
  executeFor: () => 'unused',
  executeForSessionTenant: 'unused',
};

/** docs/security.md T11 and cases 17–18: tenancy enforced by PostgreSQL, not by our queries. */
describe('tenant isolation in the database', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let orgA: string;
  let orgB: string;
  let userA: string;
  let userB: string;
  let tenantTables: string[];

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    const h = new AuthHarness(harbour);
    orgA = await h.createOrganisation('A');
    orgB = await h.createOrganisation('B');
    const a = await h.createUser(orgA, { roles: ['admin'] });
    const b = await h.createUser(orgB, { roles: ['admin'] });
    userA = a.id;
    userB = b.id;
    // Sessions, recovery codes and keyring rows in both organisations.
    await h.signIn(a);
    await h.signIn(b);
    tenantTables = (
      await db.asSuperuser<{ relname: string }>(
        `SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
          WHERE n.nspname = 'public' AND c.relkind = 'r' AND c.relrowsecurity`,
      )
    ).map((r) => r.relname);
  });

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  it('shows the app role no rows of any tenant table without an organisation set', async () => {
    expect(tenantTables.length).toBeGreaterThanOrEqual(6);
    for (const table of tenantTables) {
      const [superCount] = await db.asSuperuser<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${table}"`,
      );
      const [appCount] = await db.asApp<{ n: number }>(`SELECT count(*)::int AS n FROM "${table}"`);
      expect({ table, app: appCount!.n }).toEqual({ table, app: 0 });
      if (['organisation', 'staff_user', 'organisation_key', 'staff_session'].includes(table)) {
        expect({ table, hasRows: superCount!.n > 0 }).toEqual({ table, hasRows: true });
      }
    }
  });

  it('refuses a cross-organisation insert and a cross-organisation foreign key', async () => {
    const client = new Client({ connectionString: db.appUrl });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', $1, true)`, [orgA]);
      await expect(
        client.query(
          `INSERT INTO staff_user (organisation_id, id, email, display_name, password_hash, password_changed_at, roles)
           VALUES ($1, $2, 'x@example.test', 'X', 'h', now(), ARRAY['caseworker'])`,
          [orgB, uuidv7()],
        ),
      ).rejects.toThrow(/row-level security/);
      await client.query('ROLLBACK');

      // A session in A that points at B's user: the composite foreign key includes the organisation.
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', $1, true)`, [orgA]);
      await expect(
        client.query(
          `INSERT INTO staff_session (organisation_id, id, user_id, token_hash, csrf_hash, stage, created_at,
                                      last_seen_at, idle_expires_at, absolute_expires_at)
           VALUES ($1, $2, $3, '\\x00', '\\x00', 'active', now(), now(), now(), now())`,
          [orgA, uuidv7(), userB],
        ),
      ).rejects.toThrow(/foreign key/);
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
    const [count] = await db.asSuperuser<{ n: number }>(
      `SELECT count(*)::int AS n FROM staff_user WHERE email = 'x@example.test'`,
    );
    expect(count!.n).toBe(0);
  });

  it('never carries one transaction’s organisation into the next on a pooled connection', async () => {
    let dataSource: DataSource | null = null;
    try {
      dataSource = await createDataSource({
        url: db.appUrl,
        entities: [...ENTITIES],
        poolSize: 1,
      }).initialize();
      const pooled = new Db(dataSource);
      for (let i = 0; i < 20; i++) {
        const org = i % 2 === 0 ? orgA : orgB;
        const seen = await pooled.transaction(org, async (tx) =>
          (await tx.manager.query<{ id: string }[]>(`SELECT id FROM staff_user`)).map((r) => r.id),
        );
        expect(seen).toEqual([org === orgA ? userA : userB]);
        const after = await pooled.transaction(null, async (tx) => ({
          setting: (
            await tx.manager.query<{ v: string }[]>(
              `SELECT current_setting('app.org_id', true) AS v`,
            )
          )[0]!.v,
          rows: (await tx.manager.query<unknown[]>(`SELECT id FROM staff_user`)).length,
        }));
        expect(after).toEqual({ setting: '', rows: 0 });
        // Outside any transaction (autocommit) the same connection sees nothing either.
        expect(await dataSource.query(`SELECT id FROM staff_user`)).toEqual([]);
      }
    } finally {
      await dataSource?.destroy();
    }
  });

  it('leaves no tenant on the pooled connection after the one-statement session check', async () => {
    const h = new AuthHarness(harbour);
    const browser = await h.signIn(await h.createUser(orgA, { roles: ['caseworker'] }));
    const token = browser.sessionToken;
    if (token === undefined) throw new Error('no session cookie after sign-in');
    const tokenHash = createHash('sha256').update(token, 'utf8').digest();
    const dataSource = await createDataSource({
      url: db.appUrl,
      entities: [...ENTITIES],
      poolSize: 1,
    }).initialize();
    try {
      const pooled = new Db(dataSource);
      const now = new Date();
      const [session] = await pooled.statement<{ organisation_id: string }>(
        'auth_session_resume',
        `SELECT * FROM auth_session_resume($1, $2, $3)`,
        [tokenHash, now, new Date(now.getTime() + 60_000)],
      );
      expect(session?.organisation_id).toBe(orgA);
      // The same (only) connection, next statement: no tenant, no rows.
      expect(await dataSource.query(`SELECT current_setting('app.org_id', true) AS v`)).toEqual([
        { v: '' },
      ]);
      expect(await dataSource.query(`SELECT id FROM staff_user`)).toEqual([]);
      // An unknown token finds nothing and sets no tenant either.
      expect(
        await pooled.statement(
          'auth_session_resume',
          `SELECT * FROM auth_session_resume($1, $2, $3)`,
          [Buffer.alloc(32), now, now],
        ),
      ).toEqual([]);
      expect(await dataSource.query(`SELECT id FROM staff_session`)).toEqual([]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('takes the tenant from a session check in the opening message, and only for that transaction', async () => {
    const h = new AuthHarness(harbour);
    const user = await h.createUser(orgA, { roles: ['caseworker'] });
    const browser = await h.signIn(user);
    const tokenHash = createHash('sha256').update(browser.sessionToken!, 'utf8').digest();
    const sessions = harbour.app.get(SessionService);
    const dataSource = await createDataSource({
      url: db.appUrl,
      entities: [...ENTITIES],
      poolSize: 1,
    }).initialize();
    try {
      const pooled = new Db(dataSource);
      const now = new Date();
      const inside = await pooled.transaction(
        null,
        async (tx) => ({
          tenant: tx.organisationId,
          session: (tx.session[0] as { user_id?: string } | undefined)?.user_id,
          users: (await tx.manager.query<{ id: string }[]>(`SELECT id FROM staff_user`)).length,
          otherUsers: (
            await tx.manager.query<unknown[]>(`SELECT id FROM staff_user WHERE id = $1`, [userB])
          ).length,
        }),
        { session: sessions.resumeStatement(tokenHash, now) },
      );
      expect(inside.tenant).toBe(orgA);
      expect(inside.session).toBe(user.id);
      expect(inside.users).toBeGreaterThan(0);
      expect(inside.otherUsers).toBe(0);
      // The same (only) connection afterwards: no tenant, no rows.
      expect(await dataSource.query(`SELECT current_setting('app.org_id', true) AS v`)).toEqual([
        { v: '' },
      ]);
      expect(await dataSource.query(`SELECT id FROM staff_user`)).toEqual([]);
      // An unknown token: no session, no tenant, nothing visible inside the transaction.
      const unknown = await pooled.transaction(
        null,
        async (tx) => ({
          tenant: tx.organisationId,
          session: tx.session.length,
          rows: (await tx.manager.query<unknown[]>(`SELECT id FROM staff_session`)).length,
        }),
        { session: sessions.resumeStatement(Buffer.alloc(32), now), openingReads: true },
      );
      expect(unknown).toEqual({ tenant: null, session: 0, rows: 0 });
      // A session check never comes with a tenant of the caller's choosing.
      await expect(
        pooled.transaction(orgB, () => Promise.resolve(1), {
          session: sessions.resumeStatement(tokenHash, now),
        }),
      ).rejects.toThrow('a session check finds the tenant itself');
    } finally {
      await dataSource.destroy();
    }
  });

  it('rolls the tenant back with a failed transaction', async () => {
    const dataSource = await createDataSource({
      url: db.appUrl,
      entities: [...ENTITIES],
      poolSize: 1,
    }).initialize();
    try {
      const pooled = new Db(dataSource);
      await expect(
        pooled.transaction(orgA, () => Promise.reject(new Error('boom'))),
      ).rejects.toThrow('boom');
      expect(await dataSource.query(`SELECT current_setting('app.org_id', true) AS v`)).toEqual([
        { v: '' },
      ]);
    } finally {
      await dataSource.destroy();
    }
  });

  it('runs every request transaction at READ COMMITTED, set by the connection itself', async () => {
    const [row] = await harbour.app.get(Db).transaction(orgA, async (tx) =>
      tx.manager.query<{ level: string; source: string }[]>(
        `SELECT current_setting('transaction_isolation') AS level,
                (SELECT source FROM pg_settings WHERE name = 'default_transaction_isolation') AS source`,
      ),
    );
    // `client`: the start-up parameter of data-source.ts, whatever the server's default is.
    expect(row).toEqual({ level: 'read committed', source: 'client' });
  });

  it('keeps TypeORM’s own writes inside the request transaction: a failure rolls them back', async () => {
    const id = uuidv7();
    const person = () =>
      Object.assign(new PersonEntity(), { organisationId: orgA, id, code: generatePersonCode() });
    // `save` opens its own transaction when it sees none; nested transactions become savepoints.
    await expect(
      harbour.app.get(Db).transaction(orgA, async (tx) => {
        await tx.manager.getRepository(PersonEntity).save(person());
        await tx.manager.transaction(async (inner) => {
          await inner.query(`SELECT 1`);
        });
        expect(await tx.manager.getRepository(PersonEntity).existsBy({ id })).toBe(true);
        throw new Error('after the save');
      }),
    ).rejects.toThrow('after the save');
    expect(await db.asSuperuser(`SELECT id FROM person WHERE id = $1`, [id])).toEqual([]);
  });

  it('sends opening reads with START TRANSACTION, for its own tenant, once, only when asked', async () => {
    const app = harbour.app.get(Db);
    const seen = await app.transaction(
      orgA,
      async (tx) => {
        const first = tx.takeOpened<{ current_data_key_id: number }>(keyState, orgA);
        const again = tx.takeOpened(keyState, orgA);
        const other = tx.takeOpened(keyState, orgB);
        // The data-key lock the read takes (shared) is held by this transaction.
        const locks = await tx.manager.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM pg_locks
            WHERE locktype = 'advisory' AND mode = 'ShareLock' AND pid = pg_backend_pid()`,
        );
        return { first, again, other, locks: locks[0]!.n };
      },
      { openingReads: true },
    );
    expect(seen.first).toHaveLength(1);
    expect(typeof seen.first![0]!.current_data_key_id).toBe('number');
    expect(seen.again).toBeUndefined();
    expect(seen.other).toBeUndefined();
    expect(seen.locks).toBe(1);
    // Not asked for, or no organisation: nothing is read and no lock is taken.
    const plain = await app.transaction(orgA, async (tx) => ({
      taken: tx.takeOpened(keyState, orgA),
      locks: (
        await tx.manager.query<{ n: number }[]>(
          `SELECT count(*)::int AS n FROM pg_locks
            WHERE locktype = 'advisory' AND pid = pg_backend_pid()`,
        )
      )[0]!.n,
    }));
    expect(plain).toEqual({ taken: undefined, locks: 0 });
    expect(
      await app.transaction(null, (tx) => Promise.resolve(tx.takeOpened(keyState, orgA)), {
        openingReads: true,
      }),
    ).toBeUndefined();
    // The inlined id is checked first: a forged id never reaches SQL.
    await expect(
      app.transaction(`${orgA}'; DROP TABLE person; --`, () => Promise.resolve(1), {
        openingReads: true,
      }),
    ).rejects.toThrow('invalid tenant id');
  });

  it('plans the tenant and an opening read once per connection, not on every request', async () => {
    const app = harbour.app.get(Db);
    // The pool may hand out any of its connections: each reports its own prepared statements.
    const plans = new Map<string, number>();
    for (let i = 0; i < 12; i++) {
      const seen = await app.transaction(
        orgA,
        async (tx) => {
          expect(tx.takeOpened(keyState, orgA)).toHaveLength(1);
          return await tx.manager.query<
            { pid: number; name: string; generic: number; custom: number }[]
          >(
            `SELECT pg_backend_pid() AS pid, name, generic_plans::int AS generic,
                    custom_plans::int AS custom
               FROM pg_prepared_statements
              WHERE name IN ('hx_keys_transactionstate', 'hx_set_tenant') ORDER BY name`,
          );
        },
        { openingReads: true },
      );
      expect(seen.map((s) => [s.name, s.custom])).toEqual([
        ['hx_keys_transactionstate', 0],
        ['hx_set_tenant', 0],
      ]);
      for (const s of seen) plans.set(`${s.pid} ${s.name}`, s.generic);
    }
    // Twelve transactions over at most a few connections: some connection reused each plan.
    for (const name of ['hx_keys_transactionstate', 'hx_set_tenant']) {
      const reuses = [...plans].filter(([k]) => k.endsWith(name)).map(([, n]) => n);
      expect(Math.max(...reuses)).toBeGreaterThan(1);
    }
  });
});
