import type { ContactDetail, ContactPage, ContactView, NeedView } from '@harbour/domain';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { CIPHERTEXT_MIN_BYTES, findCanaries } from '../../test/canaries';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/** Contacts and support needs (docs/design.md §3, §11). */
describe('contacts and needs', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  let otherOrg: string;
  let caseworker: TestUser;
  let cw: TestBrowser;
  let other: TestBrowser;
  let person: string;
  let otherPerson: string;

  const base = { channel: 'in_person', locationType: 'drop_in_centre' } as const;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    // 2026-03-10 12:00 UTC: dates below are relative to it.
    harbour.clock.set(new Date('2026-03-10T12:00:00Z'));
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Contacts Test Service');
    otherOrg = await h.createOrganisation('Other Service');
    caseworker = await h.createUser(org, { roles: ['caseworker'] });
    cw = await h.signIn(caseworker);
    other = await h.signIn(await h.createUser(otherOrg, { roles: ['caseworker'] }));
    person = (await cw.send('post', '/api/persons', { ageBand: '25_34' })).body['id'] as string;
    otherPerson = (await other.send('post', '/api/persons', {})).body['id'] as string;
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const log = async (body: Record<string, unknown>, browser = cw) =>
    browser.send('post', '/api/contacts', { ...base, occurredOn: '2026-03-09', ...body });

  it('logs an individual contact with circumstances, needs and encrypted notes', async () => {
    const res = await log({
      personId: person,
      languageGroup: 'thai',
      interpreterUsed: true,
      peerLed: true,
      circumstances: ['post_raid', 'cjsv', 'post_raid'],
      notes: 'Met Somchai Jaidee after the raid; needs a solicitor.',
      needs: [{ category: 'legal', priority: 'urgent' }, { category: 'housing' }],
    });
    expect(res.status).toBe(201);
    const contact = res.body as unknown as ContactView;
    expect(contact).toMatchObject({
      kind: 'individual',
      personId: person,
      headcount: 1,
      occurredOn: '2026-03-09',
      circumstances: ['post_raid', 'cjsv'],
      hasNotes: true,
      caseworkerId: caseworker.id,
    });
    expect(contact.personCode).toMatch(/^HB-/);
    expect(contact.needs.map((n) => [n.category, n.priority, n.status])).toEqual([
      ['legal', 'urgent', 'identified'],
      ['housing', 'medium', 'identified'],
    ]);
    expect(JSON.stringify(res.body)).not.toContain('solicitor');
    const [row] = await db.asSuperuser<{ notes: Buffer; person_key: number }>(
      `SELECT notes, (SELECT key_id FROM organisation_key WHERE subject_id = $2) AS person_key
         FROM contact WHERE id = $1`,
      [contact.id, person],
    );
    expect(row!.notes[0]).toBe(1);
    // A person's notes are under their own key (erasing them erases the notes): key id at
    // bytes 2..5 of the envelope.
    expect(row!.notes.readUInt32BE(2)).toBe(row!.person_key);
    expect(findCanaries(row!.notes, CIPHERTEXT_MIN_BYTES)).toEqual([]);
    expect(row!.notes.toString('latin1')).not.toContain('solicitor');

    const opened = await cw.send('get', `/api/contacts/${contact.id}`);
    expect(opened.status).toBe(200);
    expect((opened.body as unknown as ContactDetail).notes).toBe(
      'Met Somchai Jaidee after the raid; needs a solicitor.',
    );
    const [event] = await db.asSuperuser<{ fields: string[]; resource_ids: string[] }>(
      `SELECT fields, resource_ids FROM access_event WHERE action = 'contact.viewed' ORDER BY seq DESC LIMIT 1`,
    );
    expect(event).toEqual({ fields: ['notes'], resource_ids: [contact.id, contact.personCode] });
    expect(findCanaries(harbour.rawLogs())).toEqual([]);
  });

  it('writes a returning person’s contact under their current key, also when the key it remembers is gone', async () => {
    const returning = (await cw.send('post', '/api/persons', {})).body['id'] as string;
    const keyOf = async (contactId: string) => {
      const [row] = await db.asSuperuser<{ notes: Buffer }>(
        `SELECT notes FROM contact WHERE id = $1`,
        [contactId],
      );
      return row!.notes.readUInt32BE(2);
    };
    const first = await log({ personId: returning, notes: 'First visit.' });
    const second = await log({ personId: returning, notes: 'Second visit.' });
    expect([first.status, second.status]).toEqual([201, 201]);
    const firstKey = await keyOf(first.body['id'] as string);
    expect(await keyOf(second.body['id'] as string)).toBe(firstKey);
    expect(second.body['personCode']).toBe(first.body['personCode']);
    const [event] = await db.asSuperuser<{ resource_ids: string[] }>(
      `SELECT resource_ids FROM access_event WHERE action = 'contact.created' ORDER BY seq DESC LIMIT 1`,
    );
    expect(event!.resource_ids).toEqual([second.body['id'], second.body['personCode']]);

    // The key this process remembers is no longer the person's (destroyed here as erasure
    // would, but with the person kept): the contact goes under a new key, readable.
    await db.asSuperuser(`UPDATE organisation_key SET status = 'destroyed' WHERE key_id = $1`, [
      firstKey,
    ]);
    await db.asKeyring(`DELETE FROM key_material WHERE key_id = $1`, [firstKey]);
    const third = await log({ personId: returning, notes: 'Third visit.' });
    expect(third.status).toBe(201);
    const thirdKey = await keyOf(third.body['id'] as string);
    expect(thirdKey).not.toBe(firstKey);
    const opened = await cw.send('get', `/api/contacts/${third.body['id'] as string}`);
    expect((opened.body as unknown as ContactDetail).notes).toBe('Third visit.');
    // Another organisation still finds no such person, whatever this process remembers.
    const foreign = await log({ personId: returning, notes: 'Not theirs.' }, other);
    expect(foreign.status).toBe(400);
  });

  it('logs a group contact of anonymous people with a headcount', async () => {
    const res = await log({
      kind: 'group',
      headcount: 12,
      channel: 'outreach_visit',
      locationType: 'outreach_venue',
      circumstances: ['post_raid'],
      needs: [{ category: 'migration_visa' }],
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ kind: 'group', headcount: 12, personId: null });
    expect((res.body as unknown as ContactView).needs[0]).toMatchObject({
      personId: null,
      category: 'migration_visa',
    });
    const grouped = await log({
      kind: 'group',
      headcount: 3,
      notes: 'Outreach night, three people',
    });
    const [row] = await db.asSuperuser<{ notes: Buffer }>(
      `SELECT notes FROM contact WHERE id = $1`,
      [grouped.body['id']],
    );
    // Anonymous contacts' notes are under the organisation's data key (id 2).
    expect(row!.notes.readUInt32BE(2)).toBe(2);
    const opened = await cw.send('get', `/api/contacts/${grouped.body['id'] as string}`);
    expect(opened.body['notes']).toBe('Outreach night, three people');
  });

  it('refuses inconsistent contacts with the field named, and writes nothing', async () => {
    const [before] = await db.asSuperuser<{ n: number }>(`SELECT count(*)::int AS n FROM contact`);
    const cases: [Record<string, unknown>, string][] = [
      // 2026-03-11 has begun at UTC+14 (accepted below); 2026-03-12 has begun nowhere.
      [{ occurredOn: '2026-03-12' }, 'occurredOn'],
      [{ occurredOn: '2026-02-30' }, 'occurredOn'],
      [{ kind: 'group' }, 'headcount'],
      [{ kind: 'group', headcount: 1 }, 'headcount'],
      [{ kind: 'group', headcount: 3, personId: person }, 'personId'],
      [{ headcount: 3 }, 'headcount'],
      [{ personId: otherPerson }, 'personId'],
      [{ circumstances: ['alien_abduction'] }, 'circumstances'],
      [{ channel: 'telepathy' }, 'channel'],
      [{ needs: [{ category: 'legal', status: 'met' }] }, 'needs.0.status'],
      [{ notes: 'x'.repeat(4_001) }, 'notes'],
    ];
    for (const [body, field] of cases) {
      const res = await log(body);
      expect({ body, status: res.status, code: res.body['code'] }).toEqual({
        body,
        status: 400,
        code: 'validation_failed',
      });
      const fields = (res.body['fields'] as { path: string }[]).map((f) => f.path);
      expect({ body, fields }).toEqual({
        body,
        fields: expect.arrayContaining([field]) as unknown,
      });
    }
    const [after] = await db.asSuperuser<{ n: number }>(`SELECT count(*)::int AS n FROM contact`);
    expect(after).toEqual(before);
  });

  it('says which days and lengths it accepts, from the rules themselves', async () => {
    const days = { earliest: '1900-01-01', latest: '2026-03-11' };
    const cases: [Record<string, unknown>, unknown][] = [
      [{ occurredOn: '2026-03-12' }, { path: 'occurredOn', reason: 'notInFuture', limits: days }],
      // Refused by the validation pipe, which knows the earliest day but has no clock.
      [
        { occurredOn: '1899-12-31' },
        { path: 'occurredOn', reason: 'isDate', limits: { earliest: days.earliest } },
      ],
      [
        { notes: 'x'.repeat(4_001) },
        { path: 'notes', reason: 'maxLength', limits: { maxLength: 4_000 } },
      ],
      [
        { kind: 'group', headcount: 1 },
        { path: 'headcount', reason: 'groupHeadcount' },
      ],
    ];
    for (const [body, field] of cases) {
      const res = await log(body);
      expect({ body, status: res.status, fields: res.body['fields'] }).toEqual({
        body,
        status: 400,
        fields: [field],
      });
    }
  });

  it('accepts today’s date for a caseworker ahead of UTC (the day has begun somewhere)', async () => {
    const res = await log({ occurredOn: '2026-03-11' });
    expect(res.status).toBe(201);
    expect(res.body['occurredOn']).toBe('2026-03-11');
  });

  it('lists newest first with filters and a cursor, without notes, and only the own organisation', async () => {
    for (const [day, channel] of [
      ['2026-02-01', 'phone'],
      ['2026-02-02', 'text'],
      ['2026-02-03', 'phone'],
      ['2026-02-04', 'phone'],
    ] as const) {
      expect((await log({ occurredOn: day, channel, notes: 'private' })).status).toBe(201);
    }
    await log({ occurredOn: '2026-02-05', channel: 'phone' }, other);
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const query = `/api/contacts?channel=phone&from=2026-02-01&to=2026-02-28&limit=2${
        cursor === null ? '' : `&cursor=${cursor}`
      }`;
      const page = (await cw.send('get', query)).body as unknown as ContactPage;
      expect(page.items.length).toBeLessThanOrEqual(2);
      for (const item of page.items) {
        expect(item).not.toHaveProperty('notes');
        seen.push(item.occurredOn);
      }
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(seen).toEqual(['2026-02-04', '2026-02-03', '2026-02-01']);
    const byPerson = (await cw.send('get', `/api/contacts?person=${person}`))
      .body as unknown as ContactPage;
    expect(byPerson.items.map((c) => c.personId)).toEqual([person]);
    const byTag = (await cw.send('get', '/api/contacts?circumstance=cjsv'))
      .body as unknown as ContactPage;
    expect(byTag.items).toHaveLength(1);
    expect((await cw.send('get', '/api/contacts?cursor=bm9wZQ')).status).toBe(400);
  });

  it('moves needs through their statuses, refuses illegal ones and stale versions', async () => {
    const created = await cw.send('post', '/api/needs', { personId: person, category: 'health' });
    expect(created.status).toBe(201);
    const need = created.body as unknown as NeedView;
    expect(need).toMatchObject({ status: 'identified', priority: 'medium', version: 1 });
    const started = await cw.send('patch', `/api/needs/${need.id}`, {
      version: 1,
      status: 'in_progress',
    });
    expect(started.body).toMatchObject({ status: 'in_progress', version: 2, closedOn: null });
    const met = await cw.send('patch', `/api/needs/${need.id}`, { version: 2, status: 'met' });
    expect(met.body).toMatchObject({ status: 'met', version: 3, closedOn: '2026-03-10' });
    const back = await cw.send('patch', `/api/needs/${need.id}`, {
      version: 3,
      status: 'in_progress',
    });
    expect(back.status).toBe(409);
    expect(back.body['code']).toBe('invalid_transition');
    const stale = await cw.send('patch', `/api/needs/${need.id}`, { version: 1, priority: 'low' });
    expect(stale.status).toBe(409);
    expect(stale.body['code']).toBe('version_conflict');
    const [row] = await db.asSuperuser<{ status: string; priority: string; version: number }>(
      `SELECT status, priority, version FROM support_need WHERE id = $1`,
      [need.id],
    );
    expect(row).toEqual({ status: 'met', priority: 'medium', version: 3 });
    expect((await cw.send('post', '/api/needs', { category: 'health' })).body['fields']).toEqual([
      { path: 'personId', reason: 'personOrContact' },
    ]);
    expect(
      (await cw.send('post', '/api/needs', { personId: otherPerson, category: 'health' })).status,
    ).toBe(400);
  });

  it('answers 404 for another organisation’s contact and need', async () => {
    const contact = (await log({ personId: person })).body as unknown as ContactView;
    const need = await cw.send('post', '/api/needs', { contactId: contact.id, category: 'other' });
    expect((await other.send('get', `/api/contacts/${contact.id}`)).status).toBe(404);
    expect(
      (
        await other.send('patch', `/api/needs/${need.body['id'] as string}`, {
          version: 1,
          status: 'met',
        })
      ).status,
    ).toBe(404);
  });
});
