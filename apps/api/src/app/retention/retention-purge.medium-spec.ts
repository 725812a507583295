import { randomUUID } from 'node:crypto';
import type { PersonView, RetentionClassResult, RetentionDryRun } from '@harbour/domain';
import { PersonRecords } from '../../core/records/person-records';
import { tenantScope } from '../../core/scope/request-scope';
import { Db } from '../../infra/database/transaction';
import { CANARY_PEOPLE } from '../../test/canaries';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { RETENTION_CLASS_LIST, type RetentionClass, type RetentionPlan } from './retention-class';
import { RetentionPurgeTask } from './retention-purge.task';
import { RetentionService } from './retention.service';

const DAY = 86_400_000;
const MONTH = 31 * DAY;

/** Where each class's records live, and how to read back which are still there. */
const REMAINING: Record<string, string> = {
  inactive_people: `SELECT id::text FROM person WHERE organisation_id = $1 AND erased_at IS NULL`,
  closed_referrals: `SELECT id::text FROM referral WHERE organisation_id = $1`,
  contacts: `SELECT id::text FROM contact WHERE organisation_id = $1`,
  idempotency_records: `SELECT id::text FROM idempotency_key WHERE organisation_id = $1`,
  expired_sessions: `SELECT id::text FROM staff_session WHERE organisation_id = $1`,
  throttle_rows: `SELECT key AS id FROM login_throttle WHERE $1::uuid IS NOT NULL`,
};

/**
 * Retention with an injected clock (issue 18, done means 1): records of every class seeded at
 * various ages; a dry run at T; a real run at T removes exactly what the dry run listed — every
 * listed record gone, every other one still there — and a purged person can be neither
 * decrypted nor found.
 */
