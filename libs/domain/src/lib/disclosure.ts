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
 * 2. **Complementary suppression.** The published entries give equations (each row of cells sums
 *    to its row total, each column to its column total, the margins to the grand total). While
 *    any suppressed entry is determined exactly by those equations — whether by one subtraction
 *    or by a chain of them — one more entry is suppressed next to it (next to one that is alone
 *    in a line first, where a chain starts): in the lines where it is the only unknown (else in
 *    all its lines), a non-zero published cell before a margin before a zero cell, preferring
 *    one whose other line already holds an unknown (closing a cycle rather than leaving a new
 *    lone unknown), then the smallest; else the smallest published entry anywhere. Whether an
 *    entry is determined is decided exactly, in rational arithmetic.
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
 */
export function protectCube(
  shape: readonly number[],
  counts: readonly number[],
  tier: DisclosureTier,
): ProtectedCube {
  const layout = cubeLayout(shape, counts);
  const values = entryValues(layout, counts);
  const suppressed = values.map((v) => v > 0 && v < tier.k);
  const lines = cubeLines(layout);
  const linesOf = values.map(() => [] as number[]);
  lines.forEach((line, index) => line.entries.forEach(({ entry }) => linesOf[entry]!.push(index)));

  for (;;) {
    const determinedEntries = determined(lines, suppressed);
    if (determinedEntries.length === 0) break;
    // One alone in a line first: a chain of subtractions starts there.
    const lone = (entry: number) =>
      linesOf[entry]!.some((index) => unknownsIn(lines[index]!, suppressed) === 1);
    const target = determinedEntries.find(lone) ?? determinedEntries[0]!;
    suppressed[chooseComplement(target, layout, lines, linesOf, values, suppressed)] = true;
  }

  return {
    shape: [...shape],
    at: (coordinates) => {
      const entry = layout.entryAt(coordinates);
      return suppressed[entry]
        ? SUPPRESSED
        : { suppressed: false, value: round(values[entry]!, tier) };
    },
  };
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
  entryAt(coordinates: readonly (number | typeof TOTAL)[]): number;
  isCell(entry: number): boolean;
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
  return {
    shape,
    entries,
    strides,
    entryAt: (coordinates) => {
      if (coordinates.length !== shape.length) throw new RangeError('wrong number of coordinates');
      return coordinates.reduce<number>((entry, c, i) => {
        if (c !== TOTAL && (!Number.isInteger(c) || c < 0 || c >= shape[i]!)) {
          throw new RangeError('coordinate outside the table');
        }
        return entry + (c === TOTAL ? shape[i]! : c) * strides[i]!;
      }, 0);
    },
    isCell: (entry) => shape.every((d, i) => coordinate(entry, i) < d),
  };
}

/** Every entry's true value: each cell adds its count to itself and to all its margins. */
function entryValues(layout: CubeLayout, counts: readonly number[]): number[] {
  const { shape, strides } = layout;
  const values = new Array<number>(layout.entries).fill(0);
  counts.forEach((count, flat) => {
    // The cell's coordinates (last dimension fastest in `counts`).
    const coordinates: number[] = [];
    let rest = flat;
    for (let i = shape.length - 1; i >= 0; i--) {
      coordinates[i] = rest % shape[i]!;
      rest = Math.floor(rest / shape[i]!);
    }
    // Each subset of dimensions replaced by its total.
    for (let subset = 0; subset < 1 << shape.length; subset++) {
      let entry = 0;
      for (let i = 0; i < shape.length; i++) {
        entry += ((subset >> i) & 1 ? shape[i]! : coordinates[i]!) * strides[i]!;
      }
      values[entry]! += count;
    }
  });
  return values;
}

/** An additivity relation: the members with coefficient +1 sum to the one with −1. */
interface Line {
  readonly entries: readonly { readonly entry: number; readonly coefficient: 1 | -1 }[];
}

/** Along each dimension, from every entry whose coordinate there is 0: the line to its total. */
function cubeLines(layout: CubeLayout): Line[] {
  const { shape, strides } = layout;
  const lines: Line[] = [];
  for (let i = 0; i < shape.length; i++) {
    for (let start = 0; start < layout.entries; start++) {
      if (Math.floor(start / strides[i]!) % (shape[i]! + 1) !== 0) continue;
      lines.push({
        entries: [
          ...Array.from({ length: shape[i]! }, (_, k) => ({
            entry: start + k * strides[i]!,
            coefficient: 1 as const,
          })),
          { entry: start + shape[i]! * strides[i]!, coefficient: -1 },
        ],
      });
    }
  }
  return lines;
}

/**
 * The suppressed entries whose values the published entries determine. With the suppressed
 * entries as unknowns, each line is a linear equation; an unknown is determined exactly when
 * its unit vector lies in the row space of the equations, i.e. when the reduced row echelon
 * form has a row with that unknown alone.
 */
