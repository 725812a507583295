import {
  REPORT_FILTERS_BY_REPORT,
  reportFilterValuesFor,
  type FunnelReport,
  type NeedsReport,
  type ReferralsReport,
  type ReportCount,
  type ReportName,
  type ReportTable,
} from '@harbour/domain';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { backdateDemoRecords, DemoSeeder } from '../seed/demo-seed';
import {
  find,
  query,
  QUARTERS,
  YEARS,
  type Asked,
  type Filter,
} from '../../test/medium/differencing/asked';
import { differencingSolver } from '../../test/medium/differencing/truth';

/**
 * The differencing attacker (docs/security.md T24, adversarial case 32), on the demo's year of
 * records: a coordinator asks for every report they can — every closed quarter and year, every
 * filter value, both tiers, to view and to export — and tries to work out any count of 1 to
 * k − 1 people they were not shown, by linear algebra and by interval bounds (non-negative
 * cells, published zeros, rounded counts as intervals). Then records arrive — new ones, late
 * ones dated in closed quarters, changed statuses, a withdrawn consent — and they ask again.
 *
 * How the attack is organised, so that it is complete and still runs in minutes: numbers that
 * are sums of other published numbers (a year of its quarters, the funnel of the needs and
 * referrals reports, an export of the view, the external tier of the internal one) are checked
 * to be exactly that, and so tell the attacker nothing new; everything else is solved per
 * quarter, per family of reports and per filter attribute, over the cells of the report's table
 * by that attribute (the people-level table behind every slice of that filter).
 */
