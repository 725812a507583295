import { FakeClock } from '../../infra/time/clock';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/**
 * docs/security.md T3 and T5, adversarial case 37: someone who holds a password guesses the second
 * factor. Wrong codes count per account — across fresh sign-ins, step-ups, recovery codes and
 * both API instances — with the password rule: a delay from the fifth failure doubling from 1 s,
 * locked at the hundredth until an admin resets the account. A correct password resets nothing;
 * only a correct code does (or the admin's reset).
 */
describe('second-factor guessing across sign-ins and step-ups', () => {
  let db: TestDatabase;
  const clock = new FakeClock();
  let a: TestApp;
  let b: TestApp;
  let ha: AuthHarness;
  let hb: AuthHarness;
  let org: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await createTestApp(db, { clock });
    b = await createTestApp(db, { clock });
    ha = new AuthHarness(a);
    hb = new AuthHarness(b);
    org = await ha.createOrganisation('Code Guessing Service');
  });

  afterAll(async () => {
    await a.close();
    await b.close();
    await db.drop();
  });

  const wrongCode = (h: AuthHarness, user: TestUser): string =>
    h.code(user) === '000000' ? '111111' : '000000';

  /** A fresh sign-in with the right password (as the attacker has it), then one code. */
  async function guess(
    h: AuthHarness,
    user: TestUser,
    code = wrongCode(h, user),
  ): Promise<{ status: number; code: string | undefined; retryAfter: unknown }> {
    const browser = h.browser();
    const login = await browser.send('post', '/api/auth/login', {
      email: user.email,
      password: user.password,
    });
    expect(login.body).toEqual({ stage: 'mfa' });
    const res = await browser.send('post', '/api/auth/mfa/verify', { code });
    return { status: res.status, code: res.body.code, retryAfter: res.headers['retry-after'] };
  }

  it('delays from the fifth wrong code across fresh sign-ins on both instances; the right password resets nothing', async () => {
    clock.advance(120_000);
    const user = await ha.createUser(org);
    for (let i = 1; i <= 5; i++) {
      expect(await guess(i % 2 === 0 ? hb : ha, user)).toMatchObject({
        status: 401,
        code: 'invalid_code',
      });
    }
    // The fifth failure set a 1 s delay: even the right code waits, on the other instance too,
    // although every one of those sign-ins began with the right password.
    const early = await guess(hb, user, hb.code(user));
    expect(early).toEqual({ status: 429, code: 'rate_limited', retryAfter: '1' });
    const delays: unknown[] = [];
    for (let i = 6; i <= 9; i++) {
      clock.advance(Number(delays.at(-1) ?? 1) * 1000);
      expect(await guess(i % 2 === 0 ? ha : hb, user)).toMatchObject({ code: 'invalid_code' });
      delays.push((await guess(ha, user)).retryAfter);
    }
    expect(delays).toEqual(['2', '4', '8', '16']);
    // Only the right code resets the count: afterwards the next wrong code is the first again.
    clock.advance(16_000);
    expect(await guess(ha, user, ha.code(user))).toMatchObject({ status: 200 });
    clock.advance(30_000);
    expect(await guess(hb, user)).toMatchObject({ status: 401, code: 'invalid_code' });
    expect(await guess(hb, user)).toMatchObject({ status: 401, code: 'invalid_code' });
  });

  it('counts wrong step-up codes and wrong recovery codes on the same per-account count', async () => {
    clock.advance(120_000);
    const user = await ha.createUser(org);
    const session: TestBrowser = await ha.signIn(user);
    const stepUp = (code: string) =>
      session.send('post', '/api/auth/step-up', { password: user.password, code });
    // Two wrong step-up codes (with the right password), two wrong sign-in codes, one wrong
    // recovery code: five failures.
    for (let i = 0; i < 2; i++)
      expect((await stepUp(wrongCode(ha, user))).body.code).toBe('invalid_code');
    for (let i = 0; i < 2; i++) expect((await guess(hb, user)).code).toBe('invalid_code');
    const recovery = hb.browser();
    await recovery.send('post', '/api/auth/login', { email: user.email, password: user.password });
    expect(
      (await recovery.send('post', '/api/auth/mfa/verify', { recoveryCode: 'AAAAA-BBBBB' })).body
        .code,
    ).toBe('invalid_code');
    // Now the step-up waits too, even with the right code (the next step's: the sign-in used
    // this one).
    const waiting = await stepUp(ha.code(user, 1));
    expect({ status: waiting.status, code: waiting.body.code }).toEqual({
      status: 429,
      code: 'rate_limited',
    });
    clock.advance(1_000);
    expect((await stepUp(ha.code(user, 1))).status).toBe(200);
  });

  it('locks the account at the hundredth wrong code until an admin resets it', async () => {
    clock.advance(120_000);
    const user = await ha.createUser(org, { roles: ['auditor'] });
    const admin = await ha.createUser(org, { roles: ['admin'] });
    let last = { status: 0, code: '' as string | undefined };
    for (let i = 1; i <= 100; i++) {
      // Past the longest delay (15 min) and the per-address window each time.
      clock.advance(16 * 60_000);
      last = await guess(i % 2 === 0 ? hb : ha, user);
      expect({ i, status: last.status }).toEqual({ i, status: 401 });
    }
    clock.advance(16 * 60_000);
    expect(await guess(ha, user, ha.code(user))).toMatchObject({
      status: 429,
      code: 'account_locked',
    });
    const [row] = await db.asSuperuser<{ consecutive_failures: number }>(
      `SELECT consecutive_failures FROM login_throttle WHERE key = $1`,
      [`code:${user.id}`],
    );
    expect(row!.consecutive_failures).toBe(100);

    // The admin's reset (an auditor's account: no second admin needed) lifts the lock.
    const adminBrowser = await ha.signIn(admin);
    await ha.stepUp(adminBrowser, admin);
    const reset = await adminBrowser.send('post', `/api/users/${user.id}/reset-password`);
    const oneTime = String(reset.body['oneTimePassword']);
    clock.advance(30_000);
    expect(await guess(hb, { ...user, password: oneTime }, hb.code(user))).toMatchObject({
      status: 200,
    });
  }, 120_000);
});
