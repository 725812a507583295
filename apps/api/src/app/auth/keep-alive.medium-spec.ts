import { AuthHarness } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

interface SessionBody {
  readonly idleExpiresAt: string;
  readonly absoluteExpiresAt: string;
}

/**
 * The console's keep-alive while a worker types (`GET /api/auth/session`, rate-limited by the
 * console): it moves the idle deadline, never the absolute one, and cannot revive an ended
 * session. Runs with a short idle timeout (`HARBOUR_SESSION_IDLE_SECONDS`, tests only).
 */
describe('session keep-alive with a short idle timeout', () => {
  const IDLE_MS = 30_000;
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db, { env: { HARBOUR_SESSION_IDLE_SECONDS: '30' } });
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Riverside Outreach');
  });

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  it('moves the idle deadline but never the absolute one', async () => {
    const browser = await h.signIn(await h.createUser(org));
    const first = await browser.send('get', '/api/auth/session');
    expect(first.status).toBe(200);
    const before = first.body as unknown as SessionBody;
    expect(Date.parse(before.idleExpiresAt) - harbour.clock.now().getTime()).toBe(IDLE_MS);

    for (let i = 0; i < 4; i++) {
      harbour.clock.advance(IDLE_MS - 5_000);
      const kept = await browser.send('get', '/api/auth/session');
      expect(kept.status).toBe(200);
      const body = kept.body as unknown as SessionBody;
      expect(Date.parse(body.idleExpiresAt)).toBe(harbour.clock.now().getTime() + IDLE_MS);
      expect(body.absoluteExpiresAt).toBe(before.absoluteExpiresAt);
    }
  });

  it('answers 401 once the idle timeout has passed, and the session stays ended', async () => {
    const browser = await h.signIn(await h.createUser(org));
    harbour.clock.advance(IDLE_MS + 1);
    expect((await browser.send('get', '/api/auth/session')).status).toBe(401);
    expect((await browser.send('get', '/api/auth/session')).status).toBe(401);
  });

  it('a sign-out (a quick exit too) leaves the device storage (sealed drafts, outbox) in place', async () => {
    const quick = await h.signIn(await h.createUser(org));
    const token = quick.sessionToken!;
    const logout = await quick.send('post', '/api/auth/logout');
    expect(logout.status).toBe(204);
    expect(logout.headers['clear-site-data']).toBe('"cache", "cookies"');
    const replay = h.browser();
    replay.cookies.set('__Host-harbour-session', token);
    expect((await replay.send('get', '/api/auth/session')).status).toBe(401);

    const plain = await h.signIn(await h.createUser(org));
    const ordinary = await plain.send('post', '/api/auth/logout');
    expect(ordinary.headers['clear-site-data']).toBe('"cache", "cookies"');
  });
});
