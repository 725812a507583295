/**
 * Disclosure control for reports (docs/design.md §8): small-cell suppression with complementary
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
 * every filter of a report agrees with the unfiltered report and with each other. Two rules
 * then keep reports filtered by *different* attributes from being combined against each other
 * (docs/adr/0007): every hypercube of the margin is extended into this table unchanged (its
 * corners at the total and at one value of the filter), so any other filter can move the same
 * hidden margin entries the same way; and every other hypercube lies inside the filter's values
 * (never at its total), so it moves nothing another filter can see.
 */
export function protectCube(
  shape: readonly number[],
  counts: readonly number[],
  tier: DisclosureTier,
  options?: ProtectedCube | ProtectOptions,
): ProtectedCube {
  const { margin, filters = [] } =
    options === undefined ? {} : 'at' in options ? { margin: options } : options;
  const layout = cubeLayout(shape, counts);
  const values = entryValues(layout, counts);
  const state = newState(layout, values, tier);
  const base = margin === undefined ? undefined : marginOf(margin, layout, tier);
  if (base !== undefined) {
    // The total face over the last dimension is the margin table, entry for entry.
    forEachTotalFace(layout, base, (entry, outer) => {
      if (base.values[outer] !== values[entry]) {
        throw new RangeError('the margin does not hold the totals of this table');
      }
    });
  }
  for (const filter of filters) {
    const carrier = cubeLayout([...shape, filter.size], filter.counts);
    state.carriers.push({ layout: carrier, values: entryValues(carrier, filter.counts) });
  }
  for (let entry = 0; entry < layout.entries; entry++) {
    const v = values[entry]!;
    if (v > 0 && v < tier.k) state.suppressed[entry] = 1;
  }
  return protect(state, base);
}

/** What else `protectCube` may be given. */
export interface ProtectOptions {
  /** This table without its last dimension, protected already (see `protectCube`). */
  readonly margin?: ProtectedCube;
  /**
   * The same counts by each attribute a filter will add as one more dimension (flat, that
   * dimension fastest), for a table that filtered tables will be protected against: each of its
   * hypercubes is chosen so that every filter can carry it (docs/adr/0007).
   */
  readonly filters?: readonly FilterCounts[];
}

/** Counts of a table by one more attribute: `size` values, flat with that one fastest. */
export interface FilterCounts {
  readonly size: number;
  readonly counts: readonly number[];
}

/**
 * The same table for a tier with a larger k (the external tier from the internal one), derived
 * from what `cube` publishes and nothing else: every entry it suppresses stays suppressed, with
 * the hypercubes that hide it; published counts below the new k are suppressed too, and hidden
 * by hypercubes of their own. So someone who may see both tiers learns nothing from the second
 * that the first did not already tell them. `margin` is the coarsened margin of `cube`'s
 * margin, when `cube` was protected with one.
 */
export function coarsenCube(
  cube: ProtectedCube,
  tier: DisclosureTier,
  options?: ProtectedCube | CoarsenOptions,
): ProtectedCube {
  const { margin, filters = [] } =
    options === undefined ? {} : 'at' in options ? { margin: options } : options;
  const from = internals.get(cube);
  if (from === undefined) throw new RangeError('only a protected cube can be coarsened');
  if (tier.k < from.tier.k) throw new RangeError('a coarser tier needs a k at least as large');
  if ((from.base === undefined) !== (margin === undefined)) {
    throw new RangeError('a cube protected with a margin is coarsened with its margin');
  }
  const { layout } = from;
  // What the finer tier publishes, and nothing of what it hides.
  const values = knownValues(from);
  const state = newState(layout, values, tier);
  state.suppressed.set(from.suppressed);
  state.covered.set(from.covered);
  state.hypercubes.push(...from.hypercubes);
  for (const [index, value] of from.extended) state.extended.set(index, value);
  const base = margin === undefined ? undefined : marginOf(margin, layout, tier);
  if (base !== undefined) {
    if (base.source !== from.base) {
      throw new RangeError("the margin must be the coarsened margin of this cube's margin");
    }
    forEachTotalFace(layout, base, (entry, outer) => {
      if (!base.suppressed[outer] && base.values[outer] !== values[entry]) {
        throw new RangeError('the margin does not hold the totals of this table');
      }
    });
  }
  for (const filter of filters) {
    const carrier = internals.get(filter);
    if (carrier?.base !== from) {
      throw new RangeError('filters must be the finer tier cubes protected with this one');
    }
    state.carriers.push({ layout: carrier.layout, values: knownValues(carrier) });
  }
  for (let entry = 0; entry < layout.entries; entry++) {
    const v = values[entry]!;
    if (!state.suppressed[entry] && v > 0 && v < tier.k) state.suppressed[entry] = 1;
  }
  return protect(state, base, from);
}

