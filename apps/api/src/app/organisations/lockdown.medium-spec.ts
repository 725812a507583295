import { createHash, randomUUID } from 'node:crypto';
import {
  LOCKDOWN_PROMISES,
  permissionsFor,
  ROLES,
  type LockdownPromise,
  type Role,
} from '@harbour/domain';
import type { Principal } from '../../infra/auth/principal';
import { listRoutes } from '../../infra/auth/route-inventory';
import { Db } from '../../infra/database/transaction';
import { actingAs } from '../../core/scope/request-scope';
import { FakeClock } from '../../infra/time/clock';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { ACCESS_MATRIX } from '../access-matrix';
import { ContactsService } from '../contacts/contacts.service';
import { KeyringService, LOCKDOWN_SWEEP_INTERVAL } from '../../core/keyring/keyring.service';
import { PersonsService } from '../persons/persons.service';
import { DEMO_ORGANISATION_NAME, DemoSeeder, type DemoLogin } from '../seed/demo-seed';

/** What an admin may still call during a lockdown: see it, approve lifting it, finish signing in. */
const ADMIN_ALLOW_LIST = [
  'GET /api/auth/session',
  'GET /api/organisation/settings',
  'POST /api/auth/mfa/confirm',
  'POST /api/auth/mfa/enrol',
  'POST /api/auth/password',
  'POST /api/auth/step-up',
  'POST /api/organisation/lockdown/lift',
];
/** What anyone may still call: sign out, and the code step (which refuses a non-admin itself). */
const EVERYONE_ALLOW_LIST = ['POST /api/auth/logout', 'POST /api/auth/mfa/verify'];

/**
 * docs/security.md T25 and adversarial case 33, on demo-shaped data and three API instances sharing
 * one PostgreSQL: during a lockdown nobody gets an identity, a note, a lookup, a report or an
 * export; only admins sign in, to see the lockdown and approve lifting it; no staff change goes
 * through; every instance drops the organisation's keys and refuses to load them; lifting needs
 * two admins who held the role before the lockdown, each with step-up. Each promise the console
 * makes (`LOCKDOWN_PROMISES`) has its check below.
 */
