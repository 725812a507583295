import { cpus, totalmem } from 'node:os';

/**
 * A tiny benchmark harness: warm-up, then several timed rounds per subject, interleaved across
 * the subjects of a group so that drift (frequency scaling, a noisy neighbour, GC pressure)
 * affects every subject alike. A round runs whole batches until it has lasted `roundMs`; the
 * figure of a round is operations per second, and a measurement reports the median round.
 *
 * Benchmarks are not tests (docs/style.md §21): nothing here asserts a time.
 */

export interface Subject {
  /** Stable identifier, used as the key in the JSON results. */
  readonly id: string;
  readonly label: string;
  /** One operation. Async subjects are awaited one at a time, as an application would. */
  readonly run: () => unknown;
  readonly async: boolean;
  /** Bytes of payload per operation, for MB/s figures (bulk). */
  readonly bytesPerOp?: number;
}

export interface Timing {
  readonly rounds: number;
  readonly roundMs: number;
  readonly warmupMs: number;
  /** A round always runs at least this many operations (slow bulk subjects). */
  readonly minOpsPerRound: number;
}

export interface RoundStats {
  /** Operations per second of each round, in the order they ran. */
  readonly perRound: number[];
  readonly median: number;
  readonly min: number;
  readonly max: number;
  /** (max − min) / median, in percent. */
  readonly spreadPct: number;
  readonly totalOps: number;
}

const now = (): number => Number(process.hrtime.bigint()) / 1e6;

/** Runs `count` operations; returns the elapsed milliseconds. */
async function runBatch(subject: Subject, count: number): Promise<number> {
  const { run } = subject;
  const start = now();
  if (subject.async) {
    for (let i = 0; i < count; i++) await run();
  } else {
    for (let i = 0; i < count; i++) run();
  }
  return now() - start;
}

/** Runs batches until `ms` have passed (and at least `minOps` operations). */
async function runFor(
  subject: Subject,
  ms: number,
  batch: number,
  minOps: number,
): Promise<{ ops: number; elapsed: number }> {
  let ops = 0;
  let elapsed = 0;
  while (elapsed < ms || ops < minOps) {
    elapsed += await runBatch(subject, batch);
    ops += batch;
  }
  return { ops, elapsed };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * `rounds` rounds, each running every side once, the starting side rotating from round to round
 * (with two sides, they alternate which goes first), so that drift affects every side alike.
 * `onRound` is called before each round.
 */
export async function rotatingRounds<S>(
  rounds: number,
  sides: readonly S[],
  run: (side: S, round: number) => Promise<void>,
  onRound: (round: number) => void = () => undefined,
): Promise<void> {
  for (let round = 0; round < rounds; round++) {
    onRound(round);
    for (let k = 0; k < sides.length; k++) await run(sides[(round + k) % sides.length]!, round);
  }
}

/**
 * Measures every subject of a group: each is warmed up (which also sizes its batches to about
 * 2 ms, so reading the clock costs nothing measurable), then the rounds run interleaved, the
 * starting subject rotating from round to round.
 */
export async function measureGroup(
  subjects: readonly Subject[],
  timing: Timing,
  onProgress: (message: string) => void = () => undefined,
): Promise<Map<string, RoundStats>> {
  const batches = new Map<string, number>();
  for (const subject of subjects) {
    onProgress(`warm-up ${subject.label}`);
    // Run once first so a broken subject fails before any timing.
    await runBatch(subject, 1);
    const { ops, elapsed } = await runFor(subject, timing.warmupMs, 1, 1);
    const perMs = ops / elapsed;
    batches.set(subject.id, Math.max(1, Math.round(perMs * 2)));
  }

  const perRound = new Map<string, number[]>(subjects.map((s) => [s.id, []]));
  const totals = new Map<string, number>(subjects.map((s) => [s.id, 0]));
  await rotatingRounds(
    timing.rounds,
    subjects,
    async (subject) => {
      const { ops, elapsed } = await runFor(
        subject,
        timing.roundMs,
        batches.get(subject.id)!,
        timing.minOpsPerRound,
      );
      perRound.get(subject.id)!.push((ops / elapsed) * 1000);
      totals.set(subject.id, totals.get(subject.id)! + ops);
    },
    (round) => onProgress(`round ${round + 1}/${timing.rounds}`),
  );

  const result = new Map<string, RoundStats>();
  for (const subject of subjects) {
    const values = perRound.get(subject.id)!;
    const med = median(values);
    const min = Math.min(...values);
    const max = Math.max(...values);
    result.set(subject.id, {
      perRound: values,
      median: med,
      min,
      max,
      spreadPct: ((max - min) / med) * 100,
      totalOps: totals.get(subject.id)!,
    });
  }
  return result;
}

export interface MachineInfo {
  readonly node: string;
  readonly v8: string;
  readonly openssl: string;
  readonly platform: string;
  readonly arch: string;
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
}

export function machineInfo(): MachineInfo {
  const cpuList = cpus();
  return {
    node: process.version,
    v8: process.versions.v8,
    openssl: process.versions.openssl ?? 'unknown',
    platform: process.platform,
    arch: process.arch,
    cpuModel: cpuList[0]?.model.trim() ?? 'unknown',
    cores: cpuList.length,
    memoryGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
  };
}

/** Rounded to three decimals (milliseconds to the microsecond, ratios to a thousandth). */
export function round3(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** 1234567 → "1,234,567"; 12.345 → "12.3". */
export function formatNumber(value: number): string {
  if (value >= 100) return Math.round(value).toLocaleString('en-GB');
  return value.toFixed(value >= 10 ? 1 : 2);
}

/** Fixed-width text table for stdout; the first column is left-aligned, the others right. */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]?.length ?? 0)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!)))
      .join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}
