import { checkHistory, type Op } from './histories';

const newestFirst = () => 'newest-first' as const;

function append(
  value: string,
  invokedAt: number,
  completedAt: number,
  outcome: Op['outcome'] = 'ok',
): Op {
  return { kind: 'append', key: 'k', client: 0, invokedAt, completedAt, outcome, value };
}

function read(values: string[], invokedAt: number, completedAt: number): Op {
  return { kind: 'read', key: 'k', client: 1, invokedAt, completedAt, outcome: 'ok', values };
}

const kinds = (ops: Op[]): string[] => checkHistory(ops, newestFirst).anomalies.map((a) => a.kind);

describe('checkHistory', () => {
  it('accepts a history that keeps every promise, with concurrent and unknown appends', () => {
    const report = checkHistory(
      [
        append('a', 0, 10),
        append('b', 11, 20),
        // Concurrent with the read below: it may or may not be seen.
        append('c', 21, 40),
        read(['b', 'a'], 25, 30),
        // Unknown outcome (no answer): may appear.
        append('d', 41, 50, 'info'),
        // Refused: must never appear, and does not.
        append('e', 41, 50, 'fail'),
        read(['d', 'c', 'b', 'a'], 60, 70),
      ],
      newestFirst,
    );
    expect(report.anomalies).toEqual([]);
    expect(report.visibilityChecks).toBe(2 + 3);
    expect(report.orderChecks).toBeGreaterThan(0);
  });

  it('finds an acknowledged append missing from a later read (lost)', () => {
    expect(kinds([append('a', 0, 10), append('b', 11, 20), read(['b'], 30, 40)])).toEqual(['lost']);
  });

  it('finds a value a read saw missing from a later read (vanished)', () => {
    expect(kinds([append('a', 0, 50, 'info'), read(['a'], 10, 20), read([], 30, 40)])).toEqual([
      'vanished',
    ]);
  });

  it('finds a value listed twice (duplicated)', () => {
    expect(kinds([append('a', 0, 10), read(['a', 'a'], 20, 30)])).toEqual(['duplicated']);
  });

  it('finds a value no append made, or a refused append that happened (phantom)', () => {
    expect(kinds([append('a', 0, 10), read(['x', 'a'], 20, 30)])).toEqual(['phantom']);
    expect(
      kinds([append('a', 0, 10), append('b', 0, 10, 'fail'), read(['b', 'a'], 20, 30)]),
    ).toEqual(['phantom']);
  });

  it('finds appends listed against their real-time order (reordered), in either list order', () => {
    const ops = [append('a', 0, 10), append('b', 11, 20), read(['a', 'b'], 30, 40)];
    expect(kinds(ops)).toEqual(['reordered']);
    expect(checkHistory(ops, () => 'oldest-first').anomalies).toEqual([]);
  });

  it('does not order appends that overlapped in time', () => {
    expect(kinds([append('a', 0, 20), append('b', 10, 30), read(['a', 'b'], 40, 50)])).toEqual([]);
  });

  it('treats a retried append (same value, same Idempotency-Key) as one record', () => {
    expect(kinds([append('a', 0, 10), append('a', 11, 20), read(['a'], 30, 40)])).toEqual([]);
  });
});
