import {
  NOT_RECORDED,
  REPORT_FILTERS_BY_REPORT,
  reportFilterValuesFor,
  type ContactsReport,
  type FunnelReport,
  type NeedsReport,
  type ReferralsReport,
  type TimeToOutcomeReport,
} from '@harbour/domain';
import {
  consent,
  expectMatches,
  inQuarter,
  MONTH,
  NEEDS_SQL,
  published,
  QUARTER_START,
  REFERRALS_SQL,
  useReportsWorld,
} from '../../test/medium/reports-world';

/**
 * Reports on the demo's year of records (2026), asked for in early January 2027 when every
 * quarter of it has closed: every published number equals hand-written SQL over the records
 * entered in the quarter, and nothing published is between 1 and k − 1. Publication (once per
 * quarter, kept as published), refusals, access events and the external tier are in
 * `reports-publication.medium-spec.ts`; the differencing attack in
 * `reports-attacker.medium-spec.ts`.
 */
describe('reports', () => {
  const s = useReportsWorld();

  it('needs: category × month and × status equal hand-written SQL, quarter by quarter', async () => {
    let compared = 0;
    let hidden = 0;
    for (const [quarter, start] of Object.entries(QUARTER_START)) {
      const res = await s.get(`/api/reports/needs?period=${quarter}`);
      expect(res.status).toBe(200);
      const report = res.body as unknown as NeedsReport;
      expect(report.meta).toMatchObject({
        report: 'needs',
        period: quarter,
        tier: 'internal',
        k: 5,
      });
      expect(report.meta.months).toHaveLength(3);
      const byMonth = await s.handCounts(NEEDS_SQL('x.category', MONTH('x.created_at')), [
        s.org,
        start,
      ]);
      const byStatus = await s.handCounts(NEEDS_SQL('x.category', 'x.status'), [s.org, start]);
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
    const year = (await s.get('/api/reports/needs?period=2026')).body as unknown as NeedsReport;
    expect(year.meta.quarters.map((q) => q.quarter)).toEqual(Object.keys(QUARTER_START));
    expect(year.meta.months).toHaveLength(12);
    const quarters = await Promise.all(
      Object.keys(QUARTER_START).map(
        async (q) => (await s.get(`/api/reports/needs?period=${q}`)).body as unknown as NeedsReport,
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
    await s.at(new Date('2026-08-15T12:00:00Z'), async (get) => {
      const partial = (await get('/api/reports/needs?period=2026')).body as unknown as NeedsReport;
      expect(partial.meta.quarters.map((q) => q.quarter)).toEqual(['2026-Q1', '2026-Q2']);
      expect((await get('/api/reports/needs?period=2026-Q3')).status).toBe(400);
    });
  });

  it('leaves out people without reporting consent (anonymous needs still count)', async () => {
    const [counts] = await s.db.asSuperuser<{ without: number; all: number }>(
      `SELECT count(*) FILTER (WHERE x.person_id IS NOT NULL AND NOT p.consent_to_reporting)::int AS without,
              count(*)::int AS all
         FROM support_need x LEFT JOIN person p ON p.id = x.person_id
        WHERE x.organisation_id = $1 AND ${inQuarter('x.created_at')}`,
      [s.org, QUARTER_START['2026-Q2']],
    );
    expect(counts!.without).toBeGreaterThan(0);
    const report = (await s.get('/api/reports/needs?period=2026-Q2'))
      .body as unknown as NeedsReport;
    expect(report.byMonth.total).toBe(counts!.all - counts!.without);
  });

  it('referrals: partner × status equals hand-written SQL, with rates from published counts', async () => {
    let compared = 0;
    for (const [quarter, start] of Object.entries(QUARTER_START)) {
      const report = (await s.get(`/api/reports/referrals?period=${quarter}`))
        .body as unknown as ReferralsReport;
      const hand = await s.handCounts(REFERRALS_SQL('r.partner_id::text', 'r.status'), [
        s.org,
        start,
      ]);
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
      const funnel = (await s.get(`/api/reports/funnel?period=${period}`))
        .body as unknown as FunnelReport;
      const needs = (await s.get(`/api/reports/needs?period=${period}`))
        .body as unknown as NeedsReport;
      const referrals = (await s.get(`/api/reports/referrals?period=${period}`))
        .body as unknown as ReferralsReport;
      expect(funnel.byMonth.rows).toEqual(['identified', 'referred', 'accepted', 'completed']);
      expect(funnel.byMonth.columns).toEqual(funnel.meta.months);
      expect(funnel.byMonth.cells[0]).toEqual(needs.byMonth.columnTotals);
      expect(funnel.byMonth.cells[1]).toEqual(referrals.byMonth.columnTotals);
      expect(funnel.byQuarter.cells[0]).toEqual(needs.byQuarter.columnTotals);
      expect(funnel.byQuarter.cells[1]).toEqual(referrals.byQuarter.columnTotals);
    }
    const funnel = (await s.get('/api/reports/funnel?period=2026-Q2'))
      .body as unknown as FunnelReport;
    const [hand] = await s.db.asSuperuser<{ accepted: number; completed: number }>(
      `SELECT count(*) FILTER (WHERE r.status IN ('accepted', 'completed'))::int AS accepted,
              count(*) FILTER (WHERE r.status = 'completed')::int AS completed
         FROM referral r
         JOIN support_need x ON x.organisation_id = r.organisation_id AND x.id = r.need_id
         LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = x.person_id
        WHERE r.organisation_id = $1 AND ${consent} AND ${inQuarter('r.created_at')}`,
      [s.org, QUARTER_START['2026-Q2']],
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
      const res = await s.get(`/api/reports/time-to-outcome?period=${period}`);
      expect(res.status).toBe(200);
      const report = res.body as unknown as TimeToOutcomeReport;
      const hand = await s.db.asSuperuser<{ g: string; n: number; q: number[] }>(
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
        [s.org, start, months],
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
    await s.at(new Date('2026-11-15T12:00:00Z'), async (get) => {
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
      for (const value of reportFilterValuesFor('needs', attribute, s.partnerIds)) {
        const res = await s.get(`/api/reports/needs?period=2026-Q3&${attribute}=${value}`);
        expect(res.status).toBe(200);
        const report = res.body as unknown as NeedsReport;
        expect(report.meta.filter).toEqual({ attribute, value });
        const condition =
          attribute === 'circumstance'
            ? `AND $3 = ANY(coalesce(ct.circumstances, '{}'))`
            : `AND ${attributes[attribute]} = $3`;
        const hand = await s.handCounts(NEEDS_SQL('x.category', 'x.status', condition), [
          s.org,
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
      const report = (await s.get(`/api/reports/contacts?period=${quarter}`))
        .body as unknown as ContactsReport;
      const sql = (row: string) => `
        SELECT ${row} AS r, x.kind AS c, sum(x.headcount)::int AS n
          FROM contact x LEFT JOIN person p ON p.organisation_id = x.organisation_id AND p.id = x.person_id
         WHERE x.organisation_id = $1 AND ${consent} AND ${inQuarter('x.created_at')}
         GROUP BY 1, 2`;
      expectMatches(report.byChannel, await s.handCounts(sql('x.channel'), [s.org, start]));
      expectMatches(report.byLocation, await s.handCounts(sql('x.location_type'), [s.org, start]));
      expectMatches(
        report.byLanguage,
        await s.handCounts(sql(`coalesce(x.language_group, '${NOT_RECORDED}')`), [s.org, start]),
      );
      const tags = await s.handCounts(sql(`unnest(x.circumstances)`), [s.org, start]);
      for (const { circumstance, people } of report.byCircumstance) {
        if (people !== null) expect(people).toBe(tags.get(`${circumstance}|total`) ?? 0);
      }
    }
  });
});
