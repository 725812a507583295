import type { OutcomeChangeReport } from '@harbour/domain';
import { backdateDemoRecords, DemoSeeder } from './demo-seed';
import { AuthHarness } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/**
 * The demo's outcome check-ins: a year of them, entered on their days, so that the demo's
 * outcome change report shows published numbers for the domains people often discuss and
 * hidden ones for the rare.
 */
describe('demo outcome check-ins', () => {
  let db: TestDatabase;
  let harbour: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    harbour.clock.set(new Date('2027-01-02T09:00:00Z'));
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  it('spreads check-ins over the year and gives the report both published and hidden cells', async () => {
    const seeder = harbour.app.get(DemoSeeder);
    const logins = await seeder.seed();
    await backdateDemoRecords((sql, params) => db.asSuperuser(sql, params), seeder.timeline);
    const months = await db.asSuperuser<{ m: string; n: number }>(
      `SELECT to_char(created_at, 'YYYY-MM') AS m, count(*)::int AS n FROM outcome_check_in
        WHERE checked_on::timestamptz <= created_at GROUP BY 1 ORDER BY 1`,
    );
    const total = await db.asSuperuser<{ n: number }>(
      `SELECT count(*)::int AS n FROM outcome_check_in`,
    );
    // Every check-in entered on or after its day, and in at least ten months of the year.
    expect(months.reduce((a, r) => a + r.n, 0)).toBe(total[0]!.n);
    expect(months.filter((r) => r.m.startsWith('2026')).length).toBeGreaterThanOrEqual(10);
    expect(total[0]!.n).toBeGreaterThan(150);

    const login = logins.find((l) => l.role === 'coordinator')!;
    const [user] = await db.asSuperuser<{ id: string; organisation_id: string }>(
      `SELECT id, organisation_id FROM staff_user WHERE email = $1`,
      [login.email],
    );
    const browser = await new AuthHarness(harbour).signIn({
      organisationId: user!.organisation_id,
      id: user!.id,
      email: login.email,
      password: login.password,
      totpSecret: login.totpSecret,
      roles: ['coordinator'],
    });
    const ask = async (period: string) => {
      const res = await browser.send('get', `/api/reports/outcome-change?period=${period}`);
      expect(res.status).toBe(200);
      return res.body as unknown as OutcomeChangeReport;
    };
    // The latest quarter: most domains published, the rarely discussed ones partly hidden.
    const quarter = await ask('2026-Q4');
    const cells = quarter.byChange.cells.flat();
    expect(cells.filter((c) => c !== null && c > 0).length).toBeGreaterThanOrEqual(10);
    expect(cells.filter((c) => c === null).length).toBeGreaterThanOrEqual(1);
    // Safety is nearly always discussed: its row is published in full.
    const safety = quarter.byChange.rows.indexOf('safety');
    expect(quarter.byChange.cells[safety]!.every((c) => c !== null && c > 0)).toBe(true);
    expect(quarter.shares[safety]!.improved).not.toBeNull();
    // The year adds its quarters up: published where every quarter is, hidden elsewhere.
    const year = await ask('2026');
    expect(year.byQuarter.rowTotals.some((c) => c !== null && c > 0)).toBe(true);
    expect(year.byChange.cells.flat().some((c) => c === null)).toBe(true);
  }, 180_000);
});
