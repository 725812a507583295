import {
  REFERRAL_STATUSES,
  type ContactsReport,
  type NeedsReport,
  type ReferralsReport,
  type ReportTable,
  type TimeToOutcomeReport,
} from '@harbour/domain';
import { CANARY_PEOPLE, findCanaries } from '../../test/canaries';
import { AuthHarness } from '../../test/medium/auth-harness';
import { DEMO_DUPLICATES } from './demo-duplicates';
import { DEMO_INACTIVE_PEOPLE } from './demo-retention';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { NAMES } from './demo-catalogue';
import { backdateDemoRecords, DemoSeeder, type DemoLogin } from './demo-seed';
import { tenantScope } from '../../core/scope/request-scope';
import { Db } from '../../infra/database/transaction';
import { RetentionService } from '../retention/retention.service';

/** The seed's clock: a Friday afternoon, three quarters of its year closed. */
const NOW = new Date('2026-11-20T15:00:00Z');

/**
 * The demo data `npm start` seeds on an empty database (development only), dated as the
 * start-up dates it: a year of casework before the clock that looks like real work.
 */
describe('demo seed', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let logins: DemoLogin[];
  let org: string;
  const one = async <T extends object>(sql: string, params: unknown[] = []): Promise<T> =>
    (await db.asSuperuser<T>(sql, params))[0]!;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    harbour.clock.set(NOW);
    const seeder = harbour.app.get(DemoSeeder);
    logins = await seeder.seed();
    await backdateDemoRecords((sql, params) => db.asSuperuser(sql, params), seeder.timeline);
    org = (
      await one<{ id: string }>(`SELECT id FROM organisation WHERE name = 'Harbour Demo Outreach'`)
    ).id;
  }, 120_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  it('creates the demo logins, the peer worker among them, and casework in the demo organisation only', async () => {
    expect(logins.map((l) => l.role).sort()).toEqual([
      'admin',
      'admin',
      'admin',
      'auditor',
      'caseworker',
      'caseworker',
      'caseworker',
      'coordinator',
    ]);
    // The first demo caseworker stays the one scripts and browser tests find first.
    expect(logins.find((l) => l.role === 'caseworker')!.email).toBe('caseworker@demo.harbour.test');
    const peer = logins.find((l) => l.email === 'peer@demo.harbour.test')!;
    expect(peer).toMatchObject({ organisation: 'Harbour Demo Outreach', role: 'caseworker' });
    const counts = await one<Record<string, number>>(
      `SELECT (SELECT count(DISTINCT organisation_id) FROM person)::int AS orgs,
              (SELECT count(*) FROM person)::int AS people,
              (SELECT count(*) FROM person WHERE has_identity)::int AS identified,
              (SELECT count(*) FROM person WHERE erased_at IS NOT NULL)::int AS erased,
              (SELECT count(*) FROM contact)::int AS contacts,
              (SELECT count(*) FROM contact WHERE kind = 'group')::int AS groups,
              (SELECT count(*) FROM contact WHERE 'post_raid' = ANY(circumstances))::int AS post_raid,
              (SELECT count(*) FROM contact WHERE 'cjsv' = ANY(circumstances))::int AS cjsv,
              (SELECT count(*) FROM support_need)::int AS needs,
              (SELECT count(DISTINCT category) FROM support_need)::int AS categories,
              (SELECT count(*) FROM partner)::int AS partners,
              (SELECT count(DISTINCT partner_id) FROM referral)::int AS partners_referred_to,
              (SELECT count(DISTINCT language_group) FROM contact)::int AS languages,
              (SELECT count(*) FROM contact c JOIN staff_user s ON s.id = c.caseworker_id
                WHERE s.email = 'peer@demo.harbour.test')::int AS by_peer`,
    );
    expect(counts).toMatchObject({
      orgs: 1,
      people: 120 + 2 * DEMO_DUPLICATES.length + DEMO_INACTIVE_PEOPLE,
      groups: 24,
      partners: 8,
      erased: 2,
    });
    expect(counts['contacts']).toBeGreaterThan(300);
    expect(counts['identified']).toBeGreaterThan(80);
    expect(counts['post_raid']).toBeGreaterThan(10);
    expect(counts['cjsv']).toBeGreaterThan(5);
    expect(counts['needs']).toBeGreaterThan(150);
    expect(counts['categories']).toBeGreaterThan(10);
    expect(counts['partners_referred_to']).toBe(8);
    expect(counts['languages']).toBeGreaterThan(5);
    expect(counts['by_peer']).toBeGreaterThan(50);
    const statuses = await db.asSuperuser<{ status: string }>(
      `SELECT DISTINCT status FROM referral ORDER BY status`,
    );
    expect(statuses.map((s) => s.status).sort()).toEqual([...REFERRAL_STATUSES].sort());
    const overrides = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM referral WHERE override_reason IS NOT NULL`,
    );
    expect(overrides.n).toBeGreaterThan(0);
  });

  it('spreads contacts over the year: busy outreach evenings, quiet weekends, a surge after the raid', async () => {
    const spread = await one<Record<string, number>>(
      `SELECT min(created_at) < $1::timestamptz - interval '330 days' AS spans_year,
              count(DISTINCT to_char(created_at, 'YYYY-MM'))::int AS months,
              count(*) FILTER (WHERE extract(isodow FROM occurred_on) IN (2, 4))::int AS outreach_days,
              count(*) FILTER (WHERE extract(isodow FROM occurred_on) IN (6, 7))::int AS weekends,
              count(*) FILTER (WHERE channel = 'outreach_visit'
                AND (extract(hour FROM created_at) BETWEEN 1 AND 8
                  OR extract(hour FROM created_at) BETWEEN 12 AND 18))::int AS odd_outreach,
              count(*)::int AS total
         FROM contact`,
      [NOW],
    );
    expect(spread['spans_year']).toBe(true);
    expect(spread['months']).toBeGreaterThanOrEqual(12);
    // Two outreach evenings a week see more than twice the whole weekend's contacts.
    expect(spread['outreach_days']).toBeGreaterThan(2 * spread['weekends']!);
    expect(spread['weekends']).toBeGreaterThan(0);
    // Outreach happens at night: written up that night (by half past midnight) or next morning.
    expect(spread['odd_outreach']).toBe(0);
    const surge = await one<{ busiest: number }>(
      `SELECT max((SELECT count(*) FROM contact b
                    WHERE b.occurred_on >= a.occurred_on AND b.occurred_on < a.occurred_on + 14))::int
                AS busiest
         FROM contact a`,
    );
    expect(surge.busiest).toBeGreaterThan((2.5 * spread['total']!) / 26);
    // People come back, several times over months.
    const returning = await one<{ n: number }>(
      `SELECT count(*)::int AS n FROM (
         SELECT person_id FROM contact WHERE person_id IS NOT NULL GROUP BY person_id
         HAVING count(*) >= 3 AND max(occurred_on) - min(occurred_on) > 60) x`,
    );
    expect(returning.n).toBeGreaterThan(30);
  });

  it('walks referrals through their journeys on later days, none of it out of order or in the future', async () => {
    const shape = await one<Record<string, number>>(
      `SELECT count(DISTINCT to_char(created_at, 'YYYY-MM'))::int AS months,
              (percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM closed_at - created_at) / 86400)
                 FILTER (WHERE status = 'completed'))::float AS median_days,
              count(*) FILTER (WHERE status = 'completed' AND closed_at - created_at > interval '14 days')::int
                AS slow,
              count(*) FILTER (WHERE status = 'completed' AND closed_at - created_at > interval '45 days')::int
                AS very_slow,
              count(*) FILTER (WHERE status = 'sent' AND updated_at < $1::timestamptz - interval '14 days')::int
                AS quiet,
              count(*) FILTER (WHERE status = 'sent' AND updated_at >= $1::timestamptz - interval '14 days')::int
                AS waiting
         FROM referral`,
      [NOW],
    );
    expect(shape['months']).toBeGreaterThanOrEqual(9);
    expect(shape['median_days']).toBeGreaterThan(1);
    expect(shape['slow']).toBeGreaterThan(5);
    expect(shape['very_slow']).toBeGreaterThan(0);
    expect(shape['quiet']).toBeGreaterThanOrEqual(3);
    expect(shape['waiting']).toBeGreaterThan(0);
    const wrong = await one<Record<string, number>>(
      `SELECT
         (SELECT count(*) FROM referral_event e JOIN referral_event p
             ON p.referral_id = e.referral_id AND p.to_status = e.from_status
           WHERE e.at <= p.at) ::int AS step_before_previous,
         (SELECT count(*) FROM referral_event e JOIN referral r ON r.id = e.referral_id
           WHERE e.at < r.created_at)::int AS event_before_referral,
         (SELECT count(*) FROM referral r JOIN support_need n ON n.id = r.need_id
           WHERE r.created_at < n.created_at)::int AS referral_before_need,
         (SELECT count(*) FROM referral r
           WHERE r.updated_at <> (SELECT max(at) FROM referral_event e WHERE e.referral_id = r.id)
              OR (r.closed_at IS NOT NULL AND r.closed_at <> r.updated_at)
              OR r.consent_at <> (SELECT at FROM referral_event e
                                   WHERE e.referral_id = r.id AND e.to_status = 'consented'))::int
           AS referral_dates,
         (SELECT count(*) FROM referral r WHERE r.consent_at - r.created_at > interval '1 hour')::int
           AS late_consent,
         (SELECT count(*) FROM support_need n JOIN contact c ON c.id = n.contact_id
           WHERE n.created_at <> c.created_at OR n.identified_on <> c.occurred_on)::int AS need_dates,
         (SELECT count(*) FROM contact
           WHERE created_at < occurred_on OR created_at > occurred_on + interval '2 days')::int
           AS contact_dates,
         (SELECT count(*) FROM person p
           WHERE p.created_at > (SELECT min(created_at) FROM contact c WHERE c.person_id = p.id)
              OR p.updated_at < p.created_at)::int AS person_dates,
         (SELECT count(*) FROM person p
           WHERE p.erased_at IS NOT NULL
             AND (p.erased_at < (SELECT max(created_at) FROM contact c WHERE c.person_id = p.id)
               OR p.erased_at < (SELECT max(e.at) FROM referral_event e
                                   JOIN referral r ON r.id = e.referral_id WHERE r.person_id = p.id)
               OR p.erased_at <> p.updated_at))::int AS erasure_dates,
         (SELECT count(*) FROM consent c JOIN person p ON p.id = c.person_id
           WHERE c.given_at <> p.created_at)::int AS consent_dates,
         ((SELECT count(*) FROM person WHERE consent_to_reporting)
           - (SELECT count(*) FROM consent WHERE revoked_at IS NULL))::int AS consent_rows,
         greatest((SELECT max(created_at) FROM contact), (SELECT max(at) FROM referral_event),
                  (SELECT max(updated_at) FROM person)) >= $1::timestamptz AS future`,
      [NOW],
    );
    expect(wrong).toEqual({
      step_before_previous: 0,
      event_before_referral: 0,
      referral_before_need: 0,
      referral_dates: 0,
      late_consent: 0,
      need_dates: 0,
      contact_dates: 0,
      person_dates: 0,
      erasure_dates: 0,
      consent_dates: 0,
      consent_rows: 0,
      future: false,
    });
  });

  it('gives the coordinator reports of closed quarters with published numbers', async () => {
    const login = logins.find((l) => l.email === 'coordinator@demo.harbour.test')!;
    const user = await one<{ id: string }>(`SELECT id FROM staff_user WHERE email = $1`, [
      login.email,
    ]);
    const browser = await new AuthHarness(harbour).signIn({
      organisationId: org,
      id: user.id,
      email: login.email,
      password: login.password,
      totpSecret: login.totpSecret,
      roles: ['coordinator'],
    });
    // Per closed quarter, cells of the tables (not only totals) are published, not all hidden.
    const tables: Record<string, (body: never) => ReportTable> = {
      contacts: (r: ContactsReport) => r.byChannel,
      needs: (r: NeedsReport) => r.byStatus,
      referrals: (r: ReferralsReport) => r.byStatus,
    };
    for (const quarter of ['2026-Q1', '2026-Q2', '2026-Q3']) {
      let cells = 0;
      for (const [name, table] of Object.entries(tables)) {
        const res = await browser.send('get', `/api/reports/${name}?period=${quarter}`);
        expect(res.status).toBe(200);
        const shown = table(res.body as never);
        expect(shown.total).toBeGreaterThan(5);
        cells += shown.cells.flat().filter((n) => n !== null && n > 0).length;
      }
      expect({ quarter, cells: cells > 3 }).toEqual({ quarter, cells: true });
    }
    const times = await browser.send('get', '/api/reports/time-to-outcome?period=2026-Q3');
    expect(times.status).toBe(200);
    const outcome = times.body as unknown as TimeToOutcomeReport;
    const medians = [...outcome.byCategory, ...outcome.byPartner]
      .filter((g) => g.days !== null)
      .map((g) => g.days!.median);
    expect(medians.length).toBeGreaterThan(0);
    expect(medians.every((m) => m > 0)).toBe(true);
  });

  it('gives the demo caseworker follow-ups overdue, due today, upcoming and done, all sealed', async () => {
    const followUps = await db.asSuperuser<{ status: string; when: string; sealed: boolean }>(
      `SELECT f.status, CASE WHEN f.due_on < $1::date THEN 'overdue'
                             WHEN f.due_on = $1::date THEN 'today' ELSE 'upcoming' END AS when,
              get_byte(f.text, 0) = 1 AS sealed
         FROM follow_up f JOIN staff_user s ON s.id = f.assigned_to
        WHERE s.email = 'caseworker@demo.harbour.test'`,
      [NOW.toISOString().slice(0, 10)],
    );
    const open = followUps.filter((f) => f.status === 'open');
    expect(open.filter((f) => f.when === 'overdue').length).toBeGreaterThanOrEqual(2);
    expect(open.filter((f) => f.when === 'today').length).toBeGreaterThanOrEqual(2);
    expect(open.filter((f) => f.when === 'upcoming').length).toBeGreaterThanOrEqual(2);
    expect(followUps.filter((f) => f.status === 'done')).toHaveLength(1);
    expect(followUps.every((f) => f.sealed)).toBe(true);
  });

  it("gives most people a key worker, and restricts one of the caseworker's people", async () => {
    const kw = await one<Record<string, number>>(
      `SELECT (SELECT count(*) FROM person_key_worker k JOIN staff_user s ON s.id = k.staff_id
                WHERE s.email = 'caseworker@demo.harbour.test')::int AS caseworker,
              (SELECT count(*) FROM person_key_worker k JOIN staff_user s ON s.id = k.staff_id
                WHERE s.email = 'peer@demo.harbour.test')::int AS peer,
              (SELECT count(*) FROM person WHERE restricted)::int AS restricted,
              (SELECT count(*) FROM person p JOIN person_key_worker k ON k.person_id = p.id
                 JOIN staff_user s ON s.id = k.staff_id
                WHERE p.restricted AND s.email = 'caseworker@demo.harbour.test')::int AS kept`,
    );
    expect(kw).toEqual({
      caseworker: expect.any(Number),
      peer: expect.any(Number),
      restricted: 1,
      kept: 1,
    });
    expect(kw['caseworker']).toBeGreaterThan(30);
    expect(kw['peer']).toBeGreaterThan(10);
  });

  it("gives the admin's retention dry run people to list with the default settings", async () => {
    const dry = await harbour.app
      .get(Db)
      .transaction(org, (tx) => harbour.app.get(RetentionService).dryRun(tenantScope(tx), NOW));
    const people = dry.classes.find((c) => c.class === 'inactive_people')!;
    expect(people.count).toBeGreaterThanOrEqual(DEMO_INACTIVE_PEOPLE);
    expect(people.codes).toHaveLength(people.count);
    expect(Date.parse(people.newest!)).toBeLessThan(NOW.getTime() - 2 * 365 * 86_400_000);
  });

  it('uses no canary name, and nothing of the seed reaches the logs', () => {
    const demoNames = new Set(
      Object.values(NAMES).flatMap((group) => [...group.given, ...group.family]),
    );
    const canaries = CANARY_PEOPLE.flatMap((p) => [p.given, p.family, p.alias]);
    expect(canaries.filter((name) => demoNames.has(name))).toEqual([]);
    expect(findCanaries(harbour.rawLogs())).toEqual([]);
  });
});
