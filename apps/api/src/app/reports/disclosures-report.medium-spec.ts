import {
  DISCLOSURE_AUTHORITIES,
  DISCLOSURE_OUTCOMES,
  EXTERNAL_TIER,
  uuidv7,
  type DisclosuresReport,
  type ReportCount,
  type ReportTable,
} from '@harbour/domain';
import { exactDisclosures, type Observation, type Target } from '@harbour/domain/testing';
import { AuthHarness, type TestBrowser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/**
 * The disclosure requests report as a property (issue 18, Done item 2), the way the outcome
 * change report is tested: for many organisations of random requests (a seeded generator, so a
 * failure replays), every number published — each closed quarter and the year, both tiers —
 * equals hand-written SQL over the requests, nothing published is between 1 and k − 1, a year is
 * its quarters added up, the external tier is the internal one rounded, and an attacker holding
 * every one of those numbers (`disclosure-attacker.ts`) works out no hidden count of 1 … k − 1.
 */

const QUARTERS = ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'];
const MONTHS = Array.from({ length: 12 }, (_, i) => `2026-${String(i + 1).padStart(2, '0')}`);
/** Worlds to try, and how much each run must at least have exercised (so it tests something). */
const ITERATIONS = 10;
const COMPARED = 800;
const HIDDEN = 1500;
const SMALL = 300;

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
 * Independent of the API's statement: the outcome read from the status (a closed request from
 * how it got there).
 */
const HAND_SQL = `
  SELECT authority AS a,
         CASE WHEN status = 'disclosed' OR (status = 'closed' AND disclosed_at IS NOT NULL) THEN 'disclosed'
              WHEN status IN ('refused', 'closed') THEN 'refused'
              ELSE 'recorded' END AS o,
         to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM') AS m,
         count(*)::int AS n
    FROM disclosure_request WHERE organisation_id = $1
   GROUP BY 1, 2, 3`;

const OUTCOMES = DISCLOSURE_OUTCOMES;
const AUTHORITIES = DISCLOSURE_AUTHORITIES;

/** Cell index of authority × outcome × month in the attacker's table of the year. */
const cellOf = (a: number, o: number, m: number) => (a * OUTCOMES.length + o) * 12 + m;

const quarterOfMonth = (m: string) => `2026-Q${Math.floor((Number(m.slice(5, 7)) - 1) / 3) + 1}`;

/** The cells behind one entry of a view (byOutcome: authority × outcome; else outcome × time). */
function cellsOf(view: string, row: string, column: string, months: readonly string[]): number[] {
  let authorities = AUTHORITIES.map((_, i) => i);
  let outcomes = OUTCOMES.map((_, i) => i);
  let inMonths = months.map((m) => MONTHS.indexOf(m));
  if (view === 'byOutcome') {
    if (row !== 'total') authorities = [AUTHORITIES.indexOf(row as never)];
    if (column !== 'total') outcomes = [OUTCOMES.indexOf(column as never)];
  } else {
    if (row !== 'total') outcomes = [OUTCOMES.indexOf(row as never)];
    if (column !== 'total') {
      inMonths =
        view === 'byMonth'
          ? [MONTHS.indexOf(column)]
          : months.filter((m) => quarterOfMonth(m) === column).map((m) => MONTHS.indexOf(m));
    }
  }
  return authorities.flatMap((a) => outcomes.flatMap((o) => inMonths.map((m) => cellOf(a, o, m))));
}

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

