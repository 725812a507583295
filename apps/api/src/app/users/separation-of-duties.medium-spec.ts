import { STAFF_CHANGE_TTL_MS, type AuditAnomaly, type Role } from '@harbour/domain';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

interface Pending {
  id: string;
  kind: string;
  targetUserId: string | null;
  rolesBefore: Role[];
  rolesAfter: Role[];
  requestedBy: { id: string };
}

/**
 * docs/security.md T26 and adversarial case 34: no single admin obtains case content. An admin who
 * tries, alone, every path to it — giving themself a case role, minting a caseworker account,
 * taking over a caseworker's account by resetting its password and MFA, approving their own
 * requests — gets nothing usable; a second admin's approval (with step-up) applies the change,
 * and the access log names the role sets before and after and raises a flag for the auditor.
 */
describe('separation of duties', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  /** The lone admin who attacks; a second and a third admin. */
  let lone: TestUser;
  let second: TestUser;
  let third: TestUser;
  let auditor: TestUser;
  let caseworker: TestUser;
  let loneBrowser: TestBrowser;
  let secondBrowser: TestBrowser;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Duties Outreach');
    lone = await h.createUser(org, { roles: ['admin'] });
    second = await h.createUser(org, { roles: ['admin'] });
    third = await h.createUser(org, { roles: ['admin', 'coordinator'] });
    auditor = await h.createUser(org, { roles: ['auditor'] });
    caseworker = await h.createUser(org, { roles: ['caseworker'] });
    // One person with an identity, which a caseworker can reveal.
    const cw = await h.signIn(caseworker);
    await cw.send('post', '/api/persons', {
      identity: { givenName: 'Duty', familyName: 'Person' },
    });
  });

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  /** Fresh signed-in browsers with step-up (step-up lasts five minutes). */
  async function admins(): Promise<void> {
    loneBrowser = await h.signIn(lone);
    await h.stepUp(loneBrowser, lone);
    secondBrowser = await h.signIn(second);
    await h.stepUp(secondBrowser, second);
  }

  const versionOf = async (id: string): Promise<number> => {
    const [row] = await db.asSuperuser<{ version: number }>(
      'SELECT version FROM staff_user WHERE id = $1',
      [id],
    );
    return row!.version;
  };
  const rolesOf = async (id: string): Promise<string[]> => {
    const [row] = await db.asSuperuser<{ roles: string[] }>(
      'SELECT roles FROM staff_user WHERE id = $1',
      [id],
    );
    return row!.roles;
  };
  const lastEvent = async (actor: string, action: string) => {
    const [row] = await db.asSuperuser<{
      outcome: string;
      fields: string[];
      resource_ids: string[];
    }>(
      `SELECT outcome, fields, resource_ids FROM access_event
        WHERE organisation_id = $1 AND actor_id = $2 AND action = $3 ORDER BY seq DESC LIMIT 1`,
      [org, actor, action],
    );
    return row;
  };
  const signInStage = async (email: string, password: string) => {
    const res = await h.browser().send('post', '/api/auth/login', { email, password });
    return res.status === 200 ? String(res.body['stage']) : `${res.status}:${res.body.code}`;
  };

  it('refuses an admin changing their own roles, logged with the roles before and after', async () => {
    await admins();
    const version = await versionOf(lone.id);
    for (const roles of [['admin', 'caseworker'], ['admin', 'coordinator'], ['caseworker']]) {
      const res = await loneBrowser.send('patch', `/api/users/${lone.id}`, { version, roles });
      expect({ roles, status: res.status, code: res.body.code }).toEqual({
        roles,
        status: 403,
        code: 'own_role_change',
      });
    }
    expect(await rolesOf(lone.id)).toEqual(['admin']);
    expect(await lastEvent(lone.id, 'staff.own_roles_refused')).toEqual({
      outcome: 'denied',
      fields: ['roles_before:admin', 'roles_after:caseworker'],
      resource_ids: [lone.id],
    });
    // Renaming oneself is fine (no role change).
    const renamed = await loneBrowser.send('patch', `/api/users/${lone.id}`, {
      version,
      displayName: 'Lone Admin',
      roles: ['admin'],
    });
    expect(renamed.status).toBe(200);
  });

  it('creates a caseworker account only as a request: no account, no password, until a second admin approves', async () => {
    await admins();
    const email = 'new.caseworker@duties.test';
    const res = await loneBrowser.send('post', '/api/users', {
      email,
      displayName: 'New Caseworker',
      roles: ['caseworker'],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ user: null, oneTimePassword: null });
    const pending = res.body['pending'] as Pending;
    expect(pending).toMatchObject({
      kind: 'create_account',
      targetUserId: null,
      rolesBefore: [],
      rolesAfter: ['caseworker'],
      requestedBy: { id: lone.id },
    });
    expect(await db.asSuperuser('SELECT id FROM staff_user WHERE email = $1', [email])).toEqual([]);
    expect(await signInStage(email, 'anything at all here')).toBe('401:invalid_credentials');
    expect(await lastEvent(lone.id, 'staff.change_requested')).toEqual({
      outcome: 'success',
      fields: ['change:create_account', 'roles_before:', 'roles_after:caseworker'],
      resource_ids: [pending.id],
    });

    // The admin who asked cannot approve it.
    const own = await loneBrowser.send('post', `/api/users/approvals/${pending.id}/approve`);
    expect({ status: own.status, code: own.body.code }).toEqual({
      status: 403,
      code: 'second_admin_required',
    });
    expect(await db.asSuperuser('SELECT id FROM staff_user WHERE email = $1', [email])).toEqual([]);

    // The second admin sees why it waits, and approves it under a fresh step-up.
    const listed = (await secondBrowser.send('get', '/api/users/approvals'))
      .body as unknown as Pending[];
    expect(listed.map((p) => p.id)).toContain(pending.id);
    harbour.clock.advance(6 * 60_000);
    const stale = await secondBrowser.send('post', `/api/users/approvals/${pending.id}/approve`);
    expect(stale.body.code).toBe('step_up_required');
    await h.stepUp(secondBrowser, second);
    const approved = await secondBrowser.send('post', `/api/users/approvals/${pending.id}/approve`);
    expect(approved.status).toBe(200);
    const user = approved.body['user'] as { id: string; roles: Role[] };
    expect(user.roles).toEqual(['caseworker']);
    const oneTime = String(approved.body['oneTimePassword']);
    expect(await signInStage(email, oneTime)).toBe('enrol');
    expect(await lastEvent(second.id, 'staff.change_approved')).toEqual({
      outcome: 'success',
      fields: ['change:create_account', 'roles_before:', 'roles_after:caseworker'],
      resource_ids: [pending.id, user.id],
    });
    // Decided once: approving again is a conflict.
    expect(
      (await secondBrowser.send('post', `/api/users/approvals/${pending.id}/approve`)).body.code,
    ).toBe('conflict');
  });

  it('takes over no caseworker account alone: password and MFA resets wait, and the password goes to the approver', async () => {
    await admins();
    const password = await loneBrowser.send('post', `/api/users/${caseworker.id}/reset-password`);
    expect(password.status).toBe(200);
    expect(password.body['oneTimePassword']).toBeNull();
    const mfa = await loneBrowser.send('post', `/api/users/${caseworker.id}/reset-mfa`);
    expect(mfa.status).toBe(200);
    const passwordRequest = password.body['pending'] as Pending;
    const mfaRequest = mfa.body['pending'] as Pending;
    expect(passwordRequest).toMatchObject({ kind: 'reset_password', targetUserId: caseworker.id });
    expect(mfaRequest).toMatchObject({ kind: 'reset_mfa', targetUserId: caseworker.id });
    // Nothing changed: the caseworker's own password and code still work.
    expect(await signInStage(caseworker.email, caseworker.password)).toBe('mfa');
    for (const request of [passwordRequest, mfaRequest]) {
      expect(
        (await loneBrowser.send('post', `/api/users/approvals/${request.id}/approve`)).body.code,
      ).toBe('second_admin_required');
    }
    expect(await signInStage(caseworker.email, caseworker.password)).toBe('mfa');
    expect(await lastEvent(lone.id, 'staff.change_requested')).toEqual({
      outcome: 'success',
      fields: ['change:reset_mfa', 'roles_before:caseworker', 'roles_after:caseworker'],
      resource_ids: [caseworker.id, mfaRequest.id],
    });

    const approved = await secondBrowser.send(
      'post',
      `/api/users/approvals/${passwordRequest.id}/approve`,
    );
    expect(approved.status).toBe(200);
    const oneTime = String(approved.body['oneTimePassword']);
    expect(await signInStage(caseworker.email, caseworker.password)).toBe(
      '401:invalid_credentials',
    );
    expect(await signInStage(caseworker.email, oneTime)).toBe('mfa');
    await secondBrowser.send('post', `/api/users/approvals/${mfaRequest.id}/approve`);
    expect(await signInStage(caseworker.email, oneTime)).toBe('enrol');
    // The lone admin never held the new password, and still reaches no case content.
    expect((await loneBrowser.send('post', '/api/persons/lookup', { name: 'Duty' })).status).toBe(
      403,
    );
  });

  it('grants a case role or admin to an existing account only with a second admin; the rest of the edit applies now', async () => {
    await admins();
    const target = await h.createUser(org, { roles: ['auditor'] });
    const res = await loneBrowser.send('patch', `/api/users/${target.id}`, {
      version: await versionOf(target.id),
      displayName: 'Renamed Now',
      roles: ['coordinator'],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ displayName: 'Renamed Now', roles: ['auditor'] });
    const pending = res.body['pending'] as Pending;
    expect(pending).toMatchObject({
      kind: 'grant_roles',
      rolesBefore: ['auditor'],
      rolesAfter: ['coordinator'],
    });
    expect(await rolesOf(target.id)).toEqual(['auditor']);
    // The same change asked twice is one request.
    const twice = await loneBrowser.send('patch', `/api/users/${target.id}`, {
      version: await versionOf(target.id),
      roles: ['coordinator'],
    });
    expect(twice.body.code).toBe('conflict');

    const approvedAt = harbour.clock.now();
    const approved = await secondBrowser.send('post', `/api/users/approvals/${pending.id}/approve`);
    expect(approved.status).toBe(200);
    expect(await rolesOf(target.id)).toEqual(['coordinator']);
    const [grant] = await db.asSuperuser<{ role: string; granted_at: Date }>(
      'SELECT role, granted_at FROM staff_role_grant WHERE user_id = $1',
      [target.id],
    );
    expect(grant).toEqual({ role: 'coordinator', granted_at: approvedAt });

    // Making an account admin is guarded too (an admin is the second admin).
    const promote = await loneBrowser.send('patch', `/api/users/${caseworker.id}`, {
      version: await versionOf(caseworker.id),
      roles: ['caseworker', 'admin'],
    });
    expect((promote.body['pending'] as Pending).rolesAfter).toEqual(['caseworker', 'admin']);
    expect(await rolesOf(caseworker.id)).toEqual(['caseworker']);
    // ...and the account it concerns cannot approve it, even as an admin.
    const thirdBrowser = await h.signIn(third);
    await h.stepUp(thirdBrowser, third);
    const cancel = await thirdBrowser.send(
      'post',
      `/api/users/approvals/${(promote.body['pending'] as Pending).id}/cancel`,
    );
    expect(cancel.status).toBe(204);
  });

  it('lets a change that removes roles or adds auditor apply at once, logged with both role sets', async () => {
    await admins();
    const target = await h.createUser(org, { roles: ['caseworker', 'coordinator'] });
    const res = await loneBrowser.send('patch', `/api/users/${target.id}`, {
      version: await versionOf(target.id),
      roles: ['caseworker'],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ roles: ['caseworker'], pending: null });
    expect(await lastEvent(lone.id, 'staff.updated')).toEqual({
      outcome: 'success',
      fields: ['roles_before:caseworker,coordinator', 'roles_after:caseworker'],
      resource_ids: [target.id],
    });
    // An auditor account reaches no case content: created, and reset, by one admin.
    const created = await loneBrowser.send('post', '/api/users', {
      email: 'second.auditor@duties.test',
      displayName: 'Second Auditor',
      roles: ['auditor'],
    });
    expect(created.body).toMatchObject({ pending: null, oneTimePassword: expect.any(String) });
    const otherAuditor = await h.createUser(org, { roles: ['auditor'] });
    const reset = await loneBrowser.send('post', `/api/users/${otherAuditor.id}/reset-password`);
    expect(reset.body).toMatchObject({ pending: null, oneTimePassword: expect.any(String) });
  });

  it('resets of an admin account wait for a second admin too', async () => {
    await admins();
    const res = await loneBrowser.send('post', `/api/users/${second.id}/reset-password`);
    expect(res.body).toMatchObject({
      oneTimePassword: null,
      pending: { kind: 'reset_password', targetUserId: second.id },
    });
    // The admin it concerns may not approve the reset of their own account.
    const own = await secondBrowser.send(
      'post',
      `/api/users/approvals/${(res.body['pending'] as Pending).id}/approve`,
    );
    expect(own.body.code).toBe('second_admin_required');
    expect(
      (
        await loneBrowser.send(
          'post',
          `/api/users/approvals/${(res.body['pending'] as Pending).id}/cancel`,
        )
      ).status,
    ).toBe(204);
  });

  it('lets requests expire after 72 hours, and refuses a request the account has moved on from', async () => {
    await admins();
    const target = await h.createUser(org, { roles: ['auditor'] });
    const res = await loneBrowser.send('patch', `/api/users/${target.id}`, {
      version: await versionOf(target.id),
      roles: ['caseworker'],
    });
    const pending = res.body['pending'] as Pending;
    harbour.clock.advance(STAFF_CHANGE_TTL_MS + 1000);
    await admins();
    const listed = (await secondBrowser.send('get', '/api/users/approvals'))
      .body as unknown as Pending[];
    expect(listed.map((p) => p.id)).not.toContain(pending.id);
    const late = await secondBrowser.send('post', `/api/users/approvals/${pending.id}/approve`);
    expect({ status: late.status, code: late.body.code }).toEqual({
      status: 409,
      code: 'approval_expired',
    });
    expect(await rolesOf(target.id)).toEqual(['auditor']);

    // Asked again; then the account's roles change before the approval: the approver would
    // approve something else, so it is refused.
    const again = await loneBrowser.send('patch', `/api/users/${target.id}`, {
      version: await versionOf(target.id),
      roles: ['caseworker'],
    });
    const request = again.body['pending'] as Pending;
    await db.asSuperuser(`UPDATE staff_user SET roles = '{admin}' WHERE id = $1`, [target.id]);
    const moved = await secondBrowser.send('post', `/api/users/approvals/${request.id}/approve`);
    expect({ status: moved.status, code: moved.body.code }).toEqual({
      status: 409,
      code: 'conflict',
    });
    expect(await rolesOf(target.id)).toEqual(['admin']);
  });

  it('refuses, in the database itself, a request applied without a second admin', async () => {
    const [request] = await db.asSuperuser<{ id: string; requested_by: string }>(
      `SELECT id, requested_by FROM staff_change_request WHERE status IN ('cancelled', 'expired') LIMIT 1`,
    );
    await expect(
      db.asSuperuser(
        `UPDATE staff_change_request SET status = 'applied', decided_by = requested_by, decided_at = now()
          WHERE id = $1`,
        [request!.id],
      ),
    ).rejects.toThrow(/staff_change_request_second_admin/);
  });

  it('flags every path for the auditor: own-role attempts, guarded grants, guarded resets, approvals', async () => {
    const browser = await h.signIn(auditor);
    const anomalies = (await browser.send('get', '/api/audit/anomalies'))
      .body as unknown as AuditAnomaly[];
    const flagged = (kind: AuditAnomaly['kind'], actor: string) =>
      anomalies.filter((a) => a.kind === kind && a.actorId === actor).length;
    // Three refused attempts at own roles; a new account, a coordinator grant, a promotion to
    // admin and two caseworker grants (expired, then asked again); two caseworker resets and an
    // admin reset; four changes approved by the second admin.
    expect(flagged('own_role_change', lone.id)).toBe(3);
    expect(flagged('guarded_role_grant', lone.id)).toBe(5);
    expect(flagged('guarded_account_reset', lone.id)).toBe(3);
    expect(flagged('staff_change_approved', second.id)).toBe(4);
    // Each flag points at its event.
    const approvals = anomalies.filter((a) => a.kind === 'staff_change_approved');
    for (const flag of approvals) {
      const [event] = await db.asSuperuser<{ action: string }>(
        'SELECT action FROM access_event WHERE organisation_id = $1 AND seq = $2',
        [org, flag.firstSeq],
      );
      expect(event!.action).toBe('staff.change_approved');
    }
  });
});
