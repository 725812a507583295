import type { ConsentView, PersonView } from '@harbour/domain';
import { AuthHarness, type TestBrowser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/** A person's consents: per purpose, revocable, with history (docs/design.md §3). */
describe('consents', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let cw: TestBrowser;
  let other: TestBrowser;
  let person: PersonView;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    const h = new AuthHarness(harbour);
    const org = await h.createOrganisation('Consent Test Service');
    const otherOrg = await h.createOrganisation('Other Service');
    cw = await h.signIn(await h.createUser(org, { roles: ['caseworker'] }));
    other = await h.signIn(await h.createUser(otherOrg, { roles: ['coordinator'] }));
    person = (await cw.send('post', '/api/persons', { ageBand: '25_34' }))
      .body as unknown as PersonView;
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const consents = async (id = person.id) =>
    (await cw.send('get', `/api/persons/${id}/consents`)).body as unknown as ConsentView[];
  const personNow = async () =>
    (await cw.send('get', `/api/persons/${person.id}`)).body as unknown as PersonView;

  it('records consent per purpose, one in force at a time, and revokes it keeping the history', async () => {
    const start = harbour.clock.now().getTime();
    const given = await cw.send('post', `/api/persons/${person.id}/consents`, {
      purpose: 'contact_by_text',
      method: 'written',
    });
    expect(given.status).toBe(201);
    const consent = given.body as unknown as ConsentView;
    expect(consent).toMatchObject({
      purpose: 'contact_by_text',
      method: 'written',
      givenAt: new Date(start).toISOString(),
      revokedAt: null,
      version: 1,
    });

    const again = await cw.send('post', `/api/persons/${person.id}/consents`, {
      purpose: 'contact_by_text',
      method: 'verbal',
    });
    expect({ status: again.status, code: again.body['code'] }).toEqual({
      status: 409,
      code: 'conflict',
    });

    harbour.clock.advance(60_000);
    const revoked = await cw.send(
      'post',
      `/api/persons/${person.id}/consents/${consent.id}/revoke`,
      { version: 1 },
    );
    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({
      revokedAt: new Date(start + 60_000).toISOString(),
      version: 2,
    });
    // A stale version (or revoking twice) is 409 and changes nothing.
    const twice = await cw.send('post', `/api/persons/${person.id}/consents/${consent.id}/revoke`, {
      version: 1,
    });
    expect({ status: twice.status, code: twice.body['code'] }).toEqual({
      status: 409,
      code: 'version_conflict',
    });
    // Given again after the revocation: both stay in the history, newest first.
    expect(
      (
        await cw.send('post', `/api/persons/${person.id}/consents`, {
          purpose: 'contact_by_text',
          method: 'verbal',
        })
      ).status,
    ).toBe(201);
    const history = await consents();
    expect(history.map((c) => [c.purpose, c.method, c.revokedAt !== null])).toEqual([
      ['contact_by_text', 'verbal', false],
      ['contact_by_text', 'written', true],
    ]);
  });

  it('keeps the person’s reporting flag in step with an aggregate-reporting consent, both ways', async () => {
    expect((await personNow()).consentToReporting).toBe(false);
    const given = (
      await cw.send('post', `/api/persons/${person.id}/consents`, {
        purpose: 'aggregate_reporting',
        method: 'verbal',
      })
    ).body as unknown as ConsentView;
    const after = await personNow();
    expect(after.consentToReporting).toBe(true);

    // Unticking it on the person revokes the consent in force.
    const patched = await cw.send('patch', `/api/persons/${person.id}`, {
      version: after.version,
      consentToReporting: false,
    });
    expect(patched.status).toBe(200);
    const reporting = (await consents()).filter((c) => c.purpose === 'aggregate_reporting');
    expect(reporting.map((c) => [c.id, c.revokedAt !== null])).toEqual([[given.id, true]]);

    // A person recorded as agreeing has verbal consent on record.
    const agreed = (await cw.send('post', '/api/persons', { consentToReporting: true }))
      .body as unknown as PersonView;
    expect((await consents(agreed.id)).map((c) => [c.purpose, c.method])).toEqual([
      ['aggregate_reporting', 'verbal'],
    ]);
  });

  it('refuses bad input with the field named, and writes nothing', async () => {
    const [before] = await db.asSuperuser<{ n: number }>(`SELECT count(*)::int AS n FROM consent`);
    for (const [body, field] of [
      [{ purpose: 'marketing', method: 'verbal' }, 'purpose'],
      [{ purpose: 'contact_by_phone', method: 'telepathy' }, 'method'],
      [{ purpose: 'contact_by_phone' }, 'method'],
    ] as const) {
      const res = await cw.send('post', `/api/persons/${person.id}/consents`, body);
      expect({ status: res.status, code: res.body['code'] }).toEqual({
        status: 400,
        code: 'validation_failed',
      });
      expect((res.body['fields'] as { path: string }[]).map((f) => f.path)).toContain(field);
    }
    const [after] = await db.asSuperuser<{ n: number }>(`SELECT count(*)::int AS n FROM consent`);
    expect(after).toEqual(before);
  });

  it('answers 404 to another organisation, and the database refuses a second consent in force', async () => {
    expect((await other.send('get', `/api/persons/${person.id}/consents`)).status).toBe(404);
    const res = await other.send('post', `/api/persons/${person.id}/consents`, {
      purpose: 'referral_sharing',
      method: 'verbal',
    });
    expect(res.status).toBe(404);
    const [row] = await db.asSuperuser<{ org: string }>(
      `SELECT organisation_id AS org FROM person WHERE id = $1`,
      [person.id],
    );
    await expect(
      db.asSuperuser(
        `INSERT INTO consent (organisation_id, id, person_id, purpose, method, given_at, given_by, version)
         VALUES ($1, gen_random_uuid(), $2, 'contact_by_text', 'verbal', now(), gen_random_uuid(), 1)`,
        [row!.org, person.id],
      ),
    ).rejects.toThrow(/consent_in_force/);
  });
});
