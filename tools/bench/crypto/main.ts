import { resolve } from 'node:path';
import { machineInfo, measureGroup, type Timing } from '../lib/harness';
import { replaceDocsSection, writeJsonAtomically } from '../lib/output';
import { codeProvenance } from '../lib/provenance';
import { aesNodeCases } from './aes-node';
import { requireEqual, type Case, type Category, type CheckResult } from './cases';
import { ciphersweetCases } from './ciphersweet';
import { harbourCases } from './harbour';
import {
  BLIND_INDEX_BITS,
  BLIND_INDEX_NAME,
  BULK_BYTES,
  makeInputs,
  NORMALISATION_VERSION,
  sink,
} from './inputs';
import {
  buildResults,
  DOCS_HEADING,
  markdownSection,
  stdoutReport,
  type CaseResult,
} from './report';
import { fasterNonceSource, sodiumNativeCases } from './sodium-native';
import { repoRoot } from './versions';

/**
 * `npm run bench:crypto`: @harbour/crypto beside sodium-native, ciphersweet-js and the
 * AES-via-node:crypto approach, on the same inputs, in one process. Writes
 * bench-results/crypto.json and the "Crypto" section of docs/benchmarks.md.
 *
 * Options: `--quick` (3 short rounds, for trying changes; still writes unless `--no-write`),
 * `--no-write` (print only).
 */

/** The command as typed: `npm run bench`, `npm run bench:crypto`, or the script itself. */
function invokedAs(args: readonly string[]): string {
  const event = process.env['npm_lifecycle_event'];
  const base =
    event === 'bench' || event === 'bench:crypto'
      ? `npm run ${event}`
      : 'node tools/bench/run.mjs crypto';
  const extra = args.length > 0 ? `${event === undefined ? '' : ' --'} ${args.join(' ')}` : '';
  return `${base}${extra}`;
}
const CATEGORIES: readonly Category[] = ['field', 'blindIndex', 'bulk'];

function timingFor(category: Category, quick: boolean): Timing {
  const bulk = category === 'bulk';
  if (quick) return { rounds: 3, roundMs: bulk ? 100 : 60, warmupMs: 100, minOpsPerRound: 1 };
  return {
    rounds: bulk ? 9 : 15,
    roundMs: bulk ? 150 : 60,
    warmupMs: bulk ? 300 : 250,
    minOpsPerRound: bulk ? 2 : 1,
  };
}

async function main(): Promise<void> {
  const args = new Set(process.argv.slice(2));
  const quick = args.has('--quick');
  const write = !args.has('--no-write');
  const started = Date.now();
  // What code the figures belong to (the library loads at start-up, so record it first).
  const code = codeProvenance(repoRoot, 'libs/crypto/src');
  const log = (line: string): void => void process.stderr.write(`bench:crypto ${line}\n`);

  const inputs = makeInputs();
  const nonce = fasterNonceSource();
  log(`nonce source for sodium-native: ${nonce.source}`);

  const harbour = await harbourCases(inputs);
  for (const note of harbour.skipped) log(`skipped ${note}`);
  if (!harbour.blindIndexSource.startsWith('libs/'))
    log(`blind index: ${harbour.blindIndexSource}`);
  const cases: Case[] = [
    ...sodiumNativeCases(inputs, nonce.source),
    ...harbour.cases,
    ...(await ciphersweetCases(inputs)),
    ...(await aesNodeCases(inputs)),
  ];

  // Every case proves it does the real work before anything is timed.
  const checks = new Map<string, CheckResult>();
  for (const c of cases) checks.set(c.id, await c.check());
  requireEqual(
    checks.get('blindIndex.harbour')?.indexValue ===
      checks.get('blindIndex.sodium-native')?.indexValue,
    'Harbour and the sodium-native baseline compute the same blind index value',
  );

  const results: CaseResult[] = [];
  const timings: Partial<Record<Category, Timing>> = {};
  for (const category of CATEGORIES) {
    const group = cases.filter((c) => c.category === category);
    const timing = timingFor(category, quick);
    timings[category] = timing;
    log(`${category}: ${group.length} implementations, ${timing.rounds} rounds`);
    const stats = await measureGroup(group, timing);
    for (const c of group)
      results.push({ case: c, stats: stats.get(c.id)!, check: checks.get(c.id)! });
  }

  const report = buildResults({
    command: invokedAs(process.argv.slice(2)),
    quick,
    machine: machineInfo(),
    code,
    durationSeconds: Math.round((Date.now() - started) / 100) / 10,
    timings,
    inputs: {
      fieldBytes: inputs.fieldBytes.length,
      associatedDataBytes: inputs.adBytes.length,
      bulkBytes: BULK_BYTES,
      blindIndex: {
        indexName: BLIND_INDEX_NAME,
        normalisationVersion: NORMALISATION_VERSION,
        bits: BLIND_INDEX_BITS,
        source: harbour.blindIndexSource,
      },
      sodiumNativeNonce: nonce,
    },
    skipped: harbour.skipped,
    results,
  });

  process.stdout.write(`${stdoutReport(report)}\n`);
  if (write) {
    const json = resolve(repoRoot, 'bench-results/crypto.json');
    const docs = resolve(repoRoot, 'docs/benchmarks.md');
    writeJsonAtomically(json, report);
    await replaceDocsSection(docs, DOCS_HEADING, markdownSection(report));
    process.stdout.write(
      `\nwrote bench-results/crypto.json and docs/benchmarks.md (${DOCS_HEADING})\n`,
    );
  }
  // Keeps the sink observable, so no timed result was ever unused.
  if (sink.value === Number.MIN_SAFE_INTEGER) process.stdout.write('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:crypto failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
