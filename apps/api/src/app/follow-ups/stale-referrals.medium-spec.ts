import type { FollowUpView, PartnerView } from '@harbour/domain';
import { AuthHarness, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { StaleReferralsTask } from './stale-referrals.task';

const DAY = 86_400_000;

/**
 * Automatic follow-ups for referrals that have waited on their partner for the organisation's
 * `staleReferralDays` (issue 17), with the injected clock.
 */
describe('automatic follow-ups for quiet referrals', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let task: StaleReferralsTask;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    task = harbour.app.get(StaleReferralsTask);
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  /** An organisation with a caseworker, a partner, and `staleReferralDays` set to `days`. */
  async function organisation(name: string, days: number | null) {
    const org = await h.createOrganisation(name);
    const worker = await h.createUser(org, { roles: ['caseworker'] });
    const adminUser = await h.createUser(org, { roles: ['admin'] });
    const admin = await h.signIn(adminUser);
    const settings = (await admin.send('get', '/api/organisation/settings')).body;
    const set = await admin.send('patch', '/api/organisation/settings', {
      version: settings['version'],
      staleReferralDays: days,
    });
    expect(set.body['staleReferralDays']).toBe(days);
    const partner = (
      await admin.send('post', '/api/partners', { name: 'Legal aid', serviceType: 'legal_aid' })
    ).body as unknown as PartnerView;
    return { org, worker, partner };
  }

  /** A referral moved to `to` now (its last change is now). */
  async function referral(
    worker: TestUser,
    partner: PartnerView,
    to: 'sent' | 'accepted' | 'consented' | 'completed',
  ): Promise<string> {
    const cw = await h.signIn(worker);
    const person = (await cw.send('post', '/api/persons', {})).body['id'] as string;
    const need = (await cw.send('post', '/api/needs', { personId: person, category: 'legal' }))
      .body['id'] as string;
    let r = (await cw.send('post', '/api/referrals', { needId: need, partnerId: partner.id }))
      .body as { id: string; version: number };
    const path = ['consented', 'sent', 'accepted', 'completed'];
    for (const step of path.slice(0, path.indexOf(to) + 1)) {
      const res = await cw.send('post', `/api/referrals/${r.id}/transitions`, {
        version: r.version,
        to: step,
        ...(step === 'consented' ? { consent: { method: 'verbal', scope: ['needs'] } } : {}),
      });
      expect(res.status).toBe(200);
      r = res.body as { id: string; version: number };
    }
    return r.id;
  }

  const automatic = (referralId: string) =>
    db.asSuperuser<{
      id: string;
      status: string;
      assigned_to: string;
      due_on: string;
      text: Buffer | null;
      organisation_id: string;
    }>(
      `SELECT id, status, assigned_to, due_on::text AS due_on, text, organisation_id
         FROM follow_up WHERE referral_id = $1 AND source = 'stale_referral' ORDER BY id`,
      [referralId],
    );

  it('adds exactly one after N days of quiet, none before, one again after the first is done and N more days pass; other organisations keep their own rules', async () => {
    const a = await organisation('Quiet Referrals A', 14);
    const off = await organisation('Quiet Referrals Off', null);
    const week = await organisation('Quiet Referrals Week', 7);
    const start = harbour.clock.now().getTime();
    const sent = await referral(a.worker, a.partner, 'sent');
    const accepted = await referral(a.worker, a.partner, 'accepted');
    const notYetSent = await referral(a.worker, a.partner, 'consented');
    const finished = await referral(a.worker, a.partner, 'completed');
    const offSent = await referral(off.worker, off.partner, 'sent');
    const weekSent = await referral(week.worker, week.partner, 'sent');

    // Day 13: nothing in A (the weekly organisation has its own by now).
    harbour.clock.set(new Date(start + 13 * DAY));
    await task.run();
    expect(await automatic(sent)).toEqual([]);
    expect(await automatic(accepted)).toEqual([]);
    expect(await automatic(weekSent)).toHaveLength(1);

    // Day 15: exactly one per waiting referral, assigned to its creator, due today, no text.
    harbour.clock.set(new Date(start + 15 * DAY));
    await task.run();
    const today = harbour.clock.now().toISOString().slice(0, 10);
    for (const id of [sent, accepted]) {
      expect(await automatic(id)).toEqual([
        {
          id: expect.any(String),
          status: 'open',
          assigned_to: a.worker.id,
          due_on: today,
          text: null,
          organisation_id: a.org,
        },
      ]);
    }
    expect(await automatic(notYetSent)).toEqual([]);
    expect(await automatic(finished)).toEqual([]);
    expect(await automatic(offSent)).toEqual([]);

    // Running again (or on another instance at the same time) adds nothing.
    await Promise.all([task.run(), task.run()]);
    expect(await automatic(sent)).toHaveLength(1);
    expect(await automatic(weekSent)).toHaveLength(1);

    // The creator sees it and marks it done.
    const cw = await h.signIn(a.worker);
    const mine = (await cw.send('get', '/api/follow-ups?mine=true&status=open'))
      .body as unknown as FollowUpView[];
    const first = mine.find((f) => f.referralId === sent)!;
    expect(first).toMatchObject({ source: 'stale_referral', text: null, dueOn: today });
    const done = await cw.send('patch', `/api/follow-ups/${first.id}`, {
      version: first.version,
      action: 'done',
    });
    expect(done.status).toBe(200);

    // Closed at day 15: the referral is quiet again from then on — nothing on day 28 ...
    harbour.clock.set(new Date(start + 28 * DAY));
    await task.run();
    expect((await automatic(sent)).map((f) => f.status)).toEqual(['done']);
    // ... and a new one on day 30, when 14 more days have passed.
    harbour.clock.set(new Date(start + 30 * DAY));
    await task.run();
    expect((await automatic(sent)).map((f) => f.status)).toEqual(['done', 'open']);
    // The other still has its first one open, and no second.
    expect((await automatic(accepted)).map((f) => f.status)).toEqual(['open']);
    // The organisation with the setting off never got one.
    expect(await automatic(offSent)).toEqual([]);
    // No follow-up anywhere points across organisations.
    const crossed = await db.asSuperuser<{ n: string }>(
      `SELECT count(*) AS n FROM follow_up f JOIN referral r ON r.id = f.referral_id
        WHERE r.organisation_id <> f.organisation_id`,
    );
    expect(crossed[0]!.n).toBe('0');
  });

  it('stops following up the referrals of an erased person: the open one is cancelled, no new one comes', async () => {
    const e = await organisation('Quiet Referrals Erased', 3);
    const coordinator = await h.createUser(e.org, { roles: ['coordinator'] });
    const start = harbour.clock.now().getTime();
    const erasedSent = await referral(e.worker, e.partner, 'sent');
    const keptSent = await referral(e.worker, e.partner, 'sent');
    harbour.clock.set(new Date(start + 4 * DAY));
    await task.run();
    expect((await automatic(erasedSent)).map((f) => f.status)).toEqual(['open']);

    const [{ person_id: personId }] = (await db.asSuperuser<{ person_id: string }>(
      `SELECT person_id FROM referral WHERE id = $1`,
      [erasedSent],
    )) as [{ person_id: string }];
    const coord = await h.signIn(coordinator);
    await h.stepUp(coord, coordinator);
    const person = (await coord.send('get', `/api/persons/${personId}`)).body;
    const erased = await coord.send('post', `/api/persons/${personId}/erase`, {
      version: person['version'],
    });
    expect(erased.status).toBe(200);
    expect(erased.body['followUpsCancelled']).toBe(1);
    expect((await automatic(erasedSent)).map((f) => f.status)).toEqual(['cancelled']);

    // Long after the threshold, the kept person's referral is followed up again; the erased
    // person's never is.
    const cw = await h.signIn(e.worker);
    const open = (await cw.send('get', '/api/follow-ups?mine=true&status=open'))
      .body as unknown as FollowUpView[];
    expect(open.map((f) => f.referralId)).toEqual([keptSent]);
    const done = await cw.send('patch', `/api/follow-ups/${open[0]!.id}`, {
      version: open[0]!.version,
      action: 'done',
    });
    expect(done.status).toBe(200);
    harbour.clock.set(new Date(start + 30 * DAY));
    await task.run();
    expect((await automatic(erasedSent)).map((f) => f.status)).toEqual(['cancelled']);
    expect((await automatic(keptSent)).map((f) => f.status)).toEqual(['done', 'open']);
  });

  it('refuses a second open automatic follow-up for one referral in the database itself', async () => {
    const b = await organisation('Quiet Referrals Unique', 1);
    const sent = await referral(b.worker, b.partner, 'sent');
    harbour.clock.advance(2 * DAY);
    await task.run();
    const [first] = await automatic(sent);
    expect(first).toBeDefined();
    await expect(
      db.asSuperuser(
        `INSERT INTO follow_up (organisation_id, id, referral_id, source, due_on, assigned_to,
           created_by) VALUES ($1, gen_random_uuid(), $2, 'stale_referral', current_date, $3, $3)`,
        [b.org, sent, b.worker.id],
      ),
    ).rejects.toThrow(/follow_up_open_stale_referral/);
  });
});
