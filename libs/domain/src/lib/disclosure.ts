/**
 * Disclosure control for reports (DESIGN.md §8): small-cell suppression with complementary
 * suppression, and rounding for reports that leave the organisation. Pure and shared: the API
 * applies it before anything leaves the server; the console only renders what it is given.
 *
 * ## Rules
 *
 * A report table is a grid of non-negative counts with its row totals, column totals and grand
 * total (the "margins"), all published alongside the cells; `protectCube` does the same for
 * any number of dimensions (a report with its filter as one more), every margin included.
 *
 * 1. **Primary suppression.** Every count, margin included, with 0 < count < k is suppressed.
 *    Zero is published as zero: it says that nobody is in a cell, not who is.
 * 2. **Complementary suppression** (the hypercube method, as in τ-ARGUS's GHMITER). The
 *    published entries give equations (each line of cells sums to its total, margins included).
 *    Every suppressed entry is made one corner of a "hypercube" whose 2ⁿ corners are all
 *    suppressed: one other coordinate per dimension (another value, or the total), the corners
 *    being every mix of the two. Adding +1 and −1 alternately round its corners (the same sign
 *    on both ends of a pair that includes the total) keeps every line's sum, so the equations
 *    have a second solution that differs in that entry: no chain of subtractions, however
 *    long, recovers it. The hypercube chosen is the cheapest found: corners already suppressed
 *    first, then a non-zero cell before a zero cell (a suppressed zero gives an attacker a
 *    bound, never a value) before a margin (a margin over fewer dimensions first, the grand
 *    total last), then the smallest.
 * 3. **Rounding** (external tier only): every published count is rounded to the nearest
 *    multiple of the base (halves up), after suppression; zero stays zero. Totals are rounded on
 *    their own, so they need not add up. A published non-zero count therefore stands for at
 *    least k people but may read up to half the base lower (11 reads 10).
 *
 * Suppressed entries carry no value at all. Rates and quantiles derived from a group follow
 * `protectRate` and `protectQuantiles`.
 */

/** Who a report is for: inside the organisation, or leaving it (an export). */
export interface DisclosureTier {
  readonly name: 'internal' | 'external';
  /** Published counts are zero or at least k. */
  readonly k: number;
  /** Published counts are multiples of this; null for exact counts. */
  readonly roundTo: number | null;
}

export const DEFAULT_SUPPRESSION_K = 5;
export const MAX_SUPPRESSION_K = 11;

/** The internal tier with the organisation's k (default 5, at least 2, at most 11). */
export function internalTier(k: number = DEFAULT_SUPPRESSION_K): DisclosureTier {
  if (!Number.isInteger(k) || k < 2 || k > MAX_SUPPRESSION_K) {
    throw new RangeError(`k must be an integer from 2 to ${MAX_SUPPRESSION_K}`);
  }
  return { name: 'internal', k, roundTo: null };
}

/** Reports leaving the organisation: k = 11, counts rounded to base 5. */
export const EXTERNAL_TIER: DisclosureTier = { name: 'external', k: MAX_SUPPRESSION_K, roundTo: 5 };

/** One published number: its value, or suppressed (no value). */
export type Published =
  { readonly suppressed: false; readonly value: number } | { readonly suppressed: true };

export interface ProtectedTable {
  /** Row by row, as the counts were given. */
  readonly cells: readonly (readonly Published[])[];
  readonly rowTotals: readonly Published[];
  readonly columnTotals: readonly Published[];
  readonly total: Published;
}

const SUPPRESSED: Published = { suppressed: true };

/**
 * Applies the rules above to a table of counts (rows × columns, every row the same length, at
 * least one of each). Throws `RangeError` for anything that is not a grid of non-negative
 * integers.
 */
export function protectTable(
  counts: readonly (readonly number[])[],
  tier: DisclosureTier,
): ProtectedTable {
  const rows = counts.length;
  const columns = counts[0]?.length ?? 0;
  if (rows === 0 || columns === 0 || counts.some((row) => row.length !== columns)) {
    throw new RangeError('a report table needs at least one row and column, all rows alike');
  }
  const cube = protectCube([rows, columns], counts.flat(), tier);
  return {
    cells: Array.from({ length: rows }, (_, r) =>
      Array.from({ length: columns }, (_, c) => cube.at([r, c])),
    ),
    rowTotals: Array.from({ length: rows }, (_, r) => cube.at([r, TOTAL])),
    columnTotals: Array.from({ length: columns }, (_, c) => cube.at([TOTAL, c])),
    total: cube.at([TOTAL, TOTAL]),
  };
}

