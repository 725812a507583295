import type { ReportCount, ReportTable } from '@harbour/domain';
import {
  exactDisclosures,
  type Disclosure,
  type Observation,
  type Target,
} from '@harbour/domain/testing';

// ---- the attacker's systems ---------------------------------------------------------------

/**
 * The cells of a table by its dimensions; each published number is the sum of the cells that
 * match its coordinates (a value, or every value where it is a total).
 */
export class System {
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
      this.dims.map((_, d) => (d === rows ? r : d === columns ? c : null) ?? fixed.get(d) ?? null);
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
export function attack(system: System, truth: Float64Array, k: number): Disclosure[] {
  const targets: Target[] = [...system.hidden.values()].map((t) => ({
    ...t,
    truth: t.cells.reduce((sum, c) => sum + truth[c]!, 0),
  }));
  return exactDisclosures(system.size, system.observations, targets, { k });
}
