import { AuthHarness, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/** The console language remembered per account (issue 19), against real PostgreSQL. */
describe('PUT /api/me/language', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  let otherOrg: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Riverside Outreach');
    otherOrg = await h.createOrganisation('Harbourside Outreach');
  });

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  async function stored(user: TestUser): Promise<string | null> {
    const rows = await db.asSuperuser<{ language: string | null }>(
      `SELECT language FROM staff_user WHERE id = $1`,
      [user.id],
    );
    return rows[0]!.language;
  }

  it('is null until chosen, then comes back with the session, also in a new sign-in', async () => {
    const user = await h.createUser(org);
    const browser = await h.signIn(user);
    const before = await browser.send('get', '/api/auth/session');
    expect(before.body).toMatchObject({ user: { language: null } });

    const put = await browser.send('put', '/api/me/language', { language: 'th' });
    expect(put.status).toBe(204);
    expect(await stored(user)).toBe('th');
    expect((await browser.send('get', '/api/auth/session')).body).toMatchObject({
      user: { language: 'th' },
    });

    // Another device: the sign-in response already carries it.
    const other = h.browser();
    await other.send('post', '/api/auth/login', { email: user.email, password: user.password });
    harbour.clock.advance(30_000);
    const mfa = await other.send('post', '/api/auth/mfa/verify', { code: h.code(user) });
    expect(mfa.body).toMatchObject({ session: { user: { language: 'th' } } });

    expect((await other.send('put', '/api/me/language', { language: 'zh-Hans' })).status).toBe(204);
    expect(await stored(user)).toBe('zh-Hans');
  });

  it.each([['fr'], ['TH'], ['zh'], ['zh-Hant'], ['en-GB']])(
    'refuses %p with 422 language_unsupported and writes nothing',
    async (language) => {
      const user = await h.createUser(org);
      const browser = await h.signIn(user);
      await browser.send('put', '/api/me/language', { language: 'ko' });
      const res = await browser.send('put', '/api/me/language', { language });
      expect({ status: res.status, code: (res.body as { code: string }).code }).toEqual({
        status: 422,
        code: 'language_unsupported',
      });
      expect(await stored(user)).toBe('ko');
    },
  );

  it.each([[''], [null], [42], [undefined]])(
    'refuses a malformed %p with 400 validation_failed on `language`',
    async (language) => {
      const user = await h.createUser(org);
      const browser = await h.signIn(user);
      const res = await browser.send('put', '/api/me/language', { language });
      expect(res.status).toBe(400);
      const body = res.body as { code: string; fields: { path: string }[] };
      expect(body.code).toBe('validation_failed');
      expect(new Set(body.fields.map((field) => field.path))).toEqual(new Set(['language']));
      expect(await stored(user)).toBeNull();
    },
  );

  it('refuses extra properties (no user id to aim at someone else)', async () => {
    const user = await h.createUser(org);
    const victim = await h.createUser(org);
    const browser = await h.signIn(user);
    const res = await browser.send('put', '/api/me/language', { language: 'vi', id: victim.id });
    expect(res.status).toBe(400);
    expect(await stored(user)).toBeNull();
    expect(await stored(victim)).toBeNull();
  });

  it("changes only the caller's own account, in no other organisation", async () => {
    const user = await h.createUser(org, { roles: ['admin'] });
    const colleague = await h.createUser(org);
    const elsewhere = await h.createUser(otherOrg, { roles: ['admin'] });
    await (await h.signIn(colleague)).send('put', '/api/me/language', { language: 'ko' });
    await (await h.signIn(elsewhere)).send('put', '/api/me/language', { language: 'vi' });

    const browser = await h.signIn(user);
    expect((await browser.send('put', '/api/me/language', { language: 'th' })).status).toBe(204);
    expect([await stored(user), await stored(colleague), await stored(elsewhere)]).toEqual([
      'th',
      'ko',
      'vi',
    ]);
  });

  it('needs a full sign-in, and is recorded in the access log', async () => {
    expect((await h.browser().send('put', '/api/me/language', { language: 'th' })).status).toBe(
      401,
    );
    const user = await h.createUser(org);
    const half = h.browser();
    await half.send('post', '/api/auth/login', { email: user.email, password: user.password });
    expect((await half.send('put', '/api/me/language', { language: 'th' })).status).toBe(401);
    expect(await stored(user)).toBeNull();

    const browser = await h.signIn(user);
    await browser.send('put', '/api/me/language', { language: 'vi' });
    const events = await db.asSuperuser<{ outcome: string; resource_type: string }>(
      `SELECT outcome, resource_type FROM access_event
        WHERE actor_id = $1 AND action = 'auth.language_changed' ORDER BY seq`,
      [user.id],
    );
    // The half-signed-in attempt is refused and recorded too.
    expect(events).toEqual([
      { outcome: 'denied', resource_type: 'staff_user' },
      { outcome: 'success', resource_type: 'staff_user' },
    ]);
  });
});
