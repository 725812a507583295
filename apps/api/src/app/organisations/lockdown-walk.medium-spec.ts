import { createHash, randomUUID } from 'node:crypto';
import { LockdownSweep } from '../../core/keyring/lockdown-sweep';
import { LOCKDOWN_PROMISES, ROLES, type LockdownPromise } from '@harbour/domain';
import { Db } from '../../infra/database/transaction';
import { actingAs, actingPrincipal, type SignedInScope } from '../../core/scope/request-scope';
import type { TestBrowser, TestUser } from '../../test/medium/auth-harness';
import type { TestApp } from '../../test/medium/test-app';
import {
  ADMIN_ALLOW_LIST,
  EVERYONE_ALLOW_LIST,
  useLockdownScenario,
} from '../../test/medium/lockdown-scenario';
import { ACCESS_MATRIX } from '../access-matrix';
import { ContactsService } from '../contacts/contacts.service';
import { PersonsService } from '../persons/persons.service';

/**
 * docs/security.md T25, continued from `lockdown.medium-spec.ts` (whose first two acts are
 * replayed here, with their checks): the guard attacked on every route as every role, each
 * promise the console makes (`LOCKDOWN_PROMISES`) checked one by one, and the lift.
 */
describe('lockdown under attack', () => {
  const s = useLockdownScenario();
  /**
   * Work on instance `app` as the demo caseworker (as the case services see an author, no
   * session) with no route in front of it: a code path that forgot the guard.
   */
  const pastTheGuard = <T>(
    app: TestApp,
    work: (scope: SignedInScope) => Promise<T>,
  ): Promise<T> => {
    const user = s.staff.get('caseworker')!;
    const caseworker = actingPrincipal(
      user.organisationId,
      { id: user.id, email: user.email, displayName: 'Demo Caseworker', roles: ['caseworker'] },
      new Date(),
    );
    return app.app.get(Db).transaction(s.org, (tx) => work(actingAs(tx, caseworker)));
  };

  beforeAll(async () => {
    await s.beforeTheLockdown();
    await s.startTheLockdown();
  }, 60_000);

  /** A body and path per route: enough for the allowed ones to do their real work. */
  function requestFor(route: string, caller: TestUser): { path: string; body?: unknown } {
    const [, raw] = route.split(' ') as [string, string];
    const id = route.includes('/approvals/')
      ? s.pendingRequest
      : route.includes('/persons/')
        ? s.person
        : route.includes('/contacts/')
          ? s.contact
          : route.includes('/needs/')
            ? s.need
            : route.includes('/referrals/')
              ? s.referral
              : route.includes('/partners/')
                ? s.partner
                : s.staff.get('caseworker')!.id;
    const path = raw.replace(':id', id).replace(':consentId', randomUUID());
    switch (route) {
      case 'POST /api/auth/step-up':
        return { path, body: { password: caller.password, code: s.ha.code(caller) } };
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

  it('walks every route as each role: only the allow-list answers anything but lockdown_active, and every refusal is logged', async () => {
    // Non-admins cannot sign in during the lockdown; to attack the guard itself, their sessions
    // from before it are brought back to life in the database, as if revocation had failed.
    const revived = ROLES.filter((r) => r !== 'admin').map((r) =>
      createHash('sha256').update(s.before.get(r)!.sessionToken!, 'utf8').digest(),
    );
    await s.db.asSuperuser(
      `UPDATE staff_session SET revoked_at = NULL, revoke_reason = NULL
        WHERE organisation_id = $1 AND revoke_reason = 'lockdown' AND token_hash = ANY ($2::bytea[])`,
      [s.org, revived],
    );
    const admin = s.staff.get('admin')!;
    const adminBrowser = await s.hb.signIn(admin);
    await s.hb.stepUp(adminBrowser, admin);
    const routes = Object.entries(ACCESS_MATRIX)
      // A lockdown closes staff routes; a metrics scrape is a machine's, about no organisation.
      .filter(([, e]) => e.access !== 'public' && e.access !== 'metrics-token')
      .map(([route]) => route)
      // Signing out ends the session: last.
      .sort(
        (x, y) => Number(x === 'POST /api/auth/logout') - Number(y === 'POST /api/auth/logout'),
      );
    const refused: string[] = [];
    for (const role of ROLES) {
      const caller = s.staff.get(role)!;
      const browser = role === 'admin' ? adminBrowser : s.before.get(role)!;
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
    const logged = await s.db.asSuperuser<{ request_id: string; outcome: string }>(
      `SELECT request_id, outcome FROM access_event WHERE organisation_id = $1 AND request_id = ANY ($2)`,
      [s.org, refused],
    );
    expect(logged).toHaveLength(refused.length);
    expect(new Set(logged.map((e) => e.outcome))).toEqual(new Set(['denied']));
  }, 120_000);

  const CHECKS: Record<LockdownPromise, () => Promise<void>> = {
    everyone_signed_out: async () => {
      const [row] = await s.db.asSuperuser<{ live: number }>(
        `SELECT count(*)::int AS live FROM staff_session
          WHERE organisation_id = $1 AND revoked_at IS NULL AND created_at < $2`,
        [s.org, s.lockdownAt],
      );
      // The walk above revived three sessions and signed them out again; nothing else survived.
      expect(row!.live).toBe(0);
      const revoked = await s.db.asSuperuser<{ revoke_reason: string }>(
        `SELECT DISTINCT revoke_reason FROM staff_session
          WHERE organisation_id = $1 AND created_at < $2 AND revoked_at >= $2`,
        [s.org, s.lockdownAt],
      );
      expect(revoked.map((r) => r.revoke_reason)).toContain('lockdown');
    },

    admins_only_sign_in: async () => {
      for (const role of ['caseworker', 'coordinator', 'auditor'] as const) {
        const user = s.staff.get(role)!;
        const browser = s.hb.browser();
        const login = await browser.send('post', '/api/auth/login', {
          email: user.email,
          password: user.password,
        });
        // The password alone says nothing (the same answer as any day)...
        expect(login.body).toEqual({ stage: 'mfa' });
        const wrong = s.hb.code(user) === '000000' ? '111111' : '000000';
        expect(
          (await browser.send('post', '/api/auth/mfa/verify', { code: wrong })).body.code,
        ).toBe('invalid_code');
        // ...the right code says "lockdown", and ends the sign-in without a session.
        s.clock.advance(30_000);
        const verify = await browser.send('post', '/api/auth/mfa/verify', {
          code: s.hb.code(user),
        });
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
        s.clock.advance(30_000);
        expect(
          (await browser.send('post', '/api/auth/mfa/verify', { code: s.hb.code(user) })).status,
        ).toBe(401);
      }
      // Someone without a second factor yet learns it at the password, and gets no session.
      const enrol = s.hb.browser();
      const refused = await enrol.send('post', '/api/auth/login', {
        email: s.unenrolled.email,
        password: s.unenrolled.password,
      });
      expect({ status: refused.status, code: refused.body.code }).toEqual({
        status: 403,
        code: 'lockdown_active',
      });
      expect(refused.setCookies.filter((c) => !c.includes('Max-Age=0'))).toEqual([]);
      const [signInRefused] = await s.db.asSuperuser<{ outcome: string }>(
        `SELECT outcome FROM access_event
          WHERE organisation_id = $1 AND action = 'auth.sign_in' AND actor_id = $2
          ORDER BY seq DESC LIMIT 1`,
        [s.org, s.unenrolled.id],
      );
      expect(signInRefused).toEqual({ outcome: 'denied' });
      const sessions = await s.db.asSuperuser<{ user_id: string; stage: string; live: boolean }>(
        `SELECT user_id, stage, revoked_at IS NULL AS live FROM staff_session
          WHERE organisation_id = $1 AND created_at >= $2 AND user_id <> ALL ($3::uuid[])`,
        [s.org, s.lockdownAt, [s.staff.get('admin')!.id, s.staff.get('admin2')!.id]],
      );
      expect(sessions.filter((s) => s.stage !== 'mfa' || s.live)).toEqual([]);
      const denied = await s.db.asSuperuser<{ actor_id: string }>(
        `SELECT DISTINCT actor_id FROM access_event
          WHERE organisation_id = $1 AND action = 'auth.mfa_verified' AND outcome = 'denied' AND occurred_at >= $2`,
        [s.org, s.lockdownAt],
      );
      for (const role of ['caseworker', 'coordinator', 'auditor'] as const)
        expect(denied.map((d) => d.actor_id)).toContain(s.staff.get(role)!.id);
      // An admin signs in, and sees the lockdown.
      const admin = await s.hb.signIn(s.staff.get('admin2')!);
      const session = await admin.send('get', '/api/auth/session');
      expect(session.body['organisation']).toMatchObject({ lockdown: true });
    },

    no_identity: async () => {
      const admin = await s.ha.signIn(s.staff.get('admin2')!);
      const res = await admin.send('post', `/api/persons/${s.person}/reveal`, {
        purpose: 'referral',
      });
      expect(res.body.code).toBe('lockdown_active');
      // A code path that forgot the guard still cannot decrypt: the keyring refuses.
      await expect(
        pastTheGuard(s.a, (scope) =>
          s.a.app.get(PersonsService).reveal(scope, s.person, { purpose: 'referral' }),
        ),
      ).rejects.toMatchObject({ code: 'lockdown_active' });
    },

    no_notes: async () => {
      const admin = await s.ha.signIn(s.staff.get('admin2')!);
      expect((await admin.send('get', `/api/contacts/${s.contact}`)).body.code).toBe(
        'lockdown_active',
      );
      await expect(
        pastTheGuard(s.b, (scope) => s.b.app.get(ContactsService).get(scope, s.contact)),
      ).rejects.toMatchObject({ code: 'lockdown_active' });
    },

    no_lookup: async () => {
      const admin = await s.ha.signIn(s.staff.get('admin2')!);
      expect((await admin.send('post', '/api/persons/lookup', { name: 'Somchai' })).body.code).toBe(
        'lockdown_active',
      );
      await expect(
        pastTheGuard(s.a, (scope) =>
          s.a.app.get(PersonsService).lookup(scope, { name: 'Somchai' }),
        ),
      ).rejects.toMatchObject({ code: 'lockdown_active' });
    },

    no_reports: async () => {
      const admin = await s.ha.signIn(s.staff.get('admin2')!);
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
      const admin = await s.ha.signIn(s.staff.get('admin2')!);
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
      const admin = s.staff.get('admin')!;
      const browser = await s.ha.signIn(admin);
      await s.ha.stepUp(browser, admin);
      const caseworker = s.staff.get('caseworker')!;
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
        browser.send('post', `/api/users/approvals/${s.pendingRequest}/approve`),
      ];
      for (const res of await Promise.all(attempts)) {
        expect({ status: res.status, code: res.body.code }).toEqual({
          status: 403,
          code: 'lockdown_active',
        });
      }
      // The reset asked for before the lockdown was withdrawn by it.
      const [request] = await s.db.asSuperuser<{ status: string }>(
        `SELECT status FROM staff_change_request WHERE id = $1`,
        [s.pendingRequest],
      );
      expect(request!.status).toBe('cancelled');
      expect(await s.staffSnapshot()).toEqual(s.staffBefore);
    },

    keys_dropped: async () => {
      // A dropped them at the lockdown, B when first asked (above); none was loaded since.
      expect(s.decryptingKeys(s.a)).toEqual([]);
      expect(s.decryptingKeys(s.b)).toEqual([]);
      for (const load of [
        (tx: Parameters<Parameters<Db['transaction']>[1]>[0]) =>
          s.keyring(s.b).organisationDataKey(tx, s.org),
        (tx: Parameters<Parameters<Db['transaction']>[1]>[0]) => s.keyring(s.b).indexKey(tx, s.org),
        (tx: Parameters<Parameters<Db['transaction']>[1]>[0]) =>
          s.keyring(s.b).personKeyFor(tx, s.org, s.otherPerson),
      ]) {
        await expect(s.b.app.get(Db).transaction(s.org, load)).rejects.toMatchObject({
          code: 'lockdown_active',
        });
      }
      // C has done nothing since: its sweep (every 10 s) finds the lockdown and drops the keys.
      expect(s.decryptingKeys(s.c).length).toBeGreaterThan(0);
      expect(await s.c.app.get(LockdownSweep).run()).toEqual([s.org]);
      expect(s.decryptingKeys(s.c)).toEqual([]);
      // Another organisation on the same instances is not affected.
      const other = await s.hc.signIn(s.secondCaseworker);
      expect(
        (await other.send('post', '/api/persons/lookup', { name: 'Nobody Here' })).status,
      ).toBe(200);
      expect(s.decryptingKeys(s.c, s.secondOrg).length).toBeGreaterThan(0);
      expect(s.decryptingKeys(s.c)).toEqual([]);
    },

    two_prior_admins_lift: async () => {
      // An admin made during the lockdown (the operator CLI's path: a direct insert) signs in,
      // but cannot approve.
      const late = await s.ha.createUser(s.org, { roles: ['admin'] });
      const lateBrowser = await s.ha.signIn(late);
      await s.ha.stepUp(lateBrowser, late);
      const view = await lateBrowser.send('get', '/api/organisation/settings');
      expect(view.body['lockdown']).toMatchObject({ active: true, callerMayApprove: false });
      const lateLift = await lateBrowser.send('post', '/api/organisation/lockdown/lift');
      expect({ status: lateLift.status, code: lateLift.body.code }).toEqual({
        status: 403,
        code: 'lockdown_active',
      });

      // Without a fresh step-up, no approval.
      const admin2 = s.staff.get('admin2')!;
      const second = await s.ha.signIn(admin2);
      s.clock.advance(6 * 60_000);
      expect((await second.send('post', '/api/organisation/lockdown/lift')).body.code).toBe(
        'step_up_required',
      );

      // The first admin approved during the walk; approving again changes nothing.
      const admin = s.staff.get('admin')!;
      const first = await s.ha.signIn(admin);
      await s.ha.stepUp(first, admin);
      const again = await first.send('post', '/api/organisation/lockdown/lift');
      expect(again.body['lockdown']).toMatchObject({
        active: true,
        liftApprovals: [{ userId: admin.id }],
        callerMayApprove: true,
      });

      // The second admin who held the role before the lockdown lifts it.
      await s.ha.stepUp(second, admin2);
      const lifted = await second.send('post', '/api/organisation/lockdown/lift');
      expect(lifted.body['lockdown']).toMatchObject({ active: false, liftApprovals: [] });
      const approvals = await s.db.asSuperuser<{ actor_id: string; outcome: string }>(
        `SELECT actor_id, outcome FROM access_event
          WHERE organisation_id = $1 AND action = 'organisation.lockdown_lift_approved' AND occurred_at >= $2
          ORDER BY seq`,
        [s.org, s.lockdownAt],
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
    const caseworker = s.staff.get('caseworker')!;
    for (const h of [s.ha, s.hb, s.hc]) {
      const browser = await h.signIn(caseworker);
      expect(
        (
          await browser.send('post', `/api/persons/${s.person}/reveal`, {
            purpose: 'referral',
          })
        ).status,
      ).toBe(200);
    }
    const coordinator = await s.hb.signIn(s.staff.get('coordinator')!);
    expect((await coordinator.send('get', '/api/reports/needs')).status).toBe(200);
  });
});
