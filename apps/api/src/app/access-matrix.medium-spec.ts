import { randomUUID } from 'node:crypto';
import { ROLES, type Role } from '@harbour/domain';
import { listRoutes } from '../infra/auth/route-inventory';
import { AuthHarness, type TestBrowser, type TestUser } from '../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../test/medium/test-database';
import { ACCESS_MATRIX } from './access-matrix';

type Caller = 'anonymous' | Role;

/** A disclosure request's body (its people added where it is sent). */
const DISCLOSURE = {
  authority: 'police',
  requester: 'Officer',
  legalInstrument: 'Order',
  fields: ['contacts'],
  periodFrom: '2026-01-01',
  periodTo: '2026-01-31',
};

/**
 * docs/security.md case 10: every route × {anonymous, caseworker, coordinator, auditor, admin} ×
 * {own organisation, other organisation}, against the matrix declared in access-matrix.ts.
 */
describe('access matrix', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let orgA: string;
  let orgB: string;
  const usersA = new Map<Role, TestUser>();
  const usersB = new Map<Role, TestUser>();
  let targetA: TestUser;
  /** Admin since before any lockdown: with the first, lifts the lockdown the matrix starts. */
  let secondAdminA: TestUser;
  let targetB: TestUser;
  let personA: string;
  let personB: string;
  const ids = new Map<
    'A' | 'B',
    {
      contact: string;
      need: string;
      partner: string;
      referral: string;
      approval: string;
      followUp: string;
      disclosure: string;
    }
  >();
  /** The id a route addresses in organisation A or B: a person, contact, need or staff user. */
  const idFor = (route: string, organisation: 'A' | 'B'): string => {
    if (route.includes('/approvals/')) return ids.get(organisation)!.approval;
    if (route.includes('/persons/')) return organisation === 'A' ? personA : personB;
    if (route.includes('/contacts/')) return ids.get(organisation)!.contact;
    if (route.includes('/needs/')) return ids.get(organisation)!.need;
    if (route.includes('/referrals/')) return ids.get(organisation)!.referral;
    if (route.includes('/partners/')) return ids.get(organisation)!.partner;
    if (route.includes('/follow-ups/')) return ids.get(organisation)!.followUp;
    if (route.includes('/disclosures/')) return ids.get(organisation)!.disclosure;
    return organisation === 'A' ? targetA.id : targetB.id;
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db, { env: { HARBOUR_METRICS_TOKEN: 'm'.repeat(40) } });
    h = new AuthHarness(harbour);
    orgA = await h.createOrganisation('Organisation A');
    orgB = await h.createOrganisation('Organisation B');
    for (const role of ROLES) {
      usersA.set(role, await h.createUser(orgA, { roles: [role], email: `${role}@a.test` }));
      usersB.set(role, await h.createUser(orgB, { roles: [role], email: `${role}@b.test` }));
    }
    targetA = await h.createUser(orgA, { email: 'target@a.test' });
    secondAdminA = await h.createUser(orgA, { roles: ['admin'], email: 'admin2@a.test' });
    targetB = await h.createUser(orgB, { email: 'target@b.test' });
    const createPerson = async (user: TestUser): Promise<string> =>
      (
        await (
          await h.signIn(user)
        ).send('post', '/api/persons', {
          identity: { givenName: 'Matrix', familyName: 'Person' },
        })
      ).body['id'] as string;
    personA = await createPerson(usersA.get('caseworker')!);
    personB = await createPerson(usersB.get('caseworker')!);
    const createContact = async (user: TestUser, personId: string) =>
      (
        await (
          await h.signIn(user)
        ).send('post', '/api/contacts', {
          personId,
          occurredOn: '2026-01-15',
          channel: 'phone',
          locationType: 'online_or_phone',
          needs: [{ category: 'housing' }],
        })
      ).body as { id: string; needs: { id: string }[] };
    const a = await createContact(usersA.get('caseworker')!, personA);
    const b = await createContact(usersB.get('caseworker')!, personB);
    const partnerAndReferral = async (org: 'A' | 'B', needId: string) => {
      const users = org === 'A' ? usersA : usersB;
      const admin = await h.signIn(users.get('admin')!);
      const partner = (
        await admin.send('post', '/api/partners', {
          name: `Legal aid ${org}`,
          serviceType: 'legal_aid',
        })
      ).body['id'] as string;
      const referral = (
        await (
          await h.signIn(users.get('caseworker')!)
        ).send('post', '/api/referrals', { needId, partnerId: partner })
      ).body['id'] as string;
      // A staff change waiting for a second admin (a caseworker's password reset).
      await h.stepUp(admin, users.get('admin')!);
      const target = org === 'A' ? targetA : targetB;
      const approval = (
        (await admin.send('post', `/api/users/${target.id}/reset-password`)).body['pending'] as {
          id: string;
        }
      ).id;
      const personId = org === 'A' ? personA : personB;
      const followUp = (
        await (
          await h.signIn(users.get('caseworker')!)
        ).send('post', '/api/follow-ups', { personId, text: 'Call back', dueOn: '2026-12-31' })
      ).body['id'] as string;
      const coordinator = await h.signIn(users.get('coordinator')!);
      const code = (await coordinator.send('get', `/api/persons/${personId}`)).body['code'];
      const disclosure = (
        await coordinator.send('post', '/api/disclosures', { ...DISCLOSURE, personCodes: [code] })
      ).body['id'] as string;
      return { partner, referral, approval, followUp, disclosure };
    };
    ids.set('A', {
      contact: a.id,
      need: a.needs[0]!.id,
      ...(await partnerAndReferral('A', a.needs[0]!.id)),
    });
    ids.set('B', {
      contact: b.id,
      need: b.needs[0]!.id,
      ...(await partnerAndReferral('B', b.needs[0]!.id)),
    });
  }, 120_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  /** A plausible body per route: enough to pass the guard; validation may still refuse it. */
  function requestFor(
    route: string,
    caller: TestUser | null,
    id: string,
  ): { path: string; body?: unknown } {
    const [, rawPath] = route.split(' ') as [string, string];
    const path = rawPath.replace(':id', id).replace(':consentId', randomUUID());
    switch (route) {
      case 'POST /api/auth/login':
        return { path, body: { email: 'nobody@example.test', password: 'not a real password' } };
      case 'POST /api/auth/step-up':
        return {
          path,
          body: {
            password: caller?.password ?? 'x',
            code: caller === null ? '000000' : h.code(caller),
          },
        };
      case 'POST /api/auth/password':
        return { path, body: { currentPassword: caller?.password ?? 'x', newPassword: 'short' } };
      case 'POST /api/auth/mfa/verify':
      case 'POST /api/auth/mfa/confirm':
        return { path, body: { code: 'not-a-code' } };
      case 'POST /api/users':
        return {
          path,
          body: {
            email: `matrix-${Math.random().toString(36).slice(2)}@a.test`,
            displayName: 'M',
            roles: ['caseworker'],
          },
        };
      case 'PATCH /api/users/:id':
        return { path, body: { version: 1, displayName: 'Renamed' } };
      case 'PATCH /api/organisation/settings':
        return { path, body: { version: 9999 } };
      case 'GET /api/audit/proofs/inclusion':
        return { path: `${path}?seq=0&treeSize=1` };
      case 'GET /api/audit/proofs/consistency':
        return { path: `${path}?from=1&to=1` };
      case 'POST /api/persons':
        return { path, body: { ageBand: 'unknown' } };
      case 'POST /api/persons/lookup':
        return { path, body: { code: 'HB-0000-0000' } };
      case 'PATCH /api/persons/:id':
        return { path, body: { version: 9999 } };
      case 'POST /api/persons/:id/reveal':
        return { path, body: { purpose: 'referral' } };
      case 'POST /api/persons/:id/erase':
        return { path, body: { version: 9999 } };
      case 'POST /api/persons/:id/merge':
        return {
          path,
          body: {
            absorbedId: '0190a3c5-0000-7000-8000-000000000000',
            survivorVersion: 9999,
            absorbedVersion: 9999,
          },
        };
      case 'POST /api/persons/:id/subject-export':
        return {
          path,
          body: { language: 'en', format: 'json', purpose: 'Asked for a copy of their data.' },
        };
      case 'POST /api/persons/:id/consents':
        return { path, body: { purpose: 'contact_by_text', method: 'verbal' } };
      case 'POST /api/persons/:id/consents/:consentId/revoke':
        return { path, body: { version: 1 } };
      case 'POST /api/persons/:id/check-ins':
        return { path, body: { checkedOn: '2026-01-16', ratings: { safety: 3 } } };
      case 'POST /api/contacts':
        return {
          path,
          body: { occurredOn: '2026-01-16', channel: 'drop_in', locationType: 'drop_in_centre' },
        };
      case 'POST /api/needs':
        return { path, body: { category: 'legal' } };
      case 'GET /api/needs':
        return { path: `${path}?person=${personA}` };
      case 'POST /api/contacts/:id/amendments':
        return { path, body: { reason: 'Written on the wrong visit', notes: 'Corrected.' } };
      case 'POST /api/intake/bulk':
        return {
          path,
          body: {
            event: { occurredOn: '2026-01-16', channel: 'outreach_visit', locationType: 'street' },
            people: [{ ageBand: 'unknown' }],
          },
        };
      case 'PATCH /api/needs/:id':
        return { path, body: { version: 9999 } };
      case 'POST /api/referrals':
        return { path, body: { needId: ids.get('A')!.need, partnerId: ids.get('A')!.partner } };
      case 'POST /api/referrals/:id/transitions':
        return { path, body: { version: 9999, to: 'withdrawn' } };
      case 'POST /api/partners':
        return { path, body: { name: 'Clinic', serviceType: 'sexual_health' } };
      case 'POST /api/follow-ups':
        return { path, body: { personId: personA, text: 'Call back', dueOn: '2026-12-30' } };
      case 'PATCH /api/follow-ups/:id':
        return { path, body: { version: 9999, action: 'done' } };
      case 'PATCH /api/partners/:id':
        return { path, body: { version: 9999, name: 'Renamed' } };
      case 'POST /api/persons/:id/key-workers':
      case 'POST /api/persons/:id/key-workers/remove':
        return { path, body: { staffId: caller?.id ?? randomUUID() } };
      case 'POST /api/persons/:id/restriction':
        return { path, body: { restricted: true, version: 9999 } };
      case 'POST /api/disclosures':
        return { path, body: { ...DISCLOSURE, personCodes: ['HB-0000-0000'] } };
      case 'POST /api/disclosures/:id/review':
      case 'POST /api/disclosures/:id/approve':
      case 'POST /api/disclosures/:id/export':
      case 'POST /api/disclosures/:id/close':
        return { path, body: { version: 9999 } };
      case 'POST /api/disclosures/:id/refuse':
        return { path, body: { version: 9999, reason: 'Not named in the order.' } };
      case 'POST /api/key-workers/hand-over':
        return { path, body: { fromStaffId: caller?.id ?? randomUUID(), toStaffId: randomUUID() } };
      default:
        return { path };
    }
  }

  async function callAs(caller: Caller, route: string, organisation: 'A' | 'B', id: string) {
    const [method] = route.split(' ') as [string];
    let browser: TestBrowser = h.browser();
    let user: TestUser | null = null;
    if (caller !== 'anonymous') {
      user = (organisation === 'A' ? usersA : usersB).get(caller)!;
      browser = await h.signIn(user);
      await h.stepUp(browser, user);
      harbour.clock.advance(30_000);
    }
    const { path, body } = requestFor(route, user, id);
    return browser.send(method.toLowerCase() as 'get' | 'post' | 'patch' | 'delete', path, body);
  }

  it('declares every route the router knows, and nothing else', () => {
    const known = listRoutes(harbour.app)
      .map((r) => `${r.method} ${r.path}`)
      .sort();
    expect(known).toEqual(Object.keys(ACCESS_MATRIX).sort());
  });

  const callers: Caller[] = ['anonymous', ...ROLES];
  const cases = Object.entries(ACCESS_MATRIX).flatMap(([route, expectation]) =>
    callers.map((caller) => [route, caller, expectation] as const),
  );

  it.each(cases)('%s as %s in its own organisation', async (route, caller, expectation) => {
    const res = await callAs(caller, route, 'A', idFor(route, 'A'));
    const { access } = expectation;
    let allowed: boolean;
    if (access === 'public') allowed = true;
    else if (access === 'sign-in-step' || access === 'metrics-token')
      allowed = false; // nobody here is at that step; no staff session is a metrics token
    else if (caller === 'anonymous') allowed = false;
    else if (access === 'signed-in') allowed = true;
    else allowed = access.includes(caller);

    const outcome = { route, caller, status: res.status, code: res.body.code };
    if (allowed) {
      // Past the access check: the route's own answer (it may still refuse the body or the
      // credentials, e.g. a login with an unknown e-mail is 401 invalid_credentials).
      expect(['unauthenticated', 'forbidden', 'step_up_required', 'csrf_rejected']).not.toContain(
        res.body.code,
      );
    } else if (caller === 'anonymous' || access === 'sign-in-step' || access === 'metrics-token') {
      expect(outcome).toMatchObject({ status: 401, code: 'unauthenticated' });
    } else {
      expect(outcome).toMatchObject({ status: 403, code: 'forbidden' });
    }
    if (route === 'POST /api/organisation/lockdown' && res.status === 200) {
      // Lift it again for the routes after this one (lockdown.medium-spec.ts walks the matrix
      // during a lockdown).
      for (const admin of [usersA.get('admin')!, secondAdminA]) {
        const browser = await h.signIn(admin);
        await h.stepUp(browser, admin);
        await browser.send('post', '/api/organisation/lockdown/lift');
      }
    }
  });

  const idRoutes = Object.entries(ACCESS_MATRIX).filter(
    ([, e]) => e.crossOrganisation === 'not-found',
  );

  it.each(idRoutes.map(([route, e]) => [route, e] as const))(
    "%s with another organisation's id answers 404 and changes nothing",
    async (route, expectation) => {
      const roles = expectation.access as readonly Role[];
      const id = idFor(route, 'B');
      const state = route.includes('/approvals/')
        ? 'SELECT status, decided_by FROM staff_change_request WHERE id = $1'
        : route.includes('/persons/')
          ? 'SELECT version, has_identity FROM person WHERE id = $1'
          : route.includes('/contacts/')
            ? 'SELECT version FROM contact WHERE id = $1'
            : route.includes('/needs/')
              ? 'SELECT version, status FROM support_need WHERE id = $1'
              : route.includes('/referrals/')
                ? 'SELECT version, status FROM referral WHERE id = $1'
                : route.includes('/partners/')
                  ? 'SELECT version, name FROM partner WHERE id = $1'
                  : route.includes('/follow-ups/')
                    ? 'SELECT version, status FROM follow_up WHERE id = $1'
                    : route.includes('/disclosures/')
                      ? 'SELECT version, status FROM disclosure_request WHERE id = $1'
                      : 'SELECT version, status, roles FROM staff_user WHERE id = $1';
      const before = await db.asSuperuser(state, [id]);
      expect(before).toHaveLength(1);
      for (const role of roles) {
        const res = await callAs(role, route, 'A', id);
        expect({ route, role, status: res.status, code: res.body.code }).toEqual({
          route,
          role,
          status: 404,
          code: 'not_found',
        });
      }
      const after = await db.asSuperuser(state, [id]);
      expect(after).toEqual(before);
    },
  );

  /**
   * The restricted-person dimension: every route marked `restrictedPerson`, called about a
   * restricted person by a caseworker who is not their key worker, by their key worker and by a
   * coordinator. The refused caller gets 403 `person_restricted` and no trace of the identity or
   * the notes; the others are served.
   */
  describe('restricted person, not key worker', () => {
    const NAME = { givenName: 'Restrictedmatrix', familyName: 'Hiddenfamily' };
    const NOTE = 'Restricted matrix note words';
    let restricted: { id: string; code: string; contact: string };
    let keyWorker: TestUser;
    const restrictedRoutes = Object.entries(ACCESS_MATRIX).filter(
      ([, e]) => e.restrictedPerson !== undefined,
    );

    beforeAll(async () => {
      keyWorker = await h.createUser(orgA, { roles: ['caseworker'], email: 'kw@a.test' });
      const kw = await h.signIn(keyWorker);
      const person = (await kw.send('post', '/api/persons', { identity: NAME })).body;
      const id = person['id'] as string;
      await kw.send('post', `/api/persons/${id}/key-workers`, { staffId: keyWorker.id });
      const contact = await kw.send('post', '/api/contacts', {
        personId: id,
        occurredOn: '2026-01-15',
        channel: 'phone',
        locationType: 'online_or_phone',
        notes: NOTE,
      });
      const coordinator = await h.signIn(usersA.get('coordinator')!);
      const set = await coordinator.send('post', `/api/persons/${id}/restriction`, {
        restricted: true,
        version: person['version'],
      });
      expect(set.body['restricted']).toBe(true);
      restricted = { id, code: person['code']!, contact: contact.body['id'] as string };
    });

    const call = async (user: TestUser, route: string) => {
      const browser = await h.signIn(user);
      harbour.clock.advance(30_000);
      const [method, path] = route.split(' ') as [string, string];
      const url = path.replace(
        ':id',
        route.includes('/contacts/') ? restricted.contact : restricted.id,
      );
      const version = (await browser.send('get', `/api/persons/${restricted.id}`)).body['version'];
      const body =
        route === 'POST /api/persons/lookup'
          ? { name: `${NAME.givenName} ${NAME.familyName}` }
          : route === 'POST /api/persons/:id/reveal'
            ? { purpose: 'referral' }
            : route === 'PATCH /api/persons/:id'
              ? { version, identity: { alias: 'Probe' } }
              : undefined;
      return browser.send(method.toLowerCase() as 'get' | 'post' | 'patch', url, body);
    };
    const leaks = (body: unknown) =>
      [NAME.givenName, NAME.familyName, NOTE].filter((v) => JSON.stringify(body).includes(v));

    it('marks every route that decrypts identity or notes for a caller', () => {
      expect(restrictedRoutes.map(([r]) => r).sort()).toEqual([
        'GET /api/contacts/:id',
        'PATCH /api/persons/:id',
        'POST /api/persons/:id/reveal',
        'POST /api/persons/lookup',
      ]);
    });

    it.each(restrictedRoutes)('%s refuses another caseworker', async (route, e) => {
      const res = await call(usersA.get('caseworker')!, route);
      expect(leaks(res.body)).toEqual([]);
      if (e.restrictedPerson === 'refused') {
        expect({ status: res.status, code: res.body.code }).toEqual({
          status: 403,
          code: 'person_restricted',
        });
      } else {
        expect(res.status).toBe(200);
        expect(JSON.stringify(res.body)).not.toContain(restricted.code);
      }
    });

    it.each(restrictedRoutes)('%s serves the key worker and a coordinator', async (route) => {
      for (const user of [keyWorker, usersA.get('coordinator')!]) {
        const res = await call(user, route);
        expect({ route, status: res.status, code: res.body.code }).toMatchObject({
          route,
          status: 200,
        });
        if (route === 'POST /api/persons/lookup') {
          expect(JSON.stringify(res.body)).toContain(restricted.code);
        }
      }
    });
  });

  it('shows each organisation only its own users and settings', async () => {
    const adminA = await h.signIn(usersA.get('admin')!);
    const adminB = await h.signIn(usersB.get('admin')!);
    const listA = (await adminA.send('get', '/api/users')).body as unknown as {
      id: string;
      email: string;
    }[];
    const listB = (await adminB.send('get', '/api/users')).body as unknown as {
      id: string;
      email: string;
    }[];
    expect(listA.every((u) => u.email.endsWith('@a.test') || !u.email.endsWith('@b.test'))).toBe(
      true,
    );
    expect(listB.every((u) => u.email.endsWith('@b.test'))).toBe(true);
    expect(listA.map((u) => u.id)).not.toContain(targetB.id);
    expect((await adminA.send('get', '/api/organisation/settings')).body['id']).toBe(orgA);
    expect((await adminB.send('get', '/api/organisation/settings')).body['id']).toBe(orgB);
    expect(
      ((await adminB.send('get', '/api/auth/session')).body['organisation'] as { id: string }).id,
    ).toBe(orgB);
  });
});
