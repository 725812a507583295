import type { CheckInView, PersonView } from '@harbour/domain';
import { AuthHarness, type TestBrowser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/** Outcome check-ins: the person's own ratings, recorded with their worker (docs/design.md §3). */
describe('outcome check-ins', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let cw: TestBrowser;
  let other: TestBrowser;
  let auditor: TestBrowser;
  let person: PersonView;
  let org: string;

  const ALL = {
    safety: 2,
    legal_status: null,
    health_wellbeing: 3,
    work_money: 4,
    housing: 5,
    social_support: 1,
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    const h = new AuthHarness(harbour);
    org = await h.createOrganisation('Check-in Test Service');
    const otherOrg = await h.createOrganisation('Other Service');
    cw = await h.signIn(await h.createUser(org, { roles: ['caseworker'] }));
    auditor = await h.signIn(await h.createUser(org, { roles: ['auditor'] }));
    other = await h.signIn(await h.createUser(otherOrg, { roles: ['coordinator'] }));
    person = (await cw.send('post', '/api/persons', { ageBand: '25_34' }))
      .body as unknown as PersonView;
    // The person's record was created on 1 October (the clock reads 22 November).
    await db.asSuperuser(`UPDATE person SET created_at = '2026-10-01T10:00:00Z' WHERE id = $1`, [
      person.id,
    ]);
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const stored = async () =>
    Number(
      (
        await db.asSuperuser<{ n: string }>(
          `SELECT count(*) AS n FROM outcome_check_in WHERE organisation_id = $1`,
          [org],
        )
      )[0]!.n,
    );

  it('records a check-in (skipped domains as null) and lists them newest first', async () => {
    const first = await cw.send('post', `/api/persons/${person.id}/check-ins`, {
      checkedOn: '2026-10-15',
      ratings: { safety: 1, housing: 2 },
    });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({
      personId: person.id,
      checkedOn: '2026-10-15',
      ratings: {
        safety: 1,
        legal_status: null,
        health_wellbeing: null,
        work_money: null,
        housing: 2,
        social_support: null,
      },
    });
    const second = await cw.send('post', `/api/persons/${person.id}/check-ins`, {
      checkedOn: '2026-11-22',
      ratings: ALL,
    });
    expect(second.status).toBe(201);
    const list = await cw.send('get', `/api/persons/${person.id}/check-ins`);
    expect(list.status).toBe(200);
    const views = list.body as unknown as CheckInView[];
    expect(views.map((v) => v.checkedOn)).toEqual(['2026-11-22', '2026-10-15']);
    expect(views[0]!.ratings).toEqual(ALL);
    // What is stored is exactly the class C columns: a date and small numbers.
    const [row] = await db.asSuperuser<Record<string, unknown>>(
      `SELECT * FROM outcome_check_in WHERE id = $1`,
      [views[0]!.id],
    );
    expect(Object.keys(row!).sort()).toEqual(
      [
        'organisation_id',
        'id',
        'person_id',
        'checked_on',
        'safety',
        'legal_status',
        'health_wellbeing',
        'work_money',
        'housing',
        'social_support',
        'created_by',
        'created_at',
      ].sort(),
    );
  });

  it('refuses bad input with the field and reason named, and writes nothing', async () => {
    const before = await stored();
    const cases: [unknown, string, string][] = [
      [{ checkedOn: '2026-11-24', ratings: ALL }, 'checkedOn', 'notInFuture'],
      // The record was created on 1 October, 10:00 UTC: still 30 September west of UTC−10.
      [{ checkedOn: '2026-09-29', ratings: ALL }, 'checkedOn', 'beforePerson'],
      [{ checkedOn: '2026-02-30', ratings: ALL }, 'checkedOn', 'isDate'],
      [{ checkedOn: '2026-11-01', ratings: {} }, 'ratings', 'noneRated'],
      [{ checkedOn: '2026-11-01', ratings: { safety: null } }, 'ratings', 'noneRated'],
      [{ checkedOn: '2026-11-01', ratings: { safety: 0 } }, 'ratings.safety', 'isIn'],
      [{ checkedOn: '2026-11-01', ratings: { housing: 6 } }, 'ratings.housing', 'isIn'],
      [{ checkedOn: '2026-11-01', ratings: { housing: 2.5 } }, 'ratings.housing', 'isIn'],
      [{ checkedOn: '2026-11-01', ratings: { housing: '3' } }, 'ratings.housing', 'isIn'],
      [{ checkedOn: '2026-11-01' }, 'ratings', ''],
    ];
    for (const [body, path, reason] of cases) {
      const res = await cw.send('post', `/api/persons/${person.id}/check-ins`, body);
      const fields = (res.body['fields'] ?? []) as { path: string; reason: string }[];
      expect({ body, status: res.status, code: res.body['code'] }).toEqual({
        body,
        status: 400,
        code: 'validation_failed',
      });
      expect(fields.some((f) => f.path === path && (reason === '' || f.reason === reason))).toBe(
        true,
      );
    }
    // A domain the scale does not have, or a field nobody may set.
    for (const body of [
      { checkedOn: '2026-11-01', ratings: { mood: 3, safety: 3 } },
      { checkedOn: '2026-11-01', ratings: { safety: 3 }, createdBy: person.id },
      { checkedOn: '2026-11-01', ratings: { safety: 3 }, organisationId: org },
    ]) {
      const res = await cw.send('post', `/api/persons/${person.id}/check-ins`, body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
    }
    expect(await stored()).toBe(before);
  });

  it('answers 404 for another organisation’s person and 403 for roles without case access', async () => {
    const before = await stored();
    const read = await other.send('get', `/api/persons/${person.id}/check-ins`);
    expect(read.status).toBe(404);
    const write = await other.send('post', `/api/persons/${person.id}/check-ins`, {
      checkedOn: '2026-11-01',
      ratings: ALL,
    });
    expect(write.status).toBe(404);
    expect((await auditor.send('get', `/api/persons/${person.id}/check-ins`)).status).toBe(403);
    expect(await stored()).toBe(before);
  });

  it('counts a first contact before the record as the person existing then', async () => {
    const contact = await cw.send('post', '/api/contacts', {
      personId: person.id,
      occurredOn: '2026-09-10',
      channel: 'phone',
      locationType: 'online_or_phone',
    });
    expect(contact.status).toBe(201);
    const res = await cw.send('post', `/api/persons/${person.id}/check-ins`, {
      checkedOn: '2026-09-10',
      ratings: { safety: 3 },
    });
    expect(res.status).toBe(201);
    const earlier = await cw.send('post', `/api/persons/${person.id}/check-ins`, {
      checkedOn: '2026-09-09',
      ratings: { safety: 3 },
    });
    expect(earlier.body['fields']).toEqual([
      {
        path: 'checkedOn',
        reason: 'beforePerson',
        limits: { earliest: '2026-09-10', latest: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
      },
    ]);
  });

  it('writes one access event naming the person’s code for each read and write', async () => {
    const events = await db.asSuperuser<{ action: string; resource_ids: string[] }>(
      `SELECT action, resource_ids FROM access_event
        WHERE organisation_id = $1 AND action LIKE 'outcome.%' AND outcome = 'success'
        ORDER BY seq`,
      [org],
    );
    expect(events.length).toBeGreaterThanOrEqual(3);
    for (const e of events) expect(e.resource_ids).toContain(person.code);
  });

  it('refuses a check-in for an erased person', async () => {
    const erased = (await cw.send('post', '/api/persons', { ageBand: '25_34' }))
      .body as unknown as PersonView;
    await db.asSuperuser(
      `UPDATE person SET erased_at = now(), has_identity = false, created_at = '2026-10-01T10:00:00Z'
        WHERE id = $1`,
      [erased.id],
    );
    const res = await cw.send('post', `/api/persons/${erased.id}/check-ins`, {
      checkedOn: '2026-11-22',
      ratings: { safety: 3 },
    });
    expect(res.status).toBe(400);
    expect(res.body['fields']).toEqual([{ path: 'personId', reason: 'erased' }]);
  });
});