describe('retention purge', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  let otherOrg: string;
  let admin: TestBrowser;
  let cw: TestBrowser;
  let otherCw: TestBrowser;
  let worker: TestUser;
  const canary = CANARY_PEOPLE[1]!;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Retention Test Service');
    otherOrg = await h.createOrganisation('Retention Other Service');
    worker = await h.createUser(org, { roles: ['caseworker', 'coordinator'] });
    cw = await h.signIn(worker);
    admin = await h.signIn(await h.createUser(org, { roles: ['admin'] }));
    otherCw = await h.signIn(await h.createUser(otherOrg, { roles: ['caseworker'] }));
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const ago = (ms: number) => new Date(harbour.clock.now().getTime() - ms);

  async function person(browser: TestBrowser, identity?: object): Promise<PersonView> {
    const res = await browser.send('post', '/api/persons', identity ? { identity } : {});
    expect(res.status).toBe(201);
    return res.body as unknown as PersonView;
  }

  /** A person whose record and every activity happened `age` ago. */
  async function agedPerson(browser: TestBrowser, age: number, identity?: object) {
    const p = await person(browser, identity);
    await db.asSuperuser(`UPDATE person SET created_at = $2, updated_at = $2 WHERE id = $1`, [
      p.id,
      ago(age),
    ]);
    return p;
  }

  async function contact(browser: TestBrowser, age: number, personId?: string): Promise<string> {
    const res = await browser.send('post', '/api/contacts', {
      ...(personId === undefined ? {} : { personId }),
      occurredOn: harbour.clock.now().toISOString().slice(0, 10),
      channel: 'phone',
      locationType: 'online_or_phone',
    });
    expect(res.status).toBe(201);
    const id = res.body['id'] as string;
    await db.asSuperuser(`UPDATE contact SET occurred_on = $2::date WHERE id = $1`, [
      id,
      ago(age).toISOString().slice(0, 10),
    ]);
    return id;
  }

  /** A referral for a new need of `personId`, closed `closedAge` ago (or left open: null). */
  async function referral(personId: string, closedAge: number | null): Promise<string> {
    const partner = (
      await admin.send('post', '/api/partners', { name: 'Clinic', serviceType: 'sexual_health' })
    ).body['id'] as string;
    const need = (await cw.send('post', '/api/needs', { personId, category: 'health' })).body[
      'id'
    ] as string;
    const r = await cw.send('post', '/api/referrals', { needId: need, partnerId: partner });
    expect(r.status).toBe(201);
    const id = r.body['id'] as string;
    if (closedAge !== null) {
      const closed = await cw.send('post', `/api/referrals/${id}/transitions`, {
        version: r.body['version'],
        to: 'withdrawn',
      });
      expect(closed.status).toBe(200);
      await db.asSuperuser(`UPDATE referral SET closed_at = $2 WHERE id = $1`, [
        id,
        ago(closedAge),
      ]);
    }
    return id;
  }

  async function plans(at: Date): Promise<Map<string, RetentionPlan>> {
    const classes = harbour.app.get<readonly RetentionClass[]>(RETENTION_CLASS_LIST);
    return harbour.app.get(Db).transaction(org, async (tx) => {
      const service = harbour.app.get(RetentionService);
      const settings = await service.settings(tenantScope(tx));
      const out = new Map<string, RetentionPlan>();
      for (const cls of classes) {
        const keep = settings.policies.find((p) => p.class === cls.name)!.keep!;
        out.set(cls.name, await cls.plan(tenantScope(tx), keep, at));
      }
      return out;
    });
  }

  const remaining = async (cls: string, organisationId = org): Promise<Set<string>> =>
    new Set(
      (await db.asSuperuser<{ id: string }>(REMAINING[cls]!, [organisationId])).map((r) => r.id),
    );

  it('removes at T exactly what a dry run at T listed, in every class, and nothing else', async () => {
    // inactive_people (24 months): two due, four not.
    const named = await agedPerson(cw, 30 * MONTH, {
      givenName: canary.given,
      familyName: canary.family,
      dateOfBirth: '1991-02-03',
      sex: 'female',
    });
    await contact(cw, 30 * MONTH, named.id);
    const quiet = await agedPerson(cw, 40 * MONTH);
    const recentContact = await agedPerson(cw, 40 * MONTH);
    await contact(cw, 2 * MONTH, recentContact.id);
    const openReferral = await agedPerson(cw, 40 * MONTH);
    await referral(openReferral.id, null);
    const young = await person(cw);
    const otherOld = await agedPerson(otherCw, 40 * MONTH);
    // closed_referrals (24 months): one due, one closed recently.
    const holder = await person(cw);
    const oldReferral = await referral(holder.id, 30 * MONTH);
    const newReferral = await referral(holder.id, 6 * MONTH);
    // contacts (60 months): one due, one not.
    const oldContact = await contact(cw, 70 * MONTH);
    const newerContact = await contact(cw, 50 * MONTH);
    // idempotency records (2 days): one expired long ago, one fresh.
    const keyed = await cw.send(
      'post',
      '/api/persons',
      {},
      { headers: { 'Idempotency-Key': randomUUID() } },
    );
    expect(keyed.status).toBe(201);
    await cw.send('post', '/api/persons', {}, { headers: { 'Idempotency-Key': randomUUID() } });
    await db.asSuperuser(
      `UPDATE idempotency_key SET created_at = $2, expires_at = $3 WHERE organisation_id = $1
          AND created_at = (SELECT min(created_at) FROM idempotency_key WHERE organisation_id = $1)`,
      [org, ago(5 * DAY), ago(4 * DAY)],
    );
    // expired sessions (30 days): one that ended 40 days ago.
    const leaver = await h.createUser(org, { roles: ['caseworker'] });
    await h.signIn(leaver);
    await db.asSuperuser(
      `UPDATE staff_session SET idle_expires_at = $2, absolute_expires_at = $2 WHERE user_id = $1`,
      [leaver.id, ago(40 * DAY)],
    );
    // throttle rows (7 days): idle and harmless goes; a locked or delayed row stays.
    await db.asSuperuser(
      `INSERT INTO login_throttle (key, window_started_at, window_attempts, consecutive_failures, next_attempt_at, updated_at)
       VALUES ('retention-test-idle', $1, 1, 3, NULL, $1),
              ('retention-test-locked', $1, 1, 100, NULL, $1),
              ('retention-test-delayed', $1, 1, 9, $2, $1)`,
      [ago(10 * DAY), new Date(harbour.clock.now().getTime() + DAY)],
    );

    const T = harbour.clock.now();
    const before = new Map<string, Set<string>>();
    for (const cls of Object.keys(REMAINING)) before.set(cls, await remaining(cls));
    const otherBefore = await remaining('inactive_people', otherOrg);

    const dry = await admin.send('post', '/api/retention/dry-run');
    expect(dry.status).toBe(200);
    const listed = dry.body as unknown as RetentionDryRun;
    expect(listed.at).toBe(T.toISOString());
    const planned = await plans(T);
    const byClass = new Map(listed.classes.map((c) => [c.class, c]));

    // The seeded records fall where the rules say.
    const ids = (cls: string) => new Set(planned.get(cls)!.ids);
    expect(ids('inactive_people')).toEqual(new Set([named.id, quiet.id]));
    expect(byClass.get('inactive_people')!.codes).toEqual([quiet.code, named.code]);
    for (const kept of [recentContact, openReferral, young, holder])
      expect(ids('inactive_people').has(kept.id)).toBe(false);
    expect(ids('closed_referrals').has(oldReferral)).toBe(true);
    expect(ids('closed_referrals').has(newReferral)).toBe(false);
    expect(ids('contacts').has(oldContact)).toBe(true);
    expect(ids('contacts').has(newerContact)).toBe(false);
    expect(ids('idempotency_records').size).toBe(1);
    const leaverSessions = await db.asSuperuser<{ id: string }>(
      `SELECT id::text FROM staff_session WHERE user_id = $1`,
      [leaver.id],
    );
    expect(leaverSessions.length).toBeGreaterThan(0);
    expect(ids('expired_sessions')).toEqual(new Set(leaverSessions.map((r) => r.id)));
    expect(ids('throttle_rows')).toEqual(new Set(['retention-test-idle']));
    // The dry run shows what the plans hold: counts and dates; codes for people only.
    for (const [cls, plan] of planned) {
      expect(byClass.get(cls as RetentionClassResult['class'])).toMatchObject({
        count: plan.count,
        oldest: plan.oldest?.toISOString() ?? null,
        newest: plan.newest?.toISOString() ?? null,
      });
      if (cls !== 'inactive_people') expect(byClass.get(cls as never)!.codes).toBeUndefined();
    }
    // A dry run changes nothing.
    for (const cls of Object.keys(REMAINING)) expect(await remaining(cls)).toEqual(before.get(cls));

    // The real run at the same T.
    const outcome = await harbour.app
      .get(Db)
      .transaction(org, (tx) => harbour.app.get(RetentionService).purge(tenantScope(tx), T, 'cli'));
    expect(
      outcome.classes.map(({ class: c, count, oldest, newest, codes }) => ({
        c,
        count,
        oldest,
        newest,
        codes,
      })),
    ).toEqual(
      listed.classes.map(({ class: c, count, oldest, newest, codes }) => ({
        c,
        count,
        oldest,
        newest,
        codes,
      })),
    );
    for (const cls of Object.keys(REMAINING)) {
      const gone = new Set(planned.get(cls)!.ids);
      const expected = new Set([...before.get(cls)!].filter((id) => !gone.has(id)));
      expect({ cls, left: await remaining(cls) }).toEqual({ cls, left: expected });
    }
    expect(await remaining('inactive_people', otherOrg)).toEqual(otherBefore);
    expect(otherBefore.has(otherOld.id)).toBe(true);

    // The run is recorded with counts only, and is one access event.
    const [run] = await db.asSuperuser<{ trigger: string; counts: Record<string, number> }>(
      `SELECT trigger, counts FROM purge_run WHERE organisation_id = $1`,
      [org],
    );
    expect(run).toEqual({
      trigger: 'cli',
      counts: Object.fromEntries(listed.classes.map((c) => [c.class, c.count])),
    });
    const events = await db.asSuperuser<{ n: number }>(
      `SELECT count(*)::int AS n FROM access_event WHERE organisation_id = $1 AND action = 'retention.purged'`,
      [org],
    );
    expect(events).toEqual([{ n: 1 }]);
  }, 120_000);

  it('leaves a purged person undecryptable and unfindable', async () => {
    const given = CANARY_PEOPLE[2]!;
    const p = await agedPerson(cw, 30 * MONTH, {
      givenName: given.given,
      familyName: given.family,
      dateOfBirth: '1988-07-09',
      sex: 'female',
    });
    const typo = `${given.family} ${given.given.slice(0, -1)}${given.given.endsWith('a') ? 'e' : 'a'}`;
    const find = async (name: string) =>
      (
        (await cw.send('post', '/api/persons/lookup', { name })).body as unknown as { id: string }[]
      ).map((c) => c.id);
    // Found before: by the exact name and by a similar spelling.
    expect(await find(`${given.given} ${given.family}`)).toContain(p.id);
    expect(await find(typo)).toContain(p.id);

    await harbour.app
      .get(Db)
      .transaction(org, (tx) =>
        harbour.app.get(RetentionService).purge(tenantScope(tx), harbour.clock.now(), 'admin'),
      );

    const revealed = await cw.send('post', `/api/persons/${p.id}/reveal`, { purpose: 'other' });
    expect(revealed.body).toEqual({ identity: {} });
    const material = await db.asKeyring<{ n: number }>(
      `SELECT count(*)::int AS n FROM key_material WHERE subject_id = $1`,
      [p.id],
    );
    expect(material).toEqual([{ n: 0 }]);
    const [state] = await db.asSuperuser<{ identity: number; index: number; keys: number }>(
      `SELECT (SELECT count(*)::int FROM person_identity WHERE person_id = $1) AS identity,
              (SELECT count(*)::int FROM person_index WHERE person_id = $1) AS index,
              (SELECT count(*)::int FROM organisation_key
                WHERE subject_id = $1 AND status <> 'destroyed') AS keys`,
      [p.id],
    );
    expect(state).toEqual({ identity: 0, index: 0, keys: 0 });
    expect(await find(`${given.given} ${given.family}`)).not.toContain(p.id);
    expect(await find(typo)).not.toContain(p.id);
  }, 60_000);

  it('never erases a person with an open follow-up, even one opened after the plan was read', async () => {
    const p = await agedPerson(cw, 30 * MONTH, { givenName: 'Kept', familyName: 'Open' });
    const opened = await cw.send('post', '/api/follow-ups', {
      personId: p.id,
      text: 'Check the new address',
      dueOn: harbour.clock.now().toISOString().slice(0, 10),
    });
    expect(opened.status).toBe(201);
    // As the purge erases what its plan listed: the person's record is listed as inactive
    // (no activity since), but someone has opened a follow-up for them since.
    const receipt = await harbour.app
      .get(Db)
      .transaction(org, (tx) =>
        harbour.app.get(PersonRecords).eraseForRetention(tenantScope(tx), p.id),
      );
    expect(receipt).toBeNull();
    const [state] = await db.asSuperuser<{ erased: boolean; keys: number; status: string }>(
      `SELECT (SELECT erased_at IS NOT NULL FROM person WHERE id = $1) AS erased,
              (SELECT count(*)::int FROM organisation_key
                WHERE subject_id = $1 AND status <> 'destroyed') AS keys,
              (SELECT status FROM follow_up WHERE id = $2) AS status`,
      [p.id, opened.body['id']],
    );
    expect(state).toMatchObject({ erased: false, status: 'open' });
    expect(state!.keys).toBeGreaterThan(0);
  });

  it('runs daily per organisation from the job, recording a run and one access event each time', async () => {
    const task = harbour.app.get(RetentionPurgeTask);
    const runs = () =>
      db.asSuperuser<{ organisation_id: string }>(
        `SELECT organisation_id FROM purge_run WHERE trigger = 'job' ORDER BY finished_at`,
      );
    expect(await runs()).toEqual([]);
    expect(await task.run()).toBe(2);
    const first = await runs();
    expect(first.map((r) => r.organisation_id).sort()).toEqual([org, otherOrg].sort());
    // Within the day: nothing more.
    harbour.clock.advance(23 * 60 * 60 * 1000);
    expect(await task.run()).toBe(0);
    expect((await runs()).length).toBe(first.length);
    // A day after: once more per organisation.
    harbour.clock.advance(2 * 60 * 60 * 1000);
    expect(await task.run()).toBe(2);
    const events = await db.asSuperuser<{ n: number }>(
      `SELECT count(*)::int AS n FROM access_event WHERE organisation_id = $1 AND action = 'retention.purged'`,
      [otherOrg],
    );
    expect(events).toEqual([{ n: 2 }]);
  }, 60_000);
});
