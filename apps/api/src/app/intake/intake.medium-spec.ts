import type { BulkIntakeResponse } from '@harbour/domain';
import { AuthHarness, type TestBrowser } from '../../test/medium/auth-harness';
import { findCanaries } from '../../test/canaries';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/** Post-raid intake: many people from one event, all or nothing (docs/design.md §11). */
describe('POST /api/intake/bulk', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let cw: TestBrowser;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    const org = await h.createOrganisation('Intake Test Service');
    cw = await h.signIn(await h.createUser(org, { roles: ['caseworker'] }));
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const event = {
    occurredOn: '2026-11-20',
    channel: 'outreach_visit',
    locationType: 'police_station',
    circumstances: ['post_raid', 'police_contact'],
    interpreterUsed: true,
  };
  const counts = async () =>
    (
      await db.asSuperuser<{ p: number; c: number; n: number }>(
        `SELECT (SELECT count(*) FROM person)::int AS p, (SELECT count(*) FROM contact)::int AS c,
                (SELECT count(*) FROM support_need)::int AS n`,
      )
    )[0]!;

  it('records five people from one raid, each with a code, a contact and needs', async () => {
    const people = [
      { identity: { givenName: 'Somchai', familyName: 'Jaidee' }, languageGroup: 'thai' },
      { identity: { givenName: 'สมหญิง', familyName: 'รักไทย' }, needs: [{ category: 'legal' }] },
      { identity: { alias: '지지' }, ageBand: '25_34' },
      {
        identity: { givenName: '美玲', familyName: '陳' },
        needs: [{ category: 'housing', priority: 'urgent' }],
      },
      {
        notes: 'Declined to give a name; asked about visa rights.',
        needs: [{ category: 'migration_visa' }],
      },
    ];
    const res = await cw.send('post', '/api/intake/bulk', { event, people });
    expect(res.status).toBe(201);
    const body = res.body as unknown as BulkIntakeResponse;
    expect(body.people).toHaveLength(5);
    expect(new Set(body.people.map((p) => p.code)).size).toBe(5);
    expect(await counts()).toEqual({ p: 5, c: 5, n: 3 });
    const contacts = await db.asSuperuser<{ circumstances: string[]; occurred_on: string }>(
      `SELECT circumstances, occurred_on::text FROM contact`,
    );
    expect(contacts.every((c) => c.occurred_on === '2026-11-20')).toBe(true);
    expect(contacts.every((c) => c.circumstances.includes('post_raid'))).toBe(true);
    const [audit] = await db.asSuperuser<{ n: number; ids: number }>(
      `SELECT count(*)::int AS n, max(cardinality(resource_ids))::int AS ids FROM access_event WHERE action = 'intake.recorded'`,
    );
    expect(audit).toEqual({ n: 1, ids: 5 * 3 });
    expect(findCanaries(JSON.stringify(res.body))).toEqual([]);
    expect(findCanaries(harbour.rawLogs())).toEqual([]);
  });

  it('writes nothing when one row is bad, and names that row', async () => {
    const before = await counts();
    const res = await cw.send('post', '/api/intake/bulk', {
      event,
      people: [
        { identity: { givenName: 'Quokka' } },
        { identity: { givenName: 'Zzcanary', dateOfBirth: '31/12/1990' } },
        { ageBand: 'nonsense' },
        { identity: { givenName: 'x'.repeat(201) } },
      ],
    });
    expect(res.status).toBe(400);
    expect(res.body['code']).toBe('validation_failed');
    const paths = (res.body['fields'] as { path: string }[]).map((f) => f.path);
    expect(paths).toEqual([
      'people.1.identity.dateOfBirth',
      'people.2.ageBand',
      'people.3.identity.givenName',
    ]);
    expect((res.body['fields'] as unknown[]).slice(0, 1)).toEqual([
      {
        path: 'people.1.identity.dateOfBirth',
        reason: 'isDate',
        limits: { earliest: '1900-01-01' },
      },
    ]);
    expect((res.body['fields'] as unknown[])[2]).toEqual({
      path: 'people.3.identity.givenName',
      reason: 'maxLength',
      limits: { maxLength: 200 },
    });
    expect(JSON.stringify(res.body)).not.toMatch(/Quokka|Zzcanary/);
    expect(await counts()).toEqual(before);
  });

  it('rolls back every row when a later row fails inside the transaction', async () => {
    const before = await counts();
    const res = await cw.send('post', '/api/intake/bulk', {
      event: { ...event, occurredOn: '2099-01-01' },
      people: [{ identity: { givenName: 'Quokka' } }, {}],
    });
    expect(res.status).toBe(400);
    expect((res.body['fields'] as { path: string }[])[0]).toEqual({
      path: 'event.occurredOn',
      reason: 'notInFuture',
      limits: { earliest: '1900-01-01', latest: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) },
    });
    expect(await counts()).toEqual(before);
    expect((await cw.send('post', '/api/intake/bulk', { event, people: [] })).status).toBe(400);
  });
});
