import {
  NOT_RECORDED,
  REPORT_FILTERS_BY_REPORT,
  reportFilterValuesFor,
  type ContactsReport,
  type FunnelReport,
  type NeedsReport,
  type ReferralsReport,
  type ReportCount,
  type ReportName,
  type ReportTable,
  type TimeToOutcomeReport,
} from '@harbour/domain';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { backdateDemoRecords, DemoSeeder } from '../seed/demo-seed';

/**
 * Reports on the demo's year of records (2026), asked for in early January 2027 when every
 * quarter of it has closed: every published number equals hand-written SQL over the records
 * entered in the quarter; nothing published is between 1 and k − 1; a quarter's figures are
 * fixed when first published; one access event per run. The differencing attack is in
 * `reports-attacker.medium-spec.ts`.
 */
describe('reports', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let coordinator: TestUser;
  let admin: TestUser;
  let browser: TestBrowser;
  let org: string;
  let partnerIds: string[];

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    harbour.clock.set(new Date('2027-01-02T09:00:00Z'));
    h = new AuthHarness(harbour);
    const logins = await harbour.app.get(DemoSeeder).seed();
    await backdateDemoRecords((sql, params) => db.asSuperuser(sql, params));
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
    const adminLogin = logins.find(
      (l) => l.role === 'admin' && l.organisation === login.organisation,
    )!;
    admin = {
      organisationId: org,
      id: '',
      email: adminLogin.email,
      password: adminLogin.password,
      totpSecret: adminLogin.totpSecret,
      roles: ['admin'],
    };
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

  const get = (path: string) => browser.send('get', path);
  /**
   * Runs with the clock at another time, as another coordinator of the organisation (a session
   * does not travel in time, and each code is accepted once per account).
   */
  let travellers = 0;
  const at = async (
    when: Date,
    run: (get: (path: string) => ReturnType<TestBrowser['send']>) => Promise<void>,
  ) => {
    const now = harbour.clock.now();
    harbour.clock.set(when);
    try {
      const traveller = await h.createUser(org, {
        roles: ['coordinator'],
        email: `traveller-${++travellers}@demo.harbour.test`,
      });
      const other = await h.signIn(traveller);
      await run((path) => other.send('get', path));
    } finally {
      harbour.clock.set(now);
    }
  };

  /** Every published count of a table, with where it is. */
  const published = (t: ReportTable): { row: string; column: string; value: ReportCount }[] => [
    ...t.rows.flatMap((row, r) =>
      t.columns.map((column, c) => ({ row, column, value: t.cells[r]![c]! })),
    ),
    ...t.rows.map((row, r) => ({ row, column: 'total', value: t.rowTotals[r]! })),
    ...t.columns.map((column, c) => ({ row: 'total', column, value: t.columnTotals[c]! })),
    { row: 'total', column: 'total', value: t.total },
  ];

  /** Hand-written counts keyed `row|column`, with row and column totals. */
  const handCounts = async (sql: string, params: unknown[]): Promise<Map<string, number>> => {
    const rows = await db.asSuperuser<{ r: string; c: string; n: number }>(sql, params);
    const counts = new Map<string, number>();
    const add = (key: string, n: number) => counts.set(key, (counts.get(key) ?? 0) + n);
    for (const { r, c, n } of rows) {
      add(`${r}|${c}`, n);
      add(`${r}|total`, n);
      add(`total|${c}`, n);
      add('total|total', n);
    }
    return counts;
  };

  /** Every published number equals the hand count; none is between 1 and k − 1. */
  const expectMatches = (t: ReportTable, hand: Map<string, number>, k = 5) => {
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

  const consent = `(x.person_id IS NULL OR p.consent_to_reporting)`;
  const inQuarter = (column: string) =>
    `${column} >= $2::timestamptz AND ${column} < $2::timestamptz + interval '3 months'`;
  const NEEDS_SQL = (row: string, column: string, extra = '') => `
    SELECT ${row} AS r, ${column} AS c, count(*)::int AS n
      FROM support_need x
      LEFT JOIN person p ON p.organisation_id = x.organisation_id AND p.id = x.person_id
      LEFT JOIN contact ct ON ct.organisation_id = x.organisation_id AND ct.id = x.contact_id
     WHERE x.organisation_id = $1 AND ${consent} AND ${inQuarter('x.created_at')} ${extra}
     GROUP BY 1, 2`;
  const REFERRALS_SQL = (row: string, column: string, extra = '') => `
    SELECT ${row} AS r, ${column} AS c, count(*)::int AS n
      FROM referral r
      JOIN support_need x ON x.organisation_id = r.organisation_id AND x.id = r.need_id
      LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = x.person_id
      LEFT JOIN contact ct ON ct.organisation_id = x.organisation_id AND ct.id = x.contact_id
     WHERE r.organisation_id = $1 AND ${consent} AND ${inQuarter('r.created_at')} ${extra}
     GROUP BY 1, 2`;
  const MONTH = (column: string) => `to_char(${column} AT TIME ZONE 'UTC', 'YYYY-MM')`;
  const QUARTER_START = {
    '2026-Q1': '2026-01-01',
    '2026-Q2': '2026-04-01',
    '2026-Q3': '2026-07-01',
    '2026-Q4': '2026-10-01',
  };

  it('needs: category × month and × status equal hand-written SQL, quarter by quarter', async () => {
    let compared = 0;
    let hidden = 0;
    for (const [quarter, start] of Object.entries(QUARTER_START)) {
      const res = await get(`/api/reports/needs?period=${quarter}`);
      expect(res.status).toBe(200);
      const report = res.body as unknown as NeedsReport;
      expect(report.meta).toMatchObject({
        report: 'needs',
        period: quarter,
        tier: 'internal',
        k: 5,
      });
      expect(report.meta.months).toHaveLength(3);
      const byMonth = await handCounts(NEEDS_SQL('x.category', MONTH('x.created_at')), [
        org,
        start,
      ]);
      const byStatus = await handCounts(NEEDS_SQL('x.category', 'x.status'), [org, start]);
      compared += expectMatches(report.byMonth, byMonth) + expectMatches(report.byStatus, byStatus);
      hidden += published(report.byMonth).filter((p) => p.value === null).length;
      // The quarter's own total is published as the quarter column.
      expect(report.byQuarter.columns).toEqual([quarter]);
      expect(report.byQuarter.cells.map((row) => row[0])).toEqual(report.byMonth.rowTotals);
    }
    expect(compared).toBeGreaterThan(150);
    // The demo year has small cells: they are hidden, not shown.
    expect(hidden).toBeGreaterThan(10);
  });

  it('a year is its closed quarters added up: a sum only where every part is published', async () => {
    const year = (await get('/api/reports/needs?period=2026')).body as unknown as NeedsReport;
    expect(year.meta.quarters.map((q) => q.quarter)).toEqual(Object.keys(QUARTER_START));
    expect(year.meta.months).toHaveLength(12);
    const quarters = await Promise.all(
      Object.keys(QUARTER_START).map(
        async (q) => (await get(`/api/reports/needs?period=${q}`)).body as unknown as NeedsReport,
      ),
    );
    year.byStatus.rows.forEach((row, r) => {
      year.byStatus.columns.forEach((_, c) => {
        const parts = quarters.map((q) => q.byStatus.cells[r]![c]!);
        const sum = parts.some((p) => p === null) ? null : parts.reduce<number>((a, b) => a + b, 0);
        expect(year.byStatus.cells[r]![c]).toBe(sum);
      });
    });
    expect(year.byQuarter.columnTotals).toEqual(quarters.map((q) => q.byMonth.total));
    // In the middle of a year only its closed quarters count; a year not begun is refused.
    await at(new Date('2026-08-15T12:00:00Z'), async (get) => {
      const partial = (await get('/api/reports/needs?period=2026')).body as unknown as NeedsReport;
      expect(partial.meta.quarters.map((q) => q.quarter)).toEqual(['2026-Q1', '2026-Q2']);
      expect((await get('/api/reports/needs?period=2026-Q3')).status).toBe(400);
    });
  });

  it('leaves out people without reporting consent (anonymous needs still count)', async () => {
    const [counts] = await db.asSuperuser<{ without: number; all: number }>(
      `SELECT count(*) FILTER (WHERE x.person_id IS NOT NULL AND NOT p.consent_to_reporting)::int AS without,
              count(*)::int AS all
         FROM support_need x LEFT JOIN person p ON p.id = x.person_id
        WHERE x.organisation_id = $1 AND ${inQuarter('x.created_at')}`,
      [org, QUARTER_START['2026-Q2']],
    );
    expect(counts!.without).toBeGreaterThan(0);
    const report = (await get('/api/reports/needs?period=2026-Q2')).body as unknown as NeedsReport;
    expect(report.byMonth.total).toBe(counts!.all - counts!.without);
  });

  it('referrals: partner × status equals hand-written SQL, with rates from published counts', async () => {
    let compared = 0;
    for (const [quarter, start] of Object.entries(QUARTER_START)) {
      const report = (await get(`/api/reports/referrals?period=${quarter}`))
        .body as unknown as ReferralsReport;
      const hand = await handCounts(REFERRALS_SQL('r.partner_id::text', 'r.status'), [org, start]);
      compared += expectMatches(report.byStatus, hand);
      expect(Object.keys(report.meta.partners)).toHaveLength(8);
      for (const [p, partner] of report.byStatus.rows.entries()) {
        const rate = report.rates[p]!;
        expect(rate.partner).toBe(partner);
        if (rate.acceptance === null) continue;
        const n = (s: string) => hand.get(`${partner}|${s}`) ?? 0;
        const answered = n('accepted') + n('completed') + n('declined_by_partner');
        expect(rate.acceptance).toBeCloseTo((n('accepted') + n('completed')) / answered, 3);
      }
    }
    expect(compared).toBeGreaterThan(100);
  });

  it('funnel: needs recorded, then referrals made, accepted and completed, from those reports', async () => {
    for (const period of ['2026-Q2', '2026']) {
      const funnel = (await get(`/api/reports/funnel?period=${period}`))
        .body as unknown as FunnelReport;
      const needs = (await get(`/api/reports/needs?period=${period}`))
        .body as unknown as NeedsReport;
      const referrals = (await get(`/api/reports/referrals?period=${period}`))
        .body as unknown as ReferralsReport;
      expect(funnel.byMonth.rows).toEqual(['identified', 'referred', 'accepted', 'completed']);
      expect(funnel.byMonth.columns).toEqual(funnel.meta.months);
      expect(funnel.byMonth.cells[0]).toEqual(needs.byMonth.columnTotals);
      expect(funnel.byMonth.cells[1]).toEqual(referrals.byMonth.columnTotals);
      expect(funnel.byQuarter.cells[0]).toEqual(needs.byQuarter.columnTotals);
      expect(funnel.byQuarter.cells[1]).toEqual(referrals.byQuarter.columnTotals);
    }
    const funnel = (await get('/api/reports/funnel?period=2026-Q2'))
      .body as unknown as FunnelReport;
    const [hand] = await db.asSuperuser<{ accepted: number; completed: number }>(
      `SELECT count(*) FILTER (WHERE r.status IN ('accepted', 'completed'))::int AS accepted,
              count(*) FILTER (WHERE r.status = 'completed')::int AS completed
         FROM referral r
         JOIN support_need x ON x.organisation_id = r.organisation_id AND x.id = r.need_id
         LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = x.person_id
        WHERE r.organisation_id = $1 AND ${consent} AND ${inQuarter('r.created_at')}`,
      [org, QUARTER_START['2026-Q2']],
    );
    // Stages summed from hidden counts are hidden themselves.
    const [, , accepted, completed] = funnel.byQuarter.cells.map((row) => row[0]);
    if (accepted !== null) expect(accepted).toBe(hand!.accepted);
    if (completed !== null) expect(completed).toBe(hand!.completed);
  });

  it('time to outcome: quartiles equal hand-written SQL for groups of k or more, by closed period', async () => {
    let shown = 0;
    for (const [period, start, months] of [
      ['2026', '2026-01-01', 12],
      ['2026-Q3', '2026-07-01', 3],
    ] as const) {
      const res = await get(`/api/reports/time-to-outcome?period=${period}`);
      expect(res.status).toBe(200);
      const report = res.body as unknown as TimeToOutcomeReport;
      const hand = await db.asSuperuser<{ g: string; n: number; q: number[] }>(
        `SELECT g, count(*)::int AS n,
                percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY days) AS q
           FROM (SELECT unnest(ARRAY[x.category, r.partner_id::text]) AS g,
                        extract(epoch FROM r.closed_at - r.created_at) / 86400 AS days
                   FROM referral r
                   JOIN support_need x ON x.organisation_id = r.organisation_id AND x.id = r.need_id
                   LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = x.person_id
                  WHERE r.organisation_id = $1 AND ${consent}
                    AND r.closed_at >= $2::timestamptz
                    AND r.closed_at < $2::timestamptz + ($3 || ' months')::interval) t
          GROUP BY 1`,
        [org, start, months],
      );
      for (const group of [...report.byCategory, ...report.byPartner]) {
        const row = hand.find((r) => r.g === group.group);
        if (row === undefined || row.n < 5) {
          expect(group.days).toBeNull();
          continue;
        }
        expect(group.days!.q1).toBeCloseTo(row.q[0]!, 1);
        expect(group.days!.median).toBeCloseTo(row.q[1]!, 1);
        expect(group.days!.q3).toBeCloseTo(row.q[2]!, 1);
        shown++;
      }
    }
    expect(shown).toBeGreaterThan(3);
    // Quartiles of a year are not made of its quarters': a year only once it has closed.
    await at(new Date('2026-11-15T12:00:00Z'), async (get) => {
      const open = await get('/api/reports/time-to-outcome?period=2026');
      expect(open.status).toBe(400);
      expect(open.body['fields']).toEqual([{ path: 'period', reason: 'not_closed' }]);
    });
  });

  it('a filter is a slice of one protected table: every value equal to the SQL where published', async () => {
    const start = QUARTER_START['2026-Q3'];
    const attributes: Record<string, string> = {
      language: `coalesce(p.language_group, ct.language_group, '${NOT_RECORDED}')`,
      channel: `coalesce(ct.channel, '${NOT_RECORDED}')`,
      region: `coalesce(p.region_of_origin, 'unknown')`,
      category: 'x.category',
    };
    let compared = 0;
    for (const attribute of REPORT_FILTERS_BY_REPORT.needs) {
      for (const value of reportFilterValuesFor('needs', attribute, partnerIds)) {
        const res = await get(`/api/reports/needs?period=2026-Q3&${attribute}=${value}`);
        expect(res.status).toBe(200);
        const report = res.body as unknown as NeedsReport;
        expect(report.meta.filter).toEqual({ attribute, value });
        const condition =
          attribute === 'circumstance'
            ? `AND $3 = ANY(coalesce(ct.circumstances, '{}'))`
            : `AND ${attributes[attribute]} = $3`;
        const hand = await handCounts(NEEDS_SQL('x.category', 'x.status', condition), [
          org,
          start,
          value,
        ]);
        compared += expectMatches(report.byStatus, hand);
      }
    }
    expect(compared).toBeGreaterThan(500);
  });

  it('contacts: people reached (headcount) by channel, location and language equal hand-written SQL', async () => {
    for (const [quarter, start] of Object.entries(QUARTER_START)) {
      const report = (await get(`/api/reports/contacts?period=${quarter}`))
        .body as unknown as ContactsReport;
      const sql = (row: string) => `
        SELECT ${row} AS r, x.kind AS c, sum(x.headcount)::int AS n
          FROM contact x LEFT JOIN person p ON p.organisation_id = x.organisation_id AND p.id = x.person_id
         WHERE x.organisation_id = $1 AND ${consent} AND ${inQuarter('x.created_at')}
         GROUP BY 1, 2`;
      expectMatches(report.byChannel, await handCounts(sql('x.channel'), [org, start]));
      expectMatches(report.byLocation, await handCounts(sql('x.location_type'), [org, start]));
      expectMatches(
        report.byLanguage,
        await handCounts(sql(`coalesce(x.language_group, '${NOT_RECORDED}')`), [org, start]),
      );
      const tags = await handCounts(sql(`unnest(x.circumstances)`), [org, start]);
      for (const { circumstance, people } of report.byCircumstance) {
        if (people !== null) expect(people).toBe(tags.get(`${circumstance}|total`) ?? 0);
      }
    }
  });

  it('publishes a quarter once, also when two first requests race', async () => {
    // A fresh organisation's quarter: two coordinators' first requests at once.
    const other = await h.createOrganisation('Racing reports');
    const a = await h.signIn(
      await h.createUser(other, { roles: ['coordinator'], email: 'a@race.test' }),
    );
    const b = await h.signIn(
      await h.createUser(other, { roles: ['coordinator'], email: 'b@race.test' }),
    );
    const [ra, rb] = await Promise.all([
      a.send('get', '/api/reports/needs?period=2026-Q1'),
      b.send('get', '/api/reports/needs?period=2026-Q1'),
    ]);
    expect(ra.status).toBe(200);
    expect(rb.status).toBe(200);
    expect(ra.body).toEqual(rb.body);
    const rows = await db.asSuperuser<{ n: number }>(
      `SELECT count(*)::int AS n FROM report_publication WHERE organisation_id = $1`,
      [other],
    );
    expect(rows[0]!.n).toBe(1);
  });

  it('refuses open, malformed and out-of-range periods, two filters, unknown values and filters a report has no use for', async () => {
    const cases: [string, { path: string; reason: string }[]][] = [
      ['needs?period=2027-Q1', [{ path: 'period', reason: 'not_closed' }]],
      ['needs?period=2028', [{ path: 'period', reason: 'not_closed' }]],
      ['needs?period=1999', [{ path: 'period', reason: 'range' }]],
      ['needs?period=2026-03', [{ path: 'period', reason: 'matches' }]],
      ['needs?period=2026-Q5', [{ path: 'period', reason: 'matches' }]],
      [
        'needs?language=thai&channel=phone',
        [
          { path: 'language', reason: 'one_filter_at_a_time' },
          { path: 'channel', reason: 'one_filter_at_a_time' },
        ],
      ],
      ['needs?language=klingon', [{ path: 'language', reason: 'unknown_value' }]],
      ['needs?partner=' + partnerIds[0], [{ path: 'partner', reason: 'not_supported' }]],
      ['contacts?channel=not_recorded', [{ path: 'channel', reason: 'unknown_value' }]],
    ];
    for (const [path, fields] of cases) {
      const res = await get(`/api/reports/${path}`);
      expect({ path, status: res.status, code: res.body['code'] }).toEqual({
        path,
        status: 400,
        code: 'validation_failed',
      });
      expect(res.body['fields']).toEqual(fields);
    }
    // Nothing was published for a refused request.
    const rows = await db.asSuperuser<{ period: string }>(
      `SELECT DISTINCT period FROM report_publication WHERE organisation_id = $1 AND period LIKE '2027%'`,
      [org],
    );
    expect(rows).toEqual([]);
  });

  it('records each run as one access event, and an export as report.exported', async () => {
    const count = async () =>
      (
        await db.asSuperuser<{ action: string; n: number }>(
          `SELECT action, count(*)::int AS n FROM access_event
            WHERE organisation_id = $1 AND action LIKE 'report.%' AND outcome = 'success'
            GROUP BY 1`,
          [org],
        )
      ).reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.action]: r.n }), {});
    const before = await count();
    expect((await get('/api/reports/needs?period=2026-Q1&language=thai')).status).toBe(200);
    // An export always needs step-up (a copy that leaves the screen).
    const refused = await get('/api/reports/needs/export?period=2026-Q1');
    expect(refused.body['code']).toBe('step_up_required');
    await h.stepUp(browser, coordinator);
    const exported = await get('/api/reports/needs/export?period=2026-Q1');
    expect(exported.status).toBe(200);
    expect(exported.body).toEqual((await get('/api/reports/needs?period=2026-Q1')).body);
    const after = await count();
    expect((after['report.viewed'] ?? 0) - (before['report.viewed'] ?? 0)).toBe(2);
    expect((after['report.exported'] ?? 0) - (before['report.exported'] ?? 0)).toBe(1);
    const [event] = await db.asSuperuser<{ fields: string[] }>(
      `SELECT fields FROM access_event WHERE organisation_id = $1 AND action = 'report.exported'
        ORDER BY seq DESC LIMIT 1`,
      [org],
    );
    expect(event!.fields).toEqual(['report:needs', 'period:2026-Q1', 'tier:internal']);
  });

  it('the external tier needs step-up, and then publishes multiples of 5 of at least 11 people', async () => {
    // The last step-up (for an export) lapses after five minutes.
    harbour.clock.advance(6 * 60 * 1000);
    const refused = await get('/api/reports/needs?period=2026-Q2&tier=external');
    expect(refused.status).toBe(403);
    expect(refused.body['code']).toBe('step_up_required');
    await h.stepUp(browser, coordinator);
    const external = (await get('/api/reports/needs?period=2026-Q2&tier=external'))
      .body as unknown as NeedsReport;
    const internal = (await get('/api/reports/needs?period=2026-Q2'))
      .body as unknown as NeedsReport;
    expect(external.meta).toMatchObject({ tier: 'external', k: 11, roundedTo: 5 });
    const start = QUARTER_START['2026-Q2'];
    const hand = await handCounts(NEEDS_SQL('x.category', 'x.status'), [org, start]);
    const externalNumbers = published(external.byStatus);
    const internalNumbers = published(internal.byStatus);
    externalNumbers.forEach(({ row, column, value }, i) => {
      if (value === null) return;
      // Published externally only where published internally: nothing new for a coordinator.
      expect(internalNumbers[i]!.value).not.toBeNull();
      expect(value % 5).toBe(0);
      const truth = hand.get(`${row}|${column}`) ?? 0;
      expect(truth === 0 || truth >= 11).toBe(true);
      expect(Math.abs(value - truth)).toBeLessThanOrEqual(2);
    });
  });

  it("uses the organisation's k when a quarter is first published, and keeps it", async () => {
    const other = await h.createOrganisation('Report k');
    const coord = await h.createUser(other, { roles: ['coordinator'], email: 'c@k.test' });
    const boss = await h.createUser(other, { roles: ['admin'], email: 'a@k.test' });
    const c = await h.signIn(coord);
    expect((await c.send('get', '/api/reports/needs?period=2026-Q1')).body['meta']).toMatchObject({
      k: 5,
    });
    const a = await h.signIn(boss);
    await h.stepUp(a, boss);
    const settings = await a.send('get', '/api/organisation/settings');
    const patched = await a.send('patch', '/api/organisation/settings', {
      version: settings.body['version'],
      reportK: 7,
    });
    expect(patched.status).toBe(200);
    const year = (await c.send('get', '/api/reports/needs?period=2026'))
      .body as unknown as NeedsReport;
    expect(year.meta.quarters.map((q) => q.k)).toEqual([5, 7, 7, 7]);
    expect(year.meta.k).toBe(7);
    void admin;
  });
  it('answers zeros for a partner added after a quarter was published (it had no referrals then)', async () => {
    expect((await get('/api/reports/referrals?period=2026-Q1')).status).toBe(200);
    expect((await get('/api/reports/time-to-outcome?period=2026-Q1')).status).toBe(200);
    const boss = await h.createUser(org, {
      roles: ['admin'],
      email: 'partner-admin@demo.harbour.test',
    });
    const a = await h.signIn(boss);
    const partner = await a.send('post', '/api/partners', {
      name: 'New Street Clinic',
      serviceType: 'health',
    });
    expect(partner.status).toBe(201);
    const id = partner.body['id'] as string;
    const referrals = await get(`/api/reports/referrals?period=2026-Q1&partner=${id}`);
    expect(referrals.status).toBe(200);
    const report = referrals.body as unknown as ReferralsReport;
    expect(report.byStatus.rows).toEqual([id]);
    expect(report.byStatus.total).toBe(0);
    expect(report.byMonth.cells).toEqual([[0, 0, 0]]);
    const times = await get(`/api/reports/time-to-outcome?period=2026-Q1&partner=${id}`);
    expect(times.status).toBe(200);
    const outcome = times.body as unknown as TimeToOutcomeReport;
    expect([...outcome.byCategory, ...outcome.byPartner].every((g) => g.days === null)).toBe(true);
  });

  // Last: it changes the records of a published quarter.
  it('keeps a published quarter as it is: new records, late records, changed statuses and consents change nothing', async () => {
    const before = await Promise.all(
      (['needs', 'referrals', 'contacts', 'funnel'] as ReportName[]).map(
        async (r) => (await get(`/api/reports/${r}?period=2026-Q2`)).body,
      ),
    );
    const [person] = await db.asSuperuser<{ id: string }>(
      `SELECT id FROM person WHERE organisation_id = $1 ORDER BY id LIMIT 1`,
      [org],
    );
    const need = await browser.send('post', '/api/needs', {
      personId: person!.id,
      category: 'housing',
    });
    expect(need.status).toBe(201);
    await db.asSuperuser(
      `UPDATE support_need SET created_at = '2026-05-02T10:00:00Z' WHERE id = $1`,
      [need.body['id']],
    );
    await db.asSuperuser(
      `UPDATE support_need SET status = 'withdrawn', closed_on = identified_on
        WHERE organisation_id = $1 AND status = 'identified'
          AND created_at >= '2026-04-01' AND created_at < '2026-07-01'`,
      [org],
    );
    await db.asSuperuser(
      `UPDATE person SET consent_to_reporting = NOT consent_to_reporting WHERE organisation_id = $1`,
      [org],
    );
    const after = await Promise.all(
      (['needs', 'referrals', 'contacts', 'funnel'] as ReportName[]).map(
        async (r) => (await get(`/api/reports/${r}?period=2026-Q2`)).body,
      ),
    );
    expect(after).toEqual(before);
    await db.asSuperuser(
      `UPDATE person SET consent_to_reporting = NOT consent_to_reporting WHERE organisation_id = $1`,
      [org],
    );
  });
});
