import {
  CIRCUMSTANCES,
  CONTACT_CHANNELS,
  CONTACT_KINDS,
  DISCLOSURE_AUTHORITIES,
  DISCLOSURE_OUTCOMES,
  EXTERNAL_TIER,
  internalTier,
  LANGUAGE_GROUPS,
  LOCATION_TYPES,
  NEED_CATEGORIES,
  NEED_STATUSES,
  NOT_RECORDED,
  OUTCOME_CHANGES,
  OUTCOME_DOMAINS,
  REFERRAL_STATUSES,
  reportFilterValues,
  TOTAL,
  type DisclosureTier,
  type OutcomeTimes,
  type ReportCount,
  type ReportFilterAttribute,
  type ReportTable,
  type ReportTierName,
} from '@harbour/domain';
import { count, ReportCube, sumOf, type Dimension, type FilterRows } from './report-cube';
import type { CountRow, OutcomeRow, ReportSource } from '../../data/reports/reports.repository';

/**
 * What a closed quarter publishes, and how reports over a period are read from it
 * (docs/adr/0007). A quarter's figures for one family of reports — every table, every filter
 * slice, both tiers — are protected together once and stored; a report over a period reads
 * the stored slices and adds quarters up, a sum being published only when everything it adds
 * is. Nothing here sees a count the quarter did not publish.
 */

/** The families of stored figures: three by quarter, and outcome times by quarter or year. */
export type CountsFamily = ReportSource;
export type ReportFamily = CountsFamily | 'outcomes';

/** One slice's published tables, by name. */
export type SliceViews = Readonly<Record<string, ReportTable>>;

/** A quarter's published tables for one family. */
export interface CountsPublication {
  readonly version: 1;
  readonly months: readonly string[];
  /** Per tier: `''` for the unfiltered report, `attribute=value` for each filter slice. */
  readonly tiers: Readonly<Record<ReportTierName, Readonly<Record<string, SliceViews>>>>;
}

export type Quartiles = NonNullable<OutcomeTimes['days']>;

/** A closed period's outcome times: quartiles per group, or null for a group below k. */
export interface OutcomesPublication {
  readonly version: 1;
  readonly tiers: Readonly<
    Record<
      ReportTierName,
      Readonly<
        Record<
          string,
          {
            readonly categories: readonly string[];
            readonly partners: readonly string[];
            readonly byCategory: readonly (Quartiles | null)[];
            readonly byPartner: readonly (Quartiles | null)[];
          }
        >
      >
    >
  >;
}

/** The key of a filter slice in a publication. */
export function sliceKey(filter: { readonly attribute: string; readonly value: string } | null) {
  return filter === null ? '' : `${filter.attribute}=${filter.value}`;
}

/** A circumstance tag splits records in two: with the tag, and without. */
const WITH = 'with';
const WITHOUT = 'without';
const TAG_DIMENSION: Dimension = { values: [WITH, WITHOUT] };

/** How a family's quarter is laid out: its table, its filters, the views it publishes. */
interface FamilySpec {
  dimensions(months: readonly string[], partnerIds: readonly string[]): Dimension[];
  /** Filters that add a dimension to the table. */
  readonly extra: readonly ReportFilterAttribute[];
  /** Filters on one of the table's own dimensions (its index). */
  readonly own: Readonly<Partial<Record<ReportFilterAttribute, number>>>;
  views(cube: ReportCube): SliceViews;
  /** Per own-dimension filter: the views whose rows are that dimension. */
  readonly rowsOf: Readonly<Partial<Record<ReportFilterAttribute, readonly string[]>>>;
  /** Records without circumstance tags (no tag filters to protect against). */
  readonly untagged?: true;
}

