import type { DayCounts, DayView, FollowUpView, PartnerView, PersonView } from '@harbour/domain';
import { CIPHERTEXT_MIN_BYTES, findCanaries } from '../../test/canaries';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/** Follow-ups and the caseworker's day (issue 17). The app's clock starts 2026-11-22T09:00Z. */
describe('follow-ups', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  let caseworker: TestUser;
  let colleague: TestUser;
  let cw: TestBrowser;
  let coord: TestBrowser;
  let other: TestBrowser;
  let person: PersonView;
  let otherPerson: PersonView;
  let auditor: TestUser;
  let outsider: TestUser;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Follow-up Service');
    const otherOrg = await h.createOrganisation('Other Follow-up Service');
    caseworker = await h.createUser(org, { roles: ['caseworker'] });
    colleague = await h.createUser(org, { roles: ['coordinator'] });
    auditor = await h.createUser(org, { roles: ['auditor'] });
    outsider = await h.createUser(otherOrg, { roles: ['caseworker'] });
    cw = await h.signIn(caseworker);
    coord = await h.signIn(colleague);
    other = await h.signIn(outsider);
    person = (
      await cw.send('post', '/api/persons', {
        identity: { givenName: 'Somchai', familyName: 'Jaidee' },
      })
    ).body as unknown as PersonView;
    otherPerson = (await cw.send('post', '/api/persons', {})).body as unknown as PersonView;
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const create = (body: Record<string, unknown>, browser = cw) =>
    browser.send('post', '/api/follow-ups', body);
  const count = async () =>
    Number((await db.asSuperuser<{ n: string }>(`SELECT count(*) AS n FROM follow_up`))[0]!.n);

  it('keeps the text under the person’s own key, reads it back, and logs only ids and the field name', async () => {
    const text = 'Call Somchai Jaidee back about the clinic on Friday';
    const res = await create({ personId: person.id, text, dueOn: '2026-11-27' });
    expect(res.status).toBe(201);
    const made = res.body as unknown as FollowUpView;
    expect(made).toMatchObject({
      personId: person.id,
      personCode: person.code,
      source: 'manual',
      text,
      dueOn: '2026-11-27',
      assignedTo: caseworker.id,
      status: 'open',
      snoozedCount: 0,
      version: 1,
    });

    const [row] = await db.asSuperuser<{ text: Buffer; person_key: number }>(
      `SELECT text, (SELECT key_id FROM organisation_key WHERE subject_id = $2) AS person_key
         FROM follow_up WHERE id = $1`,
      [made.id, person.id],
    );
    expect(row!.text[0]).toBe(1);
    expect(row!.text.readUInt32BE(2)).toBe(row!.person_key);
    expect(row!.text.toString('latin1')).not.toContain('clinic');
    expect(findCanaries(row!.text, CIPHERTEXT_MIN_BYTES)).toEqual([]);

    // The CHECK refuses plaintext written around the API.
    await expect(
      db.asSuperuser(`UPDATE follow_up SET text = convert_to('call back', 'UTF8') WHERE id = $1`, [
        made.id,
      ]),
    ).rejects.toThrow(/follow_up_text_envelope/);

    const listed = await cw.send('get', `/api/follow-ups?person=${person.id}`);
    expect(listed.status).toBe(200);
    expect((listed.body as unknown as FollowUpView[]).map((f) => f.text)).toEqual([text]);
    const [event] = await db.asSuperuser<{ fields: string[]; resource_ids: string[] }>(
      `SELECT fields, resource_ids FROM access_event WHERE action = 'follow_up.listed'
        ORDER BY seq DESC LIMIT 1`,
    );
    expect(event).toEqual({ fields: ['text'], resource_ids: [made.id, person.code] });
    const events = await db.asSuperuser<{ body: string }>(
      `SELECT row_to_json(e)::text AS body FROM access_event e WHERE organisation_id = $1`,
      [org],
    );
    expect(events.map((e) => e.body).join('\n')).not.toContain('clinic');
    expect(findCanaries(Buffer.from(events.map((e) => e.body).join('\n')))).toEqual([]);
    expect(findCanaries(harbour.rawLogs())).toEqual([]);
  });

  it('refuses bad input with precise codes and writes nothing', async () => {
    const need = (
      await cw.send('post', '/api/needs', { personId: otherPerson.id, category: 'health' })
    ).body['id'] as string;
    const before = await count();
    const cases: [Record<string, unknown>, number, string][] = [
      [{ personId: person.id, text: 'Call back', dueOn: '2026-11-01' }, 422, 'due_date_in_past'],
      [
        { personId: person.id, text: 'Call back', dueOn: '2026-11-23', assignedTo: auditor.id },
        422,
        'assignee_not_eligible',
      ],
      [
        { personId: person.id, text: 'Call back', dueOn: '2026-11-23', assignedTo: outsider.id },
        422,
        'assignee_not_eligible',
      ],
      [
        { personId: person.id, text: 'Call back', dueOn: '2026-11-23', needId: need },
        400,
        'validation_failed',
      ],
      [{ personId: person.id, text: '   ', dueOn: '2026-11-23' }, 400, 'validation_failed'],
      [
        { personId: person.id, text: 'x'.repeat(501), dueOn: '2026-11-23' },
        400,
        'validation_failed',
      ],
      [{ personId: person.id, text: 'Call back', dueOn: '2028-01-01' }, 400, 'validation_failed'],
      [{ text: 'Call back', dueOn: '2026-11-23' }, 400, 'validation_failed'],
    ];
    for (const [body, status, code] of cases) {
      const res = await create(body);
      expect({ body, status: res.status, code: res.body['code'] }).toEqual({ body, status, code });
    }
    // Another organisation's person is no person at all.
    const res = await create(
      { personId: person.id, text: 'Call back', dueOn: '2026-11-23' },
      other,
    );
    expect({ status: res.status, code: res.body['code'] }).toEqual({
      status: 400,
      code: 'validation_failed',
    });
    expect(await count()).toBe(before);
  });

  it('is done, snoozed, reassigned and cancelled with optimistic versions; a closed one stays closed', async () => {
    const made = (
      await create({
        personId: person.id,
        text: 'Bring the housing forms',
        dueOn: '2026-11-22',
        assignedTo: colleague.id,
      })
    ).body as unknown as FollowUpView;
    expect(made.assignedTo).toBe(colleague.id);
    const patch = (body: Record<string, unknown>, browser = cw) =>
      browser.send('patch', `/api/follow-ups/${made.id}`, body);

    const past = await patch({ version: 1, action: 'snooze', dueOn: '2026-11-20' });
    expect({ status: past.status, code: past.body['code'] }).toEqual({
      status: 422,
      code: 'due_date_in_past',
    });
    const missing = await patch({ version: 1, action: 'snooze' });
    expect(missing.status).toBe(400);
    const snoozed = await patch({ version: 1, action: 'snooze', dueOn: '2026-11-29' });
    expect(snoozed.status).toBe(200);
    expect(snoozed.body).toMatchObject({ dueOn: '2026-11-29', snoozedCount: 1, version: 2 });

    const stale = await patch({ version: 1, action: 'done' });
    expect({ status: stale.status, code: stale.body['code'] }).toEqual({
      status: 409,
      code: 'version_conflict',
    });
    const wrongAssignee = await patch({ version: 2, action: 'reassign', assignedTo: auditor.id });
    expect(wrongAssignee.body['code']).toBe('assignee_not_eligible');
    const reassigned = await patch({
      version: 2,
      action: 'reassign',
      assignedTo: caseworker.id,
    });
    expect(reassigned.body).toMatchObject({ assignedTo: caseworker.id, version: 3 });

    harbour.clock.advance(60_000);
    const done = await patch({ version: 3, action: 'done' }, coord);
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      status: 'done',
      completedBy: colleague.id,
      completedAt: harbour.clock.now().toISOString(),
      version: 4,
    });
    for (const action of ['done', 'cancel', 'snooze', 'reassign']) {
      const res = await patch({
        version: 4,
        action,
        dueOn: '2026-12-01',
        assignedTo: caseworker.id,
      });
      expect({ action, status: res.status, code: res.body['code'] }).toEqual({
        action,
        status: 409,
        code: 'follow_up_closed',
      });
    }
    const [row] = await db.asSuperuser<{ status: string; version: number }>(
      `SELECT status, version FROM follow_up WHERE id = $1`,
      [made.id],
    );
    expect(row).toEqual({ status: 'done', version: 4 });

    const cancelled = (
      await create({ personId: person.id, text: 'Never mind', dueOn: '2026-11-30' })
    ).body as unknown as FollowUpView;
    const res = await cw.send('patch', `/api/follow-ups/${cancelled.id}`, {
      version: 1,
      action: 'cancel',
    });
    expect(res.body).toMatchObject({ status: 'cancelled', completedBy: caseworker.id });
  });

  it('is invisible and untouchable from another organisation', async () => {
    const made = (
      await create({ personId: person.id, text: 'Check on the visa letter', dueOn: '2026-11-24' })
    ).body as unknown as FollowUpView;
    const res = await other.send('patch', `/api/follow-ups/${made.id}`, {
      version: 1,
      action: 'done',
    });
    expect({ status: res.status, code: res.body['code'] }).toEqual({
      status: 404,
      code: 'not_found',
    });
    const listed = (await other.send('get', '/api/follow-ups')).body as unknown as FollowUpView[];
    expect(listed).toEqual([]);
    const day = (await other.send('get', '/api/me/day')).body as unknown as DayView;
    expect(day.overdue.length + day.dueToday.length + day.upcoming.length).toBe(0);
  });

  it('offers as assignees only active case staff of the organisation', async () => {
    const res = await cw.send('get', '/api/follow-ups/assignees');
    expect(res.status).toBe(200);
    const ids = (res.body as unknown as { id: string }[]).map((a) => a.id);
    expect(ids).toEqual(expect.arrayContaining([caseworker.id, colleague.id]));
    expect(ids).not.toContain(auditor.id);
    expect(ids).not.toContain(outsider.id);
  });

  it('erasing the person erases the text and cancels their open follow-ups', async () => {
    const erased = (
      await cw.send('post', '/api/persons', {
        identity: { givenName: 'Erase', familyName: 'Me' },
      })
    ).body as unknown as PersonView;
    const made = (
      await create({ personId: erased.id, text: 'Ask about the hostel bed', dueOn: '2026-11-25' })
    ).body as unknown as FollowUpView;
    expect(made.text).toBe('Ask about the hostel bed');
    const closed = (
      await create({ personId: erased.id, text: 'Bring the leaflet', dueOn: '2026-11-25' })
    ).body as unknown as FollowUpView;
    const doneBefore = await cw.send('patch', `/api/follow-ups/${closed.id}`, {
      version: closed.version,
      action: 'done',
    });
    expect(doneBefore.status).toBe(200);
    const onMyDay = async () => {
      const day = (await cw.send('get', '/api/me/day')).body as unknown as DayView;
      return [...day.overdue, ...day.dueToday, ...day.upcoming].map((f) => f.id);
    };
    expect(await onMyDay()).toContain(made.id);
    await h.stepUp(coord, colleague);
    const res = await coord.send('post', `/api/persons/${erased.id}/erase`, {
      version: erased.version,
    });
    expect(res.status).toBe(200);
    // The receipt counts the open one it cancelled (not the one already done), and keeps it.
    expect(res.body).toMatchObject({ followUpsCancelled: 1 });
    const kept = await coord.send('get', `/api/persons/${erased.id}/erasure-receipt`);
    expect(kept.status).toBe(200);
    expect(kept.body).toMatchObject({ followUpsCancelled: 1 });
    const [row] = await db.asSuperuser<{ key_id: number }>(
      `SELECT ciphertext_key_id(text) AS key_id FROM follow_up WHERE id = $1`,
      [made.id],
    );
    // The text's key was the person's, and it is destroyed: marked, and its material gone.
    const [key] = await db.asSuperuser<{ subject_id: string; status: string }>(
      `SELECT subject_id, status FROM organisation_key WHERE key_id = $1 AND organisation_id = $2`,
      [row!.key_id, org],
    );
    expect(key).toEqual({ subject_id: erased.id, status: 'destroyed' });
    const material = await db.asKeyring<{ n: number }>(
      `SELECT count(*)::int AS n FROM key_material WHERE subject_id = $1`,
      [erased.id],
    );
    expect(material).toEqual([{ n: 0 }]);
    const listed = (await cw.send('get', `/api/follow-ups?person=${erased.id}`))
      .body as unknown as FollowUpView[];
    // The open one is cancelled by whoever erased the person; the one already done stays done.
    expect(
      listed.map((f) => ({ id: f.id, text: f.text, status: f.status, by: f.completedBy })),
    ).toEqual(
      expect.arrayContaining([
        { id: made.id, text: null, status: 'cancelled', by: colleague.id },
        { id: closed.id, text: null, status: 'done', by: caseworker.id },
      ]),
    );
    expect(listed).toHaveLength(2);
    // Nobody's day asks them to follow up someone who asked to be forgotten.
    expect(await onMyDay()).not.toContain(made.id);
    const reopen = await cw.send('patch', `/api/follow-ups/${made.id}`, {
      version: listed.find((f) => f.id === made.id)!.version,
      action: 'snooze',
      dueOn: '2026-12-01',
    });
    expect({ status: reopen.status, code: reopen.body['code'] }).toEqual({
      status: 409,
      code: 'follow_up_closed',
    });
    // A new follow-up for an erased person is refused.
    const again = await create({ personId: erased.id, text: 'Call back', dueOn: '2026-11-25' });
    expect({ status: again.status, code: again.body['code'] }).toEqual({
      status: 400,
      code: 'validation_failed',
    });
  });

  it('lists with filters: mine, status, due before', async () => {
    const mine = (await cw.send('get', '/api/follow-ups?mine=true&status=open'))
      .body as unknown as FollowUpView[];
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.every((f) => f.assignedTo === caseworker.id && f.status === 'open')).toBe(true);
    const due = (await cw.send('get', '/api/follow-ups?dueBefore=2026-11-25'))
      .body as unknown as FollowUpView[];
    expect(due.every((f) => f.dueOn <= '2026-11-25')).toBe(true);
    const bad = await cw.send('get', '/api/follow-ups?status=snoozed');
    expect(bad.status).toBe(400);
  });

  it('builds the caseworker’s day: overdue, today, upcoming, quiet referrals, people seen, drafts; and its counts', async () => {
    const org2 = await h.createOrganisation('Day Service');
    const worker = await h.createUser(org2, { roles: ['caseworker'] });
    const mate = await h.createUser(org2, { roles: ['caseworker'] });
    const admin = await h.signIn(await h.createUser(org2, { roles: ['admin'] }));
    const me = await h.signIn(worker);
    const them = await h.signIn(mate);
    const p = (await me.send('post', '/api/persons', {})).body as unknown as PersonView;
    const seen = (await me.send('post', '/api/persons', {})).body as unknown as PersonView;
    const partner = (
      await admin.send('post', '/api/partners', { name: 'Clinic North', serviceType: 'health' })
    ).body as unknown as PartnerView;

    // Today is 2026-11-22 (UTC). Overdue follow-ups and a quiet referral are dated back in the
    // database (a session does not survive moving the clock by days).
    const add = (text: string, dueOn: string, browser = me, assignedTo?: string) =>
      browser.send('post', '/api/follow-ups', { personId: p.id, text, dueOn, assignedTo });
    const backdate = async (id: string, dueOn: string) =>
      db.asSuperuser(`UPDATE follow_up SET due_on = $2 WHERE id = $1`, [id, dueOn]);
    await backdate((await add('Overdue one', '2026-11-22')).body['id'] as string, '2026-11-19');
    await backdate((await add('Overdue two', '2026-11-22')).body['id'] as string, '2026-11-20');
    const referral = async (to: 'sent' | 'draft') => {
      const need = (await me.send('post', '/api/needs', { personId: p.id, category: 'health' }))
        .body['id'] as string;
      let r = (await me.send('post', '/api/referrals', { needId: need, partnerId: partner.id }))
        .body as { id: string; version: number };
      if (to === 'sent') {
        for (const step of [
          { to: 'consented', consent: { method: 'verbal', scope: ['needs'] } },
          { to: 'sent' },
        ]) {
          r = (
            await me.send('post', `/api/referrals/${r.id}/transitions`, {
              version: r.version,
              ...step,
            })
          ).body as { id: string; version: number };
        }
      }
      return r.id;
    };
    const quiet = await referral('sent');
    await db.asSuperuser(
      `UPDATE referral_event SET at = at - interval '21 days' WHERE referral_id = $1`,
      [quiet],
    );
    await db.asSuperuser(
      `UPDATE referral SET created_at = created_at - interval '21 days' WHERE id = $1`,
      [quiet],
    );
    const recent = await referral('sent');
    const draft = await referral('draft');
    await me.send('post', '/api/contacts', {
      personId: seen.id,
      occurredOn: '2026-11-15',
      channel: 'phone',
      locationType: 'online_or_phone',
    });
    await add('Due today', '2026-11-22');
    await add('Upcoming', '2026-11-25');
    await add('Not mine', '2026-11-22', them, mate.id);
    const closed = (await add('Done already', '2026-11-22')).body as unknown as FollowUpView;
    await me.send('patch', `/api/follow-ups/${closed.id}`, { version: 1, action: 'done' });

    const res = await me.send('get', '/api/me/day');
    expect(res.status).toBe(200);
    const day = res.body as unknown as DayView;
    expect(day.today).toBe('2026-11-22');
    expect(day.overdue.map((f) => f.text)).toEqual(['Overdue one', 'Overdue two']);
    expect(day.dueToday.map((f) => f.text)).toEqual(['Due today']);
    expect(day.upcoming.map((f) => f.text)).toEqual(['Upcoming']);
    expect(day.staleReferralDays).toBe(14);
    expect(day.staleReferrals.map((r) => r.id)).toEqual([quiet]);
    expect(day.staleReferrals[0]).toMatchObject({ partnerName: 'Clinic North', status: 'sent' });
    expect(day.drafts.map((r) => r.id)).toEqual([draft]);
    expect(day.staleReferrals.map((r) => r.id)).not.toContain(recent);
    expect(day.recentlySeen).toEqual([
      { personId: seen.id, personCode: seen.code, lastSeenOn: '2026-11-15' },
    ]);
    expect(JSON.stringify(day.recentlySeen)).not.toMatch(/given|family|name/i);

    const counts = (await me.send('get', '/api/me/day/counts')).body as unknown as DayCounts;
    expect(counts).toEqual({ followUpsDue: 3, staleReferrals: 1 });

    // The browser's own day, when it is today somewhere; a day that is today nowhere is refused.
    // 09:00 UTC: still 2026-11-21 west of UTC−9.
    const yesterday = (await me.send('get', '/api/me/day?today=2026-11-21'))
      .body as unknown as DayView;
    expect(yesterday.dueToday).toEqual([]);
    expect(yesterday.upcoming.map((f) => f.text)).toEqual(['Due today', 'Upcoming']);
    const far = await me.send('get', '/api/me/day?today=2026-11-23');
    expect(far.status).toBe(400);

    // Switching the setting off empties the quiet list and its count.
    const settings = (await admin.send('get', '/api/organisation/settings')).body;
    const off = await admin.send('patch', '/api/organisation/settings', {
      version: settings['version'],
      staleReferralDays: null,
    });
    expect(off.body['staleReferralDays']).toBeNull();
    const quietDay = (await me.send('get', '/api/me/day')).body as unknown as DayView;
    expect(quietDay.staleReferrals).toEqual([]);
    expect(
      ((await me.send('get', '/api/me/day/counts')).body as unknown as DayCounts).staleReferrals,
    ).toBe(0);
    const outOfBounds = await admin.send('patch', '/api/organisation/settings', {
      version: off.body['version'],
      staleReferralDays: 0,
    });
    expect(outOfBounds.status).toBe(400);
  });
});
