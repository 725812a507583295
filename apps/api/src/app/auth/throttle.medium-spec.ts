import { FakeClock } from '../../infra/time/clock';
import { AuthHarness, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/**
 * docs/security.md T3 and adversarial cases 1–2, with two API instances on one database: the
 * throttling state lives in PostgreSQL, so it is shared.
 */
describe('sign-in throttling shared between two API instances', () => {
  let db: TestDatabase;
  let clock: FakeClock;
  let a: TestApp;
  let b: TestApp;
  let ha: AuthHarness;
  let hb: AuthHarness;
  let org: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    clock = new FakeClock();
    a = await createTestApp(db, { clock });
    b = await createTestApp(db, { clock });
    ha = new AuthHarness(a);
    hb = new AuthHarness(b);
    org = await ha.createOrganisation('Throttle Test Service');
  });

  afterAll(async () => {
    await a.close();
    await b.close();
    await db.drop();
  });

  const login = (h: AuthHarness, email: string, password: string) =>
    h.browser().send('post', '/api/auth/login', { email, password });

  it('backs off per account from the fifth failure, doubling, across instances', async () => {
    clock.advance(120_000);
    const user = await ha.createUser(org);
    const results: string[] = [];
    for (let i = 1; i <= 5; i++) {
      const res = await login(i % 2 === 0 ? hb : ha, user.email, 'wrong password');
      results.push(`${res.status}:${res.body.code}`);
    }
    expect(results).toEqual(Array(5).fill('401:invalid_credentials'));

    // The fifth failure set a 1 s delay: the other instance enforces it, even for the right password.
    const early = await login(hb, user.email, user.password);
    expect(early.status).toBe(429);
    expect(early.body.code).toBe('rate_limited');
    expect(early.headers['retry-after']).toBe('1');

    clock.advance(1_000);
    expect((await login(ha, user.email, 'wrong again')).status).toBe(401); // failure 6: 2 s
    clock.advance(1_000);
    expect((await login(hb, user.email, user.password)).status).toBe(429);
    clock.advance(1_000);
    const ok = await login(hb, user.email, user.password);
    expect(ok.status).toBe(200);
    // Success resets the count: the next failure is the first again.
    expect((await login(ha, user.email, 'wrong')).status).toBe(401);
    expect((await login(ha, user.email, user.password)).status).toBe(200);
  });

  it('answers 429 past 20 attempts a minute from one address, on either instance', async () => {
    clock.advance(120_000);
    const statuses: number[] = [];
    for (let i = 0; i < 22; i++) {
      const res = await login(
        i % 2 === 0 ? ha : hb,
        `nobody-${i}@example.test`,
        'whatever password',
      );
      statuses.push(res.status);
    }
    expect(statuses.slice(0, 20)).toEqual(Array(20).fill(401));
    expect(statuses.slice(20)).toEqual([429, 429]);
    clock.advance(61_000);
    expect((await login(hb, 'nobody-late@example.test', 'whatever password')).status).toBe(401);
  });

  it('throttles unknown accounts exactly like known ones (no enumeration through backoff)', async () => {
    clock.advance(120_000);
    const known = await ha.createUser(org);
    const outcomes = async (email: string): Promise<string[]> => {
      const out: string[] = [];
      for (let i = 0; i < 6; i++) {
        const res = await login(ha, email, 'wrong password');
        out.push(`${res.status}:${res.body.code}`);
      }
      return out;
    };
    const forKnown = await outcomes(known.email);
    clock.advance(120_000);
    const forUnknown = await outcomes('ghost@example.test');
    expect(forUnknown).toEqual(forKnown);
    expect(forKnown.at(-1)).toBe('429:rate_limited');
  });

  it('requires recovery by the 100th consecutive failure, and an admin reset restores access (case 2)', async () => {
    clock.advance(120_000);
    const user = await ha.createUser(org, { password: 'the right passphrase here' });
    const admin: TestUser = await ha.createUser(org, { roles: ['admin'] });
    const admin2: TestUser = await ha.createUser(org, { roles: ['admin'] });
    let last = { status: 0, code: '' };
    for (let i = 1; i <= 101; i++) {
      // Past the longest backoff (15 min) and the per-address window each time.
      clock.advance(16 * 60_000);
      const res = await login(
        i % 2 === 0 ? ha : hb,
        user.email,
        i === 101 ? user.password : 'wrong password',
      );
      last = { status: res.status, code: String(res.body.code) };
      if (i === 100) {
        expect(last).toEqual({ status: 401, code: 'invalid_credentials' });
      }
    }
    // Even the right password is refused now: recovery is required.
    expect(last).toEqual({ status: 429, code: 'account_locked' });

    const adminBrowser = await ha.signIn(admin);
    await ha.stepUp(adminBrowser, admin);
    const requested = await adminBrowser.send('post', `/api/users/${user.id}/reset-password`);
    expect(requested.status).toBe(200);
    // A caseworker's reset needs a second admin, who gets the one-time password (ADR 0008).
    const second = await hb.signIn(admin2);
    await hb.stepUp(second, admin2);
    const pending = requested.body['pending'] as { id: string };
    const reset = await second.send('post', `/api/users/approvals/${pending.id}/approve`);
    expect(reset.status).toBe(200);
    const oneTime = String(reset.body['oneTimePassword']);
    const after = await login(hb, user.email, oneTime);
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ stage: 'mfa' });
  });
});
