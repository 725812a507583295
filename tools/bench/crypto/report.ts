import {
  formatNumber,
  median as medianOfValues,
  textTable,
  type MachineInfo,
  type RoundStats,
  type Timing,
} from '../lib/harness';
import type { CodeProvenance } from '../lib/provenance';
import type { Case, Category, CheckResult, Role } from './cases';

export const DOCS_HEADING = '## Crypto (npm run bench:crypto)';

export interface CaseResult {
  readonly case: Case;
  readonly stats: RoundStats;
  readonly check: CheckResult;
}

export interface Measurement {
  readonly id: string;
  readonly category: Category;
  readonly label: string;
  readonly role: Role;
  readonly library: string;
  readonly async: boolean;
  readonly unit: 'ops/s' | 'MB/s';
  readonly median: number;
  readonly min: number;
  readonly max: number;
  readonly spreadPct: number;
  readonly rounds: number;
  readonly perRound: number[];
  readonly totalOps: number;
  /**
   * This implementation over sodium-native, same category: the median of the per-round ratios
   * (paired: each round measures both within about a second, so machine-speed drift cancels).
   */
  readonly ratioToSodiumNative: number;
  /** The same as a plain ratio of the two medians, for comparison. */
  readonly ratioToSodiumNativeOfMedians: number;
  /** Harbour (public API) over this implementation, paired per round like the above. */
  readonly harbourOverThis: number;
  readonly callerAdBytes: number | null;
  readonly effectiveAdBytes: number | null;
  readonly storedSize: number | null;
  readonly storedForm: 'bytes' | 'string' | null;
  readonly indexValue: number | string | null;
  readonly describe: string;
}

export interface Target {
  readonly description: string;
  readonly subject: string;
  readonly reference: string;
  readonly threshold: number;
  /** Median of the per-round ratios subject / reference (paired). */
  readonly ratio: number;
  /** Ratio of the two medians. */
  readonly ratioOfMedians: number;
  readonly pass: boolean;
}

export interface InputsRecord {
  readonly fieldBytes: number;
  readonly associatedDataBytes: number;
  readonly bulkBytes: number;
  readonly blindIndex: {
    readonly indexName: string;
    readonly normalisationVersion: number;
    readonly bits: number;
    readonly source: string;
  };
  /** The faster CSPRNG for sodium-native's nonces, and both measured rates (24-byte fills/s). */
  readonly sodiumNativeNonce: {
    readonly source: string;
    readonly opsPerSecond: Record<string, number>;
  };
}

export interface CryptoResults {
  readonly benchmark: 'crypto';
  readonly schema: 1;
  readonly command: string;
  readonly quick: boolean;
  readonly date: string;
  readonly durationSeconds: number;
  readonly machine: MachineInfo;
  readonly code: CodeProvenance;
  readonly method: {
    readonly statistic: 'median of rounds';
    readonly timings: Partial<Record<Category, Timing>>;
    readonly notes: readonly string[];
  };
  readonly inputs: InputsRecord;
  readonly skipped: readonly string[];
  readonly measurements: Measurement[];
  readonly targets: Target[];
}

export interface BuildInput {
  readonly command: string;
  readonly quick: boolean;
  readonly machine: MachineInfo;
  readonly code: CodeProvenance;
  readonly durationSeconds: number;
  readonly timings: Partial<Record<Category, Timing>>;
  readonly inputs: InputsRecord;
  readonly skipped: readonly string[];
  readonly results: readonly CaseResult[];
}

const METHOD_NOTES = [
  'One process, one run: every implementation gets the same key, the same 32-byte field value, the same 40 bytes of associated data (where the scheme takes any) and the same 1 MiB buffer.',
  'An operation is what an application does per value: encrypt (fresh random nonce or IV from a CSPRNG, building the stored form) then decrypt (parsing the stored form); for blind indexes, building the framed message and hashing it.',
  'Each implementation is warmed up (which also sizes its batches to about 2 ms), then the timed rounds run interleaved across the implementations of a category, the starting one rotating, so drift hits all alike. The figure is the median round; min and max are the extreme rounds.',
  'Ratios are paired: round i of one implementation is divided by round i of the other (measured within about a second of each other) and the median of those ratios is reported, so a stretch where the whole machine runs slower cancels out. The plain ratio of the two medians is in the JSON as well (ratioToSodiumNativeOfMedians, ratioOfMedians).',
  'Async APIs (ciphersweet-js, WebCrypto) are awaited one operation at a time, as a request handler would.',
  'Bulk MB/s counts plaintext bytes (10^6 bytes per MB) taken through encrypt and decrypt, so encryption alone runs about twice as fast.',
  'Before timing, every implementation round-trips the input, and Harbour and sodium-native must compute the same blind-index value.',
];

const round = (value: number, digits: number): number => {
  const f = 10 ** digits;
  return Math.round(value * f) / f;
};

