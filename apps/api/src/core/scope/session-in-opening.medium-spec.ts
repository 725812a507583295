import { createHash } from 'node:crypto';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/**
 * docs/adr/0021: on the routes that read the keyring first (a contact logged, a person created
 * or looked up) the session is checked in the message that opens the request's transaction.
 * Attacked here: the check is really in that transaction; whatever it does not admit is refused,
 * revoked and logged exactly as on any other route, with nothing written; and an admitted
 * request that fails still moves the session's idle deadline.
 */
describe('the session check in the opening message', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  let caseworker: TestUser;
  let cw: TestBrowser;
  let person: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    harbour.clock.set(new Date('2026-03-10T12:00:00Z'));
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Opening Message Service');
    caseworker = await h.createUser(org, { roles: ['caseworker'] });
    cw = await h.signIn(caseworker);
    person = (await cw.send('post', '/api/persons', {})).body['id'] as string;
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const contact = (personId = person) => ({
    personId,
    occurredOn: '2026-03-09',
    channel: 'in_person',
    locationType: 'drop_in_centre',
    needs: [{ category: 'legal' }],
  });

  const tokenHash = (browser: TestBrowser): Buffer =>
    createHash('sha256').update(browser.sessionToken!, 'utf8').digest();

  const session = async (browser: TestBrowser) => {
    const [row] = await db.asSuperuser<{
      xmin: string;
      last_seen_at: Date;
      revoked_at: Date | null;
      revoke_reason: string | null;
    }>(
      `SELECT xmin::text, last_seen_at, revoked_at, revoke_reason FROM staff_session
        WHERE token_hash = $1`,
      [tokenHash(browser)],
    );
    return row!;
  };

  const contactCount = async (): Promise<number> => {
    const [row] = await db.asSuperuser<{ n: number }>(
      `SELECT count(*)::int AS n FROM contact WHERE organisation_id = $1`,
      [org],
    );
    return row!.n;
  };

  const events = async (action: string, since: Date) =>
    db.asSuperuser<{ outcome: string; actor_id: string | null }>(
      `SELECT outcome, actor_id FROM access_event
        WHERE organisation_id = $1 AND action = $2 AND occurred_at >= $3 ORDER BY seq`,
      [org, action, since],
    );

  it('checks and touches the session in the transaction that writes the contact', async () => {
    harbour.clock.advance(60_000);
    const res = await cw.send('post', '/api/contacts', contact());
    expect(res.status).toBe(201);
    const [written] = await db.asSuperuser<{ xmin: string }>(
      `SELECT xmin::text FROM contact WHERE id = $1`,
      [res.body['id']],
    );
    const touched = await session(cw);
    // One transaction wrote both rows: the session check ran inside the request's transaction.
    expect(touched.xmin).toBe(written!.xmin);
    expect(touched.last_seen_at.toISOString()).toBe(harbour.clock.now().toISOString());
  });

  it('a lookup runs in one transaction with its session check too', async () => {
    harbour.clock.advance(60_000);
    const before = await session(cw);
    const res = await cw.send('post', '/api/persons/lookup', { name: 'Nobody Known Here' });
    expect(res.status).toBe(200);
    const after = await session(cw);
    expect(after.xmin).not.toBe(before.xmin);
    expect(after.last_seen_at.toISOString()).toBe(harbour.clock.now().toISOString());
  });

  it('refuses a create without the CSRF token, logs one denial and writes nothing', async () => {
    harbour.clock.advance(60_000);
    const since = harbour.clock.now();
    const count = await contactCount();
    const res = await cw.send('post', '/api/contacts', contact(), { xsrf: false });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('csrf_rejected');
    expect(await contactCount()).toBe(count);
    expect(await events('contact.created', since)).toEqual([
      { outcome: 'denied', actor_id: caseworker.id },
    ]);
    // The usual check ran on its own, and its idle refresh stands.
    expect((await session(cw)).last_seen_at.toISOString()).toBe(since.toISOString());
  });

  it('refuses a role without the permission, and logs it once', async () => {
    const auditor = await h.createUser(org, { roles: ['auditor'] });
    const browser = await h.signIn(auditor);
    harbour.clock.advance(60_000);
    const since = harbour.clock.now();
    const count = await contactCount();
    const res = await browser.send('post', '/api/contacts', contact());
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('forbidden');
    expect(await contactCount()).toBe(count);
    expect(await events('contact.created', since)).toEqual([
      { outcome: 'denied', actor_id: auditor.id },
    ]);
  });

  it('never runs the handler for a revoked session', async () => {
    const browser = await h.signIn(caseworker);
    await db.asSuperuser(
      `UPDATE staff_session SET revoked_at = now(), revoke_reason = 'admin' WHERE token_hash = $1`,
      [tokenHash(browser)],
    );
    const count = await contactCount();
    const res = await browser.send('post', '/api/contacts', contact());
    expect(res.status).toBe(401);
    expect(res.body.code).toBe('unauthenticated');
    expect(await contactCount()).toBe(count);
    const lookup = await browser.send('post', '/api/persons/lookup', { name: 'Anyone' });
    expect(lookup.status).toBe(401);
  });

  it('refuses and revokes a session past its idle deadline, writing nothing', async () => {
    const browser = await h.signIn(caseworker);
    harbour.clock.advance(harbour.config.sessions.idleMs + 1_000);
    const count = await contactCount();
    const res = await browser.send('post', '/api/contacts', contact());
    expect(res.status).toBe(401);
    expect(await contactCount()).toBe(count);
    const row = await session(browser);
    expect(row.revoke_reason).toBe('expired');
    expect(row.revoked_at).not.toBeNull();
    cw = await h.signIn(caseworker);
  });

  it('an admitted request that fails writes nothing and still moves the idle deadline', async () => {
    harbour.clock.advance(60_000);
    const since = harbour.clock.now();
    const count = await contactCount();
    const unknown = '0190f0f0-0000-7000-8000-000000000000';
    const res = await cw.send('post', '/api/contacts', contact(unknown));
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await contactCount()).toBe(count);
    // The transaction that held the session check rolled back; the deadline moved all the same.
    expect((await session(cw)).last_seen_at.toISOString()).toBe(since.toISOString());
    const logged = await events('contact.created', since);
    expect(logged).toHaveLength(1);
    expect(logged[0]!.outcome).toBe('failure');
  });

  it("runs under the session's organisation only", async () => {
    const otherOrg = await h.createOrganisation('Another Service');
    const outsider = await h.signIn(await h.createUser(otherOrg, { roles: ['caseworker'] }));
    const count = await contactCount();
    // Another organisation's caseworker naming this organisation's person finds no such person:
    // the same answer as for an id that exists nowhere.
    const res = await outsider.send('post', '/api/contacts', contact());
    const nowhere = await outsider.send(
      'post',
      '/api/contacts',
      contact('0190f0f0-0000-7000-8000-000000000000'),
    );
    expect(res.status).toBe(400);
    expect([res.status, res.body.code]).toEqual([nowhere.status, nowhere.body.code]);
    expect(await contactCount()).toBe(count);
    const [row] = await db.asSuperuser<{ n: number }>(
      `SELECT count(*)::int AS n FROM contact WHERE organisation_id = $1`,
      [otherOrg],
    );
    expect(row!.n).toBe(0);
  });
});
