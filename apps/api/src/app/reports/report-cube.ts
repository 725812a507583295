import {
  coarsenCube,
  protectCube,
  protectRate,
  TOTAL,
  type DisclosureTier,
  type ProtectedCube,
  type Published,
  type ReportCount,
  type ReportTable,
} from '@harbour/domain';
import type { CountRow } from '../../data/reports/reports.repository';

/** One dimension of a report table: the values it can take, in display order. */
export interface Dimension {
  readonly values: readonly string[];
}

/** The counts of the same records by one more attribute: a filter the report offers. */
export interface FilterRows {
  readonly dimension: Dimension;
  /** Keys: the table's own dimensions, then the filter attribute's value. */
  readonly rows: readonly CountRow[];
}

/**
 * A report's table for one closed quarter, protected as one (docs/adr/0006, 0007). The
 * unfiltered table is protected knowing every filter's counts (`carriers`), so that each of its
 * hypercubes can be carried by every filter; each filter is then one more dimension, protected
 * with the unfiltered table as its margin (`filtered`), and served one value at a time
 * (`slice`). The external tier is derived from the internal one (`coarsen`), never from the
 * counts.
 */
export class ReportCube {
  private constructor(
    readonly dimensions: readonly Dimension[],
    private readonly cube: ProtectedCube,
    /** The filter dimension (last in `cube`), for a filtered cube. */
    readonly filter: Dimension | null,
    /** Dimensions narrowed to one value (the filter's, at index `dimensions.length`). */
    private readonly fixed: ReadonlyMap<number, number> = new Map(),
    private readonly margin: ReportCube | null = null,
  ) {}

  /** The unfiltered table, protected so that every filter in `carriers` can carry it. */
  static protect(
    dimensions: readonly Dimension[],
    rows: readonly CountRow[],
    tier: DisclosureTier,
    carriers: readonly FilterRows[] = [],
  ): ReportCube {
    const shape = dimensions.map((d) => d.values.length);
    const cube = protectCube(shape, flatCounts(dimensions, rows), tier, {
      filters: carriers.map((c) => ({
        size: c.dimension.values.length,
        counts: flatCounts([...dimensions, c.dimension], c.rows),
      })),
    });
    return new ReportCube(dimensions, cube, null);
  }

  /** The table with a filter attribute as one more dimension, this table as its margin. */
  filtered(filter: FilterRows, tier: DisclosureTier): ReportCube {
    if (this.filter !== null) throw new RangeError('a margin must be an unfiltered table');
    const all = [...this.dimensions, filter.dimension];
    const cube = protectCube(
      all.map((d) => d.values.length),
      flatCounts(all, filter.rows),
      tier,
      this.cube,
    );
    return new ReportCube(this.dimensions, cube, filter.dimension, new Map(), this);
  }

  /**
   * The same table for a coarser tier, from what this one publishes only. An unfiltered table
   * takes its filtered tables (this tier), so the coarser one stays carried by them; a filtered
   * table takes the coarsened margin.
   */
  coarsen(tier: DisclosureTier, related: { filters?: readonly ReportCube[]; margin?: ReportCube }) {
    if (this.filter === null) {
      const cube = coarsenCube(this.cube, tier, {
        filters: (related.filters ?? []).map((f) => f.cube),
      });
      return new ReportCube(this.dimensions, cube, null);
    }
    const margin = related.margin;
    if (margin === undefined) throw new RangeError('a filtered table is coarsened with its margin');
    const cube = coarsenCube(this.cube, tier, { margin: margin.cube });
    return new ReportCube(this.dimensions, cube, this.filter, new Map(), margin);
  }

  /** One value of the filter: a table of the report's own dimensions. */
  slice(value: string): ReportCube {
    if (this.filter === null) throw new RangeError('only a filtered table has slices');
    const index = this.filter.values.indexOf(value);
    if (index === -1) throw new RangeError('filter value outside its dimension');
    const fixed = new Map(this.fixed);
    fixed.set(this.dimensions.length, index);
    return new ReportCube(this.dimensions, this.cube, this.filter, fixed, this.margin);
  }