function determined(lines: readonly Line[], suppressed: readonly boolean[]): number[] {
  const unknowns = suppressed.flatMap((s, entry) => (s ? [entry] : []));
  if (unknowns.length === 0) return [];
  const column = new Map(unknowns.map((entry, i) => [entry, i]));
  const matrix: Rational[][] = [];
  for (const line of lines) {
    const row = unknowns.map(() => ZERO);
    let any = false;
    for (const { entry, coefficient } of line.entries) {
      const j = column.get(entry);
      if (j !== undefined) {
        row[j] = rational(BigInt(coefficient));
        any = true;
      }
    }
    if (any) matrix.push(row);
  }
  return reducedRowEchelon(matrix, unknowns.length).flatMap((row) => {
    const nonZero = row.flatMap((v, j) => (v.numerator === 0n ? [] : [j]));
    return nonZero.length === 1 ? [unknowns[nonZero[0]!]!] : [];
  });
}

function chooseComplement(
  determined: number,
  shape: CubeLayout,
  lines: readonly Line[],
  linesOf: readonly (readonly number[])[],
  values: readonly number[],
  suppressed: readonly boolean[],
): number {
  // Prefer the lines that reveal the entry on their own (it is their only unknown).
  const revealing = linesOf[determined]!.filter(
    (index) => unknownsIn(lines[index]!, suppressed) === 1,
  );
  const neighbours = new Set<number>();
  for (const index of revealing.length > 0 ? revealing : linesOf[determined]!) {
    for (const { entry } of lines[index]!.entries) if (!suppressed[entry]) neighbours.add(entry);
  }
  // Rank: a non-zero cell before a margin before a zero cell; then one whose other lines
  // already hold an unknown (it closes a cycle instead of leaving a new lone unknown); then
  // the smallest; then the first.
  const rank = (entry: number): number[] => [
    shape.isCell(entry) ? (values[entry]! > 0 ? 0 : 2) : 1,
    linesOf[entry]!.filter(
      (index) =>
        !linesOf[determined]!.includes(index) && unknownsIn(lines[index]!, suppressed) === 0,
    ).length,
    values[entry]!,
    entry,
  ];
  const best = (candidates: readonly number[]): number | null => {
    let chosen: { entry: number; rank: number[] } | null = null;
    for (const entry of candidates) {
      const r = rank(entry);
      if (chosen === null || lexicallyBefore(r, chosen.rank)) chosen = { entry, rank: r };
    }
    return chosen?.entry ?? null;
  };
  const choice =
    best([...neighbours]) ?? best(values.flatMap((_, entry) => (suppressed[entry] ? [] : [entry])));
  // A determined entry implies a published one exists (a fully suppressed table determines
  // nothing), so there is always a choice.
  if (choice === null) throw new Error('disclosure control: nothing left to suppress');
  return choice;
}

/** How many of a line's entries are suppressed. */
function unknownsIn(line: Line, suppressed: readonly boolean[]): number {
  return line.entries.filter(({ entry }) => suppressed[entry]).length;
}

function lexicallyBefore(a: readonly number[], b: readonly number[]): boolean {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! < b[i]!;
  return false;
}

// Exact rational arithmetic for the elimination (coefficients start at ±1; no rounding errors).

interface Rational {
  readonly numerator: bigint;
  readonly denominator: bigint;
}

const ZERO: Rational = { numerator: 0n, denominator: 1n };

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a;
  let y = b < 0n ? -b : b;
  while (y !== 0n) [x, y] = [y, x % y];
  return x;
}

function rational(numerator: bigint, denominator = 1n): Rational {
  if (numerator === 0n) return ZERO;
  const sign = denominator < 0n ? -1n : 1n;
  const divisor = gcd(numerator, denominator);
  return { numerator: (sign * numerator) / divisor, denominator: (sign * denominator) / divisor };
}

const sub = (a: Rational, b: Rational): Rational =>
  rational(
    a.numerator * b.denominator - b.numerator * a.denominator,
    a.denominator * b.denominator,
  );
const mul = (a: Rational, b: Rational): Rational =>
  rational(a.numerator * b.numerator, a.denominator * b.denominator);
const div = (a: Rational, b: Rational): Rational =>
  rational(a.numerator * b.denominator, a.denominator * b.numerator);

function reducedRowEchelon(matrix: Rational[][], width: number): Rational[][] {
  const rows = matrix.map((row) => [...row]);
  let pivotRow = 0;
  for (let column = 0; column < width && pivotRow < rows.length; column++) {
    const found = rows.findIndex((row, i) => i >= pivotRow && row[column]!.numerator !== 0n);
    if (found === -1) continue;
    [rows[pivotRow], rows[found]] = [rows[found]!, rows[pivotRow]!];
    const pivot = rows[pivotRow]![column]!;
    rows[pivotRow] = rows[pivotRow]!.map((v) => div(v, pivot));
    for (let i = 0; i < rows.length; i++) {
      const factor = rows[i]![column]!;
      if (i === pivotRow || factor.numerator === 0n) continue;
      rows[i] = rows[i]!.map((v, j) => sub(v, mul(factor, rows[pivotRow]![j]!)));
    }
    pivotRow++;
  }
  return rows.slice(0, pivotRow);
}
