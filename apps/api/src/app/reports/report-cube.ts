import {
  protectCube,
  TOTAL,
  type DisclosureTier,
  type ProtectedCube,
  type Published,
  type ReportCount,
  type ReportTable,
} from '@harbour/domain';

/** One dimension of a report table: the values it can take, in display order. */
export interface Dimension {
  readonly values: readonly string[];
}

/** Counts keyed by each dimension's value, as SQL returns them (one row per non-zero cell). */
export interface CountRow {
  readonly keys: readonly string[];
  readonly count: number;
}

/**
 * A report's table protected as one (docs/adr/0006): its own dimensions, and with a filter the
 * filter attribute as one more, protected with the unfiltered table as its margin so that every
 * filter agrees with the unfiltered report and with each other. `slice` is the filter value
 * asked for; without a filter the table is the unfiltered one.
 */
export class ReportCube {
  private constructor(
    readonly dimensions: readonly Dimension[],
    private readonly entry: (coordinates: readonly (number | typeof TOTAL)[]) => Published,
    /** The whole protected table, for a table without a filter (a filter's margin). */
    private readonly whole: ProtectedCube | null = null,
  ) {}

  /**
   * `filter.margin`, when given, is this report's unfiltered cube of the same records (the
   * table the filtered one is protected against): passed in when the caller already has it,
   * so it is not protected twice.
   */
  static protect(
    dimensions: readonly Dimension[],
    rows: readonly CountRow[],
    tier: DisclosureTier,
    filter?: {
      readonly dimension: Dimension;
      readonly value: string;
      readonly margin?: ReportCube;
    },
  ): ReportCube {
    const all = filter === undefined ? dimensions : [...dimensions, filter.dimension];
    const counts = flatCounts(all, rows);
    const shape = all.map((d) => d.values.length);
    if (filter === undefined) {
      const cube = protectCube(shape, counts, tier);
      return new ReportCube(dimensions, (c) => cube.at(c), cube);
    }
    let margin = filter.margin?.whole;
    if (margin === undefined) {
      const last = filter.dimension.values.length;
      const outer = Array.from({ length: counts.length / last }, (_, i) =>
        counts.slice(i * last, (i + 1) * last).reduce((a, b) => a + b, 0),
      );
      margin = protectCube(shape.slice(0, -1), outer, tier);
    } else if (margin === null) {
      throw new RangeError('a margin must be an unfiltered table');
    }
    const slice = filter.dimension.values.indexOf(filter.value);
    if (slice === -1) throw new RangeError('filter value outside its dimension');
    const cube = protectCube(shape, counts, tier, margin);
    return new ReportCube(dimensions, (c) => cube.at([...c, slice]));
  }

  /** The published entry at these coordinates of the report's own dimensions. */
  at(coordinates: readonly (number | typeof TOTAL)[]): Published {
    return this.entry(coordinates);
  }

  /**
   * The same table narrowed to one value of one of its own dimensions (a filter on an
   * attribute the report already shows): entries of the unfiltered table, nothing new.
   */
  restrictedTo(dimension: number, value: number): ReportCube {
    const dimensions = this.dimensions.map((d, i) =>
      i === dimension ? { values: [d.values[value]!] } : d,
    );
    return new ReportCube(dimensions, (c) =>
      this.entry(c.map((v, i) => (i === dimension ? value : v))),
    );
  }

  /**
   * A two-way view: dimensions `rows` × `columns`, every other dimension at its total, or at
   * `fixed[d]` where given (e.g. one category).
   */
  table(rows: number, columns: number, fixed: Readonly<Record<number, number>> = {}): ReportTable {
    const coordinates = (r: number | typeof TOTAL, c: number | typeof TOTAL) =>
      this.dimensions.map((_, d) => (d === rows ? r : d === columns ? c : (fixed[d] ?? TOTAL)));
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