export function buildResults(input: BuildInput): CryptoResults {
  const resultOf = (id: string): CaseResult => {
    const found = input.results.find((r) => r.case.id === id);
    if (!found) throw new Error(`no result for ${id}`);
    return found;
  };
  const medianOf = (id: string): number => {
    const found = resultOf(id);
    return valueOf(found, found.stats.median);
  };
  /** Median over rounds of a_i / b_i (units cancel: both are per-round rates). */
  const pairedRatio = (a: string, b: string): number => {
    const ra = resultOf(a).stats.perRound;
    const rb = resultOf(b).stats.perRound;
    const n = Math.min(ra.length, rb.length);
    const ratios: number[] = [];
    for (let i = 0; i < n; i++) ratios.push(ra[i]! / rb[i]!);
    return medianOfValues(ratios);
  };
  const measurements = input.results.map((r): Measurement => {
    const c = r.case;
    const digits = c.category === 'bulk' ? 1 : 0;
    const median = valueOf(r, r.stats.median);
    return {
      id: c.id,
      category: c.category,
      label: c.label,
      role: c.role,
      library: c.library,
      async: c.async,
      unit: c.category === 'bulk' ? 'MB/s' : 'ops/s',
      median: round(median, digits),
      min: round(valueOf(r, r.stats.min), digits),
      max: round(valueOf(r, r.stats.max), digits),
      spreadPct: round(r.stats.spreadPct, 1),
      rounds: r.stats.perRound.length,
      perRound: r.stats.perRound.map((v) => round(valueOf(r, v), digits)),
      totalOps: r.stats.totalOps,
      ratioToSodiumNative: round(pairedRatio(c.id, `${c.category}.sodium-native`), 3),
      ratioToSodiumNativeOfMedians: round(median / medianOf(`${c.category}.sodium-native`), 3),
      harbourOverThis: round(pairedRatio(`${c.category}.harbour`, c.id), 3),
      callerAdBytes: c.callerAdBytes,
      effectiveAdBytes: c.effectiveAdBytes,
      storedSize: r.check.storedSize ?? null,
      storedForm: r.check.storedForm ?? null,
      indexValue: r.check.indexValue ?? null,
      describe: c.describe,
    };
  });

  const target = (
    description: string,
    subject: string,
    reference: string,
    threshold: number,
  ): Target => {
    const r = pairedRatio(subject, reference);
    return {
      description,
      subject,
      reference,
      threshold,
      ratio: round(r, 3),
      ratioOfMedians: round(medianOf(subject) / medianOf(reference), 3),
      pass: r >= threshold,
    };
  };
  const targets: Target[] = [
    target(
      'field encrypt+decrypt ≥ 0.5× sodium-native',
      'field.harbour',
      'field.sodium-native',
      0.5,
    ),
    ...measurements
      .filter((m) => m.category === 'field' && m.role === 'peer')
      .map((m) => target(`field encrypt+decrypt ≥ 1× ${m.label}`, 'field.harbour', m.id, 1)),
    target(
      'blind index ≥ 0.7× sodium-native',
      'blindIndex.harbour',
      'blindIndex.sodium-native',
      0.7,
    ),
  ];

  return {
    benchmark: 'crypto',
    schema: 1,
    command: input.command,
    quick: input.quick,
    date: new Date().toISOString(),
    durationSeconds: input.durationSeconds,
    machine: input.machine,
    code: input.code,
    method: { statistic: 'median of rounds', timings: input.timings, notes: METHOD_NOTES },
    inputs: input.inputs,
    skipped: input.skipped,
    measurements,
    targets,
  };
}

/** ops/s, or MB/s for bulk cases. */
function valueOf(r: CaseResult, opsPerSecond: number): number {
  const bytes = r.case.bytesPerOp;
  return bytes === undefined ? opsPerSecond : (opsPerSecond * bytes) / 1e6;
}

const ratioText = (r: number): string => `${r >= 10 ? r.toFixed(1) : r.toFixed(2)}×`;

function adText(m: Measurement): string {
  if (m.callerAdBytes === null && m.effectiveAdBytes === null) return 'none';
  if (m.callerAdBytes === null) return `${m.effectiveAdBytes} (from the place)`;
  if (m.effectiveAdBytes === null) return String(m.callerAdBytes);
  return `${m.callerAdBytes} (+nonce: ${m.effectiveAdBytes})`;
}

function storedText(m: Measurement): string {
  if (m.storedSize === null) return '';
  return m.storedForm === 'string' ? `${m.storedSize} chars` : `${m.storedSize} B`;
}

const TITLES: Record<Category, string> = {
  field: 'Field encrypt+decrypt (32-byte value)',
  blindIndex: 'Blind index (one value)',
  bulk: 'Bulk encrypt+decrypt (1 MiB)',
};