/** In a coordinate of `ProtectedCube.at`: the total over that dimension. */
export const TOTAL = 'total' as const;

/** A protected table of any number of dimensions, with every margin. */
export interface ProtectedCube {
  readonly shape: readonly number[];
  /** The entry at these coordinates (an index, or `TOTAL` for the margin of that dimension). */
  at(coordinates: readonly (number | typeof TOTAL)[]): Published;
}

/**
 * `protectTable` for a table of any number of dimensions (`shape`, each at least 1; `counts`
 * flat, last dimension fastest). Every margin — the total over any set of dimensions — is an
 * entry too, and every line along a dimension sums to its margin. A report whose filter is one
 * more dimension is protected as one table, so two filtered reports are two slices of it and
 * subtracting them is subtraction inside it (docs/adr/0006).
 *
 * With `margin` (the same report protected without its last dimension, e.g. without its
 * filter), the total over the last dimension is published exactly as `margin` publishes it, so
 * every filter of a report agrees with the unfiltered report and with each other; complementary
 * suppression then happens inside the slices only.
 */
export function protectCube(
  shape: readonly number[],
  counts: readonly number[],
  tier: DisclosureTier,
  margin?: ProtectedCube,
): ProtectedCube {
  const layout = cubeLayout(shape, counts);
  const values = entryValues(layout, counts);
  const n = shape.length;
  const state: SearchState = {
    layout,
    values,
    suppressed: new Uint8Array(layout.entries),
    frozen: new Uint8Array(layout.entries),
    covered: new Uint8Array(layout.entries),
  };
  const { suppressed, frozen, covered } = state;
  for (let entry = 0; entry < layout.entries; entry++) {
    const v = values[entry]!;
    if (v > 0 && v < tier.k) suppressed[entry] = 1;
  }
  // Each covered entry's hypercube: the entry it was searched for, and its other corner's.
  const hyperOrigin = new Int32Array(layout.entries);
  const hyperOther = new Int32Array(layout.entries);
  const last = n - 1;
  const order: number[] = [];
  const base = margin === undefined ? undefined : internals.get(margin);
  /** The margin's entry for an entry on this table's total face over its last dimension. */
  const outerEntry = (coordinates: readonly number[]) =>
    base!.layout.entryAt(coordinates.slice(0, -1).map((c, i) => (c === shape[i] ? TOTAL : c)));
  if (margin !== undefined) {
    if (
      base === undefined ||
      !sameTier(base.tier, tier) ||
      !sameShape(base.layout.shape, shape.slice(0, -1))
    ) {
      throw new RangeError('the margin must be this table without its last dimension, same tier');
    }
    // The total face over the last dimension is the margin table, entry for entry.
    for (let entry = 0; entry < layout.entries; entry++) {
      if (layout.coordinate(entry, last) !== shape[last]) continue;
      const outer = outerEntry(layout.coordinatesOf(entry));
      if (base.values[outer] !== values[entry]) {
        throw new RangeError('the margin does not hold the totals of this table');
      }
      suppressed[entry] = base.suppressed[outer]!;
      frozen[entry] = suppressed[entry] ? 0 : 1;
      if (suppressed[entry]) order.push(entry);
    }
  }
  const queued = new Uint8Array(layout.entries);
  for (const entry of order) queued[entry] = 1;
  for (let entry = 0; entry < layout.entries; entry++) {
    if (suppressed[entry] && !queued[entry]) order.push(entry);
  }

  for (const entry of order) {
    if (covered[entry]) continue;
    const coordinates = layout.coordinatesOf(entry);
    const seed =
      base === undefined || coordinates[last] !== shape[last]
        ? undefined
        : base.oppositeCorner(outerEntry(coordinates));
    const other = cheapestHypercube(state, coordinates, seed);
    const otherEntry = other.reduce((sum, c, i) => sum + c * layout.strides[i]!, 0);
    // Suppress every corner; each remembers its hypercube.
    for (let mask = 0; mask < 1 << n; mask++) {
      let at = 0;
      for (let i = 0; i < n; i++) {
        at += ((mask >> i) & 1 ? other[i]! : coordinates[i]!) * layout.strides[i]!;
      }
      suppressed[at] = 1;
      covered[at] = 1;
      hyperOrigin[at] = entry;
      hyperOther[at] = otherEntry;
    }
  }
  /** A covered entry's opposite corner in its hypercube (raw coordinates). */
  const oppositeCorner = (at: number): number[] | undefined => {
    if (!covered[at]) return undefined;
    return shape.map((_, i) => {
      const own = layout.coordinate(at, i);
      const origin = layout.coordinate(hyperOrigin[at]!, i);
      return own === origin ? layout.coordinate(hyperOther[at]!, i) : origin;
    });
  };

  const cube: ProtectedCube = {
    shape: [...shape],
    at: (coordinates) => {
      const entry = layout.entryAt(coordinates);
      return suppressed[entry]
        ? SUPPRESSED
        : { suppressed: false, value: round(values[entry]!, tier) };
    },
  };
  internals.set(cube, { layout, values, suppressed, oppositeCorner, tier });
  return cube;
}

