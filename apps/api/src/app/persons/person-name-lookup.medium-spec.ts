import type { PersonView } from '@harbour/domain';
import { MIGRATIONS } from '@harbour/migrations';
import { createDataSource } from '../../infra/database/data-source';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

interface Row {
  kind: string;
  bits: number;
  value: string;
  person_id: string;
  code: string;
  restricted: boolean;
  key_workers: string[];
  key_id: number;
  token_values: string[];
  given_name: string | null;
  family_name: string | null;
}

/**
 * The covering rows of name lookups (`person_name_lookup`, docs/adr/0020) are written by the
 * database's triggers only. After every writer of their sources — a person created, their name
 * corrected, restricted and unrestricted, given a key worker, handed over, the key worker
 * removed, merged into another, erased, deleted — the table holds exactly what `person_index`,
 * `person_identity`, `person` and `person_key_worker` say, computed here independently of the
 * triggers' SQL; and the application role can read it but never write it.
 */
describe('person_name_lookup: kept in step by the database', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let org: string;
  let coordinator: TestUser;
  let caseworker: TestUser;
  let coord: TestBrowser;
  let cw: TestBrowser;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    const h = new AuthHarness(harbour);
    org = await h.createOrganisation('Covering Rows Service');
    coordinator = await h.createUser(org, { roles: ['coordinator'] });
    coord = await h.signIn(coordinator);
    await h.stepUp(coord, coordinator);
    caseworker = await h.createUser(org, { roles: ['caseworker'] });
    cw = await h.signIn(caseworker);
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  /** What the covering rows must be, from their sources (read as the superuser). */
  async function expected(): Promise<Row[]> {
    const index = await db.asSuperuser<{
      kind: string;
      bits: number;
      value: string;
      person_id: string;
    }>(
      `SELECT kind, bits, value::text AS value, person_id FROM person_index WHERE organisation_id = $1`,
      [org],
    );
    const people = new Map(
      (
        await db.asSuperuser<{ id: string; code: string; restricted: boolean }>(
          `SELECT id, code, restricted FROM person WHERE organisation_id = $1`,
          [org],
        )
      ).map((p) => [p.id, p]),
    );
    const identities = new Map(
      (
        await db.asSuperuser<{
          person_id: string;
          key_id: number;
          given_name: Buffer | null;
          family_name: Buffer | null;
        }>(
          `SELECT person_id, key_id, given_name, family_name FROM person_identity WHERE organisation_id = $1`,
          [org],
        )
      ).map((i) => [i.person_id, i]),
    );
    const workers = new Map<string, string[]>();
    for (const w of await db.asSuperuser<{ person_id: string; staff_id: string }>(
      `SELECT person_id, staff_id FROM person_key_worker WHERE organisation_id = $1`,
      [org],
    )) {
      workers.set(w.person_id, [...(workers.get(w.person_id) ?? []), w.staff_id].sort());
    }
    const rows: Row[] = [];
    for (const r of index) {
      if (r.kind !== 'name_pair' && r.kind !== 'name_unpaired') continue;
      const person = people.get(r.person_id);
      const identity = identities.get(r.person_id);
      if (person === undefined || identity === undefined) continue;
      rows.push({
        ...r,
        code: person.code,
        restricted: person.restricted,
        key_workers: workers.get(r.person_id) ?? [],
        key_id: identity.key_id,
        token_values: index
          .filter((t) => t.kind === 'name' && t.bits === r.bits && t.person_id === r.person_id)
          .map((t) => t.value)
          .sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : BigInt(a) > BigInt(b) ? 1 : 0)),
        given_name: identity.given_name?.toString('hex') ?? null,
        family_name: identity.family_name?.toString('hex') ?? null,
      });
    }
    return sorted(rows);
  }

  async function actual(): Promise<Row[]> {
    const rows = await db.asSuperuser<
      Omit<Row, 'given_name' | 'family_name'> & {
        given_name: Buffer | null;
        family_name: Buffer | null;
      }
    >(
      `SELECT kind, bits, value::text AS value, person_id, code, restricted,
              key_workers::text[] AS key_workers, key_id, token_values::text[] AS token_values,
              given_name, family_name
         FROM person_name_lookup WHERE organisation_id = $1`,
      [org],
    );
    return sorted(
      rows.map((r) => ({
        ...r,
        given_name: r.given_name?.toString('hex') ?? null,
        family_name: r.family_name?.toString('hex') ?? null,
      })),
    );
  }

  const sorted = (rows: Row[]): Row[] =>
    rows.sort((a, b) =>
      `${a.person_id}.${a.kind}.${a.value}`.localeCompare(`${b.person_id}.${b.kind}.${b.value}`),
    );

  async function inStep(): Promise<number> {
    const want = await expected();
    expect(await actual()).toEqual(want);
    return want.length;
  }

  const create = async (identity: Record<string, string>): Promise<PersonView> => {
    const res = await cw.send('post', '/api/persons', { identity });
    expect(res.status).toBe(201);
    return res.body as unknown as PersonView;
  };
  const fresh = async (id: string): Promise<PersonView> =>
    (await cw.send('get', `/api/persons/${id}`)).body as unknown as PersonView;
  const found = async (name: string, as = coord): Promise<string[]> => {
    const res = await as.send('post', '/api/persons/lookup', { name });
    expect(res.status).toBe(200);
    return (res.body as unknown as { id: string }[]).map((c) => c.id).sort();
  };

  it('hold exactly what their sources say after every writer', async () => {
    expect(await inStep()).toBe(0);
    const a = await create({ givenName: 'Mai Lan', familyName: 'Tran Thi' });
    const b = await create({ givenName: 'Ana', familyName: 'Costa' });
    // More distinct tokens than pairs are kept for: a `name_unpaired` marker, no pair rows.
    const c = await create({
      givenName: 'Uno Dos Tres Cuatro Cinco',
      familyName: 'Seis Siete Ocho Nueve Diez',
    });
    const d = await create({ givenName: 'Ana', familyName: 'Costa', alias: 'Nita' });
    const rows = await inStep();
    expect(rows).toBeGreaterThan(0);
    const kinds = await db.asSuperuser<{ kind: string }>(
      `SELECT DISTINCT kind FROM person_name_lookup WHERE organisation_id = $1 AND person_id = $2`,
      [org, c.id],
    );
    expect(kinds.map((k) => k.kind)).toEqual(['name_unpaired']);
    expect(await found('Tran Thi Mai Lan')).toEqual([a.id]);
    expect(await found('Costa Ana')).toEqual([b.id, d.id].sort());
    expect(await found('Diez Uno Dos Tres Cuatro Cinco Seis Siete Ocho Nueve')).toEqual([c.id]);

    // The name corrected: the old name finds nothing, the new one finds her.
    const corrected = await cw.send('patch', `/api/persons/${b.id}`, {
      version: (await fresh(b.id)).version,
      identity: { givenName: 'Ana Paula' },
    });
    expect(corrected.status).toBe(200);
    await inStep();
    expect(await found('Costa Ana Paula')).toEqual([b.id]);

    // Restricted, then not: the flag follows at once.
    const restrict = async (id: string, restricted: boolean) => {
      const res = await coord.send('post', `/api/persons/${id}/restriction`, {
        restricted,
        version: (await fresh(id)).version,
      });
      expect(res.status).toBe(200);
    };
    await restrict(a.id, true);
    await inStep();
    expect(
      await db.asSuperuser(
        `SELECT 1 FROM person_name_lookup WHERE organisation_id = $1 AND person_id = $2 AND restricted`,
        [org, a.id],
      ),
    ).not.toHaveLength(0);

    // Key workers while restricted: assigned, handed over, removed — each follows at once, and
    // the caseworker finds her by name only while she is theirs.
    expect(await found('Tran Thi Mai Lan', cw)).toEqual([]);
    const assigned = await cw.send('post', `/api/persons/${a.id}/key-workers`, {
      staffId: caseworker.id,
    });
    expect(assigned.status).toBe(403); // restricted: only a coordinator names key workers
    const named = await coord.send('post', `/api/persons/${a.id}/key-workers`, {
      staffId: caseworker.id,
    });
    expect(named.status).toBe(200);
    await inStep();
    expect(await found('Tran Thi Mai Lan', cw)).toEqual([a.id]);
    const handed = await coord.send('post', '/api/key-workers/hand-over', {
      fromStaffId: caseworker.id,
      toStaffId: coordinator.id,
      personIds: [a.id],
    });
    expect(handed.status).toBe(200);
    await inStep();
    expect(await found('Tran Thi Mai Lan', cw)).toEqual([]);
    const removed = await coord.send('post', `/api/persons/${a.id}/key-workers/remove`, {
      staffId: coordinator.id,
    });
    expect(removed.status).toBe(200);
    await inStep();
    await restrict(a.id, false);
    await inStep();

    // Merged: the absorbed record's rows go, the survivor's stay.
    const merged = await coord.send('post', `/api/persons/${b.id}/merge`, {
      absorbedId: d.id,
      survivorVersion: (await fresh(b.id)).version,
      absorbedVersion: (await fresh(d.id)).version,
    });
    expect(merged.status).toBe(200);
    await inStep();
    expect(await rowsOf(d.id)).toBe(0);

    // Erased: no row of theirs is left.
    const erased = await coord.send('post', `/api/persons/${a.id}/erase`, {
      version: (await fresh(a.id)).version,
    });
    expect(erased.status).toBe(200);
    await inStep();
    expect(await rowsOf(a.id)).toBe(0);
    expect(await found('Tran Thi Mai Lan')).toEqual([]);

    // Deleted outright (as a purge's cascade would): the foreign key takes the rows with it.
    expect(await rowsOf(c.id)).toBeGreaterThan(0);
    await db.asSuperuser(`DELETE FROM person WHERE organisation_id = $1 AND id = $2`, [org, c.id]);
    await inStep();
    expect(await rowsOf(c.id)).toBe(0);
  });

  const rowsOf = async (personId: string): Promise<number> =>
    (
      await db.asSuperuser(
        `SELECT 1 FROM person_name_lookup WHERE organisation_id = $1 AND person_id = $2`,
        [org, personId],
      )
    ).length;

  it('is read-only to the application role, and shows it only its own tenant', async () => {
    const [row] = await db.asSuperuser<{ person_id: string }>(
      `SELECT person_id FROM person_name_lookup WHERE organisation_id = $1 LIMIT 1`,
      [org],
    );
    expect(row).toBeDefined();
    const asApp = (sql: string) =>
      db.asApp(`SELECT set_config('app.org_id', '${org}', false); ${sql}`);
    for (const write of [
      `UPDATE person_name_lookup SET restricted = false WHERE person_id = '${row!.person_id}'`,
      `DELETE FROM person_name_lookup WHERE person_id = '${row!.person_id}'`,
      `INSERT INTO person_name_lookup SELECT * FROM person_name_lookup LIMIT 1`,
    ]) {
      await expect(asApp(write)).rejects.toMatchObject({ code: '42501' });
    }
    await expect(
      db.asApp(
        `SELECT person_name_lookup_rebuild(ARRAY['${org}']::uuid[], ARRAY['${row!.person_id}']::uuid[])`,
      ),
    ).rejects.toMatchObject({ code: '42501' });
    // Without the tenant, nothing.
    expect(await db.asApp(`SELECT 1 FROM person_name_lookup`)).toHaveLength(0);
  });

  // Last: it takes the schema back under the running application.
  it('fill in the key workers of people who had them before the rows carried them', async () => {
    const [survivor] = await db.asSuperuser<{ person_id: string }>(
      `SELECT DISTINCT person_id FROM person_name_lookup WHERE organisation_id = $1 LIMIT 1`,
      [org],
    );
    const named = await coord.send('post', `/api/persons/${survivor!.person_id}/key-workers`, {
      staffId: coordinator.id,
    });
    expect(named.status).toBe(200);
    expect(await inStep()).toBeGreaterThan(0);
    const migrations = createDataSource({
      url: db.ownerUrl,
      entities: [],
      migrations: MIGRATIONS,
      poolSize: 1,
    });
    await migrations.initialize();
    try {
      const name = 'PersonNameLookupKeyWorkers1795782000000';
      const applied = () =>
        migrations.query<{ name: string }[]>(`SELECT name FROM typeorm_migration`);
      while ((await applied()).some((m) => m.name === name)) {
        await migrations.undoLastMigration({ transaction: 'each' });
      }
      const column = `SELECT 1 FROM information_schema.columns
        WHERE table_name = 'person_name_lookup' AND column_name = 'key_workers'`;
      expect(await migrations.query(column)).toHaveLength(0);
      await migrations.runMigrations({ transaction: 'each' });
      expect(await migrations.query(column)).toHaveLength(1);
    } finally {
      await migrations.destroy();
    }
    await inStep();
    const [row] = await db.asSuperuser<{ key_workers: string[] }>(
      `SELECT key_workers::text[] AS key_workers FROM person_name_lookup
        WHERE organisation_id = $1 AND person_id = $2 LIMIT 1`,
      [org, survivor!.person_id],
    );
    expect(row!.key_workers).toEqual([coordinator.id]);
  });
});
