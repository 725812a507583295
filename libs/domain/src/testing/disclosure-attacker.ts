/**
 * An attacker for disclosure-control tests (never used by the product): given every number a
 * user can see, as sums over the cells of a table they cannot see, it works out which hidden
 * sums are determined — by linear algebra (any chain of additions and subtractions), and by
 * interval bounds (linear programming over non-negative cells: what the published numbers and
 * "nobody counts less than zero" leave possible). It knows nothing about how the numbers were
 * protected, and shares no code with `disclosure.ts`.
 *
 * Cells are numbered 0 … cellCount − 1. An observation is a published number: the sum of its
 * cells lies in [low, high] (low = high for an exact count; a rounded count gives an interval).
 * A target is a number the user was not shown, with its true value (the test's oracle, used only
 * to report and to stop a bound search early).
 */

export interface Observation {
  readonly cells: readonly number[];
  readonly low: number;
  readonly high: number;
}

export interface Target {
  readonly name: string;
  readonly cells: readonly number[];
  readonly truth: number;
}

export interface Disclosure {
  readonly name: string;
  readonly truth: number;
  /** How the attacker pinned it down. */
  readonly by: 'linear' | 'bounds';
}

export interface AttackOptions {
  /** Only hidden numbers whose true value is in [1, k − 1] count as a disclosure. */
  readonly k: number;
  /** Skip the bound search (linear algebra only). */
  readonly linearOnly?: boolean;
}

/** Every target with a true value in 1 … k − 1 that the observations determine exactly. */
export function exactDisclosures(
  cellCount: number,
  observations: readonly Observation[],
  targets: readonly Target[],
  options: AttackOptions,
): Disclosure[] {
  // Cells inside a published zero are zero: the attacker drops them.
  const zero = new Uint8Array(cellCount);
  for (const o of observations) if (o.high === 0) for (const c of o.cells) zero[c] = 1;
  const index = new Int32Array(cellCount).fill(-1);
  let variables = 0;
  for (let c = 0; c < cellCount; c++) if (!zero[c]) index[c] = variables++;
  const reduce = (cells: readonly number[]) =>
    [...new Set(cells)].flatMap((c) => (index[c]! >= 0 ? [index[c]!] : []));

  const exact: number[][] = [];
  const exactValues: number[] = [];
  const ranges: { vars: number[]; low: number; high: number }[] = [];
  for (const o of observations) {
    const vars = reduce(o.cells);
    if (vars.length === 0) continue;
    if (o.low === o.high) {
      exact.push(vars);
      exactValues.push(o.low);
    }
    ranges.push({ vars, low: Math.max(0, o.low), high: o.high });
  }
  const small = targets.filter((t) => t.truth >= 1 && t.truth < options.k);
  const found: Disclosure[] = [];
  const span = new RowSpace(variables);
  for (const row of exact) span.add(row);
  const undetermined: { target: Target; vars: number[] }[] = [];
  for (const target of small) {
    const vars = reduce(target.cells);
    if (span.contains(vars)) found.push({ name: target.name, truth: target.truth, by: 'linear' });
    else undetermined.push({ target, vars });
  }
  if (options.linearOnly || undetermined.length === 0) return found;

  const lp = new BoundingProgram(variables, ranges);
  for (const { target, vars } of undetermined) {
    // Determined when no other whole number fits between the bounds.
    const high = lp.optimise(vars, 'max', target.truth + 1);
    if (high >= target.truth + 1 - 1e-7) continue;
    const low = lp.optimise(vars, 'min', target.truth - 1);
    if (low <= target.truth - 1 + 1e-7) continue;
    found.push({ name: target.name, truth: target.truth, by: 'bounds' });
  }
  return found;
}

// ---- linear algebra: row space modulo a prime ------------------------------------------------

/** A prime below 2²⁶, so that products of residues stay exact in doubles. */
const P = 67_108_859;

function mulMod(a: number, b: number): number {
  // Split b so each partial product is below 2⁵³.
  const high = Math.floor(b / 65_536);
  const low = b % 65_536;
  return (((a * high) % P) * 65_536 + a * low) % P;
}