/**
 * A rate (`numerator / denominator`, e.g. referrals accepted / referrals made) from two
 * published counts: suppressed when either is, or when the denominator is below k (a rate over
 * a small group singles its members out). Computed from the published values, so a rounded
 * external report never leaks the exact ratio.
 */
export function protectRate(
  numerator: Published,
  denominator: Published,
  tier: DisclosureTier,
): Published {
  if (numerator.suppressed || denominator.suppressed) return SUPPRESSED;
  if (denominator.value < tier.k || denominator.value === 0) return SUPPRESSED;
  return { suppressed: false, value: numerator.value / denominator.value };
}

/** Median and quartiles of a group, or null when the group has fewer than k members. */
export function protectQuantiles(
  values: readonly number[],
  tier: DisclosureTier,
): { readonly q1: number; readonly median: number; readonly q3: number } | null {
  if (values.length < tier.k) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return { q1: quantile(sorted, 0.25), median: quantile(sorted, 0.5), q3: quantile(sorted, 0.75) };
}

/** Linear interpolation between closest ranks (the usual "type 7" definition). */
function quantile(sorted: readonly number[], p: number): number {
  const position = (sorted.length - 1) * p;
  const lower = Math.floor(position);
  const upper = Math.ceil(position);
  return sorted[lower]! + (sorted[upper]! - sorted[lower]!) * (position - lower);
}

function round(value: number, tier: DisclosureTier): number {
  if (tier.roundTo === null) return value;
  return Math.floor(value / tier.roundTo + 0.5) * tier.roundTo;
}

/**
 * Where each entry lives: coordinates in mixed radix (dᵢ + 1 per dimension, the last value of
 * each being its total), first dimension slowest.
 */
interface CubeLayout {
  readonly shape: readonly number[];
  readonly entries: number;
  /** Per dimension, how far apart two neighbouring entries are. */
  readonly strides: readonly number[];
  /** Per entry, how many of its coordinates are totals (0 for a cell). */
  readonly totals: Uint8Array;
  entryAt(coordinates: readonly (number | typeof TOTAL)[]): number;
  /** Raw coordinate `i` of an entry (dᵢ for the total of dimension i). */
  coordinate(entry: number, i: number): number;
  /** Raw coordinates of an entry (dᵢ for the total of dimension i). */
  coordinatesOf(entry: number): number[];
}