function categoryRows(results: CryptoResults, category: Category): string[][] {
  return results.measurements
    .filter((m) => m.category === category)
    .map((m) => {
      const row = [
        `${m.label}${m.role === 'harbour' ? ' ◀' : ''}`,
        formatNumber(m.median),
        `${formatNumber(m.min)}–${formatNumber(m.max)}`,
        ratioText(m.ratioToSodiumNative),
        m.role === 'harbour' ? '' : ratioText(m.harbourOverThis),
      ];
      if (category === 'field') row.push(adText(m), storedText(m));
      return row;
    });
}

function categoryHeader(category: Category): string[] {
  const unit = category === 'bulk' ? 'MB/s' : 'ops/s';
  const header = [`Implementation`, `${unit} (median)`, 'min–max', '× sodium-native', 'Harbour ×'];
  if (category === 'field') header.push('AD bytes', 'stored');
  return header;
}

function machineLine(r: CryptoResults): string {
  const m = r.machine;
  return `${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}-${m.arch}, Node ${m.node} (OpenSSL ${m.openssl})`;
}

export function stdoutReport(r: CryptoResults): string {
  const out: string[] = [];
  out.push(`\nCrypto benchmark (${r.command}), ${r.date}`);
  out.push(`${machineLine(r)}; ${r.durationSeconds} s`);
  for (const category of ['field', 'blindIndex', 'bulk'] as const) {
    out.push(`\n${TITLES[category]}`);
    out.push(textTable(categoryHeader(category), categoryRows(r, category)));
  }
  out.push('\nTargets (reported, not asserted)');
  out.push(
    textTable(
      ['Target', 'ratio', 'met'],
      r.targets.map((t) => [t.description, ratioText(t.ratio), t.pass ? 'yes' : 'NO']),
    ),
  );
  out.push(
    '\n◀ = @harbour/crypto public API. Ratios are medians of per-round paired ratios; "Harbour ×" = Harbour over that row.',
  );
  return out.join('\n');
}

const md = (cells: readonly string[]): string => `| ${cells.join(' | ')} |`;

function mdTable(header: readonly string[], rows: readonly (readonly string[])[]): string {
  return [md(header), md(header.map(() => '---')), ...rows.map(md)].join('\n');
}

export function markdownSection(r: CryptoResults): string {
  const parts: string[] = [];
  const timings = r.method.timings;
  parts.push(
    `Produced by \`${r.command}\`${r.quick ? ' (short rounds: indicative only)' : ''} on ${r.date.slice(0, 10)}: ${machineLine(r)}. Whole run ${r.durationSeconds} s. Raw figures with every round: \`bench-results/crypto.json\`.`,
  );
  const code = r.code;
  parts.push(
    `Code measured: \`${code.directory}\` at commit ${code.gitCommit?.slice(0, 12) ?? 'unknown'}${code.uncommittedChanges === true ? ' plus uncommitted changes' : ''} (sources SHA-256 \`${code.sourceSha256.slice(0, 16)}\`, recorded in full in the JSON).`,
  );
  parts.push(
    `Each figure is the median of ${timings.field?.rounds ?? '?'} rounds (bulk: ${timings.bulk?.rounds ?? '?'}); "min–max" are the slowest and fastest rounds. "× sodium-native" is the row over sodium-native and "Harbour ×" is Harbour over the row (above 1: Harbour is faster), both the median of per-round paired ratios (see Method). ◀ marks @harbour/crypto's public API, the subject of the targets.`,
  );

  parts.push('### Targets (reported, not asserted)');
  const figure = (id: string): string => {
    const m = r.measurements.find((x) => x.id === id);
    return m ? `${formatNumber(m.median)} ${m.unit}` : id;
  };
  parts.push(
    mdTable(
      ['Target', 'Harbour', 'Reference', 'Measured', 'Met'],
      r.targets.map((t) => [
        t.description,
        figure(t.subject),
        figure(t.reference),
        ratioText(t.ratio),
        t.pass ? 'yes' : '**no**',
      ]),
    ),
  );

  for (const category of ['field', 'blindIndex', 'bulk'] as const) {
    parts.push(`### ${TITLES[category]}`);
    parts.push(mdTable(categoryHeader(category), categoryRows(r, category)));
    parts.push(
      r.measurements
        .filter((m) => m.category === category)
        .map(
          (m) =>
            `- **${m.label}** (${m.library}${m.async ? '; async, awaited' : ''}): ${m.describe}.`,
        )
        .join('\n'),
    );
  }

  const nonce = r.inputs.sodiumNativeNonce;
  const nonceRates = Object.entries(nonce.opsPerSecond)
    .map(([source, ops]) => `${source} ${formatNumber(ops)}/s`)
    .join(', ');
  parts.push('### Method');
  parts.push(
    [
      ...r.method.notes,
      `sodium-native takes its nonces from the faster CSPRNG on this machine, ${nonce.source} (24-byte fills: ${nonceRates}).`,
    ]
      .map((n) => `- ${n}`)
      .join('\n'),
  );
  if (r.skipped.length > 0) {
    parts.push(`Skipped: ${r.skipped.join('; ')}.`);
  }
  return parts.join('\n\n');
}
