import type { ContactDetail, ErasureReceipt, PersonView } from '@harbour/domain';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { CANARY_PEOPLE, findCanaries } from '../../test/canaries';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/** Erasure at a person's request (docs/design.md §9): crypto-shredding with a receipt. */
describe('erasing a person', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let coordinator: TestUser;
  let coord: TestBrowser;
  let cw: TestBrowser;
  let other: TestBrowser;
  const canary = CANARY_PEOPLE[0]!;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    const org = await h.createOrganisation('Erasure Test Service');
    const otherOrg = await h.createOrganisation('Other Service');
    coordinator = await h.createUser(org, { roles: ['coordinator'] });
    coord = await h.signIn(coordinator);
    cw = await h.signIn(await h.createUser(org, { roles: ['caseworker'] }));
    const outsider = await h.createUser(otherOrg, { roles: ['coordinator'] });
    other = await h.signIn(outsider);
    await h.stepUp(other, outsider);
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  async function personWithNotes(): Promise<{ person: PersonView; contactId: string }> {
    const person = (
      await cw.send('post', '/api/persons', {
        identity: {
          givenName: canary.given,
          familyName: canary.family,
          dateOfBirth: '1990-04-12',
          sex: 'female',
        },
      })
    ).body as unknown as PersonView;
    const contact = await cw.send('post', '/api/contacts', {
      personId: person.id,
      occurredOn: '2026-01-16',
      channel: 'phone',
      locationType: 'online_or_phone',
      notes: 'Asked about a visa appointment.',
    });
    expect(contact.status).toBe(201);
    return { person, contactId: contact.body['id'] as string };
  }

  const erase = (id: string, version: number, browser = coord) =>
    browser.send('post', `/api/persons/${id}/erase`, { version });

  it('needs a coordinator with a fresh step-up', async () => {
    const { person } = await personWithNotes();
    const byCaseworker = await erase(person.id, person.version, cw);
    expect({ status: byCaseworker.status, code: byCaseworker.body['code'] }).toEqual({
      status: 403,
      code: 'forbidden',
    });
    const noStepUp = await erase(person.id, person.version);
    expect({ status: noStepUp.status, code: noStepUp.body['code'] }).toEqual({
      status: 403,
      code: 'step_up_required',
    });
    expect((await erase(person.id, person.version, other)).status).toBe(404);
    const [row] = await db.asSuperuser<{ erased: boolean }>(
      `SELECT erased_at IS NOT NULL AS erased FROM person WHERE id = $1`,
      [person.id],
    );
    expect(row?.erased).toBe(false);
  });

  it('destroys the keys, deletes identity and index rows, and returns a receipt without identity', async () => {
    const { person, contactId } = await personWithNotes();
    await h.stepUp(coord, coordinator);
    const stale = await erase(person.id, person.version + 5);
    expect({ status: stale.status, code: stale.body['code'] }).toEqual({
      status: 409,
      code: 'version_conflict',
    });

    const res = await erase(person.id, person.version);
    expect(res.status).toBe(200);
    const receipt = res.body as unknown as ErasureReceipt;
    expect(receipt).toMatchObject({
      personId: person.id,
      code: person.code,
      identityFieldsRemoved: ['givenName', 'familyName', 'dateOfBirth', 'sex'],
      keysDestroyed: 1,
      notesShredded: 1,
      followUpsCancelled: 0,
    });
    expect(receipt.indexEntriesRemoved).toBeGreaterThan(0);
    // The keyring backups from before now expire after the backup window (35 days by default).
    expect(Date.parse(receipt.backupsClearAt) - Date.parse(receipt.erasedAt)).toBe(35 * 86_400_000);
    expect(findCanaries(JSON.stringify(receipt))).toEqual([]);

    const [state] = await db.asSuperuser<{ identity: number; index: number; keys: number }>(
      `SELECT (SELECT count(*)::int FROM person_identity WHERE person_id = $1) AS identity,
              (SELECT count(*)::int FROM person_index WHERE person_id = $1) AS index,
              (SELECT count(*)::int FROM organisation_key
                WHERE subject_id = $1 AND status <> 'destroyed') AS keys`,
      [person.id],
    );
    expect(state).toEqual({ identity: 0, index: 0, keys: 0 });
    // The material is gone from the keyring database (crypto-shredding), not only marked.
    const material = await db.asKeyring<{ n: number }>(
      `SELECT count(*)::int AS n FROM key_material WHERE subject_id = $1`,
      [person.id],
    );
    expect(material).toEqual([{ n: 0 }]);

    // The pseudonymous record stays; nothing identifies the person any more.
    const after = (await cw.send('get', `/api/persons/${person.id}`)).body as unknown as PersonView;
    expect(after).toMatchObject({ hasIdentity: false, identityFields: [], code: person.code });
    expect(after.erasedAt).toBe(receipt.erasedAt);
    const revealed = await cw.send('post', `/api/persons/${person.id}/reveal`, {
      purpose: 'other',
    });
    expect(revealed.body).toEqual({ identity: {} });
    const found = await cw.send('post', '/api/persons/lookup', {
      name: `${canary.family} ${canary.given}`,
    });
    expect((found.body as unknown as { id: string }[]).map((c) => c.id)).not.toContain(person.id);
    // The notes were under the destroyed key: unreadable, and not an integrity failure.
    const contact = await cw.send('get', `/api/contacts/${contactId}`);
    expect(contact.status).toBe(200);
    expect((contact.body as unknown as ContactDetail).notes).toBeNull();

    // Identity cannot be given again on this record, nor new contacts logged against it.
    const patched = await cw.send('patch', `/api/persons/${person.id}`, {
      version: after.version,
      identity: { givenName: canary.given },
    });
    expect({ status: patched.status, code: patched.body['code'] }).toEqual({
      status: 409,
      code: 'conflict',
    });
    const logged = await cw.send('post', '/api/contacts', {
      personId: person.id,
      occurredOn: '2026-01-17',
      channel: 'phone',
      locationType: 'online_or_phone',
    });
    expect(logged.status).toBe(400);
    expect(logged.body['fields']).toEqual([{ path: 'personId', reason: 'erased' }]);
    const twice = await erase(person.id, after.version);
    expect({ status: twice.status, code: twice.body['code'] }).toEqual({
      status: 409,
      code: 'conflict',
    });
  });

  it('logs the erasure with the fields removed, never their values', async () => {
    const rows = await db.asSuperuser<{ fields: string[]; outcome: string; event: Buffer }>(
      `SELECT fields, outcome, event FROM access_event WHERE action = 'person.erased' ORDER BY seq`,
    );
    const success = rows.filter((r) => r.outcome === 'success');
    expect(success).toHaveLength(1);
    expect(success[0]!.fields).toEqual(['givenName', 'familyName', 'dateOfBirth', 'sex']);
    expect(findCanaries(Buffer.concat(rows.map((r) => r.event)))).toEqual([]);
  });
});