describe('lockdown under attack', () => {
  let db: TestDatabase;
  const clock = new FakeClock();
  /** A starts the lockdown; B and C had the organisation's keys in memory before it. */
  let a: TestApp;
  let b: TestApp;
  let c: TestApp;
  let ha: AuthHarness;
  let hb: AuthHarness;
  let hc: AuthHarness;
  let org: string;
  let secondOrg: string;
  const staff = new Map<Role | 'admin2', TestUser>();
  /** The demo caseworker as the case services see an author (no session). */
  const caseworkerPrincipal = (): Principal => {
    const user = staff.get('caseworker')!;
    const now = new Date();
    return {
      sessionId: '00000000-0000-7000-8000-000000000000',
      organisationId: user.organisationId,
      userId: user.id,
      email: user.email,
      displayName: 'Demo Caseworker',
      roles: ['caseworker'],
      permissions: permissionsFor(['caseworker']),
      stage: 'active',
      mustChangePassword: false,
      stepUpAt: null,
      lockdownSince: null,
      idleExpiresAt: now,
      absoluteExpiresAt: now,
    };
  };
  let secondCaseworker: TestUser;
  /** A caseworker who never enrolled a second factor (signs in at stage `enrol`). */
  let unenrolled: TestUser;
  let person: string;
  let personKeyId: number;
  let otherPerson: string;
  let contact: string;
  let need: string;
  let referral: string;
  let partner: string;
  let pendingRequest: string;
  /** Sessions from before the lockdown, by role (signed in on instance B). */
  const before = new Map<Role, TestBrowser>();
  let lockdownAt: Date;
  let staffBefore: unknown[];

  beforeAll(async () => {
    db = await createTestDatabase();
    // The keyring's sweep runs when the test says (its timer would race the assertions).
    const overrides = [{ provide: LOCKDOWN_SWEEP_INTERVAL, useValue: 0 }];
    a = await createTestApp(db, { clock, overrides });
    b = await createTestApp(db, { clock, overrides });
    c = await createTestApp(db, { clock, overrides });
    ha = new AuthHarness(a);
    hb = new AuthHarness(b);
    hc = new AuthHarness(c);
    const logins = await a.app.get(DemoSeeder).seed();
    const user = async (login: DemoLogin): Promise<TestUser> => {
      const [row] = await db.asSuperuser<{ id: string; organisation_id: string }>(
        `SELECT id, organisation_id FROM staff_user WHERE email = $1`,
        [login.email],
      );
      return {
        organisationId: row!.organisation_id,
        id: row!.id,
        email: login.email,
        password: login.password,
        totpSecret: login.totpSecret,
        roles: [login.role],
      };
    };
    for (const login of logins) {
      if (login.organisation === DEMO_ORGANISATION_NAME) {
        const key = login.role === 'admin' && staff.has('admin') ? 'admin2' : login.role;
        staff.set(key, await user(login));
      } else if (login.role === 'caseworker') {
        secondCaseworker = await user(login);
      }
    }
    org = staff.get('caseworker')!.organisationId;
    secondOrg = secondCaseworker.organisationId;
    unenrolled = await ha.createUser(org, { enrolled: false });
    const one = async <T extends object>(sql: string, params: unknown[] = [org]): Promise<T> =>
      (await db.asSuperuser<T>(sql, params))[0]!;
    ({ id: person } = await one<{ id: string }>(
      `SELECT p.id FROM person p JOIN contact c ON c.organisation_id = p.organisation_id AND c.person_id = p.id
        WHERE p.organisation_id = $1 AND p.has_identity AND c.notes IS NOT NULL LIMIT 1`,
    ));
    ({ key_id: personKeyId } = await one<{ key_id: number }>(
      `SELECT key_id FROM person_identity WHERE person_id = $1`,
      [person],
    ));
    ({ id: otherPerson } = await one<{ id: string }>(
      `SELECT id FROM person WHERE organisation_id = $1 AND has_identity AND id <> $2 LIMIT 1`,
      [org, person],
    ));
    ({ id: contact } = await one<{ id: string }>(
      `SELECT id FROM contact WHERE organisation_id = $1 AND person_id = $2 AND notes IS NOT NULL LIMIT 1`,
      [org, person],
    ));
    ({ id: need } = await one<{ id: string }>(
      `SELECT id FROM support_need WHERE organisation_id = $1 LIMIT 1`,
    ));
    ({ id: referral, partner_id: partner } = await one<{ id: string; partner_id: string }>(
      `SELECT id, partner_id FROM referral WHERE organisation_id = $1 LIMIT 1`,
    ));
  }, 180_000);

  afterAll(async () => {
    await a.close();
    await b.close();
    await c.close();
    await db.drop();
  });

  const keyring = (app: TestApp) => app.app.get(KeyringService);
  /** Keys of the organisation an instance holds that can decrypt anything (not the audit key). */
  const decryptingKeys = (app: TestApp, organisation = org) =>
    keyring(app)
      .cachedKeys(organisation)
      .filter((purpose) => purpose !== 'audit');

  /** A body and path per route: enough for the allowed ones to do their real work. */
  function requestFor(route: string, caller: TestUser): { path: string; body?: unknown } {
    const [, raw] = route.split(' ') as [string, string];
    const id = route.includes('/approvals/')
      ? pendingRequest
      : route.includes('/persons/')
        ? person
        : route.includes('/contacts/')
          ? contact
          : route.includes('/needs/')
            ? need
            : route.includes('/referrals/')
              ? referral
              : route.includes('/partners/')
                ? partner
                : staff.get('caseworker')!.id;
    const path = raw.replace(':id', id).replace(':consentId', randomUUID());
    switch (route) {
      case 'POST /api/auth/step-up':
        return { path, body: { password: caller.password, code: ha.code(caller) } };
      case 'POST /api/auth/password':
        return { path, body: { currentPassword: caller.password, newPassword: 'short' } };
      case 'POST /api/auth/mfa/verify':
      case 'POST /api/auth/mfa/confirm':
        return { path, body: { code: '000000' } };
      case 'POST /api/users':
        return {
          path,
          body: { email: `late-${randomUUID()}@demo.test`, displayName: 'Late', roles: ['admin'] },
        };
      case 'PATCH /api/users/:id':
        return { path, body: { version: 1, roles: ['caseworker', 'admin'] } };
      case 'GET /api/audit/proofs/inclusion':
        return { path: `${path}?seq=0&treeSize=1` };
      case 'GET /api/audit/proofs/consistency':
        return { path: `${path}?from=1&to=1` };
      case 'POST /api/persons/:id/reveal':
        return { path, body: { purpose: 'referral' } };
      case 'POST /api/persons/lookup':
        return { path, body: { name: 'Somchai' } };
      default:
        return { path, body: route.startsWith('GET ') ? undefined : {} };
    }
  }

  async function call(
    browser: TestBrowser,
    route: string,
    caller: TestUser,
    requestId = randomUUID(),
  ) {
    const [method] = route.split(' ') as [string];
    const { path, body } = requestFor(route, caller);
    return browser.send(method.toLowerCase() as 'get' | 'post' | 'patch', path, body, {
      headers: { 'X-Correlation-Id': requestId },
    });
  }

  const staffSnapshot = () =>
    db.asSuperuser(
      `SELECT u.id, u.roles, u.status, u.version, u.password_hash, u.totp_secret IS NULL AS no_totp,
              (SELECT count(*)::int FROM staff_change_request r WHERE r.organisation_id = u.organisation_id AND r.status = 'applied') AS applied,
              (SELECT count(*)::int FROM staff_role_grant g WHERE g.organisation_id = u.organisation_id AND g.user_id = u.id) AS grants
         FROM staff_user u WHERE u.organisation_id = $1 ORDER BY u.id`,
      [org],
    );

  it('before the lockdown: staff work, and instances B and C hold the organisation’s keys', async () => {
    const caseworker = staff.get('caseworker')!;
    const onB = await hb.signIn(caseworker);
    expect(
      (await onB.send('post', `/api/persons/${person}/reveal`, { purpose: 'referral' })).status,
    ).toBe(200);
    expect((await onB.send('get', `/api/contacts/${contact}`)).body['notes']).toEqual(
      expect.any(String),
    );
    const onC = await hc.signIn(caseworker);
    expect(
      (
        await onC.send('post', `/api/persons/${otherPerson}/reveal`, {
          purpose: 'referral',
        })
      ).status,
    ).toBe(200);
    const coordinator = await ha.signIn(staff.get('coordinator')!);
    expect((await coordinator.send('get', '/api/reports/needs')).status).toBe(200);
    // A caseworker's reset, waiting for a second admin when the lockdown comes.
    const admin = await ha.signIn(staff.get('admin')!);
    await ha.stepUp(admin, staff.get('admin')!);
    const requested = await admin.send('post', `/api/users/${caseworker.id}/reset-password`);
    pendingRequest = (requested.body['pending'] as { id: string }).id;
    for (const role of ROLES) before.set(role, await hb.signIn(staff.get(role)!));
    expect(decryptingKeys(b).length).toBeGreaterThan(0);
    expect(decryptingKeys(c).length).toBeGreaterThan(0);
  });

  it('an admin starts it with step-up; the instance that served it drops the keys at once', async () => {
    const admin = staff.get('admin')!;
    const browser = await ha.signIn(admin);
    await ha.stepUp(browser, admin);
    staffBefore = await staffSnapshot();
    const res = await browser.send('post', '/api/organisation/lockdown');
    expect(res.status).toBe(200);
    expect(res.body['lockdown']).toMatchObject({ active: true, liftApprovals: [] });
    lockdownAt = new Date(String((res.body['lockdown'] as { since: string }).since));
    expect(decryptingKeys(a)).toEqual([]);
    // B and C have not been told: they still hold keys until they notice.
    expect(decryptingKeys(b).length).toBeGreaterThan(0);
    expect(decryptingKeys(c).length).toBeGreaterThan(0);
    // B served this person before the lockdown: asking for the key again is a cache hit, and is
    // refused anyway (the lockdown state is read in the transaction); B drops every key it holds.
    await expect(
      b.app.get(Db).transaction(org, (tx) => keyring(b).personKey(tx, org, personKeyId, person)),
    ).rejects.toMatchObject({ code: 'lockdown_active' });
    expect(decryptingKeys(b)).toEqual([]);
  });

  it('declares exactly the allow-list on the routes (every other route, present or future, is refused)', () => {
    const declared = listRoutes(a.app).filter((r) => r.lockdown !== undefined);
    expect(
      declared
        .filter((r) => r.lockdown === 'admins')
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual(ADMIN_ALLOW_LIST);
    expect(
      declared
        .filter((r) => r.lockdown === 'everyone')
        .map((r) => `${r.method} ${r.path}`)
        .sort(),
    ).toEqual(EVERYONE_ALLOW_LIST);
  });

  it('walks every route as each role: only the allow-list answers anything but lockdown_active, and every refusal is logged', async () => {
    // Non-admins cannot sign in during the lockdown; to attack the guard itself, their sessions
    // from before it are brought back to life in the database, as if revocation had failed.
    const revived = ROLES.filter((r) => r !== 'admin').map((r) =>
      createHash('sha256').update(before.get(r)!.sessionToken!, 'utf8').digest(),
    );
    await db.asSuperuser(
      `UPDATE staff_session SET revoked_at = NULL, revoke_reason = NULL
        WHERE organisation_id = $1 AND revoke_reason = 'lockdown' AND token_hash = ANY ($2::bytea[])`,
      [org, revived],
    );
    const admin = staff.get('admin')!;
    const adminBrowser = await hb.signIn(admin);
    await hb.stepUp(adminBrowser, admin);
    const routes = Object.entries(ACCESS_MATRIX)
      .filter(([, e]) => e.access !== 'public')
      .map(([route]) => route)
      // Signing out ends the session: last.
      .sort(
        (x, y) => Number(x === 'POST /api/auth/logout') - Number(y === 'POST /api/auth/logout'),
      );
    const refused: string[] = [];
    for (const role of ROLES) {
      const caller = staff.get(role)!;
      const browser = role === 'admin' ? adminBrowser : before.get(role)!;
      for (const route of routes) {
        const requestId = randomUUID();
        const res = await call(browser, route, caller, requestId);
        const allowed =
          EVERYONE_ALLOW_LIST.includes(route) ||
          (role === 'admin' && ADMIN_ALLOW_LIST.includes(route));
        const outcome = { role, route, status: res.status, code: res.body.code };
        if (allowed) {
          expect(outcome.code).not.toBe('lockdown_active');
        } else {
          expect(outcome).toEqual({ role, route, status: 403, code: 'lockdown_active' });
          refused.push(requestId);
        }
      }
    }
    const logged = await db.asSuperuser<{ request_id: string; outcome: string }>(
      `SELECT request_id, outcome FROM access_event WHERE organisation_id = $1 AND request_id = ANY ($2)`,
      [org, refused],
    );
    expect(logged).toHaveLength(refused.length);
    expect(new Set(logged.map((e) => e.outcome))).toEqual(new Set(['denied']));
  }, 120_000);

  const CHECKS: Record<LockdownPromise, () => Promise<void>> = {
    everyone_signed_out: async () => {
      const [row] = await db.asSuperuser<{ live: number }>(
        `SELECT count(*)::int AS live FROM staff_session
          WHERE organisation_id = $1 AND revoked_at IS NULL AND created_at < $2`,
        [org, lockdownAt],
      );
      // The walk above revived three sessions and signed them out again; nothing else survived.
      expect(row!.live).toBe(0);
      const revoked = await db.asSuperuser<{ revoke_reason: string }>(
        `SELECT DISTINCT revoke_reason FROM staff_session
          WHERE organisation_id = $1 AND created_at < $2 AND revoked_at >= $2`,
        [org, lockdownAt],
      );
      expect(revoked.map((r) => r.revoke_reason)).toContain('lockdown');
    },

    admins_only_sign_in: async () => {
      for (const role of ['caseworker', 'coordinator', 'auditor'] as const) {
        const user = staff.get(role)!;
        const browser = hb.browser();
        const login = await browser.send('post', '/api/auth/login', {
          email: user.email,
          password: user.password,
        });
        // The password alone says nothing (the same answer as any day)...
        expect(login.body).toEqual({ stage: 'mfa' });
        const wrong = hb.code(user) === '000000' ? '111111' : '000000';
        expect(
          (await browser.send('post', '/api/auth/mfa/verify', { code: wrong })).body.code,
        ).toBe('invalid_code');
        // ...the right code says "lockdown", and ends the sign-in without a session.
        clock.advance(30_000);
        const verify = await browser.send('post', '/api/auth/mfa/verify', { code: hb.code(user) });
        expect({ role, status: verify.status, code: verify.body.code }).toEqual({
          role,
          status: 403,
          code: 'lockdown_active',
        });
        expect(
          verify.setCookies.some(
            (c) => c.startsWith('__Host-harbour-session=') && !c.includes('Max-Age=0'),
          ),
        ).toBe(false);
        expect((await browser.send('get', '/api/auth/session')).status).toBe(401);
        clock.advance(30_000);
        expect(
          (await browser.send('post', '/api/auth/mfa/verify', { code: hb.code(user) })).status,
        ).toBe(401);
      }
      // Someone without a second factor yet learns it at the password, and gets no session.
      const enrol = hb.browser();
      const refused = await enrol.send('post', '/api/auth/login', {
        email: unenrolled.email,
        password: unenrolled.password,
      });
      expect({ status: refused.status, code: refused.body.code }).toEqual({
        status: 403,
        code: 'lockdown_active',
      });
      expect(refused.setCookies.filter((c) => !c.includes('Max-Age=0'))).toEqual([]);
      const [signInRefused] = await db.asSuperuser<{ outcome: string }>(
        `SELECT outcome FROM access_event
          WHERE organisation_id = $1 AND action = 'auth.sign_in' AND actor_id = $2
          ORDER BY seq DESC LIMIT 1`,
        [org, unenrolled.id],
      );
      expect(signInRefused).toEqual({ outcome: 'denied' });
      const sessions = await db.asSuperuser<{ user_id: string; stage: string; live: boolean }>(
        `SELECT user_id, stage, revoked_at IS NULL AS live FROM staff_session
          WHERE organisation_id = $1 AND created_at >= $2 AND user_id <> ALL ($3::uuid[])`,
        [org, lockdownAt, [staff.get('admin')!.id, staff.get('admin2')!.id]],
      );
      expect(sessions.filter((s) => s.stage !== 'mfa' || s.live)).toEqual([]);
      const denied = await db.asSuperuser<{ actor_id: string }>(
        `SELECT DISTINCT actor_id FROM access_event
          WHERE organisation_id = $1 AND action = 'auth.mfa_verified' AND outcome = 'denied' AND occurred_at >= $2`,
        [org, lockdownAt],
      );
      for (const role of ['caseworker', 'coordinator', 'auditor'] as const)
        expect(denied.map((d) => d.actor_id)).toContain(staff.get(role)!.id);
      // An admin signs in, and sees the lockdown.
      const admin = await hb.signIn(staff.get('admin2')!);
      const session = await admin.send('get', '/api/auth/session');
      expect(session.body['organisation']).toMatchObject({ lockdown: true });
    },

    no_identity: async () => {
      const admin = await ha.signIn(staff.get('admin2')!);
      const res = await admin.send('post', `/api/persons/${person}/reveal`, {
        purpose: 'referral',
      });
      expect(res.body.code).toBe('lockdown_active');
      // A code path that forgot the guard still cannot decrypt: the keyring refuses.
      await expect(
        a.app
          .get(Db)
          .transaction(org, (tx) =>
            a.app
              .get(PersonsService)
              .reveal(actingAs(tx, caseworkerPrincipal()), person, { purpose: 'referral' }),
          ),
      ).rejects.toMatchObject({ code: 'lockdown_active' });
    },

    no_notes: async () => {
      const admin = await ha.signIn(staff.get('admin2')!);
      expect((await admin.send('get', `/api/contacts/${contact}`)).body.code).toBe(
        'lockdown_active',
      );
      await expect(
        b.app
          .get(Db)
          .transaction(org, (tx) =>
            b.app.get(ContactsService).get(actingAs(tx, caseworkerPrincipal()), contact),
          ),
      ).rejects.toMatchObject({ code: 'lockdown_active' });
    },

    no_lookup: async () => {
      const admin = await ha.signIn(staff.get('admin2')!);
      expect((await admin.send('post', '/api/persons/lookup', { name: 'Somchai' })).body.code).toBe(
        'lockdown_active',
      );
      await expect(
        a.app
          .get(Db)
          .transaction(org, (tx) =>
            a.app
              .get(PersonsService)
              .lookup(actingAs(tx, caseworkerPrincipal()), { name: 'Somchai' }),
          ),
      ).rejects.toMatchObject({ code: 'lockdown_active' });
    },

    no_reports: async () => {
      const admin = await ha.signIn(staff.get('admin2')!);
      for (const report of ['needs', 'referrals', 'funnel', 'time-to-outcome', 'contacts']) {
        const res = await admin.send('get', `/api/reports/${report}`);
        expect({ report, status: res.status, code: res.body.code }).toEqual({
          report,
          status: 403,
          code: 'lockdown_active',
        });
      }
    },

    no_exports: async () => {
      const admin = await ha.signIn(staff.get('admin2')!);
      const csv = await admin.send('get', '/api/reports/needs', undefined, {
        headers: { Accept: 'text/csv' },
      });
      expect({ status: csv.status, type: csv.headers['content-type'] }).toEqual({
        status: 403,
        type: expect.stringContaining('application/json'),
      });
      expect((await admin.send('get', '/api/audit/export')).body.code).toBe('lockdown_active');
    },

    no_staff_changes: async () => {
      const admin = staff.get('admin')!;
      const browser = await ha.signIn(admin);
      await ha.stepUp(browser, admin);
      const caseworker = staff.get('caseworker')!;
      const attempts = [
        // One admin creates a second admin, to lift the lockdown with.
        browser.send('post', '/api/users', {
          email: 'accomplice@demo.test',
          displayName: 'Accomplice',
          roles: ['admin'],
        }),
        browser.send('patch', `/api/users/${caseworker.id}`, { version: 1, roles: ['admin'] }),
        browser.send('patch', `/api/users/${admin.id}`, {
          version: 1,
          roles: ['admin', 'caseworker'],
        }),
        browser.send('post', `/api/users/${caseworker.id}/reset-password`),
        browser.send('post', `/api/users/${caseworker.id}/reset-mfa`),
        browser.send('post', `/api/users/${caseworker.id}/revoke-sessions`),
        browser.send('post', `/api/users/approvals/${pendingRequest}/approve`),
      ];
      for (const res of await Promise.all(attempts)) {
        expect({ status: res.status, code: res.body.code }).toEqual({
          status: 403,
          code: 'lockdown_active',
        });
      }
      // The reset asked for before the lockdown was withdrawn by it.
      const [request] = await db.asSuperuser<{ status: string }>(
        `SELECT status FROM staff_change_request WHERE id = $1`,
        [pendingRequest],
      );
      expect(request!.status).toBe('cancelled');
      expect(await staffSnapshot()).toEqual(staffBefore);
    },

    keys_dropped: async () => {
      // A dropped them at the lockdown, B when first asked (above); none was loaded since.
      expect(decryptingKeys(a)).toEqual([]);
      expect(decryptingKeys(b)).toEqual([]);
      for (const load of [
        (tx: Parameters<Parameters<Db['transaction']>[1]>[0]) =>
          keyring(b).organisationDataKey(tx, org),
        (tx: Parameters<Parameters<Db['transaction']>[1]>[0]) => keyring(b).indexKey(tx, org),
        (tx: Parameters<Parameters<Db['transaction']>[1]>[0]) =>
          keyring(b).personKeyFor(tx, org, otherPerson),
      ]) {
        await expect(b.app.get(Db).transaction(org, load)).rejects.toMatchObject({
          code: 'lockdown_active',
        });
      }
      // C has done nothing since: its sweep (every 10 s) finds the lockdown and drops the keys.
      expect(decryptingKeys(c).length).toBeGreaterThan(0);
      expect(await keyring(c).sweepLockedOrganisations()).toEqual([org]);
      expect(decryptingKeys(c)).toEqual([]);
      // Another organisation on the same instances is not affected.
      const other = await hc.signIn(secondCaseworker);
      expect(
        (await other.send('post', '/api/persons/lookup', { name: 'Nobody Here' })).status,
      ).toBe(200);
      expect(decryptingKeys(c, secondOrg).length).toBeGreaterThan(0);
      expect(decryptingKeys(c)).toEqual([]);
    },

    two_prior_admins_lift: async () => {
      // An admin made during the lockdown (the operator CLI's path: a direct insert) signs in,
      // but cannot approve.
      const late = await ha.createUser(org, { roles: ['admin'] });
      const lateBrowser = await ha.signIn(late);
      await ha.stepUp(lateBrowser, late);
      const view = await lateBrowser.send('get', '/api/organisation/settings');
      expect(view.body['lockdown']).toMatchObject({ active: true, callerMayApprove: false });
      const lateLift = await lateBrowser.send('post', '/api/organisation/lockdown/lift');
      expect({ status: lateLift.status, code: lateLift.body.code }).toEqual({
        status: 403,
        code: 'lockdown_active',
      });

      // Without a fresh step-up, no approval.
      const admin2 = staff.get('admin2')!;
      const second = await ha.signIn(admin2);
      clock.advance(6 * 60_000);
      expect((await second.send('post', '/api/organisation/lockdown/lift')).body.code).toBe(
        'step_up_required',
      );

      // The first admin approved during the walk; approving again changes nothing.
      const admin = staff.get('admin')!;
      const first = await ha.signIn(admin);
      await ha.stepUp(first, admin);
      const again = await first.send('post', '/api/organisation/lockdown/lift');
      expect(again.body['lockdown']).toMatchObject({
        active: true,
        liftApprovals: [{ userId: admin.id }],
        callerMayApprove: true,
      });

      // The second admin who held the role before the lockdown lifts it.
      await ha.stepUp(second, admin2);
      const lifted = await second.send('post', '/api/organisation/lockdown/lift');
      expect(lifted.body['lockdown']).toMatchObject({ active: false, liftApprovals: [] });
      const approvals = await db.asSuperuser<{ actor_id: string; outcome: string }>(
        `SELECT actor_id, outcome FROM access_event
          WHERE organisation_id = $1 AND action = 'organisation.lockdown_lift_approved' AND occurred_at >= $2
          ORDER BY seq`,
        [org, lockdownAt],
      );
      expect(approvals.filter((e) => e.outcome === 'success').map((e) => e.actor_id)).toEqual([
        admin.id,
        admin.id,
        admin2.id,
      ]);
      expect(approvals).toContainEqual({ actor_id: late.id, outcome: 'denied' });
    },
  };

  describe('keeps every promise the console makes', () => {
    it.each(LOCKDOWN_PROMISES.map((promise) => [promise]))(
      '%s',
      (promise) => CHECKS[promise](),
      60_000,
    );
  });

  it('after the lift, staff sign in and work again, on every instance', async () => {
    const caseworker = staff.get('caseworker')!;
    for (const h of [ha, hb, hc]) {
      const browser = await h.signIn(caseworker);
      expect(
        (
          await browser.send('post', `/api/persons/${person}/reveal`, {
            purpose: 'referral',
          })
        ).status,
      ).toBe(200);
    }
    const coordinator = await hb.signIn(staff.get('coordinator')!);
    expect((await coordinator.send('get', '/api/reports/needs')).status).toBe(200);
  });
});