export const FAMILY_SPECS: Readonly<Record<CountsFamily, FamilySpec>> = {
  // Needs recorded: category × status × month.
  needs: {
    dimensions: (months) => [
      { values: NEED_CATEGORIES },
      { values: NEED_STATUSES },
      { values: months },
    ],
    extra: ['language', 'channel', 'region'],
    own: { category: 0 },
    views: (cube) => ({ byMonth: cube.table(0, 2), byStatus: cube.table(0, 1) }),
    rowsOf: { category: ['byMonth', 'byStatus'] },
  },
  // Referrals made: partner × status × month.
  referrals: {
    dimensions: (months, partnerIds) => [
      { values: partnerIds },
      { values: REFERRAL_STATUSES },
      { values: months },
    ],
    extra: ['language', 'channel', 'region', 'category'],
    own: { partner: 0 },
    rowsOf: { partner: ['byMonth', 'byStatus'] },
    views: (cube) => ({
      byMonth: cube.table(0, 2),
      byStatus: cube.table(0, 1),
      byStage: cube.table(1, 2),
    }),
  },
  // People reached (a group contact counts its headcount): channel × kind × language × place.
  contacts: {
    dimensions: () => [
      { values: CONTACT_CHANNELS },
      { values: CONTACT_KINDS },
      { values: [...LANGUAGE_GROUPS, NOT_RECORDED] },
      { values: LOCATION_TYPES },
    ],
    extra: ['region'],
    own: { channel: 0, language: 2 },
    rowsOf: { channel: ['byChannel'], language: ['byLanguage'] },
    views: (cube) => ({
      byChannel: cube.table(0, 1),
      byLocation: cube.table(3, 1),
      byLanguage: cube.table(2, 1),
    }),
  },
  // Follow-up ratings of outcome check-ins: domain × change × month (no filters).
  checkIns: {
    dimensions: (months) => [
      { values: OUTCOME_DOMAINS },
      { values: OUTCOME_CHANGES },
      { values: months },
    ],
    extra: [],
    own: {},
    rowsOf: {},
    untagged: true,
    views: (cube) => ({ byChange: cube.table(0, 1), byMonth: cube.table(0, 2) }),
  },
  // Disclosure requests: authority × outcome × month (no filters).
  disclosures: {
    dimensions: (months) => [
      { values: DISCLOSURE_AUTHORITIES },
      { values: DISCLOSURE_OUTCOMES },
      { values: months },
    ],
    extra: [],
    own: {},
    rowsOf: {},
    untagged: true,
    views: (cube) => ({ byOutcome: cube.table(0, 1), byMonth: cube.table(1, 2) }),
  },
};

/** What a quarter's figures are computed from: its counts, read once. */
export interface QuarterCounts {
  readonly months: readonly string[];
  readonly partnerIds: readonly string[];
  readonly k: number;
  readonly unfiltered: readonly CountRow[];
  readonly extra: ReadonlyMap<ReportFilterAttribute, readonly CountRow[]>;
  /** Per circumstance tag: the records carrying it. */
  readonly tags: ReadonlyMap<string, readonly CountRow[]>;
}

/**
 * Protects a quarter of one family, every slice and both tiers together: the unfiltered table
 * knowing every filter's counts, each filter against it, and the external tier from the
 * internal one.
 */
export function buildCountsPublication(
  family: CountsFamily,
  input: QuarterCounts,
): CountsPublication {
  const spec = FAMILY_SPECS[family];
  const dimensions = spec.dimensions(input.months, input.partnerIds);
  const filters: { attribute: ReportFilterAttribute; rows: FilterRows; values: string[] }[] = [];
  for (const attribute of spec.extra) {
    const values = [...reportFilterValues(attribute, input.partnerIds)];
    filters.push({
      attribute,
      values,
      rows: { dimension: { values }, rows: input.extra.get(attribute) ?? [] },
    });
  }
  for (const tag of spec.untagged ? [] : CIRCUMSTANCES) {
    filters.push({
      attribute: 'circumstance',
      values: [tag],
      rows: {
        dimension: TAG_DIMENSION,
        rows: withAndWithout(input.unfiltered, input.tags.get(tag) ?? []),
      },
    });
  }
  const internal = internalTier(input.k);
  const base = ReportCube.protect(
    dimensions,
    input.unfiltered,
    internal,
    filters.map((f) => f.rows),
  );
  const filtered = filters.map((f) => base.filtered(f.rows, internal));
  const externalBase = base.coarsen(EXTERNAL_TIER, { filters: filtered });
  const external = filtered.map((f) => f.coarsen(EXTERNAL_TIER, { margin: externalBase }));

  const slices = (unfiltered: ReportCube, cubes: readonly ReportCube[]) => {
    const out: Record<string, SliceViews> = {
      '': withCircumstances(family, spec.views(unfiltered), cubes, filters),
    };
    for (const [attribute, dimension] of Object.entries(spec.own) as [
      ReportFilterAttribute,
      number,
    ][]) {
      dimensions[dimension]!.values.forEach((value, index) => {
        out[sliceKey({ attribute, value })] = spec.views(unfiltered.restrictedTo(dimension, index));
      });
    }
    filters.forEach((filter, i) => {
      for (const value of filter.values) {
        const slice = cubes[i]!.slice(filter.attribute === 'circumstance' ? WITH : value);
        out[sliceKey({ attribute: filter.attribute, value })] = spec.views(slice);
      }
    });
    return out;
  };
  return {
    version: 1,
    months: input.months,
    tiers: { internal: slices(base, filtered), external: slices(externalBase, external) },
  };
}