  /**
   * The same table narrowed to one value of one of its own dimensions (a filter on an
   * attribute the report already shows): entries of the unfiltered table, nothing new.
   */
  restrictedTo(dimension: number, value: number): ReportCube {
    const dimensions = this.dimensions.map((d, i) =>
      i === dimension ? { values: [d.values[value]!] } : d,
    );
    const fixed = new Map(this.fixed);
    fixed.set(dimension, value);
    return new ReportCube(dimensions, this.cube, this.filter, fixed, this.margin);
  }

  /** The published entry at these coordinates of the report's own dimensions. */
  at(coordinates: readonly (number | typeof TOTAL)[]): Published {
    // A dimension narrowed to one value has that value as its only entry and as its total.
    const own = coordinates.map((c, i) => this.fixed.get(i) ?? c);
    if (this.filter === null) return this.cube.at(own);
    const value = this.fixed.get(this.dimensions.length);
    if (value === undefined) throw new RangeError('a filtered table is read one slice at a time');
    return this.cube.at([...own, value]);
  }

  /**
   * A two-way view: dimensions `rows` × `columns`, every other dimension at its total, or at
   * `fixed[d]` where given (e.g. one category).
   */
  table(rows: number, columns: number, fixed: Readonly<Record<number, number>> = {}): ReportTable {
    const coordinates = (r: number | typeof TOTAL, c: number | typeof TOTAL) =>
      this.dimensions.map((_, d) => {
        if (d === rows) return r;
        if (d === columns) return c;
        return fixed[d] ?? TOTAL;
      });
    const rowValues = this.dimensions[rows]!.values;
    const columnValues = this.dimensions[columns]!.values;
    const get = (r: number | typeof TOTAL, c: number | typeof TOTAL) =>
      count(this.at(coordinates(r, c)));
    return {
      rows: rowValues,
      columns: columnValues,
      cells: rowValues.map((_, r) => columnValues.map((_, c) => get(r, c))),
      rowTotals: rowValues.map((_, r) => get(r, TOTAL)),
      columnTotals: columnValues.map((_, c) => get(TOTAL, c)),
      total: get(TOTAL, TOTAL),
    };
  }
}

export function count(published: Published): ReportCount {
  return published.suppressed ? null : published.value;
}

/** The sum of published counts, or null when any of them is suppressed. */
export function sumOf(counts: readonly ReportCount[]): ReportCount {
  let sum = 0;
  for (const c of counts) {
    if (c === null) return null;
    sum += c;
  }
  return sum;
}

function flatCounts(dimensions: readonly Dimension[], rows: readonly CountRow[]): number[] {
  const index = dimensions.map((d) => new Map(d.values.map((v, i) => [v, i])));
  const size = dimensions.reduce((a, d) => a * d.values.length, 1);
  const counts = new Array<number>(size).fill(0);
  for (const row of rows) {
    let flat = 0;
    for (let d = 0; d < dimensions.length; d++) {
      const i = index[d]!.get(row.keys[d]!);
      if (i === undefined) throw new RangeError(`unexpected report key ${row.keys[d]}`);
      flat = flat * dimensions[d]!.values.length + i;
    }
    counts[flat]! += row.count;
  }
  return counts;
}

/** A rate from two published counts (`protectRate`), null when suppressed. */
export function publishedRate(
  numerator: ReportCount,
  denominator: ReportCount,
  tier: DisclosureTier,
): number | null {
  const published = protectRate(
    numerator === null ? { suppressed: true } : { suppressed: false, value: numerator },
    denominator === null ? { suppressed: true } : { suppressed: false, value: denominator },
    tier,
  );
  return published.suppressed ? null : Math.round(published.value * 1000) / 1000;
}
