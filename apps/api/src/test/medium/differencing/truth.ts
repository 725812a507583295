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
  type ReportFilterAttribute,
  type ReportTable,
} from '@harbour/domain';
import type { TestDatabase } from '../test-database';
import { find, K, QUARTERS, type Asked, type Filter, type Tier } from './asked';
import { attack, System } from './attack-system';

/**
 * The attacker's side of `reports-attacker.medium-spec.ts`: the true cell values of every
 * table (hand-written SQL, independent of the report code), the system of equations and bounds
 * each tier's published numbers give, and what solving them pins down. Made for one signed-in
 * organisation once its data is loaded.
 */
export function differencingSolver(world: {
  readonly db: TestDatabase;
  readonly org: string;
  readonly partnerIds: readonly string[];
}) {
  const { db, org, partnerIds } = world;

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

  return { solveEverything };
}
