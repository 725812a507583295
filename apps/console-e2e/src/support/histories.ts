/**
 * A Jepsen-style checker for histories of appends and reads on lists (a person's contacts, a
 * person's needs). Each operation is recorded with when it was invoked and when it completed
 * (one monotonic clock) and how: `ok`, `fail` (it certainly did not happen: a 4xx answer) or
 * `info` (unknown: no answer, a 5xx, a timeout; it may or may not have happened).
 *
 * What Harbour promises, and this checks (ARCHITECTURE.md "Runtime: several instances"):
 * - lost: an acknowledged append is in every read of its list invoked after the acknowledgement,
 *   whichever instance serves either (one primary, read-committed transactions, no caches);
 * - vanished: a value a read returned is in every read of that list invoked after that read
 *   completed (nothing seen is unseen);
 * - duplicated: a value appears at most once in a read (an append retried with the same
 *   Idempotency-Key, on any instance, is one record);
 * - phantom: a read returns only values appended to that list (not failed ones, nor another
 *   list's);
 * - reordered: the list's order respects real time: when append A was acknowledged before
 *   append B was invoked, every read holding both lists them in that order (newest first or
 *   oldest first, as the list promises).
 */
export type Outcome = 'ok' | 'fail' | 'info';

export interface AppendOp {
  readonly kind: 'append';
  /** Which list (e.g. `contacts:<person id>`). */
  readonly key: string;
  readonly client: number;
  readonly invokedAt: number;
  readonly completedAt: number;
  readonly outcome: Outcome;
  /** The value appended (the record's id), when the answer said it. */
  readonly value?: string;
}

export interface ReadOp {
  readonly kind: 'read';
  readonly key: string;
  readonly client: number;
  readonly invokedAt: number;
  readonly completedAt: number;
  readonly outcome: Outcome;
  /** The values listed, in the list's order (when `ok`). */
  readonly values?: readonly string[];
}

export type Op = AppendOp | ReadOp;

export type ListOrder = 'newest-first' | 'oldest-first';

export interface Anomaly {
  readonly kind: 'lost' | 'vanished' | 'duplicated' | 'phantom' | 'reordered';
  readonly key: string;
  readonly detail: string;
}

export interface HistoryReport {
  readonly appends: { ok: number; fail: number; info: number };
  readonly reads: { ok: number; fail: number; info: number };
  /** Pairs of (acknowledged append, later read) checked for lost writes. */
  readonly visibilityChecks: number;
  /** Pairs of real-time-ordered appends checked for order in reads holding both. */
  readonly orderChecks: number;
  readonly anomalies: readonly Anomaly[];
}

/** Checks a history; `orderOf(key)` says how each list is ordered. */
export function checkHistory(
  ops: readonly Op[],
  orderOf: (key: string) => ListOrder,
): HistoryReport {
  const anomalies: Anomaly[] = [];
  const count = (kind: Op['kind'], outcome: Outcome): number =>
    ops.filter((o) => o.kind === kind && o.outcome === outcome).length;
  let visibilityChecks = 0;
  let orderChecks = 0;

  const keys = [...new Set(ops.map((o) => o.key))];
  for (const key of keys) {
    const appends = ops.filter((o): o is AppendOp => o.kind === 'append' && o.key === key);
    const reads = ops.filter(
      (o): o is ReadOp => o.kind === 'read' && o.key === key && o.outcome === 'ok',
    );
    const acked = appends.filter((a) => a.outcome === 'ok' && a.value !== undefined);
    // Values that may legitimately appear: acknowledged or unknown appends to this list.
    const possible = new Set(
      appends.filter((a) => a.outcome !== 'fail' && a.value !== undefined).map((a) => a.value!),
    );
    const unknownWithoutValue = appends.filter(
      (a) => a.outcome === 'info' && a.value === undefined,
    ).length;
    const seenOutside = new Map<string, number>();

    for (const read of reads) {
      const values = read.values ?? [];
      const position = new Map<string, number>();
      values.forEach((value, index) => {
        if (position.has(value)) {
          anomalies.push({
            kind: 'duplicated',
            key,
            detail: `${value} listed twice by a read at ${read.invokedAt}`,
          });
        } else {
          position.set(value, index);
        }
        if (!possible.has(value)) seenOutside.set(value, (seenOutside.get(value) ?? 0) + 1);
      });

      for (const append of acked) {
        if (append.completedAt >= read.invokedAt) continue;
        visibilityChecks++;
        if (!position.has(append.value!)) {
          anomalies.push({
            kind: 'lost',
            key,
            detail: `${append.value} acknowledged at ${append.completedAt} is missing from a read invoked at ${read.invokedAt}`,
          });
        }
      }

      for (const earlier of reads) {
        if (earlier === read || earlier.completedAt >= read.invokedAt) continue;
        for (const value of earlier.values ?? []) {
          if (!position.has(value)) {
            anomalies.push({
              kind: 'vanished',
              key,
              detail: `${value} read by ${earlier.invokedAt}–${earlier.completedAt} is missing from a read invoked at ${read.invokedAt}`,
            });
          }
        }
      }

      const order = orderOf(key);
      for (const a of acked) {
        for (const b of acked) {
          if (a.value === b.value || a.completedAt >= b.invokedAt) continue;
          const pa = position.get(a.value!);
          const pb = position.get(b.value!);
          if (pa === undefined || pb === undefined) continue;
          orderChecks++;
          const inOrder = order === 'oldest-first' ? pa < pb : pb < pa;
          if (!inOrder) {
            anomalies.push({
              kind: 'reordered',
              key,
              detail: `${b.value} (invoked after ${a.value} was acknowledged) is listed on the wrong side of it (${order})`,
            });
          }
        }
      }
    }

    // A value no append to this list made could still be an unknown append whose id the
    // client never learnt; more such values than such appends are phantoms.
    if (seenOutside.size > unknownWithoutValue) {
      anomalies.push({
        kind: 'phantom',
        key,
        detail: `${seenOutside.size} value(s) listed that no append to this list made: ${[...seenOutside.keys()].slice(0, 5).join(', ')}`,
      });
    }
  }

  return {
    appends: {
      ok: count('append', 'ok'),
      fail: count('append', 'fail'),
      info: count('append', 'info'),
    },
    reads: { ok: count('read', 'ok'), fail: count('read', 'fail'), info: count('read', 'info') },
    visibilityChecks,
    orderChecks,
    anomalies,
  };
}

/** Records operations with invoke and completion times on one monotonic clock. */
export class HistoryRecorder {
  readonly ops: Op[] = [];
  private readonly origin = performance.now();

  now(): number {
    return performance.now() - this.origin;
  }

  /** Runs an append; `run` returns the outcome and the value (the new record's id) if known. */
  async append(
    key: string,
    client: number,
    run: () => Promise<{ outcome: Outcome; value?: string }>,
  ): Promise<void> {
    const invokedAt = this.now();
    let result: { outcome: Outcome; value?: string };
    try {
      result = await run();
    } catch {
      result = { outcome: 'info' };
    }
    this.ops.push({ kind: 'append', key, client, invokedAt, completedAt: this.now(), ...result });
  }

  async read(
    key: string,
    client: number,
    run: () => Promise<{ outcome: Outcome; values?: string[] }>,
  ): Promise<void> {
    const invokedAt = this.now();
    let result: { outcome: Outcome; values?: string[] };
    try {
      result = await run();
    } catch {
      result = { outcome: 'info' };
    }
    this.ops.push({ kind: 'read', key, client, invokedAt, completedAt: this.now(), ...result });
  }
}
