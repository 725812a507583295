import { formatNumber, median, textTable, type MachineInfo, type RoundStats } from '../lib/harness';
import type { CodeProvenance } from '../lib/provenance';
import type { AppendResults, ConcurrentStats } from './append';
import { STAGE_NOTES, type RawHashId, type StageBreakdown, type VerificationRun } from './verify';

export const DOCS_HEADING = '## Access log (npm run bench:audit)';

/** The issue's target: full verification ≥ 0.3× the raw SHA-256 rate over the same bytes. */
export const VERIFY_TARGET_RATIO = 0.3;

export interface RateStats {
  readonly perRound: number[];
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly spreadPct: number;
}

export interface AppendPath {
  readonly label: string;
  readonly describe: string;
  readonly sequential: RateStats & { readonly rounds: number; readonly eventsPerRound: number };
  readonly concurrent: RateStats & {
    readonly writers: number;
    readonly rounds: number;
    readonly eventsPerRound: number;
  };
}

export interface RawHashRecord {
  readonly id: RawHashId;
  readonly label: string;
  readonly library: string;
  /** Seconds of each full pass over every event, one pass right after each verification. */
  readonly secondsPerRun: number[];
  readonly eventsPerSecond: number;
  readonly mbPerSecond: number;
  /** Verification rate over this raw rate: median of the per-run (paired) ratios. */
  readonly verificationRatio: number;
  /** The same as a ratio of the two medians. */
  readonly verificationRatioOfMedians: number;
}

export interface Target {
  readonly description: string;
  readonly subject: string;
  readonly reference: string;
  readonly threshold: number;
  readonly ratio: number;
  readonly ratioOfMedians: number;
  readonly pass: boolean;
}

export interface AuditResults {
  readonly benchmark: 'audit';
  readonly schema: 1;
  readonly command: string;
  /** Fewer events or rounds than the full run: indicative only. */
  readonly quick: boolean;
  readonly date: string;
  readonly durationSeconds: number;
  readonly machine: MachineInfo;
  readonly code: CodeProvenance[];
  readonly versions: Readonly<Record<string, string>>;
  readonly database: {
    readonly server: string;
    readonly settings: string;
    readonly connection: string;
  };
  readonly method: { readonly notes: readonly string[] };
  readonly append: {
    readonly accessLog: AppendPath;
    readonly plainInsert: AppendPath;
    /** (a)/(b), median of per-round paired ratios. */
    readonly ratioSequential: number;
    readonly ratioSequentialOfMedians: number;
    readonly ratioConcurrent: number;
    readonly ratioConcurrentOfMedians: number;
    readonly eventsWritten: { readonly accessLog: number; readonly plainInsert: number };
    /** The log written through AccessLog during the append runs, verified afterwards. */
    readonly accessLogVerified: {
      readonly status: string;
      readonly events: number;
      readonly checkpoints: number;
    };
  };
  readonly bulkLog: {
    readonly events: number;
    readonly checkpoints: number;
    readonly canonicalBytes: number;
    readonly meanEventBytes: number;
    readonly insertBatch: number;
    readonly seconds: number;
    readonly computeSeconds: number;
    readonly vacuumSeconds: number;
    /** A short bulk log continued by one real AccessLog append, then verified. */
    readonly continuationCheck: {
      readonly bulkEvents: number;
      readonly status: string;
      readonly events: number;
      readonly checkpoints: number;
    };
  };
  readonly verification: {
    readonly events: number;
    readonly checkpoints: number;
    readonly runs: VerificationRun[];
    readonly medianSeconds: number;
    readonly eventsPerSecond: number;
    readonly mbPerSecond: number;
  };
  readonly rawHash: RawHashRecord[];
  readonly breakdown: (StageBreakdown & { readonly notes: Record<string, string> }) | null;
  readonly targets: Target[];
}

