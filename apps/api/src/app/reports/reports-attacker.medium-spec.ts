import {
  CIRCUMSTANCES,
  CONTACT_CHANNELS,
  CONTACT_KINDS,
  FUNNEL_STAGES,
  LANGUAGE_GROUPS,
  LOCATION_TYPES,
  monthsOfQuarter,
  NEED_CATEGORIES,
  NEED_STATUSES,
  NOT_RECORDED,
  REFERRAL_STATUSES,
  REPORT_FILTERS_BY_REPORT,
  reportFilterValuesFor,
  type ContactsReport,
  type FunnelReport,
  type NeedsReport,
  type ReferralsReport,
  type ReportCount,
  type ReportFilterAttribute,
  type ReportName,
  type ReportTable,
} from '@harbour/domain';
import {
  exactDisclosures,
  type Disclosure,
  type Observation,
  type Target,
} from '@harbour/domain/testing';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { backdateDemoRecords, DemoSeeder } from '../seed/demo-seed';

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
  const QUARTERS = ['2026-Q1', '2026-Q2', '2026-Q3', '2026-Q4'];
  const YEARS = ['2026'];
  const K = 5;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    // Early January: the demo's year of records is 2026, every quarter of it closed.
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

  type Tier = 'internal' | 'external';
  type Filter = { attribute: ReportFilterAttribute; value: string } | null;
  interface Asked {
    report: ReportName;
    period: string;
    tier: Tier;
    filter: Filter;
    body: Record<string, unknown>;
  }

  const query = (period: string, tier: Tier, filter: Filter) =>
    `period=${period}&tier=${tier}${filter === null ? '' : `&${filter.attribute}=${filter.value}`}`;

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

  const keyOf = (report: ReportName, period: string, tier: Tier, filter: Filter) =>
    `${report} ${period} ${tier} ${filter === null ? '' : `${filter.attribute}=${filter.value}`}`;
  const indexes = new WeakMap<readonly Asked[], Map<string, Asked>>();
  const find = (
    asked: readonly Asked[],
    report: ReportName,
    period: string,
    tier: Tier,
    filter: Filter,
  ): Record<string, unknown> => {
    let index = indexes.get(asked);
    if (index === undefined) {
      index = new Map(asked.map((a) => [keyOf(a.report, a.period, a.tier, a.filter), a]));
      indexes.set(asked, index);
    }
    const found = index.get(keyOf(report, period, tier, filter));
    if (found === undefined) throw new Error(`not asked: ${keyOf(report, period, tier, filter)}`);
    return found.body;
  };

  // ---- the attacker's systems ---------------------------------------------------------------

  /**
   * The cells of a table by its dimensions; each published number is the sum of the cells that
   * match its coordinates (a value, or every value where it is a total).
   */
  class System {
    readonly observations: Observation[] = [];
    readonly hidden = new Map<string, Omit<Target, 'truth'>>();
    readonly size: number;
    private readonly strides: number[];

    constructor(readonly dims: readonly (readonly string[])[]) {
      this.strides = dims.map(() => 0);
      let size = 1;
      for (let d = dims.length - 1; d >= 0; d--) {
        this.strides[d] = size;
        size *= dims[d]!.length;
      }
      this.size = size;
    }

    /** The cells at these coordinates (null: every value of that dimension). */
    cells(at: readonly (number | null)[]): number[] {
      let cells = [0];
      at.forEach((c, d) => {
        const values = c === null ? this.dims[d]!.map((_, i) => i) : [c];
        cells = cells.flatMap((base) => values.map((v) => base + v * this.strides[d]!));
      });
      return cells;
    }

    /** A published number (or a hidden one: null). `slack` for rounded counts. */
    see(name: string, at: readonly (number | null)[], value: ReportCount, slack: number): void {
      this.seeCells(name, this.cells(at), value, slack);
    }

    seeCells(name: string, cells: readonly number[], value: ReportCount, slack: number): void {
      const key = [...cells].sort((a, b) => a - b).join(',');
      if (value === null) {
        if (!this.hidden.has(key)) this.hidden.set(key, { name, cells });
        return;
      }
      this.observations.push(
        value === 0
          ? { cells, low: 0, high: 0 }
          : { cells, low: Math.max(0, value - slack), high: value + slack },
      );
    }

    /** Every view of a table (`rows` × `columns` dimensions, `fixed` others), margins included. */
    seeTable(
      name: string,
      table: ReportTable,
      rows: number,
      columns: number,
      fixed: ReadonlyMap<number, number>,
      slack: number,
    ): void {
      const index = (d: number, label: string) => {
        const i = this.dims[d]!.indexOf(label);
        if (i === -1) throw new Error(`${name}: ${label} is not a value of dimension ${d}`);
        return i;
      };
      // A dimension the table is narrowed to reads its one value, at its total too.
      const at = (r: number | null, c: number | null) =>
        this.dims.map(
          (_, d) => (d === rows ? r : d === columns ? c : null) ?? fixed.get(d) ?? null,
        );
      table.rows.forEach((row, r) => {
        const ri = index(rows, row);
        table.columns.forEach((column, c) =>
          this.see(
            `${name}[${row},${column}]`,
            at(ri, index(columns, column)),
            table.cells[r]![c]!,
            slack,
          ),
        );
        this.see(`${name}[${row},total]`, at(ri, null), table.rowTotals[r]!, slack);
      });
      table.columns.forEach((column, c) =>
        this.see(
          `${name}[total,${column}]`,
          at(null, index(columns, column)),
          table.columnTotals[c]!,
          slack,
        ),
      );
      this.see(`${name}[total,total]`, at(null, null), table.total, slack);
    }
  }

  /** The attacker's findings in a system, with the truth of every hidden number. */
  function attack(system: System, truth: Float64Array, k: number): Disclosure[] {
    const targets: Target[] = [...system.hidden.values()].map((t) => ({
      ...t,
      truth: t.cells.reduce((sum, c) => sum + truth[c]!, 0),
    }));
    return exactDisclosures(system.size, system.observations, targets, { k });
  }

  // ---- the truth (hand-written SQL, independent of the report code) ------------------------

  const consent = (person: string) => `(${person} IS NULL OR p.consent_to_reporting)`;
  const entered = (column: string, quarter: string) => {
    const [first] = monthsOfQuarter(quarter);
    return `${column} >= '${first}-01'::timestamptz AND ${column} < '${first}-01'::timestamptz + interval '3 months'`;
  };

  /** Per family: the SQL of each record's own coordinates, and of each filter attribute. */
  const FAMILIES = {
    needs: {
      from: `support_need x
        LEFT JOIN person p ON p.organisation_id = x.organisation_id AND p.id = x.person_id
        LEFT JOIN contact c ON c.organisation_id = x.organisation_id AND c.id = x.contact_id
       WHERE x.organisation_id = $1 AND ${consent('x.person_id')}`,
      created: 'x.created_at',
      own: ['x.category', 'x.status', `to_char(x.created_at AT TIME ZONE 'UTC', 'YYYY-MM')`],
      measure: '1',
      tags: `coalesce(c.circumstances, '{}')`,
      attributes: {
        language: `coalesce(p.language_group, c.language_group, '${NOT_RECORDED}')`,
        channel: `coalesce(c.channel, '${NOT_RECORDED}')`,
        region: `coalesce(p.region_of_origin, 'unknown')`,
      } as Record<string, string>,
    },
    referrals: {
      from: `referral x
        JOIN support_need n ON n.organisation_id = x.organisation_id AND n.id = x.need_id
        LEFT JOIN person p ON p.organisation_id = x.organisation_id AND p.id = coalesce(x.person_id, n.person_id)
        LEFT JOIN contact c ON c.organisation_id = n.organisation_id AND c.id = n.contact_id
       WHERE x.organisation_id = $1 AND ${consent('coalesce(x.person_id, n.person_id)')}`,
      created: 'x.created_at',
      own: [
        'x.partner_id::text',
        'x.status',
        `to_char(x.created_at AT TIME ZONE 'UTC', 'YYYY-MM')`,
      ],
      measure: '1',
      tags: `coalesce(c.circumstances, '{}')`,
      attributes: {
        language: `coalesce(p.language_group, c.language_group, '${NOT_RECORDED}')`,
        channel: `coalesce(c.channel, '${NOT_RECORDED}')`,
        region: `coalesce(p.region_of_origin, 'unknown')`,
        category: 'n.category',
      } as Record<string, string>,
    },
    contacts: {
      from: `contact x
        LEFT JOIN person p ON p.organisation_id = x.organisation_id AND p.id = x.person_id
       WHERE x.organisation_id = $1 AND ${consent('x.person_id')}`,
      created: 'x.created_at',
      own: [
        'x.channel',
        'x.kind',
        `coalesce(x.language_group, '${NOT_RECORDED}')`,
        'x.location_type',
      ],
      measure: 'x.headcount',
      tags: 'x.circumstances',
      attributes: { region: `coalesce(p.region_of_origin, 'unknown')` } as Record<string, string>,
    },
  };
  type Family = keyof typeof FAMILIES;

  /** A system's true cell values: `attribute` a filter attribute, a tag, or null. */
  async function truthOf(
    system: System,
    family: Family,
    quarter: string,
    attribute: string | null,
  ): Promise<Float64Array> {
    const f = FAMILIES[family];
    const extra =
      attribute === null
        ? []
        : (CIRCUMSTANCES as readonly string[]).includes(attribute)
          ? [`CASE WHEN '${attribute}' = ANY(${f.tags}) THEN 'with' ELSE 'without' END`]
          : [f.attributes[attribute]!];
    const select = [...f.own, ...extra];
    const rows = await db.asSuperuser<Record<string, string | number>>(
      `SELECT ${select.map((e, i) => `${e} AS k${i}`).join(', ')}, sum(${f.measure})::int AS n
         FROM ${f.from} AND ${entered(f.created, quarter)}
        GROUP BY ${select.map((_, i) => i + 1).join(', ')}`,
      [org],
    );
    const truth = new Float64Array(system.size);
    for (const row of rows) {
      const at = select.map((_, i) => system.dims[i]!.indexOf(String(row[`k${i}`])));
      expect(at.every((i) => i >= 0)).toBe(true);
      truth[system.cells(at)[0]!] = Number(row['n']);
    }
    return truth;
  }

  // ---- building each system from the answers -------------------------------------------------

  const TAG_VALUES = ['with', 'without'];

  /** The dimensions of a family's table for a quarter, and by one attribute (or tag). */
  function dimsOf(family: Family, quarter: string, attribute: string | null): string[][] {
    const own: string[][] =
      family === 'needs'
        ? [[...NEED_CATEGORIES], [...NEED_STATUSES], monthsOfQuarter(quarter)]
        : family === 'referrals'
          ? [[...partnerIds], [...REFERRAL_STATUSES], monthsOfQuarter(quarter)]
          : [
              [...CONTACT_CHANNELS],
              [...CONTACT_KINDS],
              [...LANGUAGE_GROUPS, NOT_RECORDED],
              [...LOCATION_TYPES],
            ];
    if (attribute === null) return own;
    if ((CIRCUMSTANCES as readonly string[]).includes(attribute)) return [...own, TAG_VALUES];
    return [
      ...own,
      [...reportFilterValuesFor(family, attribute as ReportFilterAttribute, partnerIds)],
    ];
  }

  /** Which report tables a family publishes, as (rows, columns) dimensions of its table. */
  const VIEWS: Record<Family, Record<string, [number, number]>> = {
    needs: { byMonth: [0, 2], byStatus: [0, 1] },
    referrals: { byMonth: [0, 2], byStatus: [0, 1] },
    contacts: { byChannel: [0, 1], byLocation: [3, 1], byLanguage: [2, 1] },
  };
  /** Filters on a family's own dimensions (its index). */
  const OWN: Record<Family, Partial<Record<ReportFilterAttribute, number>>> = {
    needs: { category: 0 },
    referrals: { partner: 0 },
    contacts: { channel: 0, language: 2 },
  };

  /**
   * Everything one tier shows about a family's quarter, as seen against its table by
   * `attribute` (null: the table alone, with the slices of its own dimensions).
   */
  function systemOf(
    asked: readonly Asked[],
    family: Family,
    quarter: string,
    tier: Tier,
    attribute: string | null,
  ): System {
    const dims = dimsOf(family, quarter, attribute);
    const system = new System(dims);
    const slack = tier === 'external' ? 2 : 0;
    const own = dims.length - (attribute === null ? 0 : 1);
    const seeReport = (filter: Filter, fixed: Map<number, number>) => {
      const body = find(asked, family, quarter, tier, filter) as Record<string, ReportTable>;
      for (const [view, [rows, columns]] of Object.entries(VIEWS[family])) {
        system.seeTable(
          `${quarter} ${tier} ${view} ${JSON.stringify(filter)}`,
          body[view]!,
          rows,
          columns,
          fixed,
          slack,
        );
      }
      if (family === 'contacts' && attribute !== null && filter === null) {
        // People per circumstance tag: the tag's "with" cells.
        const people = (body as unknown as ContactsReport).byCircumstance.find(
          (c) => c.circumstance === attribute,
        );
        if (people !== undefined) {
          system.see(
            `${quarter} ${tier} people ${attribute}`,
            [...Array(own).fill(null), 0],
            people.people,
            slack,
          );
        }
      }
      if (
        family === 'referrals' &&
        (filter === null || REPORT_FILTERS_BY_REPORT.funnel.includes(filter.attribute))
      ) {
        // The funnel shows sums of referral statuses per month: more numbers of this table.
        const funnel = find(asked, 'funnel', quarter, tier, filter) as unknown as FunnelReport;
        const months = monthsOfQuarter(quarter);
        const statuses = (wanted: readonly string[]) =>
          wanted.map((s) => REFERRAL_STATUSES.indexOf(s as never));
        for (const [stage, wanted] of [
          ['accepted', ['accepted', 'completed']],
          ['completed', ['completed']],
        ] as const) {
          const r = FUNNEL_STAGES.indexOf(stage);
          months.forEach((_, m) => {
            const cells = statuses(wanted).flatMap((s) => {
              const at: (number | null)[] = dims.map(() => null);
              at[1] = s;
              at[2] = m;
              fixed.forEach((v, d) => (at[d] = v));
              return system.cells(at);
            });
            system.seeCells(
              `${quarter} ${tier} funnel ${stage} ${months[m]}`,
              cells,
              funnel.byMonth.cells[r]![m]!,
              slack,
            );
          });
        }
      }
    };
    seeReport(null, new Map());
    for (const [ownAttribute, d] of Object.entries(OWN[family]) as [
      ReportFilterAttribute,
      number,
    ][]) {
      dims[d]!.forEach((value, i) =>
        seeReport({ attribute: ownAttribute, value }, new Map([[d, i]])),
      );
    }
    if (attribute !== null) {
      const tag = (CIRCUMSTANCES as readonly string[]).includes(attribute);
      dims[own]!.forEach((value, i) => {
        if (tag && value !== 'with') return;
        const filter = tag
          ? { attribute: 'circumstance' as const, value: attribute }
          : { attribute: attribute as ReportFilterAttribute, value };
        seeReport(filter, new Map([[own, i]]));
      });
    }
    return system;
  }

  const ATTRIBUTES: Record<Family, string[]> = {
    needs: ['language', 'channel', 'region', ...CIRCUMSTANCES],
    referrals: ['language', 'channel', 'region', 'category', ...CIRCUMSTANCES],
    contacts: ['region', ...CIRCUMSTANCES],
  };

  /** Every system of every quarter, both tiers: what the attacker can pin down. */
  async function solveEverything(
    asked: readonly Asked[],
  ): Promise<{ found: string[]; hidden: number; small: number }> {
    const found: string[] = [];
    let hidden = 0;
    let small = 0;
    for (const quarter of QUARTERS)
      for (const family of Object.keys(FAMILIES) as Family[])
        for (const attribute of [null, ...ATTRIBUTES[family]]) {
          const truth = await truthOf(
            new System(dimsOf(family, quarter, attribute)),
            family,
            quarter,
            attribute,
          );
          for (const tier of ['internal', 'external'] as const) {
            const system = systemOf(asked, family, quarter, tier, attribute);
            hidden += system.hidden.size;
            small += [...system.hidden.values()].filter((t) => {
              const v = t.cells.reduce((s, c) => s + truth[c]!, 0);
              return v >= 1 && v < (tier === 'external' ? 11 : K);
            }).length;
            for (const d of attack(system, truth, tier === 'external' ? 11 : K)) {
              found.push(
                `${tier} ${family} ${quarter} by ${attribute ?? '—'}: ${d.name} = ${d.truth} (${d.by})`,
              );
            }
          }
        }
    return { found, hidden, small };
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
