import { exactDisclosures } from './disclosure-attacker';

describe('the disclosure attacker', () => {
  it('recovers a hidden cell from its published row and the rest of the row', () => {
    // Cells a, b, c in a row; a and b published, the row total published: c = total − a − b.
    const found = exactDisclosures(
      3,
      [
        { cells: [0], low: 10, high: 10 },
        { cells: [1], low: 7, high: 7 },
        { cells: [0, 1, 2], low: 20, high: 20 },
      ],
      [{ name: 'c', cells: [2], truth: 3 }],
      { k: 5 },
    );
    expect(found).toEqual([{ name: 'c', truth: 3, by: 'linear' }]);
  });

  it('recovers a hidden number that only non-negativity pins down', () => {
    // e is published; a + b and a + b + c + d are published and equal, so c + d = 0 and, as
    // nobody counts less than zero, c = 0: the hidden c + e is exactly e. Linear algebra alone
    // cannot see it (it knows c + d, not c).
    const observations = [
      { cells: [4], low: 2, high: 2 },
      { cells: [0, 1], low: 3, high: 3 },
      { cells: [0, 1, 2, 3], low: 3, high: 3 },
    ];
    const targets = [{ name: 'c+e', cells: [2, 4], truth: 2 }];
    expect(exactDisclosures(5, observations, targets, { k: 5, linearOnly: true })).toEqual([]);
    expect(exactDisclosures(5, observations, targets, { k: 5 })).toEqual([
      { name: 'c+e', truth: 2, by: 'bounds' },
    ]);
  });

  it('finds nothing in a 2 × 2 block of hidden cells with published margins', () => {
    // | 3 ? | rows and columns published: each hidden cell can move by ±1 round the block.
    // | ? ? |
    const cells = [3, 6, 7, 20]; // a b / c d
    const observations = [
      { cells: [0, 1], low: 9, high: 9 },
      { cells: [2, 3], low: 27, high: 27 },
      { cells: [0, 2], low: 10, high: 10 },
      { cells: [1, 3], low: 26, high: 26 },
    ];
    const targets = cells.map((truth, i) => ({ name: `cell ${i}`, cells: [i], truth }));
    expect(exactDisclosures(4, observations, targets, { k: 5 })).toEqual([]);
  });

  it('reads a rounded count as an interval, and finds what the intervals pin down', () => {
    // Published rounded to 5: a + b reads 10 (8 … 12), a reads 10 (8 … 12); b alone is hidden
    // (true value 2) and could be 0 … 4: not determined. But with a + b exact at 12, a read once
    // as 8 … 10 and once as 10 … 14, a is 10 and b is 2.
    const loose = exactDisclosures(
      2,
      [
        { cells: [0, 1], low: 8, high: 12 },
        { cells: [0], low: 8, high: 12 },
      ],
      [{ name: 'b', cells: [1], truth: 2 }],
      { k: 11 },
    );
    expect(loose).toEqual([]);
    const tight = exactDisclosures(
      2,
      [
        { cells: [0, 1], low: 12, high: 12 },
        { cells: [0], low: 8, high: 10 },
        { cells: [0], low: 10, high: 14 },
      ],
      [{ name: 'b', cells: [1], truth: 2 }],
      { k: 11 },
    );
    expect(tight).toEqual([{ name: 'b', truth: 2, by: 'bounds' }]);
  });

  it('only reports true values between 1 and k − 1', () => {
    const observations = [
      { cells: [0], low: 10, high: 10 },
      { cells: [0, 1], low: 10, high: 10 },
      { cells: [0, 2], low: 17, high: 17 },
    ];
    const targets = [
      { name: 'zero', cells: [1], truth: 0 },
      { name: 'large', cells: [2], truth: 7 },
    ];
    expect(exactDisclosures(3, observations, targets, { k: 5 })).toEqual([]);
    expect(exactDisclosures(3, observations, targets, { k: 11 })).toEqual([
      { name: 'large', truth: 7, by: 'linear' },
    ]);
  });
});
