import { formatNumber, median, textTable, type MachineInfo } from '../lib/harness';
import type { CodeProvenance } from '../lib/provenance';
import {
  APPEND_PATHS,
  type AppendPathId,
  type AppendResults,
  type ConcurrentStats,
} from './append';
import { STAGE_NOTES, type RawHashId, type StageBreakdown, type VerificationRun } from './verify';

export const DOCS_HEADING = '## Access log (npm run bench:audit)';

/** The issue's target: full verification ≥ 0.3× the raw SHA-256 rate over the same bytes. */
export const VERIFY_TARGET_RATIO = 0.3;

/** The issue's append target: 8 concurrent writers ≥ 0.5× plain INSERT (one organisation). */
export const APPEND_TARGET = { writers: 8, ratio: 0.5 } as const;

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
  /** One entry per number of concurrent writers. */
  readonly concurrent: (RateStats & {
    readonly writers: number;
    readonly rounds: number;
    readonly eventsPerRound: number;
  })[];
}

/** A path's rate over plain INSERT's at one number of writers (1 = sequential). */
export interface AppendRatio {
  readonly writers: number;
  /** Median of per-round paired ratios. */
  readonly ratio: number;
  readonly ratioOfMedians: number;
}

/** Appends verified afterwards (the log of one path's organisation). */
export interface VerifiedLog {
  readonly status: string;
  readonly events: number;
  readonly checkpoints: number;
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
  readonly schema: 2;
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
    readonly paths: Record<AppendPathId, AppendPath>;
    /** Each logging path over plain INSERT, 1 writer first, then each number of writers. */
    readonly ratios: Record<'accessLog' | 'requestTx', AppendRatio[]>;
    readonly target: {
      readonly description: string;
      readonly ratio: number;
      readonly pass: boolean;
    };
    readonly eventsWritten: Record<AppendPathId, number>;
    /** The logs written through AccessLog during the append runs, verified afterwards. */
    readonly verified: Record<'accessLog' | 'requestTx', VerifiedLog>;
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
  readonly verified: AuditResults['append']['verified'];
}

const APPEND_LABELS: Record<AppendPathId, { label: string; describe: string }> = {
  accessLog: {
    label: 'AccessLog.appendSeparately (group commit)',
    describe:
      'the real writer as failures, denials and sign-ins use it: appends of one organisation that arrive while a batch is being written wait and go together into the next batch (docs/adr/0017) — one transaction with the tenant set, one SELECT … FOR UPDATE of audit_log_state, per event RFC 8785 bytes, SHA-256 leaf, HMAC-SHA256 (node:crypto) and frontier, every 1,000th event an Ed25519 checkpoint (libsodium), and one INSERT … SELECT of all the batch’s events with the head UPDATE; each caller is answered when its batch has committed',
  },
  requestTx: {
    label: 'AccessLog.append in a transaction',
    describe:
      'the real writer as a request’s own transaction uses it (`appendAndCommit`, the last work of the transaction): Db.transaction, then one message — SAVEPOINT, the prepared statement that locks audit_log_state, checks every column of it against the head this process last wrote and only then moves it and inserts the event (docs/adr/0018), RELEASE, COMMIT (docs/adr/0019; on a miss the statement raises, PostgreSQL skips the COMMIT, the transaction rolls back to the savepoint and the locking path appends: the head checked, sealed again, INSERT with head UPDATE, then COMMIT) — one head lock per event, held while PostgreSQL runs the message, and the writers of one organisation send one message at a time, so at many writers this is the ceiling of one organisation’s log without batching (about one round trip per event)',
  },
  plainInsert: {
    label: 'plain INSERT (own transaction)',
    describe:
      'the same row in its own transaction with the tenant set (Db.transaction), dummy 32-byte leaf_hash and mac, seq from a counter: no lock, no hashing, no MAC, no frontier, no checkpoint',
  },
};