function inverse(a: number): number {
  let [r0, r1] = [P, a % P];
  let [t0, t1] = [0, 1];
  while (r1 !== 0) {
    const q = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  return ((t0 % P) + P) % P;
}

/** Rows of 0/1 coefficients, reduced to echelon form mod P as they are added. */
class RowSpace {
  /** Pivot column → reduced row (sparse: column → coefficient), pivot coefficient 1. */
  private readonly pivots = new Map<number, Map<number, number>>();

  constructor(readonly width: number) {}

  add(columns: readonly number[]): void {
    const row = this.reduce(new Map(columns.map((c) => [c, 1])));
    const pivot = first(row);
    if (pivot === undefined) return;
    const scale = inverse(row.get(pivot)!);
    for (const [c, v] of row) row.set(c, mulMod(v, scale));
    this.pivots.set(pivot, row);
  }

  /** Whether the sum of these columns is a combination of the rows. */
  contains(columns: readonly number[]): boolean {
    return first(this.reduce(new Map(columns.map((c) => [c, 1])))) === undefined;
  }

  private reduce(row: Map<number, number>): Map<number, number> {
    for (;;) {
      let changed = false;
      for (const c of [...row.keys()].sort((a, b) => a - b)) {
        const factor = row.get(c);
        const pivotRow = this.pivots.get(c);
        if (factor === undefined || pivotRow === undefined) continue;
        for (const [pc, pv] of pivotRow) {
          const next = ((((row.get(pc) ?? 0) - mulMod(factor, pv)) % P) + P) % P;
          if (next === 0) row.delete(pc);
          else row.set(pc, next);
        }
        changed = true;
      }
      if (!changed) return row;
    }
  }
}

function first(row: Map<number, number>): number | undefined {
  let min: number | undefined;
  for (const [c, v] of row) if (v !== 0 && (min === undefined || c < min)) min = c;
  return min;
}

// ---- interval bounds: a small dense simplex ----------------------------------------------------

/**
 * Maximise or minimise a sum of cells subject to low ≤ sum ≤ high for every observation and
 * every cell ≥ 0. Standard form with a slack per bound; phase 1 once, phase 2 per objective
 * from the feasible basis (Bland's rule, so it cannot cycle).
 */
class BoundingProgram {
  private readonly rows: number;
  private readonly columns: number;
  private readonly tableau: Float64Array;
  private readonly basis: Int32Array;
  private readonly structural: number;

  constructor(variables: number, ranges: readonly { vars: number[]; low: number; high: number }[]) {
    // An exact count is one row (sum = value); a range two: sum − s = low and sum + t = high
    // (s, t ≥ 0). Every row starts with an artificial variable; right-hand sides are ≥ 0.
    const constraints: { vars: number[]; slack: 0 | 1 | -1; rhs: number }[] = [];
    for (const r of ranges) {
      if (r.low === r.high) {
        constraints.push({ vars: r.vars, slack: 0, rhs: r.low });
      } else {
        constraints.push({ vars: r.vars, slack: -1, rhs: r.low });
        constraints.push({ vars: r.vars, slack: 1, rhs: r.high });
      }
    }
    this.rows = constraints.length;
    this.structural = variables;
    const slacks = this.rows;
    this.columns = variables + slacks + this.rows + 1; // + right-hand side
    const width = this.columns;
    this.tableau = new Float64Array((this.rows + 1) * width);
    this.basis = new Int32Array(this.rows);
    constraints.forEach((con, i) => {
      const row = i * width;
      for (const v of con.vars) this.tableau[row + v] = 1;
      this.tableau[row + variables + i] = con.slack;
      this.tableau[row + variables + slacks + i] = 1;
      this.tableau[row + width - 1] = con.rhs;
      this.basis[i] = variables + slacks + i;
    });
    // Phase 1: minimise the sum of artificials (objective row = −Σ rows over the others).
    const objective = this.rows * width;
    for (let i = 0; i < this.rows; i++) {
      for (let c = 0; c < variables + slacks; c++) {
        this.tableau[objective + c]! -= this.tableau[i * width + c]!;
      }
      this.tableau[objective + width - 1]! -= this.tableau[i * width + width - 1]!;
    }
    this.run(this.tableau, this.basis, variables + slacks);
    if (Math.abs(this.tableau[objective + width - 1]!) > 1e-6) {
      throw new Error('the observations contradict each other');
    }
    // Drive artificials out of the basis where possible.
    for (let i = 0; i < this.rows; i++) {
      if (this.basis[i]! < variables + slacks) continue;
      for (let c = 0; c < variables + slacks; c++) {
        if (Math.abs(this.tableau[i * width + c]!) > 1e-9) {
          pivot(this.tableau, this.rows, width, i, c);
          this.basis[i] = c;
          break;
        }
      }
    }
  }

  /**
   * The optimum of the sum of `vars`; stops early once it is clear the optimum passes
   * `enough` (a maximum at least, or a minimum at most), returning a value past it.
   */
  optimise(vars: readonly number[], sense: 'max' | 'min', enough: number): number {
    const width = this.columns;
    const tableau = this.tableau.slice();
    const basis = this.basis.slice();
    const objective = this.rows * width;
    tableau.fill(0, objective, objective + width);
    // Minimise −Σ (max) or Σ (min), expressed in the current basis.
    const sign = sense === 'max' ? -1 : 1;
    const cost = new Float64Array(width);
    for (const v of vars) cost[v] = sign;
    for (let c = 0; c < width; c++) tableau[objective + c] = cost[c]!;
    for (let i = 0; i < this.rows; i++) {
      const b = basis[i]!;
      const cb = cost[b]!;
      if (cb === 0) continue;
      for (let c = 0; c < width; c++) tableau[objective + c]! -= cb * tableau[i * width + c]!;
    }
    const limit = this.structural + this.rows;
    const value = () => -tableau[objective + width - 1]! * sign;
    const unbounded = this.run(tableau, basis, limit, () =>
      sense === 'max' ? value() >= enough : value() <= enough,
    );
    if (unbounded) return sense === 'max' ? Infinity : -Infinity;
    return value();
  }

  /** Simplex iterations over columns below `limit`; true when unbounded. */
  private run(
    tableau: Float64Array,
    basis: Int32Array,
    limit: number,
    stop: () => boolean = () => false,
  ): boolean {
    const width = this.columns;
    const objective = this.rows * width;
    for (let iteration = 0; iteration < 50_000; iteration++) {
      if (stop()) return false;
      // Dantzig's rule (the most negative reduced cost); Bland's (the lowest such column)
      // after many iterations, so degenerate cycles end.
      const bland = iteration > 5_000;
      let entering = -1;
      let most = -1e-9;
      for (let c = 0; c < limit; c++) {
        const d = tableau[objective + c]!;
        if (d < most) {
          entering = c;
          if (bland) break;
          most = d;
        }
      }
      if (entering === -1) return false;
      let leaving = -1;
      let best = Infinity;
      for (let i = 0; i < this.rows; i++) {
        const a = tableau[i * width + entering]!;
        if (a <= 1e-9) continue;
        const ratio = tableau[i * width + width - 1]! / a;
        if (
          ratio < best - 1e-12 ||
          (Math.abs(ratio - best) <= 1e-12 && basis[i]! < basis[leaving]!)
        ) {
          best = ratio;
          leaving = i;
        }
      }
      if (leaving === -1) return true;
      pivot(tableau, this.rows, width, leaving, entering);
      basis[leaving] = entering;
    }
    throw new Error('simplex did not converge');
  }
}

function pivot(tableau: Float64Array, rows: number, width: number, r: number, c: number): void {
  const row = r * width;
  const p = tableau[row + c]!;
  for (let j = 0; j < width; j++) tableau[row + j]! /= p;
  for (let i = 0; i <= rows; i++) {
    if (i === r) continue;
    const f = tableau[i * width + c]!;
    if (f === 0) continue;
    const other = i * width;
    for (let j = 0; j < width; j++) tableau[other + j]! -= f * tableau[row + j]!;
  }
}
