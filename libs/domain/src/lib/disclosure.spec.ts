import fc from 'fast-check';
import { exactDisclosures, type Observation, type Target } from '../testing';
import {
  coarsenCube,
  EXTERNAL_TIER,
  internalTier,
  protectCube,
  TOTAL,
  protectQuantiles,
  protectRate,
  protectTable,
  type Published,
  type ProtectedTable,
} from './disclosure';

/** Every published entry of a protected table with the true value it stands for. */
function entries(
  counts: readonly (readonly number[])[],
  table: ProtectedTable,
): { published: Published; truth: number }[] {
  const rowSums = counts.map((row) => row.reduce((a, b) => a + b, 0));
  const columnSums = counts[0]!.map((_, c) => counts.reduce((a, row) => a + row[c]!, 0));
  return [
    ...counts.flatMap((row, r) =>
      row.map((truth, c) => ({ published: table.cells[r]![c]!, truth })),
    ),
    ...rowSums.map((truth, r) => ({ published: table.rowTotals[r]!, truth })),
    ...columnSums.map((truth, c) => ({ published: table.columnTotals[c]!, truth })),
    { published: table.total, truth: rowSums.reduce((a, b) => a + b, 0) },
  ];
}

/**
 * An attacker who knows the published entries and that the table adds up, and solves the linear
 * system for each suppressed entry. Written independently of the library (floating point, rank
 * with and without the unknown's column): an unknown is determined exactly when removing its
 * column lowers the rank of the system.
 */
function recoverable(counts: readonly (readonly number[])[], table: ProtectedTable): number[] {
  const rows = counts.length;
  const columns = counts[0]!.length;
  const all = entries(counts, table);
  const unknown = all.flatMap((e, i) => (e.published.suppressed ? [i] : []));
  const cell = (r: number, c: number) => r * columns + c;
  const rowTotal = (r: number) => rows * columns + r;
  const columnTotal = (c: number) => rows * columns + rows + c;
  const grand = rows * columns + rows + columns;
  const equations: Map<number, number>[] = [];
  const equation = (plus: number[], minus: number) =>
    equations.push(new Map([...plus.map((e) => [e, 1] as [number, number]), [minus, -1]]));
  for (let r = 0; r < rows; r++)
    equation(
      Array.from({ length: columns }, (_, c) => cell(r, c)),
      rowTotal(r),
    );
  for (let c = 0; c < columns; c++)
    equation(
      Array.from({ length: rows }, (_, r) => cell(r, c)),
      columnTotal(c),
    );
  equation(
    Array.from({ length: rows }, (_, r) => rowTotal(r)),
    grand,
  );
  equation(
    Array.from({ length: columns }, (_, c) => columnTotal(c)),
    grand,
  );
  const matrix = (without: number | null) =>
    equations.map((eq) => unknown.filter((u) => u !== without).map((u) => eq.get(u) ?? 0));
  const full = rank(matrix(null));
  return unknown.filter((u) => rank(matrix(u)) < full);
}

function rank(input: number[][]): number {
  const m = input.map((row) => [...row]);
  const width = m[0]?.length ?? 0;
  let r = 0;
  for (let c = 0; c < width && r < m.length; c++) {
    let best = r;
    for (let i = r + 1; i < m.length; i++)
      if (Math.abs(m[i]![c]!) > Math.abs(m[best]![c]!)) best = i;
    if (Math.abs(m[best]![c]!) < 1e-9) continue;
    [m[r], m[best]] = [m[best]!, m[r]!];
    for (let i = 0; i < m.length; i++) {
      if (i === r) continue;
      const f = m[i]![c]! / m[r]![c]!;
      for (let j = c; j < width; j++) m[i]![j]! -= f * m[r]![j]!;
    }
    r++;
  }
  return r;
}

/** Small tables with many small counts, where suppression has work to do. */
const tables = fc
  .tuple(fc.integer({ min: 1, max: 5 }), fc.integer({ min: 1, max: 5 }))
  .chain(([rows, columns]) =>
    fc.array(
      fc.array(
        fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 0, max: 60 })),
        { minLength: columns, maxLength: columns },
      ),
      { minLength: rows, maxLength: rows },
    ),
  );

