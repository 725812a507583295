import { randomUUID } from 'node:crypto';
import { ROLES, type Role } from '@harbour/domain';
import { auditWorld, type AuditWorld } from '../../test/medium/audit-world';
import type { AuthHarness, TestBrowser, TestUser } from '../../test/medium/auth-harness';
import type { TestApp } from '../../test/medium/test-app';
import type { TestDatabase } from '../../test/medium/test-database';
import { LEGACY_EVENT_BYTES_SQL } from '@harbour/migrations';
import { ACCESS_MATRIX } from '../access-matrix';
import { AccessLog } from './access-log.service';
import { AuditVerifier } from './audit-verifier.service';

/** docs/design.md §7, docs/security.md T15–T17 and cases 23–27. */
describe('access log', () => {
  let w: AuditWorld;
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  const users = new Map<Role, TestUser>();
  let target: TestUser;
  let person: string;
  let contact: string;
  let need: string;
  let partner: string;
  let referral: string;
  let secondAdmin: TestUser;
  let approval: string;

  beforeAll(async () => {
    w = await auditWorld('Audit Test Service');
    ({ db, app: harbour, h, org } = w);
    for (const role of ROLES) users.set(role, await h.createUser(org, { roles: [role] }));
    target = await h.createUser(org);
    // Holds the role from the start: approves lifting the lockdown the coverage test starts.
    secondAdmin = await h.createUser(org, { roles: ['admin'] });
    const caseworker = users.get('caseworker')!;
    const created = await (
      await h.signIn(caseworker)
    ).send('post', '/api/persons', {
      identity: { givenName: 'Audit', familyName: 'Subject' },
    });
    person = created.body['id'] as string;
    const logged = await (
      await h.signIn(caseworker)
    ).send('post', '/api/contacts', {
      personId: person,
      occurredOn: '2026-01-15',
      channel: 'phone',
      locationType: 'online_or_phone',
      needs: [{ category: 'housing' }],
    });
    contact = logged.body['id'] as string;
    need = (logged.body['needs'] as { id: string }[])[0]!.id;
    const admin = await h.signIn(users.get('admin')!);
    partner = (await admin.send('post', '/api/partners', { name: 'Aid', serviceType: 'legal_aid' }))
      .body['id'] as string;
    // A staff change waiting for a second admin, for the approval routes.
    await h.stepUp(admin, users.get('admin')!);
    approval = (
      (await admin.send('post', `/api/users/${target.id}/reset-password`)).body['pending'] as {
        id: string;
      }
    ).id;
    referral = (
      await (
        await h.signIn(caseworker)
      ).send('post', '/api/referrals', {
        needId: need,
        partnerId: partner,
      })
    ).body['id'] as string;
  });

  afterAll(() => w.close());

  const verifier = () => harbour.app.get(AuditVerifier);
  const eventsWithRequest = (requestId: string) =>
    db.asSuperuser<{ action: string; outcome: string; actor_id: string | null }>(
      `SELECT action, outcome, actor_id FROM access_event WHERE request_id = $1`,
      [requestId],
    );

  describe('coverage (T15)', () => {
    // Health checks, the API contract and metrics read no record of anyone: not accesses to log.
    const routes = Object.entries(ACCESS_MATRIX).filter(
      ([route, e]) =>
        !route.includes('/health/') &&
        route !== 'GET /api/openapi.json' &&
        e.access !== 'metrics-token',
    );

    it.each(routes.map(([route, e]) => [route, e] as const))(
      '%s writes exactly one event per call',
      async (route, expectation) => {
        const [method, rawPath] = route.split(' ') as [string, string];
        let role: Role | null = null;
        if (Array.isArray(expectation.access)) role = expectation.access[0]!;
        else if (expectation.access === 'signed-in') role = 'caseworker';
        const user = role === null ? users.get('caseworker')! : users.get(role)!;
        let browser: TestBrowser = h.browser();
        if (expectation.access === 'sign-in-step') {
          await browser.send('post', '/api/auth/login', {
            email: user.email,
            password: user.password,
          });
        } else if (role !== null) {
          browser = await h.signIn(user);
          await h.stepUp(browser, user);
        }
        harbour.clock.advance(30_000);
        const requestId = randomUUID();
        const idOf = route.includes('/approvals/')
          ? approval
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
                    : target.id;
        let path = rawPath.replace(':id', idOf).replace(':consentId', randomUUID());
        let body: unknown;
        if (route === 'POST /api/auth/login') body = { email: user.email, password: user.password };
        if (route === 'POST /api/auth/mfa/verify') body = { code: h.code(user) };
        if (route === 'POST /api/auth/step-up')
          body = { password: user.password, code: h.code(user) };
        if (route === 'POST /api/auth/password')
          body = { currentPassword: user.password, newPassword: 'short' };
        if (route === 'POST /api/auth/mfa/confirm') body = { code: '123456' };
        if (route === 'POST /api/users')
          body = { email: `${requestId}@example.test`, displayName: 'X', roles: ['caseworker'] };
        if (route === 'PATCH /api/users/:id') body = { version: 99, displayName: 'Y' };
        if (route === 'PATCH /api/organisation/settings') body = { version: 99 };
        if (route === 'GET /api/audit/proofs/inclusion') path += '?seq=0&treeSize=1';
        if (route === 'GET /api/audit/proofs/consistency') path += '?from=1&to=1';
        if (route === 'POST /api/persons') body = { identity: { givenName: 'Cover Age' } };
        if (route === 'POST /api/persons/lookup') body = { name: 'Cover Age' };
        if (route === 'PATCH /api/persons/:id') body = { version: 1, consentToReporting: true };
        if (route === 'POST /api/persons/:id/reveal') body = { purpose: 'referral' };
        // A stale version: the coverage person must stay for the routes after this one.
        if (route === 'POST /api/persons/:id/erase') body = { version: 9999 };
        if (route === 'POST /api/persons/:id/consents')
          body = { purpose: 'contact_by_phone', method: 'written' };
        if (route === 'POST /api/persons/:id/consents/:consentId/revoke') body = { version: 1 };
        if (route === 'POST /api/contacts')
          body = { occurredOn: '2026-01-16', channel: 'drop_in', locationType: 'drop_in_centre' };
        if (route === 'POST /api/needs') body = { personId: person, category: 'legal' };
        if (route === 'GET /api/needs') path += `?person=${person}`;
        if (route === 'POST /api/contacts/:id/amendments')
          body = { reason: 'Coverage of the access log', notes: 'Corrected.' };
        if (route === 'POST /api/intake/bulk')
          body = {
            event: { occurredOn: '2026-01-16', channel: 'outreach_visit', locationType: 'street' },
            people: [{ ageBand: 'unknown' }, { identity: { givenName: 'Intake' } }],
          };
        if (route === 'PATCH /api/needs/:id') body = { version: 1, status: 'in_progress' };
        if (route === 'POST /api/referrals') body = { needId: need, partnerId: partner };
        if (route === 'POST /api/referrals/:id/transitions')
          body = { version: 1, to: 'consented', consent: { method: 'verbal', scope: ['needs'] } };
        if (route === 'POST /api/partners') body = { name: 'Clinic', serviceType: 'health' };
        if (route === 'PATCH /api/partners/:id') body = { version: 1, free: true };
        const res = await browser.send(
          method.toLowerCase() as 'get' | 'post' | 'patch',
          path,
          body,
          {
            headers: { 'X-Correlation-Id': requestId },
          },
        );
        const events = await eventsWithRequest(requestId);
        expect({ route, status: res.status, events: events.length }).toEqual({
          route,
          status: res.status,
          events: 1,
        });
        if (res.status < 400) expect(events[0]!.outcome).toBe('success');
        else expect(['denied', 'failure']).toContain(events[0]!.outcome);
        if (route === 'POST /api/organisation/lockdown') {
          // Leave the organisation usable for the next routes.
          const a1 = await h.signIn(users.get('admin')!);
          await h.stepUp(a1, users.get('admin')!);
          await a1.send('post', '/api/organisation/lockdown/lift');
          const a2 = await h.signIn(secondAdmin);
          await h.stepUp(a2, secondAdmin);
          const lifted = await a2.send('post', '/api/organisation/lockdown/lift');
          expect(lifted.body['lockdown']).toMatchObject({ active: false });
        }
      },
    );

    it('logs a signed-in caller refused by access control, in their organisation', async () => {
      const browser = await h.signIn(users.get('caseworker')!);
      const requestId = randomUUID();
      const res = await browser.send('get', '/api/users', undefined, {
        headers: { 'X-Correlation-Id': requestId },
      });
      expect(res.status).toBe(403);
      expect(await eventsWithRequest(requestId)).toEqual([
        { action: 'staff.listed', outcome: 'denied', actor_id: users.get('caseworker')!.id },
      ]);
    });

    it('logs a failed sign-in on a real account without its password', async () => {
      const user = users.get('coordinator')!;
      const requestId = randomUUID();
      await h.browser().send(
        'post',
        '/api/auth/login',
        { email: user.email, password: 'Wrong Zzcanary' },
        {
          headers: { 'X-Correlation-Id': requestId },
        },
      );
      const rows = await db.asSuperuser<Record<string, unknown>>(
        `SELECT * FROM access_event WHERE request_id = $1`,
        [requestId],
      );
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        action: 'auth.sign_in',
        outcome: 'denied',
        actor_id: user.id,
      });
      expect(JSON.stringify(rows)).not.toContain('Zzcanary');
    });
  });

  it('fails the request with 503, returns nothing and rolls the action back when the event cannot be written (case 26)', async () => {
    const admin = users.get('admin')!;
    const browser = await h.signIn(admin);
    const list = (await browser.send('get', '/api/users')).body as unknown as {
      id: string;
      version: number;
    }[];
    const version = list.find((u) => u.id === target.id)!.version;
    await db.asOwner(`REVOKE INSERT ON access_event FROM harbour_api`);
    try {
      const read = await browser.send('get', '/api/users');
      expect(read.status).toBe(503);
      expect(read.body.code).toBe('service_unavailable');
      expect(JSON.stringify(read.body)).not.toContain(target.email);
      const write = await browser.send('patch', `/api/users/${target.id}`, {
        version,
        displayName: 'Should Not Stick',
      });
      expect(write.status).toBe(503);
    } finally {
      await db.asOwner(`GRANT INSERT ON access_event TO harbour_api`);
    }
    const [row] = await db.asSuperuser<{ display_name: string }>(
      `SELECT display_name FROM staff_user WHERE id = $1`,
      [target.id],
    );
    expect(row!.display_name).not.toBe('Should Not Stick');
  });

  it('refuses UPDATE, DELETE and TRUNCATE even to the owner (append-only trigger)', async () => {
    await expect(db.asOwner(`UPDATE access_event SET action = 'x' WHERE seq = 0`)).rejects.toThrow(
      /append-only/,
    );
    await expect(db.asOwner(`DELETE FROM access_event WHERE seq = 0`)).rejects.toThrow(
      /append-only/,
    );
    await expect(db.asOwner(`TRUNCATE access_event`)).rejects.toThrow(/append-only|permission/);
    await expect(db.asApp(`DELETE FROM access_event`)).rejects.toThrow(/permission denied/);
  });

  it('stores hostile text encoded and verifies unaffected (case 27)', async () => {
    const hostile =
      'Line one\nLine two \u001b[31mred\u001b[0m \u2028sep "quoted" \'single\' \\back';
    const admin = users.get('admin')!;
    const browser = await h.signIn(admin);
    await h.stepUp(browser, admin);
    const created = await browser.send('post', '/api/users', {
      email: 'hostile@example.test',
      displayName: hostile,
      roles: ['auditor'],
    });
    expect(created.status).toBe(201);
    // The actor name comes back exactly; every log line is one line of JSON.
    const auditor = await h.signIn(users.get('auditor')!);
    const events = await auditor.send('get', '/api/audit/events');
    expect(events.status).toBe(200);
    for (const line of harbour
      .rawLogs()
      .split('\n')
      .filter((l) => l !== '')) {
      expect(() => JSON.parse(line) as unknown).not.toThrow();
      expect(line).not.toContain('\u001b');
    }
    const result = await verifier().verify(org);
    expect(result).toMatchObject({ status: 'verified', firstBadIndex: null });
  });

  it('logs text with lone surrogates as U+FFFD instead of failing, and verifies', async () => {
    await harbour.app.get(AccessLog).appendSeparately({
      organisationId: org,
      actorId: null,
      actorRoles: ['caseworker'],
      action: 'staff.listed',
      resourceType: 'staff_user',
      resourceIds: ['a\uD800b'],
      fields: ['\uDC00'],
      purpose: 'x\uD83D',
      outcome: 'success',
      requestId: 'lone-surrogates',
    });
    const [row] = await db.asSuperuser<{
      resource_ids: string[];
      fields: string[];
      purpose: string;
    }>(
      `SELECT resource_ids, fields, purpose FROM access_event WHERE request_id = 'lone-surrogates'`,
    );
    expect(row).toEqual({ resource_ids: ['a\uFFFDb'], fields: ['\uFFFD'], purpose: 'x\uFFFD' });
    expect(await verifier().verify(org)).toMatchObject({ status: 'verified' });
  });

  it('rebuilds, in the migration’s SQL, exactly the bytes the writer hashed (events logged before the event column existed)', async () => {
    await harbour.app.get(AccessLog).appendSeparately({
      organisationId: org,
      actorId: target.id,
      actorRoles: ['coordinator', 'admin'],
      action: 'staff.listed',
      resourceType: null,
      resourceIds: ['a"b\\c', 'ไทย 한국어 漢字 é 😀'],
      fields: ['\n\r\t\b\f\u0001\u001f\u007f\u2028\u2029/<>&'],
      purpose: 'Line one\nLine two \u001b[31mred\u001b[0m "q" \'s\' \\',
      outcome: 'denied',
      requestId: 'legacy-bytes',
    });
    const rows = await db.asSuperuser<{ seq: string; same: boolean }>(
      `SELECT seq, (${LEGACY_EVENT_BYTES_SQL}) = event AS same FROM access_event`,
    );
    expect(rows.length).toBeGreaterThan(20);
    expect(rows.filter((r) => !r.same)).toEqual([]);
  });
});
