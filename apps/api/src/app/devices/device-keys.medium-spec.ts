import { randomBytes } from 'node:crypto';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

const newDeviceId = (): string => randomBytes(16).toString('base64url');

/**
 * Device keys (docs/adr/0012): released to a signed-in session for one user and one device,
 * derived (nothing stored per device), revocable by raising the user's epoch, never cached,
 * never logged, refused in lockdown.
 */
describe('device keys', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  let otherOrg: string;
  let admin: TestUser;
  let caseworker: TestUser;
  let coordinator: TestUser;
  let auditor: TestUser;
  let stranger: TestUser;
  let ad: TestBrowser;
  let cw: TestBrowser;
  let co: TestBrowser;
  const phone = newDeviceId();
  const laptop = newDeviceId();

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Device Key Service');
    otherOrg = await h.createOrganisation('Another Service');
    admin = await h.createUser(org, { roles: ['admin'] });
    caseworker = await h.createUser(org, { roles: ['caseworker'] });
    coordinator = await h.createUser(org, { roles: ['coordinator'] });
    auditor = await h.createUser(org, { roles: ['auditor'] });
    stranger = await h.createUser(otherOrg, { roles: ['caseworker'] });
    ad = await h.signIn(admin);
    cw = await h.signIn(caseworker);
    co = await h.signIn(coordinator);
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  async function keyOf(
    browser: TestBrowser,
    deviceId: string,
  ): Promise<{ keyId: string; key: string }> {
    const res = await browser.send('post', '/api/session/device-key', { deviceId });
    expect(res.status).toBe(200);
    return res.body as unknown as { keyId: string; key: string };
  }

  it('releases 32 random-looking bytes, not cacheable, the same for the same user and device', async () => {
    const res = await cw.send('post', '/api/session/device-key', { deviceId: phone });
    expect(res.status).toBe(200);
    expect(res.headers['cache-control']).toBe('no-store');
    const { keyId, key } = res.body as { keyId: string; key: string };
    expect(keyId).toBe('e0');
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const bytes = Buffer.from(key, 'base64url');
    expect(bytes).toHaveLength(32);
    expect(new Set(bytes).size).toBeGreaterThan(16);
    // Again, and from a second session of the same user on the same device.
    expect(await keyOf(cw, phone)).toEqual({ keyId, key });
    expect(await keyOf(await h.signIn(caseworker), phone)).toEqual({ keyId, key });
  });

  it('gives another device, another user or another organisation another key', async () => {
    const mine = await keyOf(cw, phone);
    const keys = [
      mine.key,
      (await keyOf(cw, laptop)).key,
      (await keyOf(co, phone)).key,
      (await keyOf(ad, phone)).key,
      (await keyOf(await h.signIn(auditor), phone)).key,
      (await keyOf(await h.signIn(stranger), phone)).key,
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });

  it('refuses callers without a full session, and device ids that are not 128-bit base64url', async () => {
    const anonymous = await h
      .browser()
      .send('post', '/api/session/device-key', { deviceId: phone });
    expect(anonymous.status).toBe(401);
    const halfway = h.browser();
    await halfway.send('post', '/api/auth/login', {
      email: caseworker.email,
      password: caseworker.password,
    });
    expect(
      (await halfway.send('post', '/api/session/device-key', { deviceId: phone })).status,
    ).toBe(401);
    for (const deviceId of ['', 'short', `${phone}x`, 'a'.repeat(21) + '/', 42]) {
      const res = await cw.send('post', '/api/session/device-key', { deviceId });
      expect(res.status).toBe(400);
    }
  });

  it('"forget my devices" revokes every key released before, for that user only', async () => {
    const before = await keyOf(cw, phone);
    const theirs = await keyOf(co, phone);
    const res = await cw.send('post', '/api/session/forget-devices');
    expect(res.status).toBe(204);
    const after = await keyOf(cw, phone);
    expect(after.keyId).not.toBe(before.keyId);
    expect(after.key).not.toBe(before.key);
    expect(await keyOf(co, phone)).toEqual(theirs);
  });

  it("a password reset by an admin revokes the account's device keys", async () => {
    const au = await h.signIn(auditor);
    const before = await keyOf(au, laptop);
    await h.stepUp(ad, admin);
    const reset = await ad.send('post', `/api/users/${auditor.id}/reset-password`);
    expect(reset.status).toBe(200);
    const password = (reset.body as { oneTimePassword: string }).oneTimePassword;
    expect(typeof password).toBe('string');
    const again = await h.signIn({ ...auditor, password });
    const after = await keyOf(again, laptop);
    expect(after.key).not.toBe(before.key);
  });

  it('logs each release as an access event, and never the key or the device id', async () => {
    const { key } = await keyOf(cw, phone);
    const events = await db.asSuperuser<{ actor_id: string; outcome: string }>(
      `SELECT actor_id, outcome FROM access_event
        WHERE organisation_id = $1 AND action = 'auth.device_key_released'`,
      [org],
    );
    expect(events).toContainEqual({ actor_id: caseworker.id, outcome: 'success' });
    const logged = harbour.rawLogs();
    expect(logged.length).toBeGreaterThan(0);
    expect(logged).not.toContain(key);
    expect(logged).not.toContain(phone);
    const stored = await db.asSuperuser<{ n: number }>(
      `SELECT count(*)::int AS n FROM access_event ae WHERE ae::text LIKE $1 OR ae::text LIKE $2`,
      [`%${key}%`, `%${phone}%`],
    );
    expect(stored[0]!.n).toBe(0);
  });

  it('lockdown revokes every device key of the organisation and releases none meanwhile', async () => {
    const epochs = () =>
      db.asSuperuser<{ user_id: string; epoch: number }>(
        `SELECT user_id, epoch FROM device_key_epoch WHERE organisation_id = $1`,
        [org],
      );
    const before = new Map((await epochs()).map((r) => [r.user_id, r.epoch]));
    await h.stepUp(ad, admin);
    expect((await ad.send('post', '/api/organisation/lockdown')).status).toBe(200);
    const after = new Map((await epochs()).map((r) => [r.user_id, r.epoch]));
    for (const user of [admin, caseworker, coordinator, auditor]) {
      expect(after.get(user.id)).toBe((before.get(user.id) ?? 0) + 1);
    }
    // Admins may sign in during a lockdown; even they get no device key.
    const res = await (
      await h.signIn(admin)
    ).send('post', '/api/session/device-key', {
      deviceId: phone,
    });
    expect(res.status).toBe(403);
    expect(res.body.code).toBe('lockdown_active');
    // The other organisation is untouched.
    expect((await keyOf(await h.signIn(stranger), phone)).keyId).toBe('e0');
  });
});
