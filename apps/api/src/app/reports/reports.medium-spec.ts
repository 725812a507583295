import { randomUUID } from 'node:crypto';
import {
  LANGUAGE_GROUPS,
  REPORT_FILTERS_BY_REPORT,
  type ContactsReport,
  type FunnelReport,
  type NeedsReport,
  type ReferralsReport,
  type ReportCount,
  type ReportTable,
  type TimeToOutcomeReport,
} from '@harbour/domain';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { DemoSeeder } from '../seed/demo-seed';

/**
 * Reports on the demo dataset (issue 7): every published number equals hand-written SQL over
 * the same data; nothing published is between 1 and k − 1; one access event per run.
 */
describe('reports', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let coordinator: TestUser;
  let admin: TestUser;
  let browser: TestBrowser;
  let org: string;
  let from: string;
  let to: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    const logins = await harbour.app.get(DemoSeeder).seed();
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
    const [range] = await db.asSuperuser<{ last: string; first: string }>(
      `SELECT to_char(max(identified_on), 'YYYY-MM') AS last,
              to_char(max(identified_on) - interval '11 months', 'YYYY-MM') AS first
         FROM support_need`,
    );
    from = range!.first;
    to = range!.last;
  }, 180_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const get = (path: string, headers: Record<string, string> = {}) =>
    browser.send('get', path, undefined, { headers });

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

  const expectMatches = (t: ReportTable, hand: Map<string, number>, k = 5) => {
    let compared = 0;
    for (const { row, column, value } of published(t)) {
      if (value === null) continue;
      expect({ row, column, value }).toEqual({
        row,
        column,
        value: hand.get(`${row}|${column}`) ?? 0,
      });
      expect(value === 0 || value >= k).toBe(true);
      compared++;
    }
    return compared;
  };

  const consentFilter = `(x.person_id IS NULL OR p.consent_to_reporting)`;
  const NEEDS_SQL = (column: string, extra = '') => `
    SELECT x.category AS r, ${column} AS c, count(*)::int AS n
      FROM support_need x
      LEFT JOIN person p ON p.organisation_id = x.organisation_id AND p.id = x.person_id
      LEFT JOIN contact ct ON ct.organisation_id = x.organisation_id AND ct.id = x.contact_id
     WHERE x.organisation_id = $1 AND ${consentFilter}
       AND x.identified_on >= to_date($2, 'YYYY-MM')
       AND x.identified_on < to_date($3, 'YYYY-MM') + interval '1 month' ${extra}
     GROUP BY 1, 2`;

  it('needs: category × month and × status equal hand-written SQL, small cells suppressed', async () => {
    const res = await get(`/api/reports/needs?from=${from}&to=${to}`);
    expect(res.status).toBe(200);
    const report = res.body as unknown as NeedsReport;
    expect(report.meta).toMatchObject({ report: 'needs', from, to, tier: 'internal', k: 5 });
    expect(report.meta.months).toHaveLength(12);
    const byMonth = await handCounts(NEEDS_SQL(`to_char(x.identified_on, 'YYYY-MM')`), [
      org,
      from,
      to,
    ]);
    const byStatus = await handCounts(NEEDS_SQL('x.status'), [org, from, to]);
    expect(expectMatches(report.byMonth, byMonth)).toBeGreaterThan(20);
    expect(expectMatches(report.byStatus, byStatus)).toBeGreaterThan(10);
    // The demo year has small cells: they are suppressed, not shown.
    expect(published(report.byMonth).some((p) => p.value === null)).toBe(true);
    expect(report.byMonth.total).toBe(byMonth.get('total|total'));
  });

  it('leaves out people without reporting consent (anonymous needs still count)', async () => {
    const [counts] = await db.asSuperuser<{ without: number; anonymous: number }>(
      `SELECT count(*) FILTER (WHERE NOT p.consent_to_reporting)::int AS without,
              count(*) FILTER (WHERE x.person_id IS NULL)::int AS anonymous
         FROM support_need x LEFT JOIN person p ON p.id = x.person_id
        WHERE x.organisation_id = $1 AND x.identified_on >= to_date($2, 'YYYY-MM')`,
      [org, from],
    );
    expect(counts!.without).toBeGreaterThan(0);
    const [all] = await db.asSuperuser<{ n: number }>(
      `SELECT count(*)::int AS n FROM support_need WHERE organisation_id = $1
          AND identified_on >= to_date($2, 'YYYY-MM')`,
      [org, from],
    );
    const report = (await get(`/api/reports/needs?from=${from}&to=${to}`))
      .body as unknown as NeedsReport;
    expect(report.byMonth.total).toBe(all!.n - counts!.without);
  });

  it('referrals: partner × status equals hand-written SQL, with rates from published counts', async () => {
    const report = (await get(`/api/reports/referrals?from=${from}&to=${to}`))
      .body as unknown as ReferralsReport;
    const hand = await handCounts(
      `SELECT r.partner_id::text AS r, r.status AS c, count(*)::int AS n
         FROM referral r
         JOIN support_need x ON x.organisation_id = r.organisation_id AND x.id = r.need_id
         LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = x.person_id
        WHERE r.organisation_id = $1 AND ${consentFilter}
          AND r.created_at >= to_date($2, 'YYYY-MM')
          AND r.created_at < to_date($3, 'YYYY-MM') + interval '1 month'
        GROUP BY 1, 2`,
      [org, from, to],
    );
    expect(expectMatches(report.byStatus, hand)).toBeGreaterThan(5);
    expect(Object.keys(report.meta.partners)).toHaveLength(8);
    for (const [p, partner] of report.byStatus.rows.entries()) {
      const rate = report.rates[p]!;
      expect(rate.partner).toBe(partner);
      if (rate.acceptance === null) continue;
      const n = (s: string) => hand.get(`${partner}|${s}`) ?? 0;
      const answered = n('accepted') + n('completed') + n('declined_by_partner');
      expect(rate.acceptance).toBeCloseTo((n('accepted') + n('completed')) / answered, 3);
    }
  });

  it('funnel: needs identified, then referrals made, accepted and completed', async () => {
    const report = (await get(`/api/reports/funnel?from=${from}&to=${to}`))
      .body as unknown as FunnelReport;
    expect(report.byMonth.rows).toEqual(['identified', 'referred', 'accepted', 'completed']);
    expect(report.byMonth.columns).toEqual(report.meta.months);
    const needs = await handCounts(NEEDS_SQL(`'all'`), [org, from, to]);
    expect(report.byMonth.rowTotals[0]).toBe(needs.get('total|total'));
    // Each month's needs identified (every published cell), as the needs report counts them.
    const needsByMonth = await handCounts(NEEDS_SQL(`to_char(x.identified_on, 'YYYY-MM')`), [
      org,
      from,
      to,
    ]);
    expect(report.byMonth.cells[0]).toHaveLength(12);
    const identified = report.byMonth.cells[0]!.flatMap((value, m) =>
      value === null ? [] : [{ month: report.meta.months[m], value }],
    );
    expect(identified.length).toBeGreaterThan(6);
    for (const { month, value } of identified) {
      expect({ month, value }).toEqual({ month, value: needsByMonth.get(`total|${month}`) ?? 0 });
    }
    const [, referred, accepted, completed] = report.byMonth.rowTotals;
    const [hand] = await db.asSuperuser<{ referred: number; accepted: number; completed: number }>(
      `SELECT count(*)::int AS referred,
              count(*) FILTER (WHERE r.status IN ('accepted', 'completed'))::int AS accepted,
              count(*) FILTER (WHERE r.status = 'completed')::int AS completed
         FROM referral r
         JOIN support_need x ON x.organisation_id = r.organisation_id AND x.id = r.need_id
         LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = x.person_id
        WHERE r.organisation_id = $1 AND ${consentFilter}
          AND r.created_at >= to_date($2, 'YYYY-MM')
          AND r.created_at < to_date($3, 'YYYY-MM') + interval '1 month'`,
      [org, from, to],
    );
    expect(referred).toBe(hand!.referred);
    // Stages summed from suppressed counts are suppressed themselves.
    for (const [stage, value] of [
      ['accepted', accepted],
      ['completed', completed],
    ] as const) {
      if (value !== null) expect(value).toBe(hand![stage]);
    }
  });

  it('time to outcome: quartiles per category equal hand-written SQL, only for groups of k or more', async () => {
    const report = (await get(`/api/reports/time-to-outcome?from=${from}&to=${to}`))
      .body as unknown as TimeToOutcomeReport;
    const hand = await db.asSuperuser<{ category: string; n: number; median: number }>(
      `SELECT x.category, count(*)::int AS n,
              percentile_cont(0.5) WITHIN GROUP (
                ORDER BY extract(epoch FROM r.closed_at - r.created_at) / 86400) AS median
         FROM referral r
         JOIN support_need x ON x.organisation_id = r.organisation_id AND x.id = r.need_id
         LEFT JOIN person p ON p.organisation_id = r.organisation_id AND p.id = x.person_id
        WHERE r.organisation_id = $1 AND ${consentFilter} AND r.closed_at IS NOT NULL
          AND r.created_at >= to_date($2, 'YYYY-MM')
          AND r.created_at < to_date($3, 'YYYY-MM') + interval '1 month'
        GROUP BY 1`,
      [org, from, to],
    );
    let shown = 0;
    for (const group of report.byCategory) {
      const row = hand.find((h) => h.category === group.group);
      if (row === undefined || row.n < 5) {
        expect(group.days).toBeNull();
        continue;
      }
      expect(group.days!.median).toBeCloseTo(row.median, 1);
      shown++;
    }
    expect(shown).toBeGreaterThan(0);
  });

  it('a filter is a slice of one protected table: equal to the SQL where published, small groups hidden', async () => {
    // A language group of exactly 2 people, each with one need (and reporting consent).
    const [unused] = await db.asSuperuser<{ language: string }>(
      `SELECT l AS language FROM unnest($2::text[]) AS l
        WHERE NOT EXISTS (SELECT 1 FROM person WHERE organisation_id = $1 AND language_group = l)
          AND NOT EXISTS (SELECT 1 FROM contact WHERE organisation_id = $1 AND language_group = l)
        ORDER BY l LIMIT 1`,
      [org, LANGUAGE_GROUPS],
    );
    const small = unused!;
    for (let i = 0; i < 2; i++) {
      const person = await browser.send('post', '/api/persons', {
        languageGroup: small.language,
        consentToReporting: true,
      });
      expect(person.status).toBe(201);
      const need = await browser.send('post', '/api/needs', {
        personId: person.body['id'],
        category: 'legal',
      });
      expect(need.status).toBe(201);
    }
    const [range] = await db.asSuperuser<{ first: string; last: string }>(
      `SELECT to_char(max(identified_on), 'YYYY-MM') AS last,
              to_char(max(identified_on) - interval '11 months', 'YYYY-MM') AS first
         FROM support_need WHERE organisation_id = $1`,
      [org],
    );
    const { first: from, last: to } = range!;
    const [big] = await db.asSuperuser<{ language: string }>(
      `SELECT p.language_group AS language FROM support_need x JOIN person p ON p.id = x.person_id
        WHERE x.organisation_id = $1 GROUP BY 1 ORDER BY count(*) DESC LIMIT 1`,
      [org],
    );
    const unfiltered = (await get(`/api/reports/needs?from=${from}&to=${to}`))
      .body as unknown as NeedsReport;
    for (const language of [big!.language, small.language]) {
      const res = await get(`/api/reports/needs?from=${from}&to=${to}&language=${language}`);
      expect(res.status).toBe(200);
      const report = res.body as unknown as NeedsReport;
      expect(report.meta.filter).toEqual({ attribute: 'language', value: language });
      const hand = await handCounts(
        NEEDS_SQL(
          'x.status',
          `AND coalesce(p.language_group, ct.language_group, 'not_recorded') = $4`,
        ),
        [org, from, to, language],
      );
      expectMatches(report.byStatus, hand);
      if (language === small.language) {
        // Its needs (fewer than 5) are never shown as a count.
        expect(report.byStatus.total).toBeNull();
      }
    }
    // The unfiltered report is unchanged by any filter: the same numbers as before.
    const again = (await get(`/api/reports/needs?from=${from}&to=${to}`))
      .body as unknown as NeedsReport;
    expect(again.byMonth).toEqual(unfiltered.byMonth);
  });

  it('contacts: people reached (headcount) by channel, location and language equal hand-written SQL', async () => {
    const report = (await get(`/api/reports/contacts?from=${from}&to=${to}`))
      .body as unknown as ContactsReport;
    const contactsSql = (row: string) => `
      SELECT ${row} AS r, c.kind AS c, sum(c.headcount)::int AS n
        FROM contact c
        LEFT JOIN person p ON p.organisation_id = c.organisation_id AND p.id = c.person_id
       WHERE c.organisation_id = $1 AND (c.person_id IS NULL OR p.consent_to_reporting)
         AND c.occurred_on >= to_date($2, 'YYYY-MM')
         AND c.occurred_on < to_date($3, 'YYYY-MM') + interval '1 month'
       GROUP BY 1, 2`;
    expect(
      expectMatches(report.byChannel, await handCounts(contactsSql('c.channel'), [org, from, to])),
    ).toBeGreaterThan(5);
    expect(
      expectMatches(
        report.byLocation,
        await handCounts(contactsSql('c.location_type'), [org, from, to]),
      ),
    ).toBeGreaterThan(5);
    expectMatches(
      report.byLanguage,
      await handCounts(contactsSql(`coalesce(c.language_group, 'not_recorded')`), [org, from, to]),
    );
    // Group contacts count their headcount: the group column is people, not contacts.
    const [groups] = await db.asSuperuser<{ contacts: number; people: number }>(
      `SELECT count(*)::int AS contacts, sum(headcount)::int AS people FROM contact
        WHERE organisation_id = $1 AND kind = 'group'
          AND occurred_on >= to_date($2, 'YYYY-MM')
          AND occurred_on < to_date($3, 'YYYY-MM') + interval '1 month'`,
      [org, from, to],
    );
    expect(groups!.people).toBeGreaterThan(groups!.contacts);
    expect(report.byChannel.columnTotals[1]).toBe(groups!.people);
    // Each circumstance tag: the same number as the report filtered by that tag.
    const tags = await db.asSuperuser<{ tag: string; n: number }>(
      `SELECT t AS tag, sum(c.headcount)::int AS n
         FROM contact c
         LEFT JOIN person p ON p.organisation_id = c.organisation_id AND p.id = c.person_id,
         unnest(c.circumstances) AS t
        WHERE c.organisation_id = $1 AND (c.person_id IS NULL OR p.consent_to_reporting)
          AND c.occurred_on >= to_date($2, 'YYYY-MM')
          AND c.occurred_on < to_date($3, 'YYYY-MM') + interval '1 month'
        GROUP BY 1`,
      [org, from, to],
    );
    let shown = 0;
    for (const { circumstance, people } of report.byCircumstance) {
      if (people === null) continue;
      expect({ circumstance, people }).toEqual({
        circumstance,
        people: tags.find((t) => t.tag === circumstance)?.n ?? 0,
      });
      shown++;
    }
    expect(shown).toBeGreaterThan(2);
    const filtered = await get(
      `/api/reports/contacts?from=${from}&to=${to}&circumstance=post_raid`,
    );
    expect(filtered.status).toBe(200);
    const postRaid = filtered.body as unknown as ContactsReport;
    expect(postRaid.byChannel.total).toBe(
      report.byCircumstance.find((c) => c.circumstance === 'post_raid')!.people,
    );
    expect(postRaid.byCircumstance).toEqual([]);
  });

  it('answers every filter of every report, publishing no count of 1 to k − 1', async () => {
    const [partner] = await db.asSuperuser<{ id: string }>(
      `SELECT id FROM partner WHERE organisation_id = $1 ORDER BY created_at LIMIT 1`,
      [org],
    );
    const values: Record<string, string> = {
      language: 'thai',
      circumstance: 'post_raid',
      channel: 'outreach_visit',
      region: 'south_eastern_asia',
      partner: partner!.id,
      category: 'legal',
    };
    const numbers = (body: unknown): number[] =>
      Array.isArray(body)
        ? body.flatMap(numbers)
        : typeof body === 'object' && body !== null
          ? Object.entries(body).flatMap(([key, v]) =>
              ['meta', 'rates', 'days', 'byCategory', 'byPartner'].includes(key) ? [] : numbers(v),
            )
          : typeof body === 'number'
            ? [body]
            : [];
    for (const [report, filters] of Object.entries(REPORT_FILTERS_BY_REPORT)) {
      for (const attribute of filters) {
        const res = await get(
          `/api/reports/${report}?from=${from}&to=${to}&${attribute}=${values[attribute]}`,
        );
        expect({ report, attribute, status: res.status }).toEqual({
          report,
          attribute,
          status: 200,
        });
        for (const n of numbers(res.body))
          expect({ report, attribute, n, ok: n === 0 || n >= 5 }).toMatchObject({ ok: true });
      }
    }
  });

  it('refuses two filters, unknown values, a filter the report has no use for and bad months', async () => {
    const cases = [
      `language=thai&channel=phone`,
      `language=klingon`,
      `partner=${randomUUID()}`,
      `from=2026-13`,
      `from=2020-01&to=2026-01`,
      `tier=public`,
    ];
    for (const query of cases) {
      const res = await get(`/api/reports/needs?${query}`);
      expect({ query, status: res.status, code: res.body.code }).toEqual({
        query,
        status: 400,
        code: 'validation_failed',
      });
    }
  });

  it('records each run as one access event, and CSV as an export', async () => {
    const requestId = randomUUID();
    await get(`/api/reports/needs?from=${from}&to=${to}&language=thai`, {
      'X-Correlation-Id': requestId,
    });
    const csvId = randomUUID();
    const csv = await browser.send(
      'get',
      `/api/reports/referrals?from=${from}&to=${to}`,
      undefined,
      {
        headers: { 'X-Correlation-Id': csvId, Accept: 'text/csv' },
      },
    );
    expect(csv.status).toBe(200);
    expect(String(csv.headers['content-type'])).toMatch(/^text\/csv/);
    expect(String(csv.headers['content-disposition'])).toContain('harbour-referrals-');
    const events = await db.asSuperuser<{ request_id: string; action: string; fields: string[] }>(
      `SELECT request_id, action, fields FROM access_event WHERE request_id = ANY($1) ORDER BY seq`,
      [[requestId, csvId]],
    );
    expect(events).toEqual([
      {
        request_id: requestId,
        action: 'report.viewed',
        fields: ['report:needs', 'tier:internal', 'filter:language'],
      },
      {
        request_id: csvId,
        action: 'report.exported',
        fields: ['report:referrals', 'tier:internal'],
      },
    ]);
  });

  it('exports as CSV the published numbers only, suppressed ones as <k', async () => {
    const json = (await get(`/api/reports/needs?from=${from}&to=${to}`))
      .body as unknown as NeedsReport;
    const res = await browser.send('get', `/api/reports/needs?from=${from}&to=${to}`, undefined, {
      headers: { Accept: 'text/csv' },
    });
    const text =
      (res.body as unknown as Buffer | undefined)?.toString() ??
      (res as unknown as { text: string }).text;
    void text;
    const lines = String((res as unknown as { text?: string }).text ?? '').split('\r\n');
    expect(lines).toContain('report,needs');
    const cell = (row: string, column: string) =>
      lines.find((l) => l.startsWith(`by_month,${row},${column},`))?.split(',')[3];
    const r = json.byMonth.rows.indexOf('legal');
    json.byMonth.columns.forEach((month, c) => {
      const value = json.byMonth.cells[r]![c]!;
      expect(cell('legal', month)).toBe(value === null ? '<5' : String(value));
    });
  });

  it('the external tier needs step-up, and then publishes multiples of 5 of at least 11', async () => {
    const before = await get(`/api/reports/needs?from=${from}&to=${to}&tier=external`);
    expect(before.status).toBe(403);
    expect(before.body.code).toBe('step_up_required');
    await h.stepUp(browser, coordinator);
    const res = await get(`/api/reports/needs?from=${from}&to=${to}&tier=external`);
    expect(res.status).toBe(200);
    const report = res.body as unknown as NeedsReport;
    expect(report.meta).toMatchObject({ tier: 'external', k: 11, roundedTo: 5 });
    const values = [...published(report.byMonth), ...published(report.byStatus)].flatMap((p) =>
      p.value === null ? [] : [p.value],
    );
    expect(values.length).toBeGreaterThan(5);
    for (const v of values) {
      expect(v % 5).toBe(0);
      expect(v === 0 || v >= 10).toBe(true);
    }
  });

  it("uses the organisation's own k, set by an admin (2 to 11)", async () => {
    const adminBrowser = await h.signIn(admin);
    const settings = await adminBrowser.send('get', '/api/organisation/settings');
    expect(settings.body['reportK']).toBe(5);
    const tooHigh = await adminBrowser.send('patch', '/api/organisation/settings', {
      version: settings.body['version'],
      reportK: 12,
    });
    expect(tooHigh.status).toBe(400);
    const set = await adminBrowser.send('patch', '/api/organisation/settings', {
      version: settings.body['version'],
      reportK: 8,
    });
    expect(set.status).toBe(200);
    expect(set.body['reportK']).toBe(8);
    const report = (await get(`/api/reports/needs?from=${from}&to=${to}`))
      .body as unknown as NeedsReport;
    expect(report.meta.k).toBe(8);
    const hand = await handCounts(NEEDS_SQL('x.status'), [org, from, to]);
    expect(expectMatches(report.byStatus, hand, 8)).toBeGreaterThan(5);
    await adminBrowser.send('patch', '/api/organisation/settings', {
      version: set.body['version'],
      reportK: 5,
    });
  });
});