function cubeLayout(shape: readonly number[], counts: readonly number[]): CubeLayout {
  if (shape.length === 0 || shape.some((d) => !Number.isInteger(d) || d < 1)) {
    throw new RangeError('a report table needs at least one row and column, all rows alike');
  }
  const cells = shape.reduce((a, d) => a * d, 1);
  if (counts.length !== cells) {
    throw new RangeError('a report table needs at least one row and column, all rows alike');
  }
  if (counts.some((v) => !Number.isSafeInteger(v) || v < 0)) {
    throw new RangeError('report counts must be non-negative integers');
  }
  const strides = shape.map(() => 0);
  let entries = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = entries;
    entries *= shape[i]! + 1;
  }
  const coordinate = (entry: number, i: number) =>
    Math.floor(entry / strides[i]!) % (shape[i]! + 1);
  const totals = new Uint8Array(entries);
  for (let entry = 0; entry < entries; entry++) {
    let t = 0;
    for (let i = 0; i < shape.length; i++) if (coordinate(entry, i) === shape[i]) t++;
    totals[entry] = t;
  }
  return {
    shape,
    entries,
    strides,
    totals,
    entryAt: (coordinates) => {
      if (coordinates.length !== shape.length) throw new RangeError('wrong number of coordinates');
      return coordinates.reduce<number>((entry, c, i) => {
        if (c !== TOTAL && (!Number.isInteger(c) || c < 0 || c >= shape[i]!)) {
          throw new RangeError('coordinate outside the table');
        }
        return entry + (c === TOTAL ? shape[i]! : c) * strides[i]!;
      }, 0);
    },
    coordinate,
    coordinatesOf: (entry) => shape.map((_, i) => coordinate(entry, i)),
  };
}

/** Every entry's true value: each cell adds its count to itself and to all its margins. */
function entryValues(layout: CubeLayout, counts: readonly number[]): Float64Array {
  const { shape, strides } = layout;
  const n = shape.length;
  const values = new Float64Array(layout.entries);
  const coordinates = new Array<number>(n);
  counts.forEach((count, flat) => {
    if (count === 0) return;
    // The cell's coordinates (last dimension fastest in `counts`).
    let rest = flat;
    for (let i = n - 1; i >= 0; i--) {
      coordinates[i] = rest % shape[i]!;
      rest = Math.floor(rest / shape[i]!);
    }
    // Each subset of dimensions replaced by its total.
    for (let subset = 0; subset < 1 << n; subset++) {
      let entry = 0;
      for (let i = 0; i < n; i++) {
        entry += ((subset >> i) & 1 ? shape[i]! : coordinates[i]!) * strides[i]!;
      }
      values[entry]! += count;
    }
  });
  return values;
}

/** What a protected cube keeps for a cube protected with it as its margin. */
interface CubeInternals {
  readonly layout: CubeLayout;
  readonly values: Float64Array;
  readonly suppressed: Uint8Array;
  /** For a suppressed entry, the opposite corner of a suppressed hypercube it is in. */
  oppositeCorner(entry: number): readonly number[] | undefined;
  readonly tier: DisclosureTier;
}

const internals = new WeakMap<ProtectedCube, CubeInternals>();

