import {
  SESSION_ABSOLUTE_MS,
  SESSION_COOKIE,
  SESSION_IDLE_MS,
  STEP_UP_MS,
  XSRF_COOKIE,
} from '@harbour/domain';
import { PasswordHasher } from '../../infra/auth/password-hasher';
import { AuthHarness, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/** docs/design.md §6, docs/security.md T4–T9 and adversarial cases 4–7, against real PostgreSQL. */
describe('sign-in, sessions and second factor', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  let admin: TestUser;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Riverside Outreach');
    admin = await h.createUser(org, { roles: ['admin'] });
  });

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  it('signs in with password then TOTP, with T8 cookies rotated at each step', async () => {
    const user = await h.createUser(org);
    const browser = h.browser();
    const login = await browser.send('post', '/api/auth/login', {
      email: user.email,
      password: user.password,
    });
    expect(login.status).toBe(200);
    expect(login.body).toEqual({ stage: 'mfa' });
    const sessionCookie = login.setCookies.find((c) => c.startsWith(`${SESSION_COOKIE}=`))!;
    expect(sessionCookie).toMatch(/; Path=\/; Secure; HttpOnly; SameSite=Strict; Max-Age=\d+$/);
    expect(sessionCookie).not.toMatch(/Domain=/i);
    const xsrfCookie = login.setCookies.find((c) => c.startsWith(`${XSRF_COOKIE}=`))!;
    expect(xsrfCookie).toMatch(/; Path=\/; Secure; SameSite=Strict/);
    expect(xsrfCookie).not.toMatch(/HttpOnly/);
    const preMfaToken = browser.sessionToken!;
    expect(preMfaToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    // Half signed in: nothing but the second factor.
    expect((await browser.send('get', '/api/auth/session')).status).toBe(401);
    expect((await browser.send('get', '/api/users')).status).toBe(401);

    harbour.clock.advance(30_000);
    const mfa = await browser.send('post', '/api/auth/mfa/verify', { code: h.code(user) });
    expect(mfa.status).toBe(200);
    expect(browser.sessionToken).not.toBe(preMfaToken);
    const session = (mfa.body as { session: { user: { email: string; roles: string[] } } }).session;
    expect(session.user).toMatchObject({ email: user.email, roles: ['caseworker'] });

    const info = await browser.send('get', '/api/auth/session');
    expect(info.status).toBe(200);
    expect(info.body).toMatchObject({
      organisation: { id: org, name: 'Riverside Outreach' },
      mustChangePassword: false,
    });
    expect(info.headers['cache-control']).toBe('no-store');

    // The pre-MFA token no longer works at all (session fixation, case 5).
    const stale = h.browser();
    stale.cookies.set(SESSION_COOKIE, preMfaToken);
    expect(
      (await stale.send('post', '/api/auth/mfa/verify', { code: h.code(user, 1) })).status,
    ).toBe(401);
  });

  it('replaces a planted session cookie at sign-in and again after MFA (case 5)', async () => {
    const attacker = await h.createUser(org);
    const victim = await h.createUser(org);
    const attackerBrowser = h.browser();
    await attackerBrowser.send('post', '/api/auth/login', {
      email: attacker.email,
      password: attacker.password,
    });
    const planted = attackerBrowser.sessionToken!;

    const victimBrowser = h.browser();
    victimBrowser.cookies.set(SESSION_COOKIE, planted);
    const login = await victimBrowser.send('post', '/api/auth/login', {
      email: victim.email,
      password: victim.password,
    });
    expect(login.status).toBe(200);
    expect(victimBrowser.sessionToken).not.toBe(planted);
    harbour.clock.advance(30_000);
    await victimBrowser.send('post', '/api/auth/mfa/verify', { code: h.code(victim) });
    // The attacker's planted token never became the victim's signed-in session.
    const attackerView = await attackerBrowser.send('get', '/api/auth/session');
    expect(attackerView.status).toBe(401);
    const victimView = await victimBrowser.send('get', '/api/auth/session');
    expect((victimView.body as { user: { email: string } }).user.email).toBe(victim.email);
  });

  it('accepts each TOTP code once, refuses old and wrong codes (case 4)', async () => {
    const user = await h.createUser(org);
    const first = h.browser();
    await first.send('post', '/api/auth/login', { email: user.email, password: user.password });
    harbour.clock.advance(30_000);
    const code = h.code(user);
    expect((await first.send('post', '/api/auth/mfa/verify', { code })).status).toBe(200);

    const second = h.browser();
    await second.send('post', '/api/auth/login', { email: user.email, password: user.password });
    const replay = await second.send('post', '/api/auth/mfa/verify', { code });
    expect(replay.status).toBe(401);
    expect(replay.body.code).toBe('invalid_code');
    const old = await second.send('post', '/api/auth/mfa/verify', { code: h.code(user, -2) });
    expect(old.body.code).toBe('invalid_code');
  });

  it('ends the sign-in after five wrong codes', async () => {
    const user = await h.createUser(org);
    const browser = h.browser();
    await browser.send('post', '/api/auth/login', { email: user.email, password: user.password });
    const wrong = h.code(user) === '000000' ? '111111' : '000000';
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++)
      statuses.push((await browser.send('post', '/api/auth/mfa/verify', { code: wrong })).status);
    expect(statuses).toEqual([401, 401, 401, 401, 401]);
    harbour.clock.advance(30_000);
    // Even the right code no longer helps: start again at the password.
    const right = await browser.send('post', '/api/auth/mfa/verify', { code: h.code(user) });
    expect(right.status).toBe(401);
    expect(right.body.code).toBe('unauthenticated');
  });

  it('signs in with a recovery code exactly once', async () => {
    const user = await h.createUser(org, { enrolled: false });
    const browser = h.browser();
    const login = await browser.send('post', '/api/auth/login', {
      email: user.email,
      password: user.password,
    });
    expect(login.body).toEqual({ stage: 'enrol' });
    const enrol = await browser.send('post', '/api/auth/mfa/enrol');
    expect(enrol.status).toBe(200);
    expect(enrol.body).toMatchObject({ secret: expect.stringMatching(/^[A-Z2-7]{32}$/) });
    expect(String(enrol.body['otpauthUri'])).toMatch(/^otpauth:\/\/totp\/Harbour:/);
    expect(String(enrol.body['qrSvg'])).toMatch(/^<svg/);
    const enrolled: TestUser = { ...user, totpSecret: String(enrol.body['secret']) };
    harbour.clock.advance(30_000);
    const confirm = await browser.send('post', '/api/auth/mfa/confirm', { code: h.code(enrolled) });
    expect(confirm.status).toBe(200);
    const codes = confirm.body['recoveryCodes'] as string[];
    expect(codes).toHaveLength(10);
    expect((await browser.send('get', '/api/auth/session')).status).toBe(200);

    const withCode = async (): Promise<number> => {
      const b = h.browser();
      await b.send('post', '/api/auth/login', { email: user.email, password: user.password });
      return (
        await b.send('post', '/api/auth/mfa/verify', { recoveryCode: codes[0]!.toLowerCase() })
      ).status;
    };
    expect(await withCode()).toBe(200);
    expect(await withCode()).toBe(401);
    // Stored as hashes only.
    const stored = await db.asSuperuser<{ code_hash: Buffer }>(
      'SELECT code_hash FROM recovery_code',
    );
    const dump =
      JSON.stringify(stored) + stored.map((r) => r.code_hash.toString('latin1')).join('');
    expect(dump).not.toContain(codes[1]!);
  });

  it('keeps the TOTP seed encrypted at rest', async () => {
    const user = await h.createUser(org);
    const [row] = await db.asSuperuser<{ totp_secret: Buffer }>(
      'SELECT totp_secret FROM staff_user WHERE id = $1',
      [user.id],
    );
    expect(row!.totp_secret[0]).toBe(1);
    expect(row!.totp_secret.toString('latin1')).not.toContain(user.totpSecret!);
  });

  describe('timeouts with an injected clock (case 6)', () => {
    it('ends a session after 15 idle minutes, and keeps it while used', async () => {
      const user = await h.createUser(org);
      const browser = await h.signIn(user);
      harbour.clock.advance(SESSION_IDLE_MS - 60_000);
      expect((await browser.send('get', '/api/auth/session')).status).toBe(200);
      harbour.clock.advance(SESSION_IDLE_MS - 60_000);
      expect((await browser.send('get', '/api/auth/session')).status).toBe(200);
      harbour.clock.advance(SESSION_IDLE_MS + 1);
      expect((await browser.send('get', '/api/auth/session')).status).toBe(401);
    });

    it('ends a session after 8 hours however active', async () => {
      const user = await h.createUser(org);
      const browser = await h.signIn(user);
      const steps = Math.ceil(SESSION_ABSOLUTE_MS / (SESSION_IDLE_MS - 60_000));
      let last = 200;
      for (let i = 0; i < steps + 1; i++) {
        harbour.clock.advance(SESSION_IDLE_MS - 60_000);
        last = (await browser.send('get', '/api/auth/session')).status;
        if (last === 401) break;
      }
      expect(last).toBe(401);
    });
  });

  describe('revocation (case 7)', () => {
    it('logout makes the old cookie fail and clears site data', async () => {
      const user = await h.createUser(org);
      const browser = await h.signIn(user);
      const token = browser.sessionToken!;
      const logout = await browser.send('post', '/api/auth/logout');
      expect(logout.status).toBe(204);
      expect(logout.headers['clear-site-data']).toBe('"cache", "cookies"');
      expect(
        logout.setCookies.some(
          (c) => c.startsWith(`${SESSION_COOKIE}=;`) && c.includes('Max-Age=0'),
        ),
      ).toBe(true);
      const replay = h.browser();
      replay.cookies.set(SESSION_COOKIE, token);
      expect((await replay.send('get', '/api/auth/session')).status).toBe(401);
    });

    it('disabling a user ends their sessions at once', async () => {
      const user = await h.createUser(org);
      const browser = await h.signIn(user);
      const adminBrowser = await h.signIn(admin);
      const view = (await adminBrowser.send('get', '/api/users')).body as unknown as {
        id: string;
        version: number;
      }[];
      const target = view.find((u) => u.id === user.id)!;
      const res = await adminBrowser.send('patch', `/api/users/${user.id}`, {
        version: target.version,
        status: 'disabled',
      });
      expect(res.status).toBe(200);
      expect((await browser.send('get', '/api/auth/session')).status).toBe(401);
      // And a disabled user cannot sign in (same answer as a wrong password).
      const again = await h
        .browser()
        .send('post', '/api/auth/login', { email: user.email, password: user.password });
      expect(again.status).toBe(401);
      expect(again.body.code).toBe('invalid_credentials');
    });

    it('a password change ends every old session and issues a new one', async () => {
      const user = await h.createUser(org, { password: 'an old long passphrase 1' });
      const phone = await h.signIn(user);
      const laptop = await h.signIn(user);
      const old = laptop.sessionToken!;
      const change = await laptop.send('post', '/api/auth/password', {
        currentPassword: user.password,
        newPassword: 'a brand new passphrase for the river',
      });
      expect(change.status).toBe(204);
      expect(laptop.sessionToken).not.toBe(old);
      expect((await laptop.send('get', '/api/auth/session')).status).toBe(200);
      expect((await phone.send('get', '/api/auth/session')).status).toBe(401);
      const replay = h.browser();
      replay.cookies.set(SESSION_COOKIE, old);
      expect((await replay.send('get', '/api/auth/session')).status).toBe(401);
    });

    it('a role removed mid-session is denied on the next request (case 14)', async () => {
      const second = await h.createUser(org, { roles: ['admin'] });
      const browser = await h.signIn(second);
      expect((await browser.send('get', '/api/users')).status).toBe(200);
      const adminBrowser = await h.signIn(admin);
      await h.stepUp(adminBrowser, admin);
      const users = (await adminBrowser.send('get', '/api/users')).body as unknown as {
        id: string;
        version: number;
      }[];
      const target = users.find((u) => u.id === second.id)!;
      const demote = await adminBrowser.send('patch', `/api/users/${second.id}`, {
        version: target.version,
        roles: ['auditor'],
      });
      expect(demote.status).toBe(200);
      const denied = await browser.send('get', '/api/users');
      expect(denied.status).toBe(403);
      expect(denied.body.code).toBe('forbidden');
    });
  });

  describe('no user enumeration (T4)', () => {
    it('answers an unknown user exactly like a wrong password, after a dummy verification', async () => {
      const user = await h.createUser(org);
      const hasher = harbour.app.get(PasswordHasher);
      const dummy = jest.spyOn(hasher, 'dummyVerify');
      const verify = jest.spyOn(hasher, 'verify');
      try {
        const unknown = await h.browser().send('post', '/api/auth/login', {
          email: 'nobody-here@example.test',
          password: 'whatever it is 123',
        });
        expect(dummy).toHaveBeenCalledTimes(1);
        const wrong = await h
          .browser()
          .send('post', '/api/auth/login', { email: user.email, password: 'not the password' });
        expect(dummy).toHaveBeenCalledTimes(1);
        // Both paths ran exactly one argon2 verification (the dummy one calls verify too).
        expect(verify).toHaveBeenCalledTimes(2);
        const strip = (body: Record<string, unknown>): Record<string, unknown> => ({
          ...body,
          correlationId: 'x',
        });
        expect(unknown.status).toBe(401);
        expect(wrong.status).toBe(401);
        expect(strip(unknown.body)).toEqual(strip(wrong.body));
        expect(unknown.body.code).toBe('invalid_credentials');
        expect(unknown.setCookies).toEqual([]);
      } finally {
        dummy.mockRestore();
        verify.mockRestore();
      }
    });
  });

  describe('CSRF (case 9)', () => {
    let user: TestUser;

    beforeAll(async () => {
      user = await h.createUser(org);
    });

    const logoutCount = async (): Promise<number> =>
      Number(
        (
          await db.asSuperuser<{ n: string }>(
            `SELECT count(*) AS n FROM staff_session WHERE revoke_reason = 'logout'`,
          )
        )[0]!.n,
      );

    it.each([
      ['a missing token', { xsrf: false }],
      ['a cross-site fetch', { headers: { 'Sec-Fetch-Site': 'cross-site' } }],
      ['a same-site fetch from a sibling host', { headers: { 'Sec-Fetch-Site': 'same-site' } }],
      ['a foreign Origin', { headers: { Origin: 'https://evil.example' } }],
    ])('refuses %s with 403 and changes nothing', async (_label, options) => {
      const browser = await h.signIn(user);
      const before = await logoutCount();
      const res = await browser.send('post', '/api/auth/logout', undefined, options);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('csrf_rejected');
      expect(await logoutCount()).toBe(before);
      expect((await browser.send('get', '/api/auth/session')).status).toBe(200);
    });

    it('refuses the token of another session', async () => {
      const mine = await h.signIn(user);
      const other = await h.signIn(user);
      const before = await logoutCount();
      const res = await mine.send('post', '/api/auth/logout', undefined, {
        xsrf: false,
        headers: { 'X-XSRF-TOKEN': other.cookies.get(XSRF_COOKIE)! },
      });
      expect(res.status).toBe(403);
      expect(await logoutCount()).toBe(before);
    });

    it('refuses a text/plain body with 415', async () => {
      const browser = await h.signIn(user);
      const res = await browser.send('post', '/api/auth/step-up', 'password=x', {
        headers: { 'Content-Type': 'text/plain' },
      });
      expect(res.status).toBe(415);
    });

    it('refuses a cross-site sign-in attempt', async () => {
      const res = await h.browser().send(
        'post',
        '/api/auth/login',
        { email: user.email, password: user.password },
        {
          headers: { 'Sec-Fetch-Site': 'cross-site' },
        },
      );
      expect(res.status).toBe(403);
      expect(res.setCookies).toEqual([]);
    });
  });

  describe('step-up (T7)', () => {
    it('is required to create a user, lasts five minutes, and needs password and a fresh code', async () => {
      const browser = await h.signIn(admin);
      const body = {
        email: `new-${Date.now()}@example.test`,
        displayName: 'New Person',
        roles: ['auditor'],
      };
      const before = await browser.send('post', '/api/users', body);
      expect(before.status).toBe(403);
      expect(before.body.code).toBe('step_up_required');

      harbour.clock.advance(30_000);
      const badPassword = await browser.send('post', '/api/auth/step-up', {
        password: 'nope',
        code: h.code(admin),
      });
      expect(badPassword.body.code).toBe('invalid_credentials');
      await h.stepUp(browser, admin);
      const created = await browser.send('post', '/api/users', body);
      expect(created.status).toBe(201);
      expect(String(created.body['oneTimePassword'])).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){3}$/);

      harbour.clock.advance(STEP_UP_MS + 1000);
      const later = await browser.send('post', '/api/users', {
        ...body,
        email: `late-${Date.now()}@example.test`,
      });
      expect(later.body.code).toBe('step_up_required');
    });
  });

  describe('first sign-in with a one-time password', () => {
    it('forces enrolment and a password change before anything else', async () => {
      const browser = await h.signIn(admin);
      await h.stepUp(browser, admin);
      const email = `first-${Date.now()}@example.test`;
      const created = await browser.send('post', '/api/users', {
        email,
        displayName: 'First Timer',
        roles: ['auditor'],
      });
      const oneTime = String(created.body['oneTimePassword']);

      const newcomer = h.browser();
      const login = await newcomer.send('post', '/api/auth/login', { email, password: oneTime });
      expect(login.body).toEqual({ stage: 'enrol' });
      const enrol = await newcomer.send('post', '/api/auth/mfa/enrol');
      const user: TestUser = {
        organisationId: org,
        id: '',
        email,
        password: oneTime,
        totpSecret: String(enrol.body['secret']),
        roles: ['auditor'],
      };
      harbour.clock.advance(30_000);
      expect(
        (await newcomer.send('post', '/api/auth/mfa/confirm', { code: h.code(user) })).status,
      ).toBe(200);
      const session = await newcomer.send('get', '/api/auth/session');
      expect(session.body['mustChangePassword']).toBe(true);

      const blocked = await newcomer.send('get', '/api/organisation/settings');
      expect(blocked.status).toBe(403);

      const rejected: [string, string][] = [
        ['short', 'too_short'],
        ['Password1234!', 'common_password'],
        ['riverside outreach team 2026', 'context_word'],
        [oneTime, 'same_as_current'],
      ];
      for (const [candidate, reason] of rejected) {
        const res = await newcomer.send('post', '/api/auth/password', {
          currentPassword: oneTime,
          newPassword: candidate,
        });
        expect({ candidate, status: res.status, fields: res.body['fields'] }).toEqual({
          candidate,
          status: 400,
          fields: [{ path: 'newPassword', reason }],
        });
      }
      const ok = await newcomer.send('post', '/api/auth/password', {
        currentPassword: oneTime,
        newPassword: 'ภาษาไทย passphrase กับ 漢字 and more words',
      });
      expect(ok.status).toBe(204);
      expect((await newcomer.send('get', '/api/auth/session')).body['mustChangePassword']).toBe(
        false,
      );
    });
  });
});