/** What else `coarsenCube` may be given. */
export interface CoarsenOptions {
  /** The coarsened margin of the cube's margin, for a cube protected with one. */
  readonly margin?: ProtectedCube;
  /** The finer tier's filter cubes protected with this cube as their margin. */
  readonly filters?: readonly ProtectedCube[];
}

/** What a protected cube publishes: true values, NaN where it hides them. */
function knownValues(cube: CubeInternals): Float64Array {
  const values = new Float64Array(cube.layout.entries);
  for (let entry = 0; entry < values.length; entry++) {
    values[entry] = cube.suppressed[entry] ? Number.NaN : cube.values[entry]!;
  }
  return values;
}

/** The margin's internals, checked to be this table without its last dimension, same tier. */
function marginOf(margin: ProtectedCube, layout: CubeLayout, tier: DisclosureTier): CubeInternals {
  const base = internals.get(margin);
  if (
    base === undefined ||
    !sameTier(base.tier, tier) ||
    !sameShape(base.layout.shape, layout.shape.slice(0, -1))
  ) {
    throw new RangeError('the margin must be this table without its last dimension, same tier');
  }
  return base;
}

/** Calls `visit` for each entry on the total face over the last dimension, with the margin's. */
function forEachTotalFace(
  layout: CubeLayout,
  base: CubeInternals,
  visit: (entry: number, outer: number) => void,
): void {
  const { shape } = layout;
  const last = shape.length - 1;
  for (let entry = 0; entry < layout.entries; entry++) {
    if (layout.coordinate(entry, last) !== shape[last]) continue;
    visit(entry, base.layout.entryAt(outerCoordinates(layout, entry)));
  }
}

/** An entry's coordinates without its last one, totals as `TOTAL`. */
function outerCoordinates(layout: CubeLayout, entry: number): (number | typeof TOTAL)[] {
  const { shape } = layout;
  return layout
    .coordinatesOf(entry)
    .slice(0, -1)
    .map((c, i) => (c === shape[i] ? TOTAL : c));
}

function newState(layout: CubeLayout, values: Float64Array, tier: DisclosureTier): SearchState {
  return {
    layout,
    values,
    tier,
    suppressed: new Uint8Array(layout.entries),
    frozen: new Uint8Array(layout.entries),
    covered: new Uint8Array(layout.entries),
    hypercubes: [],
    extended: new Map(),
    carriers: [],
  };
}

/**
 * Complementary suppression (rule 2) for a state whose primary suppressions are set: with a
 * margin, the total face is fixed to it and the margin's hypercubes are extended first; then
 * every suppressed entry not yet a corner of a hypercube gets the cheapest one.
 */
function protect(
  state: SearchState,
  base: CubeInternals | undefined,
  source?: CubeInternals,
): ProtectedCube {
  const { layout, suppressed, frozen, covered, tier } = state;
  const { shape } = layout;
  const n = shape.length;
  const last = n - 1;
  if (base !== undefined) {
    forEachTotalFace(layout, base, (entry, outer) => {
      suppressed[entry] = base.suppressed[outer]!;
      frozen[entry] = suppressed[entry] ? 0 : 1;
    });
    // Each hypercube of the margin, at the total and at the cheapest value of the filter that
    // can move it the same way as the margin moves it.
    base.hypercubes.forEach((hypercube, index) => {
      if (state.extended.has(index)) return;
      const origin = [...hypercube.origin, shape[last]!];
      let best = -1;
      let bestCost = Infinity;
      for (let value = 0; value < shape[last]!; value++) {
        const c = hypercubeCost(state, origin, [...hypercube.other, value], hypercube.moves);
        if (c < bestCost) {
          best = value;
          bestCost = c;
        }
      }
      if (best === -1) throw new Error('disclosure control: a margin hypercube cannot extend');
      state.extended.set(index, best);
      place(state, origin, [...hypercube.other, best], hypercube.moves);
    });
  }
  for (let entry = 0; entry < layout.entries; entry++) {
    if (!suppressed[entry] || covered[entry]) continue;
    const coordinates = layout.coordinatesOf(entry);
    place(state, coordinates, cheapestHypercube(state, coordinates, base !== undefined), BOTH);
  }

  const cube: ProtectedCube = {
    shape: [...shape],
    at: (coordinates) => {
      const entry = layout.entryAt(coordinates);
      return suppressed[entry]
        ? SUPPRESSED
        : { suppressed: false, value: round(state.values[entry]!, tier) };
    },
  };
  internals.set(cube, {
    layout,
    values: state.values,
    suppressed,
    covered,
    hypercubes: state.hypercubes,
    extended: state.extended,
    tier,
    base,
    source,
  });
  return cube;
}