export function appendRecord(input: AppendInput): AuditResults['append'] {
  const { results } = input;
  const path = (id: AppendPathId): AppendPath => {
    const seq = results.sequential[id];
    return {
      ...APPEND_LABELS[id],
      sequential: {
        ...rateStats(seq.perRound),
        rounds: seq.perRound.length,
        eventsPerRound: results.sequential.timing.minOpsPerRound,
      },
      concurrent: results.concurrent.map((level) => {
        const conc: ConcurrentStats = level[id];
        return {
          ...rateStats(conc.perRound),
          writers: conc.writers,
          rounds: conc.perRound.length,
          eventsPerRound: conc.eventsPerRound,
        };
      }),
    };
  };
  const ratio = (writers: number, a: readonly number[], b: readonly number[]): AppendRatio => ({
    writers,
    ratio: pairedRatio(a, b),
    ratioOfMedians: round(median(a) / median(b), 4),
  });
  const ratios = (id: 'accessLog' | 'requestTx'): AppendRatio[] => [
    ratio(1, results.sequential[id].perRound, results.sequential.plainInsert.perRound),
    ...results.concurrent.map((level) =>
      ratio(level[id].writers, level[id].perRound, level.plainInsert.perRound),
    ),
  ];
  const paths = Object.fromEntries(APPEND_PATHS.map((id) => [id, path(id)])) as Record<
    AppendPathId,
    AppendPath
  >;
  const separate = ratios('accessLog');
  const atTarget = separate.find((r) => r.writers === APPEND_TARGET.writers);
  return {
    paths,
    ratios: { accessLog: separate, requestTx: ratios('requestTx') },
    target: {
      description: `access-log append (AccessLog.appendSeparately) at ${APPEND_TARGET.writers} concurrent writers on one organisation ≥ ${APPEND_TARGET.ratio}× plain INSERT`,
      ratio: atTarget?.ratio ?? Number.NaN,
      pass: atTarget !== undefined && atTarget.ratio >= APPEND_TARGET.ratio,
    },
    eventsWritten: results.eventsWritten,
    verified: input.verified,
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
  const a = r.append;
  const row = (p: AppendPath): string[] => [
    p.label,
    formatNumber(p.sequential.median),
    `${formatNumber(p.sequential.min)}–${formatNumber(p.sequential.max)}`,
    ...p.concurrent.flatMap((c) => [
      formatNumber(c.median),
      `${formatNumber(c.min)}–${formatNumber(c.max)}`,
    ]),
  ];
  const ratioRow = (label: string, ratios: readonly AppendRatio[]): string[] => [
    label,
    ...ratios.flatMap((x) => [ratioText(x.ratio), '']),
  ];
  return [
    row(a.paths.accessLog),
    row(a.paths.requestTx),
    row(a.paths.plainInsert),
    ratioRow('ratio (a) / (c)', a.ratios.accessLog),
    ratioRow('ratio (b) / (c)', a.ratios.requestTx),
  ];
}

function appendHeader(r: AuditResults): string[] {
  return [
    'Path',
    'events/s, 1 writer',
    'min–max',
    ...r.append.paths.accessLog.concurrent.flatMap((c) => [
      `events/s, ${c.writers} writers`,
      'min–max',
    ]),
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
  out.push('\nAppend throughput (loopback): (a) group commit, (b) in a transaction, (c) plain');
  out.push(textTable(appendHeader(r), appendRows(r)));
  out.push('\nTargets (reported, not asserted)');
  out.push(
    textTable(
      ['Target', 'ratio', 'met'],
      [
        ...r.targets.map((t) => [t.description, ratioText(t.ratio), t.pass ? 'yes' : 'NO']),
        [
          r.append.target.description,
          ratioText(r.append.target.ratio),
          r.append.target.pass ? 'yes' : 'NO',
        ],
      ],
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
  const p = a.paths;
  parts.push('### Append throughput');
  const levels = p.accessLog.concurrent;
  parts.push(
    `Events per second over loopback, one organisation per path. One writer: median of ${p.accessLog.sequential.rounds} rounds of ${p.accessLog.sequential.eventsPerRound.toLocaleString('en-GB')} sequential appends (each round spans a checkpoint), interleaved between the three paths. ${levels.map((c) => `${c.writers} writers`).join(' and ')}: that many concurrent loops sharing ${levels[0]?.eventsPerRound.toLocaleString('en-GB') ?? '?'} appends per round, median of ${levels[0]?.rounds ?? '?'} rounds, the paths taking turns within each round (the starting one rotating). Ratios are medians of per-round paired ratios against plain INSERT measured in the same round. The events written through AccessLog verified afterwards: ${a.eventsWritten.accessLog.toLocaleString('en-GB')} by group commit (${a.verified.accessLog.status}, ${a.verified.accessLog.checkpoints} checkpoints) and ${a.eventsWritten.requestTx.toLocaleString('en-GB')} in transactions (${a.verified.requestTx.status}, ${a.verified.requestTx.checkpoints} checkpoints).`,
  );
  parts.push(
    mdTable(
      ['Target', 'Measured', 'Met'],
      [[a.target.description, ratioText(a.target.ratio), a.target.pass ? 'yes' : '**no**']],
    ),
  );
  parts.push(mdTable(appendHeader(r), appendRows(r)));
  parts.push(
    APPEND_PATHS.map((id, i) => `- **(${'abc'[i]}) ${p[id].label}**: ${p[id].describe}.`).join(
      '\n',
    ),
  );
  const ceiling = p.requestTx.concurrent.at(-1);
  if (ceiling !== undefined) {
    parts.push(
      `The ceiling per organisation: with one head lock per event (b), ${ceiling.writers} writers reach ${formatNumber(ceiling.median)} events/s against ${formatNumber(p.requestTx.sequential.median)} for one — more writers only queue for the lock, whose hold time (${(1000 / ceiling.median).toFixed(2)} ms per event at that rate) bounds the organisation's log. Group commit (a) shares one hold among every event waiting, so its rate grows with the writers until the batch's own work (sealing in Node, one statement) dominates. A request's own event (b) still takes the lock once per request: an organisation is bounded there by about ${formatNumber(ceiling.median)} logged requests per second on this machine (docs/adr/0017, docs/adr/0018).`,
    );
  }

  parts.push('### Method');
  parts.push(r.method.notes.map((n) => `- ${n}`).join('\n'));
  return parts.join('\n\n');
}