function sameTier(a: DisclosureTier, b: DisclosureTier): boolean {
  return a.name === b.name && a.k === b.k && a.roundTo === b.roundTo;
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

// What suppressing one more entry costs: a non-zero cell before a zero cell (a suppressed zero
// gives an attacker a bound, never a value) before a margin, a margin over fewer dimensions
// before one over more (the grand total last), then the smaller; published-by-rule entries
// cannot be suppressed at all.
const NON_ZERO_CELL = 1e6;
const ZERO_CELL = 1e8;
const MARGIN = 1e10;

/** A protection in progress: per entry (typed arrays, 1 = yes). */
interface SearchState {
  readonly layout: CubeLayout;
  readonly values: Float64Array;
  readonly suppressed: Uint8Array;
  /** Published by rule (the margin's published entries): never suppressed. */
  readonly frozen: Uint8Array;
  /** Suppressed and already a corner of a suppressed hypercube. */
  readonly covered: Uint8Array;
}

/**
 * Complementary suppression for one entry: the other corner (one other coordinate per
 * dimension, a value or the total) of the cheapest hypercube through it whose every corner can
 * be suppressed. Coordinate descent from a seed (the margin's hypercube, or per dimension the
 * cheapest neighbour), then an exhaustive search if that found none.
 *
 * Costs are sums of integers below 2⁵³, so they are exact whatever the order of addition. The
 * descent along dimension i prices each candidate from the 2ⁿ⁻¹ mixes of the other dimensions'
 * two coordinates (computed once per dimension), each with coordinate i at the entry's own
 * value and at the candidate: the corners are exactly those.
 */
function cheapestHypercube(
  state: SearchState,
  at: readonly number[],
  seed: readonly number[] | undefined,
): number[] {
  const { layout, values, suppressed, frozen, covered } = state;
  const { shape, strides, totals } = layout;
  const n = at.length;
  const costOfEntry = (entry: number): number => {
    // A suppressed entry not yet in a hypercube gains one: it then needs no search of its own.
    if (suppressed[entry]) return covered[entry] ? 0 : -1;
    if (frozen[entry]) return Infinity;
    const t = totals[entry]!;
    if (t > 0) return MARGIN * t + values[entry]!;
    return values[entry]! > 0 ? NON_ZERO_CELL + values[entry]! : ZERO_CELL;
  };
  const origin = at.reduce((entry, c, i) => entry + c * strides[i]!, 0);
  /** The hypercube's cost, or more than `limit` once it is clear it costs more. */
  const cost = (other: readonly number[], limit = Infinity): number => {
    let sum = 0;
    for (let mask = 0; mask < 1 << n; mask++) {
      let entry = 0;
      for (let i = 0; i < n; i++) entry += ((mask >> i) & 1 ? other[i]! : at[i]!) * strides[i]!;
      sum += costOfEntry(entry);
      if (sum > limit + (1 << n)) return sum;
    }
    return sum;
  };

  const other = seed === undefined ? [] : [...seed];
  for (let i = other.length; i < n; i++) {
    // The cheapest neighbour along this dimension (the first of equals).
    let best = -1;
    let bestCost = Infinity;
    for (let c = 0; c <= shape[i]!; c++) {
      if (c === at[i]) continue;
      const candidate = costOfEntry(origin + (c - at[i]!) * strides[i]!);
      if (best === -1 || candidate < bestCost) {
        best = c;
        bestCost = candidate;
      }
    }
    other.push(best);
  }
  let current = cost(other);
  const half = 1 << (n - 1);
  const offsets = new Float64Array(half);
  for (let round = 0; round < 4; round++) {
    let improved = false;
    for (let i = 0; i < n; i++) {
      // Every mix of the other dimensions' two coordinates, without dimension i.
      for (let mask = 0; mask < half; mask++) {
        let entry = 0;
        for (let j = 0, bit = 0; j < n; j++) {
          if (j === i) continue;
          entry += ((mask >> bit) & 1 ? other[j]! : at[j]!) * strides[j]!;
          bit++;
        }
        offsets[mask] = entry;
      }
      const own = at[i]! * strides[i]!;
      for (let c = 0; c <= shape[i]!; c++) {
        if (c === at[i]) continue;
        const moved = c * strides[i]!;
        let sum = 0;
        for (let mask = 0; mask < half && sum <= current + (1 << n); mask++) {
          sum += costOfEntry(offsets[mask]! + own) + costOfEntry(offsets[mask]! + moved);
        }
        if (sum < current) {
          other[i] = c;
          current = sum;
          improved = true;
        }
      }
    }
    if (!improved) break;
  }
  if (current < Infinity) return other;

  // Exhaustive: every combination of other coordinates (reached only when published-by-rule
  // entries block the descent; tables are small then).
  const choices = (i: number) =>
    Array.from({ length: shape[i]! + 1 }, (_, c) => c).filter((c) => c !== at[i]);
  let best: { other: number[]; cost: number } | null = null;
  const search = (prefix: number[]) => {
    if (prefix.length === n) {
      const c = cost(prefix);
      if (c < (best?.cost ?? Infinity)) best = { other: prefix, cost: c };
      return;
    }
    for (const c of choices(prefix.length)) search([...prefix, c]);
  };
  if (shape.reduce((a, d) => a * d, 1) > 100_000) {
    throw new Error('disclosure control: table too large to protect');
  }
  search([]);
  const found = best as { other: number[]; cost: number } | null;
  if (found === null) throw new Error('disclosure control: no hypercube can protect an entry');
  return found.other;
}