/** A tag's filter rows: each cell of the table with the tag, and without it. */
function withAndWithout(all: readonly CountRow[], tagged: readonly CountRow[]): CountRow[] {
  const withTag = new Map(tagged.map((r) => [r.keys.join('\u0000'), r.count]));
  return all.flatMap((row) => {
    const n = withTag.get(row.keys.join('\u0000')) ?? 0;
    return [
      { keys: [...row.keys, WITH], count: n },
      { keys: [...row.keys, WITHOUT], count: row.count - n },
    ];
  });
}

/**
 * The contacts report's people per circumstance tag: each tag's total as its filter slice
 * publishes it (so the breakdown agrees with every filtered report).
 */
function withCircumstances(
  family: CountsFamily,
  views: SliceViews,
  cubes: readonly ReportCube[],
  filters: readonly { attribute: ReportFilterAttribute; values: readonly string[] }[],
): SliceViews {
  if (family !== 'contacts') return views;
  const cells = CIRCUMSTANCES.map((tag) => {
    const i = filters.findIndex((f) => f.attribute === 'circumstance' && f.values[0] === tag);
    const slice = cubes[i]!.slice(WITH);
    return [count(slice.at(slice.dimensions.map(() => TOTAL)))];
  });
  return {
    ...views,
    byCircumstance: {
      rows: CIRCUMSTANCES,
      columns: ['people'],
      cells,
      // Tags overlap (a contact may carry several): no totals.
      rowTotals: cells.map((c) => c[0]!),
      columnTotals: [null],
      total: null,
    },
  };
}

/** Quartiles of a period's outcome times, for every slice and both tiers. */
export function buildOutcomesPublication(input: {
  readonly k: number;
  readonly partnerIds: readonly string[];
  /** Per slice key: its rows. */
  readonly slices: ReadonlyMap<string, readonly OutcomeRow[]>;
}): OutcomesPublication {
  const publish = (tier: DisclosureTier) => {
    const out: Record<string, OutcomesPublication['tiers']['internal'][string]> = {};
    for (const [key, rows] of input.slices) {
      const quartiles = (group: 'category' | 'partner', value: string): Quartiles | null => {
        const row = rows.find((r) => r.group === group && r.key === value);
        if (row === undefined || row.n < tier.k) return null;
        const [q1, median, q3] = row.quartiles.map((d) => Math.round(d * 10) / 10) as [
          number,
          number,
          number,
        ];
        return { q1, median, q3 };
      };
      out[key] = {
        categories: NEED_CATEGORIES,
        partners: input.partnerIds,
        byCategory: NEED_CATEGORIES.map((c) => quartiles('category', c)),
        byPartner: input.partnerIds.map((p) => quartiles('partner', p)),
      };
    }
    return out;
  };
  return {
    version: 1,
    tiers: { internal: publish(internalTier(input.k)), external: publish(EXTERNAL_TIER) },
  };
}

