import { AuthHarness, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/** Admin: staff accounts, organisation settings, lockdown and its two-admin lift. */
describe('administration', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  let admin: TestUser;
  let admin2: TestUser;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Harbourside Service');
    admin = await h.createUser(org, { roles: ['admin'] });
    admin2 = await h.createUser(org, { roles: ['admin', 'coordinator'] });
  });

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  it('refuses auditor combined with another role, and unknown properties (mass assignment, case 12)', async () => {
    const browser = await h.signIn(admin);
    await h.stepUp(browser, admin);
    const combined = await browser.send('post', '/api/users', {
      email: 'both@example.test',
      displayName: 'Both',
      roles: ['auditor', 'caseworker'],
    });
    expect(combined.status).toBe(400);
    expect(combined.body['fields']).toEqual([{ path: 'roles', reason: 'auditor_combined' }]);
    const mass = await browser.send('post', '/api/users', {
      email: 'mass@example.test',
      displayName: 'Mass',
      roles: ['caseworker'],
      organisationId: '00000000-0000-7000-8000-000000000000',
      status: 'active',
    });
    expect(mass.status).toBe(400);
    const [count] = await db.asSuperuser<{ n: number }>(
      `SELECT count(*)::int AS n FROM staff_user WHERE email IN ('both@example.test', 'mass@example.test')`,
    );
    expect(count!.n).toBe(0);
  });

  it('answers a stale edit with 409 version_conflict and keeps the first edit (T21)', async () => {
    const browser = await h.signIn(admin);
    const target = await h.createUser(org);
    const list = (await browser.send('get', '/api/users')).body as unknown as {
      id: string;
      version: number;
    }[];
    const version = list.find((u) => u.id === target.id)!.version;
    const first = await browser.send('patch', `/api/users/${target.id}`, {
      version,
      displayName: 'First',
    });
    const second = await browser.send('patch', `/api/users/${target.id}`, {
      version,
      displayName: 'Second',
    });
    expect(first.status).toBe(200);
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('version_conflict');
    const [row] = await db.asSuperuser<{ display_name: string }>(
      'SELECT display_name FROM staff_user WHERE id = $1',
      [target.id],
    );
    expect(row!.display_name).toBe('First');
  });

  it('keeps at least one active admin', async () => {
    const solo = await h.createOrganisation('Solo Org');
    const only = await h.createUser(solo, { roles: ['admin'] });
    const browser = await h.signIn(only);
    await h.stepUp(browser, only);
    const list = (await browser.send('get', '/api/users')).body as unknown as {
      id: string;
      version: number;
    }[];
    const me = list.find((u) => u.id === only.id)!;
    const res = await browser.send('patch', `/api/users/${only.id}`, {
      version: me.version,
      status: 'disabled',
    });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('last_admin');
  });

  it('lockdown ends every session of the organisation; two distinct admins lift it', async () => {
    const caseworker = await h.createUser(org);
    const caseworkerBrowser = await h.signIn(caseworker);
    const first = await h.signIn(admin);
    await h.stepUp(first, admin);

    const lockdown = await first.send('post', '/api/organisation/lockdown');
    expect(lockdown.status).toBe(200);
    expect(lockdown.body['lockdown']).toMatchObject({ active: true, liftApprovals: [] });
    expect((await caseworkerBrowser.send('get', '/api/auth/session')).status).toBe(401);
    expect((await first.send('get', '/api/auth/session')).status).toBe(401);

    // Admins sign in again to lift it: one approval is not enough.
    const a1 = await h.signIn(admin);
    await h.stepUp(a1, admin);
    const once = await a1.send('post', '/api/organisation/lockdown/lift');
    expect(once.body['lockdown']).toMatchObject({
      active: true,
      liftApprovals: [{ userId: admin.id }],
    });
    const twice = await a1.send('post', '/api/organisation/lockdown/lift');
    expect((twice.body['lockdown'] as { active: boolean }).active).toBe(true);

    const a2 = await h.signIn(admin2);
    await h.stepUp(a2, admin2);
    const lifted = await a2.send('post', '/api/organisation/lockdown/lift');
    expect(lifted.body['lockdown']).toEqual({
      active: false,
      since: null,
      liftApprovals: [],
      approvalsNeeded: 2,
      callerMayApprove: false,
    });
    const info = await a2.send('get', '/api/auth/session');
    expect((info.body['organisation'] as { lockdown: boolean }).lockdown).toBe(false);
  });

  it('needs step-up for lockdown and MFA reset', async () => {
    const browser = await h.signIn(admin);
    const target = await h.createUser(org);
    expect((await browser.send('post', '/api/organisation/lockdown')).body.code).toBe(
      'step_up_required',
    );
    expect((await browser.send('post', `/api/users/${target.id}/reset-mfa`)).body.code).toBe(
      'step_up_required',
    );
    await h.stepUp(browser, admin);
    // A caseworker's reset waits for a second admin (separation of duties); theirs applies it.
    const requested = await browser.send('post', `/api/users/${target.id}/reset-mfa`);
    expect(requested.status).toBe(200);
    const pending = requested.body['pending'] as { id: string };
    const second = await h.signIn(admin2);
    await h.stepUp(second, admin2);
    expect((await second.send('post', `/api/users/approvals/${pending.id}/approve`)).status).toBe(
      200,
    );
    // The reset user must enrol again at next sign-in.
    const login = await h
      .browser()
      .send('post', '/api/auth/login', { email: target.email, password: target.password });
    expect(login.body).toEqual({ stage: 'enrol' });
  });
});
