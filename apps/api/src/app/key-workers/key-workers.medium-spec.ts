import type { PersonKeyWorkers } from '@harbour/domain';
import {
  AuthHarness,
  type TestBrowser,
  type TestResponse,
  type TestUser,
} from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { IDENTITY, leaked, NOTE, SIMILAR_NAME } from '../../test/medium/key-workers-fixtures';

/**
 * Key workers, "my people", hand-over and restricted people (issue 17). A restricted person's
 * identity and notes are their key workers' and coordinators' alone: another caseworker attacks
 * every route that returns identity or notes and must get 403 `person_restricted` (or, for
 * lookup, nothing) with no plaintext anywhere in the answer; a hand-over moves that access.
 */
describe('key workers and restricted people', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  let otherOrg: string;
  let alice: TestUser; // key worker
  let bob: TestUser; // another caseworker
  let coordinator: TestUser;
  let auditor: TestUser;
  let stranger: TestUser; // a caseworker of another organisation
  let a: TestBrowser;
  let b: TestBrowser;
  let c: TestBrowser;

  let person: { id: string; code: string; version: number };
  let contactId: string;

  const fresh = async (user: TestUser): Promise<TestBrowser> => {
    harbour.clock.advance(30_000);
    return h.signIn(user);
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Key Worker Service');
    otherOrg = await h.createOrganisation('Elsewhere');
    alice = await h.createUser(org, { roles: ['caseworker'], email: 'alice@kw.test' });
    bob = await h.createUser(org, { roles: ['caseworker'], email: 'bob@kw.test' });
    coordinator = await h.createUser(org, { roles: ['coordinator'], email: 'coord@kw.test' });
    auditor = await h.createUser(org, { roles: ['auditor'], email: 'auditor@kw.test' });
    stranger = await h.createUser(otherOrg, { roles: ['caseworker'] });
    a = await fresh(alice);
    b = await fresh(bob);
    c = await fresh(coordinator);

    const created = await a.send('post', '/api/persons', { identity: IDENTITY });
    person = created.body as unknown as typeof person;
    const contact = await a.send('post', '/api/contacts', {
      personId: person.id,
      occurredOn: '2026-02-03',
      channel: 'drop_in',
      locationType: 'drop_in_centre',
      notes: NOTE,
      needs: [{ category: 'housing' }, { category: 'legal' }],
    });
    contactId = contact.body['id'] as string;
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const keyWorkersOf = async (browser: TestBrowser) =>
    (await browser.send('get', `/api/persons/${person.id}/key-workers`))
      .body as unknown as PersonKeyWorkers;

  describe('assigning key workers', () => {
    it('lets a caseworker become key worker themselves, and lists the person under "my people" without identity', async () => {
      const res = await a.send('post', `/api/persons/${person.id}/key-workers`, {
        staffId: alice.id,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        restricted: false,
        youAreKeyWorker: true,
        mayReadProtected: true,
        mayManage: false,
        keyWorkers: [{ staffId: alice.id }],
      });
      // Twice is once.
      await a.send('post', `/api/persons/${person.id}/key-workers`, { staffId: alice.id });
      const [row] = await db.asSuperuser<{ n: number }>(
        `SELECT count(*)::int AS n FROM person_key_worker WHERE person_id = $1`,
        [person.id],
      );
      expect(row!.n).toBe(1);

      const mine = await a.send('get', '/api/key-workers/mine');
      expect(mine.status).toBe(200);
      expect(mine.body).toEqual({
        items: [
          expect.objectContaining({
            personId: person.id,
            code: person.code,
            restricted: false,
            lastContactOn: '2026-02-03',
            openNeeds: 2,
          }),
        ],
        nextCursor: null,
      });
      expect(leaked(mine.body)).toEqual([]);
      expect(((await b.send('get', '/api/key-workers/mine')).body['items'] as []).length).toBe(0);
    });

    it('pages "my people" by code with an opaque cursor, and refuses a forged one', async () => {
      const extra: string[] = [];
      for (let i = 0; i < 3; i++) {
        const p = (await a.send('post', '/api/persons', { ageBand: 'unknown' })).body;
        extra.push(p['id'] as string);
        await a.send('post', `/api/persons/${p['id'] as string}/key-workers`, {
          staffId: alice.id,
        });
      }
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const query: string = cursor === null ? '?limit=2' : `?limit=2&cursor=${cursor}`;
        const page = (await a.send('get', `/api/key-workers/mine${query}`)).body as unknown as {
          items: { code: string }[];
          nextCursor: string | null;
        };
        seen.push(...page.items.map((i) => i.code));
        cursor = page.nextCursor;
      } while (cursor !== null);
      expect(seen).toHaveLength(4);
      expect([...seen].sort()).toEqual(seen);
      const forged = Buffer.from("x' OR 1=1", 'utf8').toString('base64url');
      const bad = await a.send('get', `/api/key-workers/mine?cursor=${forged}`);
      expect({ status: bad.status, code: bad.body.code }).toEqual({
        status: 400,
        code: 'validation_failed',
      });
      for (const id of extra) {
        await a.send('post', `/api/persons/${id}/key-workers/remove`, { staffId: alice.id });
      }
    });

    it('lets only a coordinator name someone else, and only an active caseworker or coordinator', async () => {
      const named = await b.send('post', `/api/persons/${person.id}/key-workers`, {
        staffId: alice.id,
      });
      expect({ status: named.status, code: named.body.code }).toEqual({
        status: 403,
        code: 'forbidden',
      });
      const removed = await b.send('post', `/api/persons/${person.id}/key-workers/remove`, {
        staffId: alice.id,
      });
      expect(removed.status).toBe(403);
      const toAuditor = await c.send('post', `/api/persons/${person.id}/key-workers`, {
        staffId: auditor.id,
      });
      expect({ status: toAuditor.status, code: toAuditor.body.code }).toEqual({
        status: 422,
        code: 'not_a_case_worker',
      });
      const toStranger = await c.send('post', `/api/persons/${person.id}/key-workers`, {
        staffId: stranger.id,
      });
      expect(toStranger.status).toBe(400);
      expect(toStranger.body['fields']).toEqual([{ path: 'staffId', reason: 'unknown' }]);
      expect((await keyWorkersOf(c)).keyWorkers.map((k) => k.staffId)).toEqual([alice.id]);
    });

    it('lists the case staff by name for choosing a key worker, without e-mails or other roles', async () => {
      const res = await b.send('get', '/api/key-workers/staff');
      expect(res.status).toBe(200);
      const staff = res.body as unknown as { id: string; displayName: string }[];
      expect(staff.map((s) => s.id).sort()).toEqual([alice.id, bob.id, coordinator.id].sort());
      expect(JSON.stringify(res.body)).not.toContain('@kw.test');
      expect(staff.every((s) => (s as unknown as { active: boolean }).active)).toBe(true);
    });
  });

  describe('a restricted person', () => {
    beforeAll(async () => {
      const current = (await c.send('get', `/api/persons/${person.id}`)).body;
      const res = await c.send('post', `/api/persons/${person.id}/restriction`, {
        restricted: true,
        version: current['version'],
      });
      expect(res.status).toBe(200);
      expect(res.body['restricted']).toBe(true);
    });

    it('is restricted by coordinators only, with the current version', async () => {
      const asCaseworker = await a.send('post', `/api/persons/${person.id}/restriction`, {
        restricted: false,
        version: 1,
      });
      expect({ status: asCaseworker.status, code: asCaseworker.body.code }).toEqual({
        status: 403,
        code: 'forbidden',
      });
      const stale = await c.send('post', `/api/persons/${person.id}/restriction`, {
        restricted: false,
        version: 1,
      });
      expect({ status: stale.status, code: stale.body.code }).toEqual({
        status: 409,
        code: 'version_conflict',
      });
      const [row] = await db.asSuperuser<{ restricted: boolean; restricted_changed_by: string }>(
        `SELECT restricted, restricted_changed_by FROM person WHERE id = $1`,
        [person.id],
      );
      expect(row).toEqual({ restricted: true, restricted_changed_by: coordinator.id });
    });

    it('refuses another caseworker every route that returns identity or notes, with no plaintext in any answer', async () => {
      const version = (await b.send('get', `/api/persons/${person.id}`)).body['version'];
      const attempts: { what: string; status: number; code: unknown; body: unknown }[] = [];
      const attempt = async (what: string, p: Promise<TestResponse>) => {
        const res = await p;
        attempts.push({ what, status: res.status, code: res.body.code, body: res.body });
      };
      await attempt(
        'reveal',
        b.send('post', `/api/persons/${person.id}/reveal`, { purpose: 'referral' }),
      );
      await attempt(
        'reveal with words',
        b.send('post', `/api/persons/${person.id}/reveal`, {
          purpose: 'other',
          detail: 'just checking',
        }),
      );
      await attempt('read note', b.send('get', `/api/contacts/${contactId}`));
      await attempt(
        'identity edit',
        b.send('patch', `/api/persons/${person.id}`, { version, identity: { alias: 'Probe' } }),
      );
      for (const [what, status] of attempts.map((x) => [x.what, x.status] as const)) {
        expect({ what, status }).toEqual({ what, status: 403 });
      }
      expect(attempts.map((x) => x.code)).toEqual(Array(4).fill('person_restricted'));
      // Nothing was written by the refused calls.
      const [detail] = await db.asSuperuser<{ n: number }>(
        `SELECT count(*)::int AS n FROM reveal_detail WHERE person_id = $1`,
        [person.id],
      );
      expect(detail!.n).toBe(0);
      expect((await b.send('get', `/api/persons/${person.id}`)).body['version']).toBe(version);

      // Lookup: by name, alias, phone, date of birth — nothing; by code — the code alone.
      const lookups = [
        { name: `${IDENTITY.givenName} ${IDENTITY.familyName}` },
        { name: IDENTITY.givenName },
        { alias: IDENTITY.alias },
        { phone: IDENTITY.phone },
        // A spelling-tolerant lookup (ADR 0010) does not reach them either.
        { name: SIMILAR_NAME },
        {
          name: `${IDENTITY.givenName} ${IDENTITY.familyName}`,
          dateOfBirth: IDENTITY.dateOfBirth,
          sex: 'female',
        },
      ];
      for (const body of lookups) {
        const res = await b.send('post', '/api/persons/lookup', body);
        expect(res.status).toBe(200);
        expect(JSON.stringify(res.body)).not.toContain(person.code);
        attempts.push({ what: 'lookup', status: res.status, code: undefined, body: res.body });
      }
      const byCode = await b.send('post', '/api/persons/lookup', {
        code: person.code,
        name: `${IDENTITY.givenName} ${IDENTITY.familyName}`,
        phone: IDENTITY.phone,
      });
      expect(byCode.body).toEqual([{ id: person.id, code: person.code, matchedOn: ['code'] }]);

      // What a non-key-worker may see: the code and categories, never identity or notes.
      const readable = [
        await b.send('get', `/api/persons/${person.id}`),
        await b.send('get', `/api/contacts?person=${person.id}`),
        await b.send('get', `/api/persons/${person.id}/key-workers`),
        byCode,
      ];
      for (const x of [...attempts.map((y) => y.body), ...readable.map((r) => r.body)]) {
        expect(leaked(x)).toEqual([]);
      }
      expect(readable[0]!.body['restricted']).toBe(true);
      expect(readable[2]!.body).toMatchObject({ mayReadProtected: false, youAreKeyWorker: false });

      // Each refusal is an access event, denied, naming the person's code.
      const events = await db.asSuperuser<{ action: string; resource_ids: string[] }>(
        `SELECT action, resource_ids FROM access_event
          WHERE actor_id = $1 AND outcome = 'denied'
            AND action IN ('person.identity_revealed', 'contact.viewed', 'person.updated')
          ORDER BY seq`,
        [bob.id],
      );
      expect(events.map((e) => e.action)).toEqual([
        'person.identity_revealed',
        'person.identity_revealed',
        'contact.viewed',
        'person.updated',
      ]);
      for (const e of events) expect(e.resource_ids).toContain(person.code);
    });

    it('does not let another caseworker make themselves key worker of a restricted person', async () => {
      const res = await b.send('post', `/api/persons/${person.id}/key-workers`, {
        staffId: bob.id,
      });
      expect({ status: res.status, code: res.body.code }).toEqual({
        status: 403,
        code: 'person_restricted',
      });
      expect((await keyWorkersOf(c)).keyWorkers.map((k) => k.staffId)).toEqual([alice.id]);
    });

    it('serves the key worker and a coordinator', async () => {
      for (const browser of [a, c]) {
        const reveal = await browser.send('post', `/api/persons/${person.id}/reveal`, {
          purpose: 'referral',
        });
        expect(reveal.status).toBe(200);
        expect(reveal.body['identity']).toMatchObject({ givenName: IDENTITY.givenName });
        const note = await browser.send('get', `/api/contacts/${contactId}`);
        expect(note.body['notes']).toBe(NOTE);
        const lookup = await browser.send('post', '/api/persons/lookup', {
          name: `${IDENTITY.givenName} ${IDENTITY.familyName}`,
        });
        // Found by the name as typed, not only as a similar name.
        expect(lookup.body).toEqual([
          expect.objectContaining({ code: person.code, matchedOn: ['name'] }),
        ]);
        const similar = await browser.send('post', '/api/persons/lookup', { name: SIMILAR_NAME });
        expect(similar.body).toEqual([
          expect.objectContaining({ code: person.code, matchedOn: ['name_similar'] }),
        ]);
      }
      expect(await keyWorkersOf(a)).toMatchObject({ mayReadProtected: true, mayManage: false });
      expect(await keyWorkersOf(c)).toMatchObject({ mayReadProtected: true, mayManage: true });
    });
  });

  describe('hand-over', () => {
    it('moves the people and the access with them, recorded once with the count and the ids', async () => {
      const before = await db.asSuperuser<{ n: number }>(
        `SELECT count(*)::int AS n FROM access_event WHERE action = 'key_worker.handed_over'`,
      );
      const res = await c.send('post', '/api/key-workers/hand-over', {
        fromStaffId: alice.id,
        toStaffId: bob.id,
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({
        fromStaffId: alice.id,
        toStaffId: bob.id,
        personIds: [person.id],
        count: 1,
      });
      // Bob now reads the restricted person; Alice no longer does.
      b = await fresh(bob);
      expect(
        (await b.send('post', `/api/persons/${person.id}/reveal`, { purpose: 'referral' })).status,
      ).toBe(200);
      expect((await b.send('get', `/api/contacts/${contactId}`)).body['notes']).toBe(NOTE);
      const refused = await a.send('post', `/api/persons/${person.id}/reveal`, {
        purpose: 'referral',
      });
      expect({ status: refused.status, code: refused.body.code }).toEqual({
        status: 403,
        code: 'person_restricted',
      });
      expect(((await a.send('get', '/api/key-workers/mine')).body['items'] as []).length).toBe(0);

      const [handover] = await db.asSuperuser<{
        from_staff_id: string;
        to_staff_id: string;
        person_ids: string[];
        person_count: number;
        handed_by: string;
      }>(`SELECT from_staff_id, to_staff_id, person_ids, person_count, handed_by
            FROM key_worker_handover`);
      expect(handover).toEqual({
        from_staff_id: alice.id,
        to_staff_id: bob.id,
        person_ids: [person.id],
        person_count: 1,
        handed_by: coordinator.id,
      });
      const events = await db.asSuperuser<{ n: number }>(
        `SELECT count(*)::int AS n FROM access_event WHERE action = 'key_worker.handed_over'`,
      );
      expect(events[0]!.n - before[0]!.n).toBe(1);
      const [event] = await db.asSuperuser<{ resource_ids: string[]; outcome: string }>(
        `SELECT resource_ids, outcome FROM access_event
          WHERE action = 'key_worker.handed_over' ORDER BY seq DESC LIMIT 1`,
      );
      expect(event).toEqual({ resource_ids: [person.id], outcome: 'success' });
    });

    it('hands over only the people named, and refuses people the worker does not hold', async () => {
      const ids: string[] = [];
      for (let i = 0; i < 2; i++) {
        const p = (await b.send('post', '/api/persons', { ageBand: 'unknown' })).body;
        ids.push(p['id'] as string);
        await b.send('post', `/api/persons/${p['id'] as string}/key-workers`, { staffId: bob.id });
      }
      const notHeld = await c.send('post', '/api/key-workers/hand-over', {
        fromStaffId: bob.id,
        toStaffId: alice.id,
        personIds: [ids[0], contactId],
      });
      expect({ status: notHeld.status, fields: notHeld.body['fields'] }).toEqual({
        status: 400,
        fields: [{ path: 'personIds', reason: 'notHeldByFrom' }],
      });
      const some = await c.send('post', '/api/key-workers/hand-over', {
        fromStaffId: bob.id,
        toStaffId: alice.id,
        personIds: [ids[0]],
      });
      expect(some.body).toMatchObject({ count: 1, personIds: [ids[0]] });
      const bobs = (await c.send('get', `/api/key-workers/${bob.id}/people`)).body as unknown as {
        items: { personId: string }[];
      };
      expect(bobs.items.map((i) => i.personId).sort()).toEqual([person.id, ids[1]].sort());
    });

    it('lets a key worker hand their own people who are not restricted to a colleague', async () => {
      const p = (await b.send('post', '/api/persons', { ageBand: 'unknown' })).body;
      const id = p['id'] as string;
      await b.send('post', `/api/persons/${id}/key-workers`, { staffId: bob.id });
      const res = await b.send('post', '/api/key-workers/hand-over', {
        fromStaffId: bob.id,
        toStaffId: alice.id,
        personIds: [id],
      });
      expect(res.status).toBe(200);
      expect(res.body).toMatchObject({ count: 1, personIds: [id], toStaffId: alice.id });
      const [row] = await db.asSuperuser<{ staff: string[] }>(
        `SELECT array_agg(staff_id::text) AS staff FROM person_key_worker WHERE person_id = $1`,
        [id],
      );
      expect(row!.staff).toEqual([alice.id]);
      const restricted = await b.send('post', '/api/key-workers/hand-over', {
        fromStaffId: bob.id,
        toStaffId: alice.id,
        personIds: [person.id],
      });
      expect({ status: restricted.status, code: restricted.body.code }).toEqual({
        status: 403,
        code: 'person_restricted',
      });
      expect((await keyWorkersOf(c)).keyWorkers.map((k) => k.staffId)).toEqual([bob.id]);
    });

    it('answers precise refusals and changes nothing', async () => {
      const count = async () =>
        (
          await db.asSuperuser<{ n: number }>(`SELECT count(*)::int AS n FROM key_worker_handover`)
        )[0]!.n;
      const before = await count();
      const cases: [unknown, TestBrowser, number, string][] = [
        [{ fromStaffId: bob.id, toStaffId: bob.id }, c, 400, 'validation_failed'],
        [{ fromStaffId: bob.id, toStaffId: auditor.id }, c, 422, 'not_a_case_worker'],
        [{ fromStaffId: bob.id, toStaffId: stranger.id }, c, 400, 'validation_failed'],
        [{ fromStaffId: stranger.id, toStaffId: bob.id }, c, 400, 'validation_failed'],
        [{ fromStaffId: coordinator.id, toStaffId: bob.id }, c, 400, 'validation_failed'],
        [{ fromStaffId: bob.id, toStaffId: alice.id, personIds: [] }, c, 400, 'validation_failed'],
        [{ fromStaffId: alice.id, toStaffId: bob.id }, b, 403, 'forbidden'],
        // Bob's own people include a restricted person: only a coordinator hands them over.
        [{ fromStaffId: bob.id, toStaffId: alice.id }, b, 403, 'person_restricted'],
      ];
      for (const [body, browser, status, code] of cases) {
        const res = await browser.send('post', '/api/key-workers/hand-over', body);
        expect({ body, status: res.status, code: res.body.code }).toEqual({ body, status, code });
      }
      await db.asSuperuser(`UPDATE staff_user SET status = 'disabled' WHERE id = $1`, [alice.id]);
      const disabled = await c.send('post', '/api/key-workers/hand-over', {
        fromStaffId: bob.id,
        toStaffId: alice.id,
      });
      expect(disabled.body.code).toBe('not_a_case_worker');
      await db.asSuperuser(`UPDATE staff_user SET status = 'active' WHERE id = $1`, [alice.id]);
      expect(await count()).toBe(before);
      const other = await fresh(stranger);
      const cross = await other.send('get', `/api/key-workers/${bob.id}/people`);
      expect(cross.status).toBe(403); // a caseworker: coordinators only, before any lookup
    });
  });
});