const round = (value: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export function rateStats(perRound: readonly number[]): RateStats {
  const med = median(perRound);
  const min = Math.min(...perRound);
  const max = Math.max(...perRound);
  return {
    perRound: perRound.map((v) => round(v, 1)),
    median: round(med, 1),
    min: round(min, 1),
    max: round(max, 1),
    spreadPct: round(((max - min) / med) * 100, 1),
  };
}

export function pairedRatio(a: readonly number[], b: readonly number[]): number {
  const n = Math.min(a.length, b.length);
  const ratios: number[] = [];
  for (let i = 0; i < n; i++) ratios.push(a[i]! / b[i]!);
  return round(median(ratios), 4);
}

export interface AppendInput {
  readonly results: AppendResults;
  readonly verified: AuditResults['append']['accessLogVerified'];
}

export function appendRecord(input: AppendInput): AuditResults['append'] {
  const { results } = input;
  const path = (
    label: string,
    describe: string,
    seq: RoundStats,
    conc: ConcurrentStats,
  ): AppendPath => ({
    label,
    describe,
    sequential: {
      ...rateStats(seq.perRound),
      rounds: seq.perRound.length,
      eventsPerRound: results.sequential.timing.minOpsPerRound,
    },
    concurrent: {
      ...rateStats(conc.perRound),
      writers: conc.writers,
      rounds: conc.perRound.length,
      eventsPerRound: conc.eventsPerRound,
    },
  });
  const a = results.sequential.accessLog;
  const b = results.sequential.plainInsert;
  const ca = results.concurrent.accessLog;
  const cb = results.concurrent.plainInsert;
  return {
    accessLog: path(
      'AccessLog.appendSeparately',
      'the real writer: own transaction with the tenant set, SELECT … FOR UPDATE of audit_log_state, RFC 8785 bytes, SHA-256 leaf and HMAC-SHA256 (node:crypto), INSERT, frontier UPDATE, and every 1,000 events an Ed25519 checkpoint (libsodium) INSERT',
      a,
      ca,
    ),
    plainInsert: path(
      'plain INSERT (own transaction)',
      'the same row in its own transaction with the tenant set (Db.transaction), dummy 32-byte leaf_hash and mac, seq from a counter: no lock, no hashing, no MAC, no frontier, no checkpoint',
      b,
      cb,
    ),
    ratioSequential: pairedRatio(a.perRound, b.perRound),
    ratioSequentialOfMedians: round(a.median / b.median, 4),
    ratioConcurrent: pairedRatio(ca.perRound, cb.perRound),
    ratioConcurrentOfMedians: round(ca.median / cb.median, 4),
    eventsWritten: results.eventsWritten,
    accessLogVerified: input.verified,
  };
}

export function verificationRecord(
  runs: VerificationRun[],
  checkpoints: number,
  events: number,
  canonicalBytes: number,
): AuditResults['verification'] {
  const medianSeconds = median(runs.map((r) => r.seconds));
  return {
    events,
    checkpoints,
    runs: runs.map((r) => ({ ...r, seconds: round(r.seconds, 3) })),
    medianSeconds: round(medianSeconds, 3),
    eventsPerSecond: round(events / medianSeconds, 0),
    mbPerSecond: round(canonicalBytes / medianSeconds / 1e6, 2),
  };
}

export function rawHashRecord(
  subject: { id: RawHashId; label: string; library: string },
  secondsPerRun: number[],
  verificationSecondsPerRun: number[],
  events: number,
  canonicalBytes: number,
): RawHashRecord {
  const med = median(secondsPerRun);
  // Rates are events / seconds, so verification rate / raw rate = raw seconds / verify seconds.
  const ratios = secondsPerRun.map((s, i) => s / verificationSecondsPerRun[i]!);
  return {
    ...subject,
    secondsPerRun: secondsPerRun.map((s) => round(s, 3)),
    eventsPerSecond: round(events / med, 0),
    mbPerSecond: round(canonicalBytes / med / 1e6, 1),
    verificationRatio: round(median(ratios), 4),
    verificationRatioOfMedians: round(med / median(verificationSecondsPerRun), 4),
  };
}

export function targets(
  verification: AuditResults['verification'],
  raw: RawHashRecord[],
): Target[] {
  const target = (id: RawHashId, what: string): Target => {
    const r = raw.find((x) => x.id === id)!;
    return {
      description: `full verification of ${verification.events.toLocaleString('en-GB')} events (database read included) ≥ ${VERIFY_TARGET_RATIO}× raw ${what}`,
      subject: 'verification',
      reference: `rawHash.${id}`,
      threshold: VERIFY_TARGET_RATIO,
      ratio: r.verificationRatio,
      ratioOfMedians: r.verificationRatioOfMedians,
      pass: r.verificationRatio >= VERIFY_TARGET_RATIO,
    };
  };
  return [
    target('nodeSha256', 'SHA-256, node:crypto createHash() (the writer’s hash and API)'),
    target('nodeSha256OneShot', 'SHA-256, node:crypto one-shot hash() (fastest per-event API)'),
    target('sodiumNativeSha256', 'SHA-256, sodium-native (the verifier’s own hash)'),
  ];
}

// ---- text output -------------------------------------------------------------------------

const ratioText = (r: number): string =>
  `${r >= 10 ? r.toFixed(1) : r >= 0.095 ? r.toFixed(2) : r.toFixed(3)}×`;

function machineLine(r: AuditResults): string {
  const m = r.machine;
  return `${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}-${m.arch}, Node ${m.node} (OpenSSL ${m.openssl})`;
}

function verificationRows(r: AuditResults): string[][] {
  const v = r.verification;
  const node = r.rawHash.find((x) => x.id === 'nodeSha256')!;
  const own = r.rawHash.find((x) => x.id === 'sodiumNativeSha256')!;
  const rows: string[][] = [
    [
      'AuditVerifier.verify(org) ◀',
      formatNumber(v.eventsPerSecond),
      formatNumber(v.mbPerSecond),
      `${v.medianSeconds.toFixed(1)} s`,
      ratioText(node.verificationRatio),
      ratioText(own.verificationRatio),
    ],
  ];
  for (const h of r.rawHash) {
    rows.push([
      h.label,
      formatNumber(h.eventsPerSecond),
      formatNumber(h.mbPerSecond),
      `${median(h.secondsPerRun).toFixed(2)} s`,
      ratioText(h.eventsPerSecond / node.eventsPerSecond),
      ratioText(h.eventsPerSecond / own.eventsPerSecond),
    ]);
  }
  return rows;
}

const VERIFICATION_HEADER = [
  'What',
  'events/s',
  'MB/s',
  'time (median)',
  '× raw node:crypto',
  '× raw sodium-native',
];

const STAGE_LABELS: Readonly<Record<keyof StageBreakdown['seconds'], string>> = {
  setup: 'set-up',
  databaseRead: 'database read (one aggregated row per batch)',
  leafHash: 'leaf hashes, in place (libsodium)',
  mac: 'MACs after the last checkpoint',
  accumulator: 'StreamingRoot.push',
  checkpoints: 'checkpoints (Ed25519, node:crypto)',
};

function breakdownRows(b: StageBreakdown): string[][] {
  const stages = Object.keys(b.seconds) as (keyof StageBreakdown['seconds'])[];
  const sum = stages.reduce((acc, k) => acc + b.seconds[k], 0);
  const rows = stages.map((k) => [
    STAGE_LABELS[k],
    b.seconds[k].toFixed(2),
    ((b.seconds[k] / b.events) * 1e6).toFixed(2),
    `${((b.seconds[k] / b.totalSeconds) * 100).toFixed(1)} %`,
  ]);
  rows.push([
    'other (loop, batching, GC outside the stages)',
    (b.totalSeconds - sum).toFixed(2),
    (((b.totalSeconds - sum) / b.events) * 1e6).toFixed(2),
    `${(((b.totalSeconds - sum) / b.totalSeconds) * 100).toFixed(1)} %`,
  ]);
  rows.push([
    'total (instrumented copy of the loop)',
    b.totalSeconds.toFixed(2),
    ((b.totalSeconds / b.events) * 1e6).toFixed(2),
    '100 %',
  ]);
  return rows;
}

const BREAKDOWN_HEADER = ['Stage', 'seconds', 'µs/event', 'share'];

function appendRows(r: AuditResults): string[][] {
  const row = (p: AppendPath): string[] => [
    p.label,
    formatNumber(p.sequential.median),
    `${formatNumber(p.sequential.min)}–${formatNumber(p.sequential.max)}`,
    formatNumber(p.concurrent.median),
    `${formatNumber(p.concurrent.min)}–${formatNumber(p.concurrent.max)}`,
  ];
  return [
    row(r.append.accessLog),
    row(r.append.plainInsert),
    [
      'ratio (a) / (b)',
      ratioText(r.append.ratioSequential),
      '',
      ratioText(r.append.ratioConcurrent),
      '',
    ],
  ];
}

function appendHeader(r: AuditResults): string[] {
  return [
    'Path',
    'events/s, 1 writer',
    'min–max',
    `events/s, ${r.append.accessLog.concurrent.writers} writers`,
    'min–max',
  ];
}

export function stdoutReport(r: AuditResults): string {
  const out: string[] = [];
  out.push(`\nAccess-log benchmark (${r.command}), ${r.date}`);
  out.push(`${machineLine(r)}; PostgreSQL ${r.versions['postgres']}; ${r.durationSeconds} s`);
  out.push(
    `\nVerification of ${r.verification.events.toLocaleString('en-GB')} events (${r.verification.checkpoints} checkpoints), ${r.verification.runs.length} run(s)`,
  );
  out.push(textTable(VERIFICATION_HEADER, verificationRows(r)));
  if (r.breakdown !== null) {
    out.push('\nWhere verification time goes');
    out.push(textTable(BREAKDOWN_HEADER, breakdownRows(r.breakdown)));
  }
  out.push('\nAppend throughput (loopback)');
  out.push(textTable(appendHeader(r), appendRows(r)));
  out.push('\nTargets (reported, not asserted)');
  out.push(
    textTable(
      ['Target', 'ratio', 'met'],
      r.targets.map((t) => [t.description, ratioText(t.ratio), t.pass ? 'yes' : 'NO']),
    ),
  );
  return out.join('\n');
}

// ---- markdown ---------------------------------------------------------------------------

const md = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [md(header), md(header.map(() => '---')), ...rows.map(md)].join('\n');
}