describe('reports under a differencing attack', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let browser: TestBrowser;
  let coordinator: TestUser;
  let org: string;
  let partnerIds: string[];

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    // Early January: the demo's year of records is 2026, every quarter of it closed.
    harbour.clock.set(new Date('2027-01-02T09:00:00Z'));
    h = new AuthHarness(harbour);
    const seeder = harbour.app.get(DemoSeeder);
    const logins = await seeder.seed();
    await backdateDemoRecords((sql, params) => db.asSuperuser(sql, params), seeder.timeline);
    const login = logins.find((l) => l.role === 'coordinator')!;
    const [user] = await db.asSuperuser<{ id: string; organisation_id: string }>(
      `SELECT id, organisation_id FROM staff_user WHERE email = $1`,
      [login.email],
    );
    org = user!.organisation_id;
    coordinator = {
      organisationId: org,
      id: user!.id,
      email: login.email,
      password: login.password,
      totpSecret: login.totpSecret,
      roles: ['coordinator'],
    };
    browser = await h.signIn(coordinator);
    await h.stepUp(browser, coordinator);
    partnerIds = (
      await db.asSuperuser<{ id: string }>(
        `SELECT id FROM partner WHERE organisation_id = $1 ORDER BY created_at, id`,
        [org],
      )
    ).map((r) => r.id);
  }, 180_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const filtersOf = (report: ReportName): Filter[] => [
    null,
    ...REPORT_FILTERS_BY_REPORT[report].flatMap((attribute) =>
      reportFilterValuesFor(report, attribute, partnerIds).map((value) => ({ attribute, value })),
    ),
  ];

  /** Every report a coordinator can ask for, over these periods, both tiers. */
  async function askEverything(periods: readonly string[]): Promise<Asked[]> {
    const jobs: Omit<Asked, 'body'>[] = [];
    for (const report of ['needs', 'referrals', 'funnel', 'contacts'] as const)
      for (const period of periods)
        for (const tier of ['internal', 'external'] as const)
          for (const filter of filtersOf(report)) jobs.push({ report, period, tier, filter });
    const asked: Asked[] = [];
    // A few at a time, as a browser would.
    for (let i = 0; i < jobs.length; i += 4) {
      const batch = jobs.slice(i, i + 4);
      const answers = await Promise.all(
        batch.map((job) =>
          browser.send(
            'get',
            `/api/reports/${job.report}?${query(job.period, job.tier, job.filter)}`,
          ),
        ),
      );
      answers.forEach((res, j) => {
        expect({ job: batch[j], status: res.status }).toEqual({ job: batch[j], status: 200 });
        asked.push({ ...batch[j]!, body: res.body });
      });
    }
    return asked;
  }

  // ---- numbers that are sums of other published numbers ---------------------------------------

  /** A year's numbers are its quarters' numbers, or sums of them all published. */
  function expectYearsAddUp(asked: readonly Asked[]): number {
    let checked = 0;
    const wrong: string[] = [];
    const sumOrNull = (values: readonly ReportCount[]) =>
      values.some((v) => v === null) ? null : values.reduce<number>((a, b) => a + b!, 0);
    for (const a of asked.filter((x) => YEARS.includes(x.period))) {
      const quarters = (a.body['meta'] as { quarters: { quarter: string }[] }).quarters.map(
        (q) => q.quarter,
      );
      const parts = quarters.map((q) => find(asked, a.report, q, a.tier, a.filter));
      const tables = Object.entries(a.body).filter(
        ([k]) => k !== 'meta' && k !== 'rates' && k !== 'byCircumstance',
      );
      for (const [name, value] of tables) {
        const table = value as ReportTable;
        const each = parts.map((p) => p[name] as ReportTable);
        table.rows.forEach((row, r) => {
          const rowOf = (t: ReportTable) => t.rows.indexOf(row);
          table.columns.forEach((column, c) => {
            const v = table.cells[r]![c]!;
            if (v === null) return;
            let expected: ReportCount;
            if (name === 'byMonth') {
              const q = each.find((t) => t.columns.includes(column))!;
              expected = q.cells[rowOf(q)]?.[q.columns.indexOf(column)] ?? 0;
            } else if (name === 'byQuarter') {
              const q = each[quarters.indexOf(column)]!;
              expected = q.rowTotals[rowOf(q)] ?? 0;
            } else {
              expected = sumOrNull(
                each.map((t) =>
                  rowOf(t) === -1 ? 0 : t.cells[rowOf(t)]![t.columns.indexOf(column)]!,
                ),
              );
            }
            if (v !== expected) wrong.push(`${a.report} ${a.period} ${name} ${row} ${column}`);
            checked++;
          });
          const total = table.rowTotals[r]!;
          if (total !== null && a.report !== 'funnel') {
            const partsTotal = each.map((t) => (rowOf(t) === -1 ? 0 : t.rowTotals[rowOf(t)]!));
            if (total !== sumOrNull(partsTotal))
              wrong.push(`${a.report} ${a.period} ${name} ${row}`);
            checked++;
          }
        });
      }
    }
    expect(wrong).toEqual([]);
    return checked;
  }

  /** The funnel's needs recorded and referrals made are the needs and referrals reports' own. */
  function expectFunnelFromReports(asked: readonly Asked[]): void {
    for (const a of asked.filter((x) => x.report === 'funnel' && QUARTERS.includes(x.period))) {
      const funnel = a.body as unknown as FunnelReport;
      const needs = find(asked, 'needs', a.period, a.tier, a.filter) as unknown as NeedsReport;
      const referrals = find(
        asked,
        'referrals',
        a.period,
        a.tier,
        a.filter,
      ) as unknown as ReferralsReport;
      expect(funnel.byMonth.cells[0]).toEqual(needs.byMonth.columnTotals);
      expect(funnel.byMonth.cells[1]).toEqual(referrals.byMonth.columnTotals);
    }
  }

  /** The external tier shows nothing the internal one hides: its numbers are the internal ones rounded. */
  function expectExternalFromInternal(asked: readonly Asked[]): number {
    let checked = 0;
    const wrong: string[] = [];
    for (const a of asked.filter((x) => x.tier === 'external')) {
      const internal = find(asked, a.report, a.period, 'internal', a.filter);
      for (const [name, value] of Object.entries(a.body)) {
        if (name === 'meta' || name === 'rates' || name === 'byCircumstance') continue;
        const e = value as ReportTable;
        const i = internal[name] as ReportTable;
        const pairs: [ReportCount, ReportCount][] = [
          ...e.cells.flatMap((row, r) =>
            row.map((v, c) => [v, i.cells[r]![c]!] as [ReportCount, ReportCount]),
          ),
          ...e.rowTotals.map((v, r) => [v, i.rowTotals[r]!] as [ReportCount, ReportCount]),
          ...e.columnTotals.map((v, c) => [v, i.columnTotals[c]!] as [ReportCount, ReportCount]),
          [e.total, i.total],
        ];
        for (const [ev, iv] of pairs) {
          if (ev === null) continue;
          // Published externally: published internally, and that number rounded to 5.
          const rounded =
            !QUARTERS.includes(a.period) || a.report === 'funnel'
              ? ev % 5 === 0
              : iv !== null && ev === Math.floor(iv / 5 + 0.5) * 5;
          if (iv === null || !rounded) wrong.push(`${a.report} ${a.period} ${name} ${ev} ${iv}`);
          checked++;
        }
      }
    }
    expect(wrong).toEqual([]);
    return checked;
  }

  it('finds no count of 1 … k − 1 in everything a coordinator can ask, then again after new records', async () => {
    const before = await askEverything([...QUARTERS, ...YEARS]);
    // Exports are the same figures (the console writes them to a file with its labels).
    for (const a of before.filter((x) => x.filter === null && x.period === '2026-Q2')) {
      const res = await browser.send(
        'get',
        `/api/reports/${a.report}/export?${query(a.period, a.tier, null)}`,
      );
      expect(res.status).toBe(200);
      expect(res.body).toEqual(a.body);
    }
    expect(expectYearsAddUp(before)).toBeGreaterThan(1000);
    expectFunnelFromReports(before);
    expect(expectExternalFromInternal(before)).toBeGreaterThan(100);
    const { solveEverything } = differencingSolver({ db, org, partnerIds });
    const first = await solveEverything(before);
    // The attack had something to work on: many hidden numbers, many of them small.
    expect(first.hidden).toBeGreaterThan(1000);
    expect(first.small).toBeGreaterThan(200);
    expect(first.found).toEqual([]);

    // Records arrive: new ones now; late ones dated in a closed quarter; statuses and a
    // consent change on records of closed quarters.
    const person = await browser.send('post', '/api/persons', {
      ageBand: '25_34',
      languageGroup: 'khmer',
      consentToReporting: true,
    });
    expect(person.status).toBe(201);
    const contact = await browser.send('post', '/api/contacts', {
      personId: person.body['id'],
      occurredOn: '2026-08-14',
      channel: 'phone',
      locationType: 'online_or_phone',
      languageGroup: 'khmer',
      circumstances: ['cjsv'],
      needs: [{ category: 'repatriation', priority: 'high' }],
    });
    expect(contact.status).toBe(201);
    await db.asSuperuser(`UPDATE contact SET created_at = '2026-05-14T10:00:00Z' WHERE id = $1`, [
      contact.body['id'],
    ]);
    await db.asSuperuser(
      `UPDATE support_need SET status = 'met', closed_on = identified_on WHERE organisation_id = $1 AND id IN (
         SELECT id FROM support_need WHERE organisation_id = $1 AND status <> 'met'
          ORDER BY created_at LIMIT 3)`,
      [org],
    );
    await db.asSuperuser(
      `UPDATE person SET consent_to_reporting = NOT consent_to_reporting
        WHERE organisation_id = $1 AND id = (SELECT id FROM person WHERE organisation_id = $1 ORDER BY id LIMIT 1)`,
      [org],
    );
    const after = await askEverything([...QUARTERS, ...YEARS]);
    // Every closed period reads exactly as it was first published.
    expect(after.length).toBe(before.length);
    after.forEach((a, i) => expect({ ...a, body: a.body }).toEqual(before[i]));
    // The same answers: the attacker knows exactly what it knew before, and solves to nothing.
  }, 1_200_000);
});