/** Sums a flat table over its last dimension. */
const withoutLast = (shape: readonly number[], counts: readonly number[]): number[] => {
  const last = shape[shape.length - 1]!;
  return Array.from({ length: counts.length / last }, (_, i) =>
    counts.slice(i * last, (i + 1) * last).reduce((a, b) => a + b, 0),
  );
};

describe('protectTable', () => {
  const tiers = [internalTier(), internalTier(3), internalTier(11), EXTERNAL_TIER];

  it('publishes no count of between one and k − 1 people, margins included', () => {
    fc.assert(
      fc.property(tables, fc.constantFrom(...tiers), (counts, tier) => {
        for (const { published, truth } of entries(counts, protectTable(counts, tier))) {
          if (published.suppressed) continue;
          // What it stands for is zero or at least k; what it reads too, but for rounding.
          expect(truth === 0 || truth >= tier.k).toBe(true);
          const slack = tier.roundTo === null ? 0 : Math.floor(tier.roundTo / 2);
          expect(published.value === 0 || published.value >= tier.k - slack).toBe(true);
        }
      }),
    );
  });

  it('leaves no suppressed entry recoverable from the others by any chain of subtractions', () => {
    fc.assert(
      fc.property(tables, fc.constantFrom(...tiers), (counts, tier) => {
        expect(recoverable(counts, protectTable(counts, tier))).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });

  it('publishes the true counts internally, and multiples of 5 within 2 of them externally', () => {
    fc.assert(
      fc.property(tables, (counts) => {
        for (const { published, truth } of entries(counts, protectTable(counts, internalTier()))) {
          if (!published.suppressed) expect(published.value).toBe(truth);
        }
        for (const { published, truth } of entries(counts, protectTable(counts, EXTERNAL_TIER))) {
          if (!published.suppressed) {
            expect(published.value % 5).toBe(0);
            expect(Math.abs(published.value - truth)).toBeLessThanOrEqual(2);
          }
        }
      }),
    );
  });

  it('suppresses a lone small cell together with a complement, and keeps the rest', () => {
    const t = protectTable(
      [
        [20, 3, 30],
        [25, 40, 35],
      ],
      internalTier(),
    );
    expect(t.cells[0]![1]).toEqual({ suppressed: true });
    // The row and column of the 3 each need a second unknown: the smallest cells beside it.
    expect(t.cells[0]!.filter((c) => c.suppressed)).toHaveLength(2);
    expect(t.cells.map((row) => row[1]!).filter((c) => c.suppressed)).toHaveLength(2);
    expect(t.total).toEqual({ suppressed: false, value: 153 });
    expect(
      recoverable(
        [
          [20, 3, 30],
          [25, 40, 35],
        ],
        t,
      ),
    ).toEqual([]);
  });

  it('publishes zeros and large counts untouched when nothing is small', () => {
    const t = protectTable(
      [
        [0, 12],
        [7, 0],
      ],
      internalTier(),
    );
    expect(t.cells).toEqual([
      [
        { suppressed: false, value: 0 },
        { suppressed: false, value: 12 },
      ],
      [
        { suppressed: false, value: 7 },
        { suppressed: false, value: 0 },
      ],
    ]);
  });

  it('is deterministic', () => {
    fc.assert(
      fc.property(tables, (counts) => {
        expect(protectTable(counts, internalTier())).toEqual(protectTable(counts, internalTier()));
      }),
    );
  });

  it('refuses what is not a table of counts', () => {
    for (const bad of [[], [[]], [[1, 2], [3]], [[-1]], [[1.5]], [[Number.NaN]]]) {
      expect(() => protectTable(bad, internalTier())).toThrow(RangeError);
    }
    expect(() => internalTier(1)).toThrow(RangeError);
    expect(() => internalTier(12)).toThrow(RangeError);
  });
});

describe('protectRate and protectQuantiles', () => {
  const published = (value: number): Published => ({ suppressed: false, value });

  it('suppresses a rate whose numerator or denominator is suppressed, or over fewer than k', () => {
    const tier = internalTier();
    expect(protectRate(published(6), published(12), tier)).toEqual(published(0.5));
    expect(protectRate({ suppressed: true }, published(12), tier)).toEqual({ suppressed: true });
    expect(protectRate(published(6), { suppressed: true }, tier)).toEqual({ suppressed: true });
    expect(protectRate(published(0), published(4), tier)).toEqual({ suppressed: true });
    expect(protectRate(published(0), published(0), tier)).toEqual({ suppressed: true });
  });

  it('gives quartiles only for groups of at least k', () => {
    expect(protectQuantiles([4, 1, 3, 2], internalTier())).toBeNull();
    expect(protectQuantiles([5, 1, 4, 2, 3], internalTier())).toEqual({ q1: 2, median: 3, q3: 4 });
  });
});

/**
 * The attacker of `recoverable`, for a table of any shape: every coordinate tuple (an index or
 * the total per dimension) is an entry; along each dimension the entries sum to the total.
 * Returns the coordinates of suppressed entries the published ones determine.
 */
function recoverableInCube(
  shape: readonly number[],
  at: (c: (number | typeof TOTAL)[]) => Published,
): string[] {
  const tuples: (number | typeof TOTAL)[][] = shape.reduce<(number | typeof TOTAL)[][]>(
    (acc, d) =>
      acc.flatMap((t) => [...Array.from({ length: d }, (_, k) => [...t, k]), [...t, TOTAL]]),
    [[]],
  );
  const key = (t: (number | typeof TOTAL)[]) => t.join(',');
  const unknown = tuples.filter((t) => at(t).suppressed).map(key);
  const equations: Map<string, number>[] = [];
  shape.forEach((d, i) => {
    for (const t of tuples.filter((u) => u[i] === TOTAL)) {
      const eq = new Map<string, number>([[key(t), -1]]);
      for (let k = 0; k < d; k++) eq.set(key(t.map((v, j) => (j === i ? k : v))), 1);
      equations.push(eq);
    }
  });
  const matrix = (without: string | null) =>
    equations.map((eq) => unknown.filter((u) => u !== without).map((u) => eq.get(u) ?? 0));
  const full = rank(matrix(null));
  return unknown.filter((u) => rank(matrix(u)) < full);
}

const cubes = fc
  .array(fc.integer({ min: 1, max: 3 }), { minLength: 3, maxLength: 3 })
  .chain((shape) =>
    fc.record({
      shape: fc.constant(shape),
      counts: fc.array(
        fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 40 })),
        {
          minLength: shape.reduce((a, d) => a * d, 1),
          maxLength: shape.reduce((a, d) => a * d, 1),
        },
      ),
    }),
  );