/**
 * The slice of a filter value a quarter could not have had (a partner added to the directory
 * after it was published): nothing was recorded for it then, so every number is 0, in the shape
 * of the unfiltered slice (one row where the value is a row of the table).
 */
export function zeroSlice(
  family: CountsFamily,
  unfiltered: SliceViews,
  filter: { readonly attribute: ReportFilterAttribute; readonly value: string },
): SliceViews {
  const narrowed = FAMILY_SPECS[family].rowsOf[filter.attribute] ?? [];
  return Object.fromEntries(
    Object.entries(unfiltered).map(([name, table]) => {
      const rows = narrowed.includes(name) ? [filter.value] : table.rows;
      return [
        name,
        {
          rows,
          columns: table.columns,
          cells: rows.map(() => table.columns.map(() => 0)),
          rowTotals: rows.map(() => 0),
          columnTotals: table.columns.map(() => 0),
          total: 0,
        },
      ];
    }),
  );
}

// ---- reading periods -------------------------------------------------------------------------

/** Rows of several tables in order of first appearance (or `order` first, where given). */
function unionRows(tables: readonly ReportTable[], order: readonly string[] = []): string[] {
  const seen = new Set<string>();
  const rows: string[] = [];
  const add = (r: string) => {
    if (!seen.has(r)) {
      seen.add(r);
      rows.push(r);
    }
  };
  const present = new Set(tables.flatMap((t) => t.rows));
  for (const r of order) if (present.has(r)) add(r);
  for (const t of tables) for (const r of t.rows) add(r);
  return rows;
}

/** A table's row by label; a row it does not have is zeros (nothing was recorded for it). */
function rowOf(
  table: ReportTable,
  row: string,
): { cells: readonly ReportCount[]; total: ReportCount } {
  const r = table.rows.indexOf(row);
  if (r === -1) return { cells: table.columns.map(() => 0), total: 0 };
  return { cells: table.cells[r]!, total: table.rowTotals[r]! };
}

/** Quarters side by side: every column of each, each row's total the sum of its totals. */
export function besideEachOther(
  tables: readonly ReportTable[],
  order?: readonly string[],
): ReportTable {
  const rows = unionRows(tables, order);
  return {
    rows,
    columns: tables.flatMap((t) => t.columns),
    cells: rows.map((r) => tables.flatMap((t) => rowOf(t, r).cells)),
    rowTotals: rows.map((r) => sumOf(tables.map((t) => rowOf(t, r).total))),
    columnTotals: tables.flatMap((t) => t.columnTotals),
    total: sumOf(tables.map((t) => t.total)),
  };
}

/** One column per quarter: each table's row totals (the quarter's own published totals). */
export function quarterColumns(
  tables: readonly ReportTable[],
  quarters: readonly string[],
  order?: readonly string[],
): ReportTable {
  const rows = unionRows(tables, order);
  return {
    rows,
    columns: quarters,
    cells: rows.map((r) => tables.map((t) => rowOf(t, r).total)),
    rowTotals: rows.map((r) => sumOf(tables.map((t) => rowOf(t, r).total))),
    columnTotals: tables.map((t) => t.total),
    total: sumOf(tables.map((t) => t.total)),
  };
}

/** Tables of the same columns added cell by cell (a sum is published only if all its parts are). */
export function addedUp(tables: readonly ReportTable[], order?: readonly string[]): ReportTable {
  const rows = unionRows(tables, order);
  const columns = tables[0]!.columns;
  const column = (t: ReportTable, c: string, r: string) => {
    const i = t.columns.indexOf(c);
    return i === -1 ? 0 : rowOf(t, r).cells[i]!;
  };
  return {
    rows,
    columns,
    cells: rows.map((r) => columns.map((c) => sumOf(tables.map((t) => column(t, c, r))))),
    rowTotals: rows.map((r) => sumOf(tables.map((t) => rowOf(t, r).total))),
    columnTotals: columns.map((c) =>
      sumOf(tables.map((t) => (t.columns.includes(c) ? t.columnTotals[t.columns.indexOf(c)]! : 0))),
    ),
    total: sumOf(tables.map((t) => t.total)),
  };
}