export function markdownSection(r: AuditResults): string {
  const parts: string[] = [];
  const v = r.verification;
  const node = r.rawHash.find((x) => x.id === 'nodeSha256')!;
  parts.push(
    `Produced by \`${r.command}\`${r.quick ? ' (reduced run: indicative only)' : ''} on ${r.date.slice(0, 10)}: ${machineLine(r)}; PostgreSQL ${r.versions['postgres']} (${r.database.settings}), over loopback. Whole run ${r.durationSeconds} s. Raw figures with every round: \`bench-results/audit.json\`.`,
  );
  parts.push(
    `Code measured: ${r.code
      .map(
        (c) =>
          `\`${c.directory}\` (sources SHA-256 \`${c.sourceSha256.slice(0, 16)}\`${c.uncommittedChanges === true ? ', uncommitted changes' : ''})`,
      )
      .join(
        ', ',
      )} at commit ${r.code[0]?.gitCommit?.slice(0, 12) ?? 'unknown'}; the full hashes are in the JSON.`,
  );

  parts.push('### Targets (reported, not asserted)');
  parts.push(
    mdTable(
      ['Target', 'Verification', 'Reference', 'Measured', 'Met'],
      r.targets.map((t) => {
        const ref = r.rawHash.find((h) => `rawHash.${h.id}` === t.reference)!;
        return [
          t.description,
          `${formatNumber(v.eventsPerSecond)} events/s`,
          `${formatNumber(ref.eventsPerSecond)} events/s`,
          ratioText(t.ratio),
          t.pass ? 'yes' : '**no**',
        ];
      }),
    ),
  );

  parts.push(
    `### Verification of ${v.events.toLocaleString('en-GB')} events (${v.checkpoints.toLocaleString('en-GB')} checkpoints)`,
  );
  parts.push(
    `Wall clock of \`AuditVerifier.verify(org)\` (status \`verified\`, ${v.events.toLocaleString('en-GB')} events, ${v.checkpoints.toLocaleString('en-GB')} checkpoints), median of ${v.runs.length} runs (${v.runs.map((x) => `${x.seconds.toFixed(1)} s`).join(', ')}); each raw hash is one full pass over the same ${v.events.toLocaleString('en-GB')} canonical events (${(r.bulkLog.canonicalBytes / 1e6).toFixed(0)} MB, ${r.bulkLog.meanEventBytes.toFixed(0)} bytes on average) right after each verification run, median of the passes. MB/s counts canonical event bytes (10^6 bytes per MB). The "×" columns of the verifier row are medians of per-run paired ratios; of the raw rows, plain ratios of medians.`,
  );
  parts.push(mdTable(VERIFICATION_HEADER, verificationRows(r)));
  parts.push(
    `Each raw row is one digest per event of exactly the canonical bytes its leaf covers (without the 0x00 leaf prefix): ${r.rawHash.map((h) => `${h.label.replace(/^SHA-256, /, '')} = ${h.library}`).join('; ')}. The verifier hashes with sodium-native (a native libsodium, independent of the writer’s OpenSSL); @noble/hashes is what the witness-checkpoint and proof checks use, shown for scale.`,
  );

  if (r.breakdown !== null) {
    const b = r.breakdown;
    parts.push('### Where verification time goes');
    parts.push(
      `An instrumented copy of the verifier's loop (same query, same functions, same order, but without the prefetch of the next batch, so the database read is seen whole; ${((b.totalSeconds / b.events) * 1e6).toFixed(1)} µs per event in all, against ${((v.medianSeconds / v.events) * 1e6).toFixed(1)} µs for the real verifier) timing each stage row by row over ${b.events === v.events ? 'all ' : 'the first '}${b.events.toLocaleString('en-GB')} events. For scale: the raw node:crypto SHA-256 of one event takes ${((median(node.secondsPerRun) / v.events) * 1e6).toFixed(2)} µs, so the 0.3× target leaves ${((median(node.secondsPerRun) / v.events / VERIFY_TARGET_RATIO) * 1e6).toFixed(2)} µs per event for everything.`,
    );
    parts.push(mdTable(BREAKDOWN_HEADER, breakdownRows(b)));
    parts.push(
      (Object.keys(STAGE_NOTES) as (keyof typeof STAGE_NOTES)[])
        .map((k) => `- **${STAGE_LABELS[k]}**: ${STAGE_NOTES[k]}.`)
        .join('\n'),
    );
  }

  const a = r.append;
  parts.push('### Append throughput');
  parts.push(
    `Events per second over loopback, one organisation per path. One writer: median of ${a.accessLog.sequential.rounds} rounds of ${a.accessLog.sequential.eventsPerRound.toLocaleString('en-GB')} sequential appends (each round spans a checkpoint), interleaved between the two paths. ${a.accessLog.concurrent.writers} writers: ${a.accessLog.concurrent.writers} concurrent loops sharing ${a.accessLog.concurrent.eventsPerRound.toLocaleString('en-GB')} appends per round, median of ${a.accessLog.concurrent.rounds} rounds. Ratios are medians of per-round paired ratios. The ${a.eventsWritten.accessLog.toLocaleString('en-GB')} events written through AccessLog verified afterwards (${a.accessLogVerified.status}, ${a.accessLogVerified.checkpoints} checkpoints).`,
  );
  parts.push(mdTable(appendHeader(r), appendRows(r)));
  parts.push(
    [a.accessLog, a.plainInsert].map((p) => `- **${p.label}**: ${p.describe}.`).join('\n'),
  );

  parts.push('### Method');
  parts.push(r.method.notes.map((n) => `- ${n}`).join('\n'));
  return parts.join('\n\n');
}