/**
 * Suppresses every corner of a hypercube (raw coordinates of two opposite corners), and keeps
 * it with the ways it can move (within `allowed`).
 */
function place(
  state: SearchState,
  origin: readonly number[],
  other: readonly number[],
  allowed: Moves,
): void {
  const { layout, suppressed, covered } = state;
  const n = origin.length;
  for (let mask = 0; mask < 1 << n; mask++) {
    let at = 0;
    for (let i = 0; i < n; i++) {
      at += ((mask >> i) & 1 ? other[i]! : origin[i]!) * layout.strides[i]!;
    }
    suppressed[at] = 1;
    covered[at] = 1;
  }
  const moves = (movesOf(state, origin, other) & allowed) as Moves;
  state.hypercubes.push({ origin: [...origin], other: [...other], moves });
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

/** A hypercube by two opposite corners (raw coordinates: dᵢ for the total of dimension i). */
interface Hypercube {
  readonly origin: readonly number[];
  readonly other: readonly number[];
  /** The ways it can move without any count going below zero (0 when it cannot move). */
  readonly moves: Moves;
}

/**
 * Moving a hypercube adds 1 to half its corners and takes 1 from the others (a corner and its
 * total along a dimension move alike). `UP` takes 1 from the corners an odd number of non-total
 * steps away from the origin, `DOWN` from the others (the origin among them).
 */
type Moves = 0 | 1 | 2 | 3;
const UP = 1;
const DOWN = 2;
const BOTH: Moves = 3;

/** What a protected cube keeps, for a cube protected with it as its margin or coarsened. */
interface CubeInternals {
  readonly layout: CubeLayout;
  /** True values of published entries (NaN where a finer tier hid them). */
  readonly values: Float64Array;
  readonly suppressed: Uint8Array;
  readonly covered: Uint8Array;
  /** Every hypercube placed, in order: each suppressed entry is a corner of at least one. */
  readonly hypercubes: readonly Hypercube[];
  /** Margin hypercube (by index) → the filter value it was extended to. */
  readonly extended: ReadonlyMap<number, number>;
  readonly tier: DisclosureTier;
  /** The margin it was protected with, if any. */
  readonly base: CubeInternals | undefined;
  /** For a coarsened cube, the cube it was coarsened from. */
  readonly source: CubeInternals | undefined;
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
/** A hypercube that cannot move (see `hypercubeCost`): a last resort. */
const INFEASIBLE = 1e15;

/** A protection in progress: per entry (typed arrays, 1 = yes). */
interface SearchState {
  readonly layout: CubeLayout;
  readonly values: Float64Array;
  readonly tier: DisclosureTier;
  readonly suppressed: Uint8Array;
  /** Published by rule (the margin's published entries): never suppressed. */
  readonly frozen: Uint8Array;
  /** Suppressed and already a corner of a suppressed hypercube. */
  readonly covered: Uint8Array;
  readonly hypercubes: Hypercube[];
  readonly extended: Map<number, number>;
  /** For a margin: the same counts by each filter attribute, which must carry its hypercubes. */
  readonly carriers: { readonly layout: CubeLayout; readonly values: Float64Array }[];
}

/** What suppressing this entry would add (Infinity when it may not be suppressed). */
function entryCost(state: SearchState, entry: number): number {
  // A suppressed entry not yet in a hypercube gains one: it then needs no search of its own.
  if (state.suppressed[entry]) return state.covered[entry] ? 0 : -1;
  if (state.frozen[entry]) return Infinity;
  const t = state.layout.totals[entry]!;
  const v = state.values[entry]!;
  if (t > 0) return MARGIN * t + v;
  return v > 0 ? NON_ZERO_CELL + v : ZERO_CELL;
}

/**
 * The cost of a hypercube given by two opposite corners, plus `INFEASIBLE` when it cannot move
 * in any of the `allowed` ways: an attacker knows nobody counts less than zero, so a hypercube
 * hides an entry only if, one way round or the other, every corner it takes from is known to
 * hold at least 1. For a margin, every filter must be able to carry the same move: in one of its
 * values, every corner taken from holds at least 1 (docs/adr/0007).
 */
function hypercubeCost(
  state: SearchState,
  origin: readonly number[],
  other: readonly number[],
  allowed: Moves = BOTH,
): number {
  const sum = cornersCost(state, origin, other);
  return movesOf(state, origin, other) & allowed ? sum : sum + INFEASIBLE;
}

/** What suppressing a hypercube's corners would add, whether or not it can move. */
function cornersCost(state: SearchState, origin: readonly number[], other: readonly number[]) {
  const { strides } = state.layout;
  const n = origin.length;
  let sum = 0;
  for (let mask = 0; mask < 1 << n; mask++) {
    let entry = 0;
    for (let i = 0; i < n; i++) entry += ((mask >> i) & 1 ? other[i]! : origin[i]!) * strides[i]!;
    sum += entryCost(state, entry);
  }
  return sum;
}

/** The ways a hypercube can move here and, for a margin, in every filter. */
function movesOf(state: SearchState, origin: readonly number[], other: readonly number[]): Moves {
  let moves: number = movesIn(state.layout, state.values, origin, other, 0);
  for (const carrier of state.carriers) {
    if (moves === 0) break;
    const { layout, values } = carrier;
    const last = layout.shape.length - 1;
    let carried = 0;
    for (let value = 0; value < layout.shape[last]! && carried !== moves; value++) {
      carried |= movesIn(layout, values, origin, other, value * layout.strides[last]!);
    }
    moves &= carried;
  }
  return moves as Moves;
}

/**
 * The ways a hypercube can move in a table of `values` (`offset` added to every corner's entry:
 * one value of a further dimension). NaN — a value a finer tier hid — is not known to be ≥ 1.
 */
function movesIn(
  layout: CubeLayout,
  values: Float64Array,
  origin: readonly number[],
  other: readonly number[],
  offset: number,
): Moves {
  const { strides, shape } = layout;
  const n = origin.length;
  let up = UP;
  let down = DOWN;
  for (let mask = 0; mask < 1 << n; mask++) {
    let entry = offset;
    let odd = false;
    for (let i = 0; i < n; i++) {
      const bit = (mask >> i) & 1;
      entry += (bit ? other[i]! : origin[i]!) * strides[i]!;
      if (bit && origin[i] !== shape[i] && other[i] !== shape[i]) odd = !odd;
    }
    if (!(values[entry]! >= 1)) {
      if (odd) up = 0;
      else down = 0;
      if (up === 0 && down === 0) return 0;
    }
  }
  return (up | down) as Moves;
}

/**
 * Complementary suppression for one entry: the other corner (one other coordinate per
 * dimension, a value or the total) of the cheapest hypercube through it whose every corner can
 * be suppressed. With `insideFilter`, the last dimension's other coordinate is a value, never
 * the total (docs/adr/0007). Coordinate descent from the cheapest neighbour per dimension, then
 * an exhaustive search if that found none.
 *
 * Costs are sums of integers below 2⁵³, so they are exact whatever the order of addition. The
 * descent along dimension i prices each candidate from the 2ⁿ⁻¹ mixes of the other dimensions'
 * two coordinates (computed once per dimension), each with coordinate i at the entry's own
 * value and at the candidate: the corners are exactly those.
 */
function cheapestHypercube(
  state: SearchState,
  at: readonly number[],
  insideFilter: boolean,
): number[] {
  const { layout } = state;
  const { shape, strides } = layout;
  const n = at.length;
  const last = n - 1;
  const allowed = (i: number, c: number) =>
    c !== at[i] && !(insideFilter && i === last && c === shape[i]);
  const costOfEntry = (entry: number) => entryCost(state, entry);
  const origin = at.reduce((entry, c, i) => entry + c * strides[i]!, 0);

  const other: number[] = [];
  for (let i = 0; i < n; i++) {
    // The cheapest neighbour along this dimension (the first of equals).
    let best = -1;
    let bestCost = Infinity;
    for (let c = 0; c <= shape[i]!; c++) {
      if (!allowed(i, c)) continue;
      const candidate = costOfEntry(origin + (c - at[i]!) * strides[i]!);
      if (best === -1 || candidate < bestCost) {
        best = c;
        bestCost = candidate;
      }
    }
    if (best === -1) throw new Error('disclosure control: no hypercube can protect an entry');
    other.push(best);
  }
  let current = hypercubeCost(state, at, other);
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
        if (!allowed(i, c)) continue;
        const moved = c * strides[i]!;
        // The corners' cost first (a lower bound), then whether it can move.
        let sum = 0;
        for (let mask = 0; mask < half && sum <= current + (1 << n); mask++) {
          sum += costOfEntry(offsets[mask]! + own) + costOfEntry(offsets[mask]! + moved);
        }
        if (sum >= current) continue;
        const previous = other[i]!;
        other[i] = c;
        const full = hypercubeCost(state, at, other);
        if (full < current) {
          current = full;
          improved = true;
        } else {
          other[i] = previous;
        }
      }
    }
    if (!improved) break;
  }
  if (current < INFEASIBLE) return other;

  // Exhaustive: every combination of other coordinates (reached only when published-by-rule
  // entries, or corners not known to be at least 1, block the descent).
  const choices = shape.map((d, i) =>
    Array.from({ length: d + 1 }, (_, c) => c).filter((c) => allowed(i, c)),
  );
  const combinations = choices.reduce((a, c) => a * c.length, 1);
  if (combinations > 200_000) {
    // Too many to try: the descent's hypercube, if it found one that can be suppressed at all.
    if (current < Infinity) return other;
    throw new Error('disclosure control: table too large to protect');
  }
  // In order, keeping the first of the cheapest, and skipping whatever cannot beat the best so
  // far (so the result is the same as trying everything). Coordinates are chosen one dimension
  // at a time; once dimensions 0…i are, the corners whose later coordinates are all the entry's
  // own are known. Each corner still open costs at least −1, and a known corner not known to
  // hold at least 1 rules out the move that takes from it (`movesIn`): when both moves are out,
  // every hypercube below costs `INFEASIBLE` more. That bounds every hypercube below from
  // beneath. Whether one can move is asked in full (`movesOf`, with the carriers) only of a
  // hypercube that could cost less than the best so far. Until the first is found, the
  // descent's hypercube (one of those tried) bounds the search: nothing dearer can be the best.
  const { values } = state;
  let best: number[] | null = null;
  let bestCost = current;
  const beats = (cost: number) =>
    best === null && bestCost < Infinity ? cost <= bestCost : cost < bestCost;
  const candidate = new Array<number>(n);
  const corners = 1 << n;
  // Offset of dimensions i… at the entry's own coordinates.
  const tails = new Array<number>(n + 1).fill(0);
  for (let i = n - 1; i >= 0; i--) tails[i] = tails[i + 1]! + at[i]! * strides[i]!;
  // Per depth i, every mix of own and chosen coordinates of dimensions before i: its offset, and
  // whether it is an odd number of non-total steps from the entry (the move it takes from).
  const partial = Array.from({ length: n + 1 }, (_, i) => new Float64Array(1 << i));
  const odd = Array.from({ length: n + 1 }, (_, i) => new Uint8Array(1 << i));
  const search = (i: number, known: number, moves: number) => {
    if (i === n) {
      const cost = moves !== 0 && movesOf(state, at, candidate) ? known : known + INFEASIBLE;
      if (beats(cost)) {
        best = [...candidate];
        bestCost = cost;
      }
      return;
    }
    const from = partial[i]!;
    const to = partial[i + 1]!;
    const fromOdd = odd[i]!;
    const toOdd = odd[i + 1]!;
    const half = 1 << i;
    const own = at[i]! * strides[i]!;
    for (let k = 0; k < half; k++) {
      to[k] = from[k]! + own;
      toOdd[k] = fromOdd[k]!;
    }
    for (const c of choices[i]!) {
      const moved = c * strides[i]!;
      const step = at[i] !== shape[i] && c !== shape[i] ? 1 : 0;
      let sum = known;
      let left = moves;
      for (let k = 0; k < half; k++) {
        const entry = from[k]! + moved;
        to[half + k] = entry;
        toOdd[half + k] = fromOdd[k]! ^ step;
        sum += costOfEntry(entry + tails[i + 1]!);
        if (!(values[entry + tails[i + 1]!]! >= 1)) left &= toOdd[half + k] ? ~UP : ~DOWN;
      }
      const bound = sum - (corners - 2 * half) + (left === 0 ? INFEASIBLE : 0);
      if (!beats(bound)) continue;
      candidate[i] = c;
      search(i + 1, sum, left);
    }
  };
  search(0, costOfEntry(origin), values[origin]! >= 1 ? BOTH : UP);
  const found = best as number[] | null;
  if (found === null) throw new Error('disclosure control: no hypercube can protect an entry');
  return found;
}
