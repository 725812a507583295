import type { ReportCount, ReportTable } from '@harbour/domain';
import { backdateDemoRecords, DemoSeeder } from '../../app/seed/demo-seed';
import { AuthHarness, type TestBrowser, type TestUser } from './auth-harness';
import { createTestApp, type TestApp } from './test-app';
import { createTestDatabase, type TestDatabase } from './test-database';

/**
 * The world of the report specs (`app/reports/reports*.medium-spec.ts`): the demo's year of
 * records (2026), entered on the days they happened, asked about in early January 2027 when
 * every quarter of it has closed, by the demo organisation's coordinator; and hand-written SQL
 * to compare the published numbers with. `useReportsWorld()` builds it before the spec's tests
 * and takes it down after them.
 */
export class ReportsWorld {
  db!: TestDatabase;
  harbour!: TestApp;
  h!: AuthHarness;
  coordinator!: TestUser;
  browser!: TestBrowser;
  org!: string;
  partnerIds!: string[];
  /** Coordinators made so far to ask at another time (`at`). */
  private travellers = 0;

  async setUp(): Promise<void> {
    const db = (this.db = await createTestDatabase());
    this.harbour = await createTestApp(db);
    this.harbour.clock.set(new Date('2027-01-02T09:00:00Z'));
    const h = (this.h = new AuthHarness(this.harbour));
    const seeder = this.harbour.app.get(DemoSeeder);
    const logins = await seeder.seed();
    await backdateDemoRecords((sql, params) => db.asSuperuser(sql, params), seeder.timeline);
    const login = logins.find((l) => l.role === 'coordinator')!;
    const [user] = await db.asSuperuser<{ id: string; organisation_id: string }>(
      `SELECT id, organisation_id FROM staff_user WHERE email = $1`,
      [login.email],
    );
    const org = (this.org = user!.organisation_id);
    this.coordinator = {
      organisationId: org,
      id: user!.id,
      email: login.email,
      password: login.password,
      totpSecret: login.totpSecret,
      roles: ['coordinator'],
    };
    this.browser = await h.signIn(this.coordinator);
    this.partnerIds = (
      await db.asSuperuser<{ id: string }>(
        `SELECT id FROM partner WHERE organisation_id = $1 ORDER BY created_at, id`,
        [org],
      )
    ).map((r) => r.id);
  }

  async tearDown(): Promise<void> {
    await this.harbour.close();
    await this.db.drop();
  }

  /** A GET as the coordinator. */
  get(path: string): ReturnType<TestBrowser['send']> {
    return this.browser.send('get', path);
  }

  /**
   * Runs with the clock at another time, as another coordinator of the organisation (a session
   * does not travel in time, and each code is accepted once per account).
   */
  async at(
    when: Date,
    run: (get: (path: string) => ReturnType<TestBrowser['send']>) => Promise<void>,
  ): Promise<void> {
    const now = this.harbour.clock.now();
    this.harbour.clock.set(when);
    try {
      const traveller = await this.h.createUser(this.org, {
        roles: ['coordinator'],
        email: `traveller-${++this.travellers}@demo.harbour.test`,
      });
      const other = await this.h.signIn(traveller);
      await run((path) => other.send('get', path));
    } finally {
      this.harbour.clock.set(now);
    }
  }

  /** Hand-written counts keyed `row|column`, with row and column totals. */
  async handCounts(sql: string, params: unknown[]): Promise<Map<string, number>> {
    const rows = await this.db.asSuperuser<{ r: string; c: string; n: number }>(sql, params);
    const counts = new Map<string, number>();
    const add = (key: string, n: number) => counts.set(key, (counts.get(key) ?? 0) + n);
    for (const { r, c, n } of rows) {
      add(`${r}|${c}`, n);
      add(`${r}|total`, n);
      add(`total|${c}`, n);
      add('total|total', n);
    }
    return counts;
  }
}

/** Registers the world's set-up and take-down around the calling `describe`. */
export function useReportsWorld(): ReportsWorld {
  const world = new ReportsWorld();
  beforeAll(() => world.setUp(), 180_000);
  afterAll(() => world.tearDown());
  return world;
}

/** Every published count of a table, with where it is. */
export const published = (
  t: ReportTable,
): { row: string; column: string; value: ReportCount }[] => [
  ...t.rows.flatMap((row, r) =>
    t.columns.map((column, c) => ({ row, column, value: t.cells[r]![c]! })),
  ),
  ...t.rows.map((row, r) => ({ row, column: 'total', value: t.rowTotals[r]! })),
  ...t.columns.map((column, c) => ({ row: 'total', column, value: t.columnTotals[c]! })),
  { row: 'total', column: 'total', value: t.total },
];

/** Every published number equals the hand count; none is between 1 and k − 1. */
export const expectMatches = (t: ReportTable, hand: Map<string, number>, k = 5) => {
  let compared = 0;
  const wrong: string[] = [];
  for (const { row, column, value } of published(t)) {
    if (value === null) continue;
    if (value !== (hand.get(`${row}|${column}`) ?? 0)) wrong.push(`${row}|${column}`);
    if (value !== 0 && value < k) wrong.push(`${row}|${column} is ${value}`);
    compared++;
  }
  expect(wrong).toEqual([]);
  return compared;
};

export const consent = `(x.person_id IS NULL OR p.consent_to_reporting)`;
export const inQuarter = (column: string) =>
  `${column} >= $2::timestamptz AND ${column} < $2::timestamptz + interval '3 months'`;
export const NEEDS_SQL = (row: string, column: string, extra = '') => `
  SELECT ${row} AS r, ${column} AS c, count(*)::int AS n
    FROM support_need x
    LEFT JOIN person p ON p.organisation_id = x.organisation_id AND p.id = x.person_id
    LEFT JOIN contact ct ON ct.organisation_id = x.organisation_id AND ct.id = x.contact_id
   WHERE x.organisation_id = $1 AND ${consent} AND ${inQuarter('x.created_at')} ${extra}
   GROUP BY 1, 2`;
export const REFERRALS_SQL = (row: string, column: string, extra = '') => `
  SELECT ${row} AS r, ${column} AS c, count(*)::int AS n
    FROM referral r
    JOIN support_need x ON x.organisation_id = r.organisation_id AND x.id = r.need_id
    LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = x.person_id
    LEFT JOIN contact ct ON ct.organisation_id = x.organisation_id AND ct.id = x.contact_id
   WHERE r.organisation_id = $1 AND ${consent} AND ${inQuarter('r.created_at')} ${extra}
   GROUP BY 1, 2`;
export const MONTH = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM')`;
export const QUARTER_START = {
  '2026-Q1': '2026-01-01',
  '2026-Q2': '2026-04-01',
  '2026-Q3': '2026-07-01',
  '2026-Q4': '2026-10-01',
};
