import type { ContactView, NeedView } from '@harbour/domain';
import { AuthHarness, type TestBrowser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/**
 * A need added outside a contact (issue 17): recorded on the person alone, listed with
 * `GET /api/needs?person=`, moved on like any need; refused with the field named (and nothing
 * written) for an unknown or erased person, or a contact of someone else.
 */
describe('needs outside a contact', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let cw: TestBrowser;
  let other: TestBrowser;
  let auditor: TestBrowser;
  let person: string;
  let otherPerson: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    harbour.clock.set(new Date('2026-03-10T12:00:00Z'));
    h = new AuthHarness(harbour);
    const org = await h.createOrganisation('Needs Service');
    const otherOrg = await h.createOrganisation('Other Service');
    cw = await h.signIn(await h.createUser(org, { roles: ['caseworker'] }));
    auditor = await h.signIn(await h.createUser(org, { roles: ['auditor'] }));
    other = await h.signIn(await h.createUser(otherOrg, { roles: ['caseworker'] }));
    person = (await cw.send('post', '/api/persons', {})).body['id'] as string;
    otherPerson = (await cw.send('post', '/api/persons', {})).body['id'] as string;
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const needCount = async () =>
    Number((await db.asSuperuser<{ n: string }>(`SELECT count(*) AS n FROM support_need`))[0]!.n);

  it('adds a need to a person without a contact and lists it with their needs', async () => {
    const res = await cw.send('post', '/api/needs', {
      personId: person,
      category: 'housing',
      priority: 'high',
    });
    expect(res.status).toBe(201);
    const need = res.body as unknown as NeedView;
    expect(need).toMatchObject({
      personId: person,
      contactId: null,
      category: 'housing',
      priority: 'high',
      status: 'identified',
      identifiedOn: '2026-03-10',
    });
    // A need noted with a contact comes with its contact, not in this list.
    await cw.send('post', '/api/contacts', {
      personId: person,
      occurredOn: '2026-03-09',
      channel: 'phone',
      locationType: 'online_or_phone',
      needs: [{ category: 'legal' }],
    });
    const list = await cw.send('get', `/api/needs?person=${person}`);
    expect(list.status).toBe(200);
    expect((list.body as unknown as NeedView[]).map((n) => n.id)).toEqual([need.id]);

    const moved = await cw.send('patch', `/api/needs/${need.id}`, {
      version: need.version,
      status: 'in_progress',
    });
    expect(moved.body).toMatchObject({ status: 'in_progress' });
    const [event] = await db.asSuperuser<{ resource_ids: string[] }>(
      `SELECT resource_ids FROM access_event WHERE action = 'need.listed' ORDER BY seq DESC LIMIT 1`,
    );
    expect(event!.resource_ids[0]).toMatch(/^HB-/);
  });

  it('lists nothing for another organisation or an auditor', async () => {
    const res = await other.send('get', `/api/needs?person=${person}`);
    expect([res.status, res.body['code']]).toEqual([404, 'not_found']);
    expect((await auditor.send('get', `/api/needs?person=${person}`)).status).toBe(403);
    expect((await cw.send('get', '/api/needs')).status).toBe(400);
  });

  it('refuses an unknown person or a contact of someone else, writing nothing', async () => {
    const contact = (
      await cw.send('post', '/api/contacts', {
        personId: otherPerson,
        occurredOn: '2026-03-09',
        channel: 'phone',
        locationType: 'online_or_phone',
      })
    ).body as unknown as ContactView;
    const count = await needCount();
    const cases: [unknown, string, string][] = [
      [{ category: 'housing' }, 'personId', 'personOrContact'],
      [
        { personId: '00000000-0000-7000-8000-000000000000', category: 'housing' },
        'personId',
        'unknown',
      ],
      [
        { personId: person, contactId: contact.id, category: 'housing' },
        'contactId',
        'otherPerson',
      ],
    ];
    for (const [body, path, reason] of cases) {
      const res = await cw.send('post', '/api/needs', body);
      expect([res.status, res.body['code'], res.body['fields']]).toEqual([
        400,
        'validation_failed',
        [{ path, reason }],
      ]);
    }
    const foreign = await other.send('post', '/api/needs', { personId: person, category: 'legal' });
    expect([foreign.status, foreign.body['fields']]).toEqual([
      400,
      [{ path: 'personId', reason: 'unknown' }],
    ]);
    expect(await needCount()).toBe(count);
  });
});