describe('the disclosure requests report (property)', () => {
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

  /** An organisation of random requests over 2026, in every status a request can be in. */
  async function world(
    random: () => number,
  ): Promise<{ org: string; k: number; coordinator: TestBrowser }> {
    const org = await h.createOrganisation(`Disclosures ${uuidv7()}`);
    const k = 2 + Math.floor(random() * 8);
    await db.asSuperuser(`UPDATE organisation SET report_k = $2 WHERE id = $1`, [org, k]);
    const recorder = await h.createUser(org, { roles: ['coordinator'] });
    // Police ask often, courts rarely: small cells occur.
    const weights = AUTHORITIES.map(() => random());
    const total = weights.reduce((a, b) => a + b, 0);
    const sealed = Buffer.concat([Buffer.from([1]), Buffer.alloc(60, 7)]);
    const requests = 3 + Math.floor(random() * 90);
    for (let i = 0; i < requests; i++) {
      let pick = random() * total;
      const authority = AUTHORITIES.find((_, a) => (pick -= weights[a]!) < 0) ?? 'other';
      const createdAt = new Date(Date.UTC(2026, 0, 1) + Math.floor(random() * 364 * 86_400_000));
      const later = new Date(createdAt.getTime() + 3_600_000);
      const status = (
        [
          'recorded',
          'under_review',
          'approved',
          'refused',
          'disclosed',
          'closed',
          'closed',
        ] as const
      )[Math.floor(random() * 7)]!;
      const refused = status === 'refused' || (status === 'closed' && random() < 0.5);
      const disclosed = status === 'disclosed' || (status === 'closed' && !refused);
      await db.asSuperuser(
        `INSERT INTO disclosure_request (organisation_id, id, status, authority, requester,
           legal_instrument, period_from, period_to, fields, recorded_by, refusal_reason,
           disclosed_at, disclosed_by, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, $5, '2025-01-01', '2025-12-31', '{contacts}', $6, $7, $8, $9,
           $10, $10)`,
        [
          org,
          uuidv7(),
          status,
          authority,
          sealed,
          recorder.id,
          refused ? sealed : null,
          disclosed ? later : null,
          disclosed ? recorder.id : null,
          createdAt,
        ],
      );
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
      const random = generator(0xd15c + iteration);
      const { org, k, coordinator } = await world(random);
      const hand = new Map<string, number>();
      for (const row of await db.asSuperuser<{ a: string; o: string; m: string; n: number }>(
        HAND_SQL,
        [org],
      )) {
        hand.set(`${row.a}|${row.o}|${row.m}`, row.n);
      }
      const truth = (cells: readonly number[]) =>
        cells.reduce((sum, cell) => {
          const m = cell % 12;
          const o = Math.floor(cell / 12) % OUTCOMES.length;
          const a = Math.floor(cell / 12 / OUTCOMES.length);
          return sum + (hand.get(`${AUTHORITIES[a]}|${OUTCOMES[o]}|${MONTHS[m]}`) ?? 0);
        }, 0);

      const observations: Observation[] = [];
      const targets = new Map<string, Target>();
      const reports = new Map<string, DisclosuresReport>();
      for (const tier of ['internal', 'external'] as const) {
        for (const period of [...QUARTERS, '2026']) {
          const res = await coordinator.send(
            'get',
            `/api/reports/disclosures?period=${period}&tier=${tier}`,
          );
          expect({ iteration, period, tier, status: res.status }).toEqual({
            iteration,
            period,
            tier,
            status: 200,
          });
          const report = res.body as unknown as DisclosuresReport;
          reports.set(`${tier} ${period}`, report);
          expect(report.meta).toMatchObject({
            report: 'disclosures',
            period,
            tier,
            k: tier === 'internal' ? k : EXTERNAL_TIER.k,
          });
          const months = report.meta.months;
          for (const view of ['byOutcome', 'byMonth', 'byQuarter'] as const) {
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
        }
        // A year is its quarters added up: a sum only where every part is published.
        const year = reports.get(`${tier} 2026`)!;
        year.byOutcome.rows.forEach((_, r) =>
          year.byOutcome.columns.forEach((_, c) => {
            const parts = QUARTERS.map((q) => reports.get(`${tier} ${q}`)!.byOutcome.cells[r]![c]!);
            const sum = parts.some((p) => p === null)
              ? null
              : parts.reduce<number>((a, b) => a + b, 0);
            expect(year.byOutcome.cells[r]![c]).toBe(sum);
          }),
        );
      }
      // The attacker holds every number of both tiers, all periods, and finds no small hidden one.
      const found = exactDisclosures(
        AUTHORITIES.length * OUTCOMES.length * 12,
        observations,
        [...targets.values()],
        { k },
      );
      small += [...targets.values()].filter((t) => t.truth > 0 && t.truth < k).length;
      expect({ iteration, found }).toEqual({ iteration, found: [] });
      // Asked again, the same answers: every closed period reads as first published.
      const again = await coordinator.send('get', '/api/reports/disclosures?period=2026-Q2');
      expect(again.body).toEqual(reports.get('internal 2026-Q2'));
    }
    // The worlds were varied enough to test something: many numbers shown, many hidden.
    expect(compared).toBeGreaterThan(COMPARED);
    expect(published).toBeGreaterThan(COMPARED);
    expect(hidden).toBeGreaterThan(HIDDEN);
    // …and many of the hidden ones were small: the attack had something to find.
    expect(small).toBeGreaterThan(SMALL);
  }, 600_000);
});
