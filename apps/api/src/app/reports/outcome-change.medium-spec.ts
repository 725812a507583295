import {
  EXTERNAL_TIER,
  OUTCOME_CHANGES,
  OUTCOME_DOMAINS,
  uuidv7,
  type OutcomeChangeReport,
  type ReportCount,
  type ReportTable,
} from '@harbour/domain';
import { exactDisclosures, type Observation, type Target } from '@harbour/domain/testing';
import { AuthHarness, type TestBrowser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/**
 * The outcome change report as a property (Done item 4 of issue 17): for many organisations of
 * random check-ins (a seeded generator, so a failure replays), every number the report publishes
 * — each closed quarter and the year, both tiers — equals hand-written SQL over the check-ins,
 * nothing published is between 1 and k − 1, a year is its quarters added up, the external tier
 * is the internal one rounded, and an attacker holding every one of those numbers (linear
 * algebra and bounds over non-negative cells, `disclosure-attacker.ts`) works out no hidden count
 * of 1 … k − 1.
 */

const QUARTERS = ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'];
const MONTHS = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`);
const ITERATIONS = 12;

/** A small seeded generator (mulberry32). */
function generator(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Independent of the API's statement: each rated domain of each check-in unpivoted first, then
 * its previous rating found among the same person's rows of that domain entered before it and
 * dated on or before it.
 */
const HAND_SQL = `
  WITH rated AS (
    SELECT ci.id, ci.person_id, ci.checked_on, ci.created_at, u.domain, u.rating
      FROM outcome_check_in ci
      JOIN person p ON p.organisation_id = ci.organisation_id AND p.id = ci.person_id
      CROSS JOIN LATERAL unnest(
        ARRAY['safety', 'legal_status', 'health_wellbeing', 'work_money', 'housing', 'social_support'],
        ARRAY[ci.safety, ci.legal_status, ci.health_wellbeing, ci.work_money, ci.housing, ci.social_support]
      ) AS u(domain, rating)
     WHERE ci.organisation_id = $1 AND u.rating IS NOT NULL AND p.consent_to_reporting)
  SELECT r.domain AS d,
         CASE sign(r.rating - prev.rating) WHEN 1 THEN 'improved' WHEN -1 THEN 'worsened' ELSE 'same' END AS c,
         to_char(r.created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS m,
         count(*)::int AS n
    FROM rated r
    JOIN LATERAL (
      SELECT q.rating FROM rated q
       WHERE q.person_id = r.person_id AND q.domain = r.domain AND q.checked_on <= r.checked_on
         AND (q.created_at < r.created_at OR (q.created_at = r.created_at AND q.id < r.id))
       ORDER BY q.checked_on DESC, q.created_at DESC, q.id DESC LIMIT 1) prev ON true
   GROUP BY 1, 2, 3`;

/** Cell index of domain × change × month in the attacker's table of the year. */
const cellOf = (d: number, c: number, m: number) => (d * OUTCOME_CHANGES.length + c) * 12 + m;

/** The cells behind one entry of a view (rows domains; columns changes, months or quarters). */
function cellsOf(view: string, row: string, column: string, months: readonly string[]): number[] {
  const domains =
    row === 'total' ? OUTCOME_DOMAINS.map((_, i) => i) : [OUTCOME_DOMAINS.indexOf(row as never)];
  let changes = OUTCOME_CHANGES.map((_, i) => i);
  let inMonths = months.map((m) => MONTHS.indexOf(m));
  if (column !== 'total') {
    if (view === 'byChange') changes = [OUTCOME_CHANGES.indexOf(column as never)];
    else if (view === 'byMonth') inMonths = [MONTHS.indexOf(column)];
    else
      inMonths = months.filter((m) => quarterOfMonth(m) === column).map((m) => MONTHS.indexOf(m));
  }
  return domains.flatMap((d) => changes.flatMap((c) => inMonths.map((m) => cellOf(d, c, m))));
}

const quarterOfMonth = (m: string) => `2026-Q${Math.floor((Number(m.slice(5, 7)) - 1) / 3) + 1}`;

/** Every entry of a table with its row and column labels (`total` for margins). */
function entries(t: ReportTable): { row: string; column: string; value: ReportCount }[] {
  return [
    ...t.rows.flatMap((row, r) =>
      t.columns.map((column, c) => ({ row, column, value: t.cells[r]![c]! })),
    ),
    ...t.rows.map((row, r) => ({ row, column: 'total', value: t.rowTotals[r]! })),
    ...t.columns.map((column, c) => ({ row: 'total', column, value: t.columnTotals[c]! })),
    { row: 'total', column: 'total', value: t.total },
  ];
}

describe('the outcome change report (property)', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  /** An organisation of random people and check-ins over 2026, entered as they happened. */
  async function world(
    random: () => number,
  ): Promise<{ org: string; k: number; coordinator: TestBrowser }> {
    const org = await h.createOrganisation(`Outcomes ${uuidv7()}`);
    const k = 2 + Math.floor(random() * 8);
    await db.asSuperuser(`UPDATE organisation SET report_k = $2 WHERE id = $1`, [org, k]);
    const staff = await h.createUser(org, { roles: ['caseworker'] });
    const people = 3 + Math.floor(random() * 60);
    // Most people rate a few domains; some domains are discussed rarely, so small cells occur.
    const discussed = OUTCOME_DOMAINS.map(() => 0.15 + random() * 0.85);
    for (let i = 0; i < people; i++) {
      const person = uuidv7();
      const code = `HB-${String(1000 + i).slice(-4)}-${'ABCDEFGH'[Math.floor(random() * 8)]}${String(100 + Math.floor(random() * 900))}`;
      await db.asSuperuser(
        `INSERT INTO person (organisation_id, id, code, consent_to_reporting, created_at, updated_at)
         VALUES ($1, $2, $3, $4, '2025-12-01T00:00:00Z', '2025-12-01T00:00:00Z')`,
        [org, person, code, random() < 0.85],
      );
      const visits = 1 + Math.floor(random() * 6);
      const level = OUTCOME_DOMAINS.map(() => 1 + Math.floor(random() * 5));
      for (let v = 0; v < visits; v++) {
        const day = Math.floor(random() * 365);
        const checkedOn = new Date(Date.UTC(2026, 0, 1 + day));
        // Usually entered that day; sometimes late, into another month or quarter.
        const late = random() < 0.2 ? Math.floor(random() * 60) * 86_400_000 : 0;
        const enteredAt = new Date(
          Math.min(checkedOn.getTime() + 9 * 3_600_000 + late, Date.UTC(2026, 11, 31, 20)),
        );
        const ratings: (number | null)[] = level.map((l, d): number | null => {
          if (random() > discussed[d]!) return null;
          level[d] = Math.max(1, Math.min(5, l + Math.floor(random() * 3) - 1));
          return level[d];
        });
        if (ratings.filter((r) => r !== null).length === 0) ratings[0] = level[0]!;
        await db.asSuperuser(
          `INSERT INTO outcome_check_in (organisation_id, id, person_id, checked_on, safety,
             legal_status, health_wellbeing, work_money, housing, social_support, created_by, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
          [
            org,
            uuidv7(),
            person,
            checkedOn.toISOString().slice(0, 10),
            ...ratings,
            staff.id,
            enteredAt,
          ],
        );
      }
    }
    const user = await h.createUser(org, { roles: ['coordinator'] });
    const coordinator = await h.signIn(user);
    await h.stepUp(coordinator, user);
    return { org, k, coordinator };
  }

  it('publishes what hand-written SQL counts, under disclosure control, for many random organisations', async () => {
    harbour.clock.set(new Date('2027-01-02T09:00:00Z'));
    let compared = 0;
    let hidden = 0;
    let published = 0;
    let small = 0;
    for (let iteration = 0; iteration < ITERATIONS; iteration++) {
      const random = generator(0x0c4ec + iteration);
      const { org, k, coordinator } = await world(random);
      const hand = new Map<string, number>();
      for (const row of await db.asSuperuser<{ d: string; c: string; m: string; n: number }>(
        HAND_SQL,
        [org],
      )) {
        hand.set(`${row.d}|${row.c}|${row.m}`, row.n);
      }
      const truth = (cells: readonly number[]) =>
        cells.reduce((sum, cell) => {
          const m = cell % 12;
          const c = Math.floor(cell / 12) % OUTCOME_CHANGES.length;
          const d = Math.floor(cell / 12 / OUTCOME_CHANGES.length);
          return sum + (hand.get(`${OUTCOME_DOMAINS[d]}|${OUTCOME_CHANGES[c]}|${MONTHS[m]}`) ?? 0);
        }, 0);

      const observations: Observation[] = [];
      const targets = new Map<string, Target>();
      const reports = new Map<string, OutcomeChangeReport>();
      for (const tier of ['internal', 'external'] as const) {
        for (const period of [...QUARTERS, '2026']) {
          const res = await coordinator.send(
            'get',
            `/api/reports/outcome-change?period=${period}&tier=${tier}`,
          );
          expect({ iteration, period, tier, status: res.status }).toEqual({
            iteration,
            period,
            tier,
            status: 200,
          });
          const report = res.body as unknown as OutcomeChangeReport;
          reports.set(`${tier} ${period}`, report);
          expect(report.meta).toMatchObject({
            report: 'outcome-change',
            period,
            tier,
            k: tier === 'internal' ? k : EXTERNAL_TIER.k,
          });
          const months = report.meta.months;
          for (const view of ['byChange', 'byMonth', 'byQuarter'] as const) {
            for (const { row, column, value } of entries(report[view])) {
              const cells = cellsOf(view, row, column, months);
              const actual = truth(cells);
              const name = `${tier} ${period} ${view} ${row} ${column}`;
              if (value === null) {
                hidden++;
                if (tier === 'internal')
                  targets.set([...cells].sort((a, b) => a - b).join(','), {
                    name,
                    cells,
                    truth: actual,
                  });
                continue;
              }
              published++;
              if (tier === 'internal') {
                // Exactly the hand count, and never 1 … k − 1.
                expect({ name, value }).toEqual({ name, value: actual });
                expect({ name, small: value > 0 && value < k }).toEqual({ name, small: false });
                observations.push({ cells, low: value, high: value });
              } else {
                // The internal count rounded to 5, and never 1 … 10 (the external k).
                expect({ name, value }).toEqual({ name, value: Math.floor(actual / 5 + 0.5) * 5 });
                expect({ name, small: actual > 0 && actual < EXTERNAL_TIER.k }).toEqual({
                  name,
                  small: false,
                });
                observations.push(
                  value === 0
                    ? { cells, low: 0, high: 0 }
                    : { cells, low: Math.max(value - 2, EXTERNAL_TIER.k), high: value + 2 },
                );
              }
              compared++;
            }
          }
          // Shares: improved and worsened ÷ follow-up ratings, from published counts only.
          report.shares.forEach((share, d) => {
            const all = report.byChange.rowTotals[d]!;
            const improved = report.byChange.cells[d]![0]!;
            const expected =
              all === null || improved === null || all < report.meta.k || all === 0
                ? null
                : Math.round((improved / all) * 1000) / 1000;
            expect({ name: `${tier} ${period} ${share.domain}`, share: share.improved }).toEqual({
              name: `${tier} ${period} ${share.domain}`,
              share: expected,
            });
          });
        }
        // A year is its quarters added up: a sum only where every part is published.
        const year = reports.get(`${tier} 2026`)!;
        year.byChange.rows.forEach((_, r) =>
          year.byChange.columns.forEach((_, c) => {
            const parts = QUARTERS.map((q) => reports.get(`${tier} ${q}`)!.byChange.cells[r]![c]!);
            const sum = parts.some((p) => p === null)
              ? null
              : parts.reduce<number>((a, b) => a + b, 0);
            expect(year.byChange.cells[r]![c]).toBe(sum);
          }),
        );
      }
      // The attacker holds every number of both tiers, all periods, and finds no small hidden one.
      const found = exactDisclosures(
        OUTCOME_DOMAINS.length * OUTCOME_CHANGES.length * 12,
        observations,
        [...targets.values()],
        { k },
      );
      small += [...targets.values()].filter((t) => t.truth > 0 && t.truth < k).length;
      expect({ iteration, found }).toEqual({ iteration, found: [] });
      // Asked again, the same answers: every closed period reads as first published.
      const again = await coordinator.send('get', '/api/reports/outcome-change?period=2026-Q2');
      expect(again.body).toEqual(reports.get('internal 2026-Q2'));
    }
    // The worlds were varied enough to test something: many numbers shown, many hidden.
    expect(compared).toBeGreaterThan(1000);
    expect(published).toBeGreaterThan(1000);
    expect(hidden).toBeGreaterThan(200);
    // …and many of the hidden ones were small: the attack had something to find.
    expect(small).toBeGreaterThan(300);
  }, 600_000);
});
