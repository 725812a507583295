import type {
  NeedsReport,
  ReferralsReport,
  ReportName,
  TimeToOutcomeReport,
} from '@harbour/domain';
import {
  NEEDS_SQL,
  published,
  QUARTER_START,
  useReportsWorld,
} from '../../test/medium/reports-world';

/**
 * How reports are published and served, on the demo's year of records asked about in early
 * January 2027: a quarter is published once (also when two first requests race) with the
 * organisation's k of that moment and kept as it is; open and malformed periods and unusable
 * filters are refused; each run is one access event; the external tier needs step-up.
 */
describe('report publication', () => {
  const s = useReportsWorld();

  it('publishes a quarter once, also when two first requests race', async () => {
    // A fresh organisation's quarter: two coordinators' first requests at once.
    const other = await s.h.createOrganisation('Racing reports');
    const a = await s.h.signIn(
      await s.h.createUser(other, { roles: ['coordinator'], email: 'a@race.test' }),
    );
    const b = await s.h.signIn(
      await s.h.createUser(other, { roles: ['coordinator'], email: 'b@race.test' }),
    );
    const [ra, rb] = await Promise.all([
      a.send('get', '/api/reports/needs?period=2026-Q1'),
      b.send('get', '/api/reports/needs?period=2026-Q1'),
    ]);
    expect(ra.status).toBe(200);
    expect(rb.status).toBe(200);
    expect(ra.body).toEqual(rb.body);
    const rows = await s.db.asSuperuser<{ n: number }>(
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
      ['needs?partner=' + s.partnerIds[0], [{ path: 'partner', reason: 'not_supported' }]],
      ['contacts?channel=not_recorded', [{ path: 'channel', reason: 'unknown_value' }]],
    ];
    for (const [path, fields] of cases) {
      const res = await s.get(`/api/reports/${path}`);
      expect({ path, status: res.status, code: res.body['code'] }).toEqual({
        path,
        status: 400,
        code: 'validation_failed',
      });
      expect(res.body['fields']).toEqual(fields);
    }
    // Nothing was published for a refused request.
    const rows = await s.db.asSuperuser<{ period: string }>(
      `SELECT DISTINCT period FROM report_publication WHERE organisation_id = $1 AND period LIKE '2027%'`,
      [s.org],
    );
    expect(rows).toEqual([]);
  });

  it('records each run as one access event, and an export as report.exported', async () => {
    const count = async () =>
      (
        await s.db.asSuperuser<{ action: string; n: number }>(
          `SELECT action, count(*)::int AS n FROM access_event
            WHERE organisation_id = $1 AND action LIKE 'report.%' AND outcome = 'success'
            GROUP BY 1`,
          [s.org],
        )
      ).reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.action]: r.n }), {});
    const before = await count();
    expect((await s.get('/api/reports/needs?period=2026-Q1&language=thai')).status).toBe(200);
    // An export always needs step-up (a copy that leaves the screen).
    const refused = await s.get('/api/reports/needs/export?period=2026-Q1');
    expect(refused.body['code']).toBe('step_up_required');
    await s.h.stepUp(s.browser, s.coordinator);
    const exported = await s.get('/api/reports/needs/export?period=2026-Q1');
    expect(exported.status).toBe(200);
    expect(exported.body).toEqual((await s.get('/api/reports/needs?period=2026-Q1')).body);
    const after = await count();
    expect((after['report.viewed'] ?? 0) - (before['report.viewed'] ?? 0)).toBe(2);
    expect((after['report.exported'] ?? 0) - (before['report.exported'] ?? 0)).toBe(1);
    const [event] = await s.db.asSuperuser<{ fields: string[] }>(
      `SELECT fields FROM access_event WHERE organisation_id = $1 AND action = 'report.exported'
        ORDER BY seq DESC LIMIT 1`,
      [s.org],
    );
    expect(event!.fields).toEqual(['report:needs', 'period:2026-Q1', 'tier:internal']);
  });

  it('the external tier needs step-up, and then publishes multiples of 5 of at least 11 people', async () => {
    // The last step-up (for an export) lapses after five minutes.
    s.harbour.clock.advance(6 * 60 * 1000);
    const refused = await s.get('/api/reports/needs?period=2026-Q2&tier=external');
    expect(refused.status).toBe(403);
    expect(refused.body['code']).toBe('step_up_required');
    await s.h.stepUp(s.browser, s.coordinator);
    const external = (await s.get('/api/reports/needs?period=2026-Q2&tier=external'))
      .body as unknown as NeedsReport;
    const internal = (await s.get('/api/reports/needs?period=2026-Q2'))
      .body as unknown as NeedsReport;
    expect(external.meta).toMatchObject({ tier: 'external', k: 11, roundedTo: 5 });
    const start = QUARTER_START['2026-Q2'];
    const hand = await s.handCounts(NEEDS_SQL('x.category', 'x.status'), [s.org, start]);
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
    const other = await s.h.createOrganisation('Report k');
    const coord = await s.h.createUser(other, { roles: ['coordinator'], email: 'c@k.test' });
    const boss = await s.h.createUser(other, { roles: ['admin'], email: 'a@k.test' });
    const c = await s.h.signIn(coord);
    expect((await c.send('get', '/api/reports/needs?period=2026-Q1')).body['meta']).toMatchObject({
      k: 5,
    });
    const a = await s.h.signIn(boss);
    await s.h.stepUp(a, boss);
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
  });
  it('answers zeros for a partner added after a quarter was published (it had no referrals then)', async () => {
    expect((await s.get('/api/reports/referrals?period=2026-Q1')).status).toBe(200);
    expect((await s.get('/api/reports/time-to-outcome?period=2026-Q1')).status).toBe(200);
    const boss = await s.h.createUser(s.org, {
      roles: ['admin'],
      email: 'partner-admin@demo.harbour.test',
    });
    const a = await s.h.signIn(boss);
    const partner = await a.send('post', '/api/partners', {
      name: 'New Street Clinic',
      serviceType: 'health',
    });
    expect(partner.status).toBe(201);
    const id = partner.body['id'] as string;
    const referrals = await s.get(`/api/reports/referrals?period=2026-Q1&partner=${id}`);
    expect(referrals.status).toBe(200);
    const report = referrals.body as unknown as ReferralsReport;
    expect(report.byStatus.rows).toEqual([id]);
    expect(report.byStatus.total).toBe(0);
    expect(report.byMonth.cells).toEqual([[0, 0, 0]]);
    const times = await s.get(`/api/reports/time-to-outcome?period=2026-Q1&partner=${id}`);
    expect(times.status).toBe(200);
    const outcome = times.body as unknown as TimeToOutcomeReport;
    expect([...outcome.byCategory, ...outcome.byPartner].every((g) => g.days === null)).toBe(true);
  });

  // Last: it changes the records of a published quarter.
  it('keeps a published quarter as it is: new records, late records, changed statuses and consents change nothing', async () => {
    const before = await Promise.all(
      (['needs', 'referrals', 'contacts', 'funnel'] as ReportName[]).map(
        async (r) => (await s.get(`/api/reports/${r}?period=2026-Q2`)).body,
      ),
    );
    const [person] = await s.db.asSuperuser<{ id: string }>(
      `SELECT id FROM person WHERE organisation_id = $1 AND erased_at IS NULL ORDER BY id LIMIT 1`,
      [s.org],
    );
    const need = await s.browser.send('post', '/api/needs', {
      personId: person!.id,
      category: 'housing',
    });
    expect(need.status).toBe(201);
    await s.db.asSuperuser(
      `UPDATE support_need SET created_at = '2026-05-02T10:00:00Z' WHERE id = $1`,
      [need.body['id']],
    );
    await s.db.asSuperuser(
      `UPDATE support_need SET status = 'withdrawn', closed_on = identified_on
        WHERE organisation_id = $1 AND status = 'identified'
          AND created_at >= '2026-04-01' AND created_at < '2026-07-01'`,
      [s.org],
    );
    await s.db.asSuperuser(
      `UPDATE person SET consent_to_reporting = NOT consent_to_reporting WHERE organisation_id = $1`,
      [s.org],
    );
    const after = await Promise.all(
      (['needs', 'referrals', 'contacts', 'funnel'] as ReportName[]).map(
        async (r) => (await s.get(`/api/reports/${r}?period=2026-Q2`)).body,
      ),
    );
    expect(after).toEqual(before);
    await s.db.asSuperuser(
      `UPDATE person SET consent_to_reporting = NOT consent_to_reporting WHERE organisation_id = $1`,
      [s.org],
    );
  });
});
