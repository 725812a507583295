/**
 * Disclosure control for reports (DESIGN.md §8): small-cell suppression with complementary
 * suppression, and rounding for reports that leave the organisation. Pure and shared: the API
 * applies it before anything leaves the server; the console only renders what it is given.
 *
 * ## Rules
 *
 * A report table is a grid of non-negative counts with its row totals, column totals and grand
 * total (the "margins"), all published alongside the cells.
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
  const shape = tableShape(counts);
  const { rows, columns } = shape;
  const values = entryValues(counts, shape);
  const suppressed = values.map((v) => v > 0 && v < tier.k);
  const lines = tableLines(shape);
  const linesOf = values.map(() => [] as number[]);
  lines.forEach((line, index) => line.entries.forEach(({ entry }) => linesOf[entry]!.push(index)));

  for (;;) {
    const determinedEntries = determined(lines, suppressed);
    if (determinedEntries.length === 0) break;
    // One alone in a line first: a chain of subtractions starts there.
    const lone = (entry: number) =>
      linesOf[entry]!.some(
        (index) => lines[index]!.entries.filter(({ entry: e }) => suppressed[e]).length === 1,
      );
    const target = determinedEntries.find(lone) ?? determinedEntries[0]!;
    suppressed[chooseComplement(target, shape, lines, linesOf, values, suppressed)] = true;
  }

  const publish = (entry: number): Published =>
    suppressed[entry] ? SUPPRESSED : { suppressed: false, value: round(values[entry]!, tier) };
  return {
    cells: Array.from({ length: rows }, (_, r) =>
      Array.from({ length: columns }, (_, c) => publish(r * columns + c)),
    ),
    rowTotals: Array.from({ length: rows }, (_, r) => publish(shape.rowTotal(r))),
    columnTotals: Array.from({ length: columns }, (_, c) => publish(shape.columnTotal(c))),
    total: publish(shape.grandTotal),
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

interface TableShape {
  readonly rows: number;
  readonly columns: number;
  rowTotal(row: number): number;
  columnTotal(column: number): number;
  readonly grandTotal: number;
  readonly entries: number;
  isCell(entry: number): boolean;
}

function tableShape(counts: readonly (readonly number[])[]): TableShape {
  const rows = counts.length;
  const columns = counts[0]?.length ?? 0;
  if (rows === 0 || columns === 0 || counts.some((row) => row.length !== columns)) {
    throw new RangeError('a report table needs at least one row and column, all rows alike');
  }
  if (counts.some((row) => row.some((v) => !Number.isSafeInteger(v) || v < 0))) {
    throw new RangeError('report counts must be non-negative integers');
  }
  const cells = rows * columns;
  return {
    rows,
    columns,
    rowTotal: (row) => cells + row,
    columnTotal: (column) => cells + rows + column,
    grandTotal: cells + rows + columns,
    entries: cells + rows + columns + 1,
    isCell: (entry) => entry < cells,
  };
}

/** Every entry's true value: cells, then row totals, column totals and the grand total. */
function entryValues(counts: readonly (readonly number[])[], shape: TableShape): number[] {
  const values = new Array<number>(shape.entries).fill(0);
  counts.forEach((row, r) =>
    row.forEach((v, c) => {
      values[r * shape.columns + c] = v;
      values[shape.rowTotal(r)]! += v;
      values[shape.columnTotal(c)]! += v;
      values[shape.grandTotal]! += v;
    }),
  );
  return values;
}

/** An additivity relation: the members with coefficient +1 sum to the one with −1. */
interface Line {
  readonly entries: readonly { readonly entry: number; readonly coefficient: 1 | -1 }[];
}

function tableLines(shape: TableShape): Line[] {
  const { rows, columns } = shape;
  const lines: Line[] = [];
  for (let r = 0; r < rows; r++) {
    lines.push({
      entries: [
        ...Array.from({ length: columns }, (_, c) => ({
          entry: r * columns + c,
          coefficient: 1 as const,
        })),
        { entry: shape.rowTotal(r), coefficient: -1 },
      ],
    });
  }
  for (let c = 0; c < columns; c++) {
    lines.push({
      entries: [
        ...Array.from({ length: rows }, (_, r) => ({
          entry: r * columns + c,
          coefficient: 1 as const,
        })),
        { entry: shape.columnTotal(c), coefficient: -1 },
      ],
    });
  }
  lines.push({
    entries: [
      ...Array.from({ length: rows }, (_, r) => ({
        entry: shape.rowTotal(r),
        coefficient: 1 as const,
      })),
      { entry: shape.grandTotal, coefficient: -1 },
    ],
  });
  lines.push({
    entries: [
      ...Array.from({ length: columns }, (_, c) => ({
        entry: shape.columnTotal(c),
        coefficient: 1 as const,
      })),
      { entry: shape.grandTotal, coefficient: -1 },
    ],
  });
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
  shape: TableShape,
  lines: readonly Line[],
  linesOf: readonly (readonly number[])[],
  values: readonly number[],
  suppressed: readonly boolean[],
): number {
  // Prefer the lines that reveal the entry on their own (it is their only unknown).
  const revealing = linesOf[determined]!.filter(
    (index) => lines[index]!.entries.filter(({ entry }) => suppressed[entry]).length === 1,
  );
  const neighbours = new Set<number>();
  for (const index of revealing.length > 0 ? revealing : linesOf[determined]!) {
    for (const { entry } of lines[index]!.entries) if (!suppressed[entry]) neighbours.add(entry);
  }
  // Rank: a non-zero cell before a margin before a zero cell; then one whose other lines
  // already hold an unknown (it closes a cycle instead of leaving a new lone unknown); then
  // the smallest; then the first.
  const unknownsIn = (index: number) =>
    lines[index]!.entries.filter(({ entry }) => suppressed[entry]).length;
  const rank = (entry: number): number[] => [
    shape.isCell(entry) ? (values[entry]! > 0 ? 0 : 2) : 1,
    linesOf[entry]!.filter(
      (index) => !linesOf[determined]!.includes(index) && unknownsIn(index) === 0,
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
