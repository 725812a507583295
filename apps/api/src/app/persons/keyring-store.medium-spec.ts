import { MIGRATIONS } from '@harbour/migrations';
import type { PersonView } from '@harbour/domain';
import { AuthHarness, type TestBrowser } from '../../test/medium/auth-harness';
import { CANARY_PEOPLE } from '../../test/canaries';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { createDataSource } from '../../infra/database/data-source';
import { KeyringService } from '../../core/keyring/keyring.service';
import { Db } from '../../infra/database/transaction';
import { uuidv7 } from '@harbour/domain';

/**
 * The keyring lives in its own database (docs/design.md §5 "Where keys live"): the data
 * database holds no key material at all, an installation from before the split is moved
 * across by its migration, and material moved between people or organisations opens nothing.
 */
describe('the keyring database', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let cw: TestBrowser;
  let otherCw: TestBrowser;
  let org: string;
  let otherOrg: string;
  const [first, second] = CANARY_PEOPLE;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Keyring Test Service');
    otherOrg = await h.createOrganisation('Other Keyring Service');
    cw = await h.signIn(await h.createUser(org, { roles: ['caseworker'] }));
    otherCw = await h.signIn(await h.createUser(otherOrg, { roles: ['caseworker'] }));
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  async function person(browser: TestBrowser, given: string, family: string): Promise<PersonView> {
    const res = await browser.send('post', '/api/persons', {
      identity: { givenName: given, familyName: family, dateOfBirth: '1991-02-03', sex: 'female' },
    });
    expect(res.status).toBe(201);
    return res.body as unknown as PersonView;
  }

  const reveal = (browser: TestBrowser, id: string) =>
    browser.send('post', `/api/persons/${id}/reveal`, { purpose: 'safety_check' });

  it('keeps no key material in the data database: no column of it holds a wrapped key', async () => {
    const a = await person(cw, first!.given, first!.family);
    const columns = await db.asSuperuser<{ table_name: string; column_name: string }>(
      `SELECT table_name, column_name FROM information_schema.columns
        WHERE table_schema = 'public' AND column_name IN ('wrapped', 'wrapped_by', 'wrapping_key_id')`,
    );
    expect(columns).toEqual([]);
    const [catalogue] = await db.asSuperuser<{ n: number }>(
      `SELECT count(*)::int AS n FROM organisation_key WHERE subject_id = $1`,
      [a.id],
    );
    const material = await db.asKeyring<{ purpose: string; subject_id: string }>(
      `SELECT purpose, subject_id FROM key_material WHERE subject_id = $1`,
      [a.id],
    );
    expect(catalogue).toEqual({ n: 1 });
    expect(material).toEqual([{ purpose: 'person_data', subject_id: a.id }]);
    // The application role reads the keyring; nobody else it does not name may connect.
    const [grants] = await db.asKeyring<{ can: boolean }>(
      `SELECT has_table_privilege('harbour_api', 'key_material', 'SELECT, INSERT, UPDATE, DELETE')
              AND NOT has_table_privilege('public', 'key_material', 'SELECT') AS can`,
    );
    expect(grants).toEqual({ can: true });
  });

  it("refuses a person key whose material was swapped for another person's, or another organisation's", async () => {
    const a = await person(cw, first!.given, first!.family);
    const b = await person(cw, second!.given, second!.family);
    const c = await person(otherCw, second!.given, first!.family);
    expect((await reveal(cw, a.id)).status).toBe(200);
    // b's key row carries a's material (same organisation): the binding names a, not b.
    await db.asKeyring(
      `UPDATE key_material SET wrapped = (SELECT wrapped FROM key_material WHERE subject_id = $1)
        WHERE subject_id = $2`,
      [a.id, b.id],
    );
    harbour.app.get(KeyringService).forget(org); // nothing served from this process's cache
    const swapped = await reveal(cw, b.id);
    expect({ status: swapped.status, code: swapped.body['code'] }).toEqual({
      status: 500,
      code: 'internal_error',
    });
    // c's row (other organisation) carries a's material: the binding names the other tenant.
    await db.asKeyring(
      `UPDATE key_material SET wrapped = (SELECT wrapped FROM key_material WHERE subject_id = $1)
        WHERE subject_id = $2`,
      [a.id, c.id],
    );
    harbour.app.get(KeyringService).forget(otherOrg);
    const crossed = await reveal(otherCw, c.id);
    expect(crossed.status).toBe(500);
    expect(crossed.body['code']).toBe('internal_error');
    // Material with no catalogue row of the organisation opens nothing either.
    expect((await reveal(otherCw, a.id)).status).toBe(404);
  });

  it('opens a key from a lookup row read without its material (the key was held then, evicted since)', async () => {
    const a = await person(cw, second!.given, first!.family);
    const keyring = harbour.app.get(KeyringService);
    const [row] = await db.asSuperuser<{ key_id: number }>(
      `SELECT key_id FROM organisation_key WHERE subject_id = $1`,
      [a.id],
    );
    expect(keyring.holdsPersonKey(org, row!.key_id, a.id)).toBe(true);
    keyring.forget(org);
    expect(keyring.holdsPersonKey(org, row!.key_id, a.id)).toBe(false);
    await harbour.app.get(Db).transaction(org, async (tx) => {
      const catalogueOnly = {
        purpose: 'person_data',
        subjectId: a.id,
        status: 'active',
        wrappingKeyId: 0,
        wrapped: null,
      };
      const key = await keyring.personKeyFromRow(tx, org, row!.key_id, a.id, catalogueOnly);
      expect(key.id).toBe(row!.key_id);
      // Not for another person: their binding does not match, whatever the row says.
      await expect(
        keyring.personKeyFromRow(tx, org, row!.key_id, uuidv7(), {
          ...catalogueOnly,
        }),
      ).rejects.toThrow();
    });
    expect(keyring.holdsPersonKey(org, row!.key_id, a.id)).toBe(true);
  });

  it('opens a key for a name lookup that read no catalogue row (the key was held then, evicted since), and finds people whose keys it does not hold', async () => {
    const a = await person(cw, first!.given, first!.family);
    const keyring = harbour.app.get(KeyringService);
    const [row] = await db.asSuperuser<{ key_id: number }>(
      `SELECT key_id FROM organisation_key WHERE subject_id = $1`,
      [a.id],
    );
    keyring.forget(org);
    await harbour.app.get(Db).transaction(org, async (tx) => {
      const key = await keyring.personKeyFromRow(tx, org, row!.key_id, a.id, null);
      expect(key.id).toBe(row!.key_id);
      // Still bound to its person.
      await expect(
        keyring.personKeyFromRow(tx, org, row!.key_id, uuidv7(), null),
      ).rejects.toThrow();
    });
    // A lookup that holds no key: the catalogue row is read beside the material.
    keyring.forget(org);
    expect(keyring.holdsPersonKey(org, row!.key_id, a.id)).toBe(false);
    const found = await cw.send('post', '/api/persons/lookup', {
      name: `${first!.family} ${first!.given}`,
    });
    expect(found.status).toBe(200);
    expect((found.body as unknown as { id: string }[]).map((c) => c.id)).toContain(a.id);
    expect(keyring.holdsPersonKey(org, row!.key_id, a.id)).toBe(true);
  });

  it('moves an installation from before the split: every key copied, checked, then dropped from the data database', async () => {
    const before = await person(cw, first!.given, second!.family);
    const contact = await cw.send('post', '/api/contacts', {
      personId: before.id,
      occurredOn: '2026-02-01',
      channel: 'phone',
      locationType: 'online_or_phone',
      notes: 'Moved with the keyring.',
    });
    expect(contact.status).toBe(201);
    const keys = await db.asKeyring<{ n: number }>(`SELECT count(*)::int AS n FROM key_material`);
    await harbour.close();

    // Back to the layout before the split (material in the data database), and a keyring
    // database as an old installation has it: empty.
    const at = MIGRATIONS.findIndex((m) => new m().name === 'KeyringStore1795730000000');
    expect(at).toBeGreaterThan(0);
    const dataSource = createDataSource({
      url: db.ownerUrl,
      entities: [],
      migrations: MIGRATIONS,
      poolSize: 1,
    });
    await dataSource.initialize();
    try {
      for (let i = MIGRATIONS.length - 1; i >= at; i--) {
        await dataSource.undoLastMigration({ transaction: 'each' });
      }
      const [held] = await db.asSuperuser<{ n: number }>(
        `SELECT count(*)::int AS n FROM organisation_key WHERE wrapped IS NOT NULL`,
      );
      expect(held).toEqual(keys[0]);
      await db.asKeyring(`DELETE FROM key_material`);
      const applied = await dataSource.runMigrations({ transaction: 'each' });
      expect(applied.map((m) => m.name)).toContain('KeyringStore1795730000000');
    } finally {
      await dataSource.destroy();
    }
    expect(await db.asKeyring(`SELECT count(*)::int AS n FROM key_material`)).toEqual(keys);
    expect(
      await db.asSuperuser(
        `SELECT column_name FROM information_schema.columns
          WHERE table_name = 'organisation_key' AND column_name = 'wrapped'`,
      ),
    ).toEqual([]);

    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    const again = await h.signIn(await h.createUser(org, { roles: ['caseworker'] }));
    const revealed = await reveal(again, before.id);
    expect(revealed.body).toEqual({
      identity: {
        givenName: first!.given,
        familyName: second!.family,
        dateOfBirth: '1991-02-03',
        sex: 'female',
      },
    });
    const read = await again.send('get', `/api/contacts/${contact.body['id'] as string}`);
    expect(read.body['notes']).toBe('Moved with the keyring.');
  });
});