describe('protectCube (a report with its filter as one more dimension)', () => {
  it('publishes no count of between one and k − 1 people and leaves no suppressed entry recoverable', () => {
    fc.assert(
      fc.property(
        cubes,
        fc.constantFrom(internalTier(), EXTERNAL_TIER),
        ({ shape, counts }, tier) => {
          const cube = protectCube(shape, counts, tier);
          expect(recoverableInCube(shape, (c) => cube.at(c))).toEqual([]);
          const [a, b, c] = shape as [number, number, number];
          for (let i = 0; i < a; i++)
            for (let j = 0; j < b; j++)
              for (let k = 0; k < c; k++) {
                const published = cube.at([i, j, k]);
                const truth = counts[(i * b + j) * c + k]!;
                if (!published.suppressed) expect(truth === 0 || truth >= tier.k).toBe(true);
              }
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps a small language group hidden from the difference of two filtered reports', () => {
    // Needs: 3 categories × 2 months × 3 language groups; the third group is 2 people.
    const shape = [3, 2, 3];
    const byCategoryMonth = [
      [
        [12, 15, 1],
        [9, 14, 0],
      ],
      [
        [20, 11, 1],
        [16, 18, 0],
      ],
      [
        [7, 13, 0],
        [10, 8, 0],
      ],
    ];
    const counts = byCategoryMonth.flat(2);
    const cube = protectCube(shape, counts, internalTier());
    // The small group's own report shows nothing but zeros.
    for (let i = 0; i < 3; i++)
      for (let j = 0; j < 2; j++) {
        const cell = cube.at([i, j, 2]);
        expect(cell.suppressed || (!cell.suppressed && cell.value === 0)).toBe(true);
      }
    // "All languages" minus the two large groups, cell by cell, is never fully published for
    // the cells the small group is in.
    for (const [i, j] of [
      [0, 0],
      [1, 0],
    ] as const) {
      const all = cube.at([i, j, TOTAL]);
      const others = [cube.at([i, j, 0]), cube.at([i, j, 1])];
      expect(all.suppressed || others.some((o) => o.suppressed)).toBe(true);
    }
    // And no chain of subtractions over every published slice and margin recovers it.
    expect(recoverableInCube(shape, (c) => cube.at(c))).toEqual([]);
  });

  it('answers for any coordinates it has, and refuses others', () => {
    const cube = protectCube([2, 2], [10, 20, 30, 40], internalTier());
    expect(cube.at([TOTAL, TOTAL])).toEqual({ suppressed: false, value: 100 });
    expect(cube.at([1, TOTAL])).toEqual({ suppressed: false, value: 70 });
    expect(() => cube.at([2, 0])).toThrow(RangeError);
    expect(() => cube.at([0])).toThrow(RangeError);
    expect(() => protectCube([2, 2], [1, 2, 3], internalTier())).toThrow(RangeError);
    expect(() => protectCube([0], [], internalTier())).toThrow(RangeError);
  });
});

describe('protectCube with the unfiltered report as its margin (one filter at a time)', () => {
  it('publishes the unfiltered report unchanged in every filtered one, and hides what it must', () => {
    fc.assert(
      fc.property(
        cubes,
        fc.constantFrom(internalTier(), EXTERNAL_TIER),
        ({ shape, counts }, tier) => {
          const outerShape = shape.slice(0, -1);
          const margin = protectCube(outerShape, withoutLast(shape, counts), tier);
          const cube = protectCube(shape, counts, tier, margin);
          for (let i = 0; i <= outerShape[0]!; i++)
            for (let j = 0; j <= outerShape[1]!; j++) {
              const c = [i, j].map((v, d) => (v === outerShape[d] ? TOTAL : v));
              expect(cube.at([...c, TOTAL])).toEqual(margin.at(c));
            }
          expect(recoverableInCube(shape, (c) => cube.at(c))).toEqual([]);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('keeps every suppressed entry hidden across reports filtered by two different attributes', () => {
    // The attacker knows every published entry of the report filtered by attribute A (rows ×
    // columns × A) and of the same report filtered by attribute B (rows × columns × B), and
    // solves for the people-level table rows × columns × A × B behind both.
    const joint = fc
      .tuple(
        fc.integer({ min: 1, max: 2 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 3 }),
        fc.integer({ min: 2, max: 3 }),
      )
      .chain((shape) =>
        fc.record({
          shape: fc.constant(shape),
          counts: fc.array(
            fc.oneof(
              fc.constant(0),
              fc.integer({ min: 1, max: 6 }),
              fc.integer({ min: 0, max: 30 }),
            ),
            {
              minLength: shape.reduce((a, d) => a * d, 1),
              maxLength: shape.reduce((a, d) => a * d, 1),
            },
          ),
        }),
      );
    fc.assert(
      fc.property(joint, ({ shape, counts }) => {
        const [rows, columns, as, bs] = shape;
        const tier = internalTier();
        const cell = (r: number, c: number, a: number, b: number) =>
          ((r * columns + c) * as + a) * bs + b;
        const byA = Array.from({ length: rows * columns * as }, (_, i) => {
          const a = i % as;
          const rc = Math.floor(i / as);
          return Array.from(
            { length: bs },
            (_, b) => counts[cell(Math.floor(rc / columns), rc % columns, a, b)]!,
          ).reduce((x, y) => x + y, 0);
        });
        const byB = Array.from({ length: rows * columns * bs }, (_, i) => {
          const b = i % bs;
          const rc = Math.floor(i / bs);
          return Array.from(
            { length: as },
            (_, a) => counts[cell(Math.floor(rc / columns), rc % columns, a, b)]!,
          ).reduce((x, y) => x + y, 0);
        });
        const margin = protectCube([rows, columns], withoutLast([rows, columns, as], byA), tier);
        const reports = [
          { cube: protectCube([rows, columns, as], byA, tier, margin), filter: 2 },
          { cube: protectCube([rows, columns, bs], byB, tier, margin), filter: 3 },
        ];
        // Each entry of either report as a functional over the joint cells.
        const published: number[][] = [];
        const hidden: number[][] = [];
        for (const { cube, filter } of reports) {
          const size = shape[filter]!;
          for (let r = 0; r <= rows; r++)
            for (let c = 0; c <= columns; c++)
              for (let f = 0; f <= size; f++) {
                const functional = counts.map((_, flat) => {
                  const b = flat % bs;
                  const a = Math.floor(flat / bs) % as;
                  const cc = Math.floor(flat / (bs * as)) % columns;
                  const rr = Math.floor(flat / (bs * as * columns));
                  const v = filter === 2 ? a : b;
                  return (r === rows || r === rr) &&
                    (c === columns || c === cc) &&
                    (f === size || f === v)
                    ? 1
                    : 0;
                });
                const coordinates = [
                  r === rows ? TOTAL : r,
                  c === columns ? TOTAL : c,
                  f === size ? TOTAL : f,
                ];
                (cube.at(coordinates).suppressed ? hidden : published).push(functional);
              }
        }
        const base = rank(published);
        for (const functional of hidden)
          expect(rank([...published, functional])).toBeGreaterThan(base);
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a margin that is not this table without its last dimension', () => {
    const margin = protectCube([2], [10, 20], internalTier());
    expect(() => protectCube([2, 2], [5, 5, 10, 11], internalTier(), margin)).toThrow(RangeError);
    expect(() => protectCube([2, 2], [5, 5, 10, 10], EXTERNAL_TIER, margin)).toThrow(RangeError);
    expect(() => protectCube([3, 2], [5, 5, 10, 10, 1, 1], internalTier(), margin)).toThrow(
      RangeError,
    );
  });
});

describe('coarsenCube (the external tier derived from the internal one)', () => {
  const everyCoordinate = (shape: readonly number[]): (number | typeof TOTAL)[][] =>
    shape.reduce<(number | typeof TOTAL)[][]>(
      (acc, d) =>
        acc.flatMap((t) => [...Array.from({ length: d }, (_, k) => [...t, k]), [...t, TOTAL]]),
      [[]],
    );

  it('publishes nothing the internal tier hides, and nothing below 11', () => {
    fc.assert(
      fc.property(cubes, fc.integer({ min: 2, max: 11 }), ({ shape, counts }, k) => {
        const internal = protectCube(shape, counts, internalTier(k));
        const external = coarsenCube(internal, EXTERNAL_TIER);
        const truth = protectCube(shape, counts, internalTier(2));
        for (const c of everyCoordinate(shape)) {
          const e = external.at(c);
          const i = internal.at(c);
          if (i.suppressed) expect(e.suppressed).toBe(true);
          if (e.suppressed || i.suppressed) continue;
          expect(e.value).toBe(Math.floor(i.value / 5 + 0.5) * 5);
          // The true count behind it is zero or at least 11.
          const t = truth.at(c);
          const value = t.suppressed ? Number.NaN : t.value;
          if (!t.suppressed) expect(value === 0 || value >= 11).toBe(true);
        }
        expect(recoverableInCube(shape, (c) => external.at(c))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('keeps a filtered external report consistent with the unfiltered external report', () => {
    fc.assert(
      fc.property(cubes, ({ shape, counts }) => {
        const outer = shape.slice(0, -1);
        const margin = protectCube(outer, withoutLast(shape, counts), internalTier());
        const cube = protectCube(shape, counts, internalTier(), margin);
        const externalMargin = coarsenCube(margin, EXTERNAL_TIER);
        const external = coarsenCube(cube, EXTERNAL_TIER, externalMargin);
        for (const c of everyCoordinate(outer)) {
          expect(external.at([...c, TOTAL])).toEqual(externalMargin.at(c));
        }
        expect(recoverableInCube(shape, (c) => external.at(c))).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a finer tier, a cube it did not protect, and a margin that does not belong', () => {
    const internal = protectCube([2, 2], [1, 9, 9, 9], internalTier());
    expect(() => coarsenCube(internal, internalTier(3))).toThrow(RangeError);
    expect(() =>
      coarsenCube({ shape: [1], at: () => ({ suppressed: true }) }, EXTERNAL_TIER),
    ).toThrow(RangeError);
    const margin = protectCube([2], [10, 18], internalTier());
    const filtered = protectCube([2, 2], [1, 9, 9, 9], internalTier(), margin);
    expect(() => coarsenCube(filtered, EXTERNAL_TIER)).toThrow(RangeError);
    const stranger = coarsenCube(protectCube([2], [10, 18], internalTier()), EXTERNAL_TIER);
    expect(() => coarsenCube(filtered, EXTERNAL_TIER, stranger)).toThrow(RangeError);
  });
});

describe('an attacker with every tier and filter, and interval bounds', () => {
  it('cannot pin down a small count from both filtered reports, on either tier, even with bounds', () => {
    // The people-level table rows × columns × A × B stays hidden; the attacker sees the
    // unfiltered report, the report filtered by A and the one filtered by B, internally and
    // externally (rounded counts read as intervals), and solves with non-negative cells.
    const joint = fc
      .tuple(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 2, max: 3 }),
        fc.integer({ min: 2, max: 3 }),
      )
      .chain((shape) =>
        fc.record({
          shape: fc.constant(shape),
          counts: fc.array(
            fc.oneof(
              fc.constant(0),
              fc.integer({ min: 1, max: 4 }),
              fc.integer({ min: 0, max: 25 }),
            ),
            {
              minLength: shape.reduce((a, d) => a * d, 1),
              maxLength: shape.reduce((a, d) => a * d, 1),
            },
          ),
        }),
      );
    fc.assert(
      fc.property(joint, ({ shape, counts }) => {
        const [rows, columns, as, bs] = shape;
        const cellOf = (r: number, c: number, a: number, b: number) =>
          ((r * columns + c) * as + a) * bs + b;
        const sum = (pick: (r: number, c: number, a: number, b: number) => boolean) => {
          const cells: number[] = [];
          let total = 0;
          for (let r = 0; r < rows; r++)
            for (let c = 0; c < columns; c++)
              for (let a = 0; a < as; a++)
                for (let b = 0; b < bs; b++)
                  if (pick(r, c, a, b)) {
                    cells.push(cellOf(r, c, a, b));
                    total += counts[cellOf(r, c, a, b)]!;
                  }
          return { cells, total };
        };
        const flat = (size: number, attribute: 'a' | 'b') =>
          Array.from({ length: rows * columns * size }, (_, i) => {
            const f = i % size;
            const rc = Math.floor(i / size);
            return sum(
              (r, c, a, b) =>
                r === Math.floor(rc / columns) &&
                c === rc % columns &&
                (attribute === 'a' ? a : b) === f,
            ).total;
          });
        const tier = internalTier();
        const byA = flat(as, 'a');
        const byB = flat(bs, 'b');
        // The unfiltered report is protected knowing both filters' counts, so that each of its
        // hypercubes can be carried by both (docs/adr/0007).
        const margin = protectCube([rows, columns], withoutLast([rows, columns, as], byA), tier, {
          filters: [
            { size: as, counts: byA },
            { size: bs, counts: byB },
          ],
        });
        const cubeA = protectCube([rows, columns, as], byA, tier, margin);
        const cubeB = protectCube([rows, columns, bs], byB, tier, margin);
        const extMargin = coarsenCube(margin, EXTERNAL_TIER, { filters: [cubeA, cubeB] });
        const reports = [
          { cube: cubeA, size: as, attribute: 'a' as const },
          { cube: cubeB, size: bs, attribute: 'b' as const },
          { cube: coarsenCube(cubeA, EXTERNAL_TIER, extMargin), size: as, attribute: 'a' as const },
          { cube: coarsenCube(cubeB, EXTERNAL_TIER, extMargin), size: bs, attribute: 'b' as const },
        ];
        const observations: Observation[] = [];
        const hidden = new Map<string, Target>();
        for (const { cube, size, attribute } of reports) {
          for (let r = 0; r <= rows; r++)
            for (let c = 0; c <= columns; c++)
              for (let f = 0; f <= size; f++) {
                const { cells, total } = sum(
                  (rr, cc, a, b) =>
                    (r === rows || r === rr) &&
                    (c === columns || c === cc) &&
                    (f === size || f === (attribute === 'a' ? a : b)),
                );
                const at = cube.at([
                  r === rows ? TOTAL : r,
                  c === columns ? TOTAL : c,
                  f === size ? TOTAL : f,
                ]);
                if (at.suppressed) {
                  hidden.set(cells.join(','), { name: cells.join(','), cells, truth: total });
                } else if (at.value === 0) {
                  observations.push({ cells, low: 0, high: 0 });
                } else {
                  // The external reports are rounded to 5: the true count is within 2.
                  const s = reports.findIndex((x) => x.cube === cube) >= 2 ? 2 : 0;
                  observations.push({ cells, low: at.value - s, high: at.value + s });
                }
              }
        }
        const found = exactDisclosures(counts.length, observations, [...hidden.values()], {
          k: tier.k,
        });
        expect(found).toEqual([]);
      }),
      { numRuns: 150 },
    );
  });
});
