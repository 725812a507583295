#!/usr/bin/env node
// `npm test`: every check Harbour has, in one run, ending with one line
// `N passed, N failed, N skipped` that totals every runner. Jest suites count their tests;
// format, lint, each typecheck, each supply-chain check and the build count as one check each.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const bin = (name) => join(root, 'node_modules/.bin', name);
const resultsDir = join(root, 'tmp/test-results');
rmSync(resultsDir, { recursive: true, force: true });
mkdirSync(resultsDir, { recursive: true });

const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NG_CLI_ANALYTICS: 'false',
  TZ: 'UTC',
  FORCE_COLOR: process.stdout.isTTY ? '1' : '0',
};

const TYPECHECKS = [
  'libs/domain/tsconfig.lib.json',
  'libs/domain/tsconfig.spec.json',
  'libs/crypto/tsconfig.lib.json',
  'libs/crypto/tsconfig.spec.json',
  'apps/api/tsconfig.app.json',
  'apps/api/tsconfig.spec.json',
  'apps/console/tsconfig.app.json',
  'apps/console/tsconfig.spec.json',
  'apps/console-e2e/tsconfig.json',
  'tools/tsconfig.json',
  'migrations/tsconfig.json',
];

const steps = [
  { name: 'format', kind: 'check', cmd: [bin('prettier'), '--check', '.', '--log-level', 'warn'] },
  { name: 'lint', kind: 'check', cmd: [bin('eslint'), '.', '--max-warnings', '0'] },
  ...TYPECHECKS.map((project) => ({
    name: `typecheck ${project}`,
    kind: 'check',
    cmd: [bin('tsc'), '-p', project, '--noEmit'],
  })),
  // Supply chain (docs/supply-chain.md): lockfile lint and SBOM are offline and must pass; npm
  // audit exits 75 when the registry gives no report, which counts as skipped, never failed.
  ...['lockfile', 'sbom', 'audit'].map((check) => ({
    name: `supply chain: ${check}`,
    kind: 'check',
    cmd: [process.execPath, join(root, 'tools/supply/supply-chain.mjs'), check],
    ...(check === 'audit' ? { skippedStatus: 75 } : {}),
  })),
  { name: 'unit', kind: 'jest', cmd: jest('jest.unit.config.cjs', 'unit') },
  {
    name: 'medium (real PostgreSQL, incl. migration drift)',
    kind: 'jest',
    // Two workers even on two cores: each test file has its own database on the shared server,
    // and much of a medium test is waiting on PostgreSQL (Jest's default here would be one).
    cmd: jest('jest.medium.config.cjs', 'medium', ['--maxWorkers=2']),
  },
  {
    name: 'build (API and console)',
    kind: 'check',
    cmd: [bin('nx'), 'run-many', '-t', 'build', '-p', 'api,console', '--outputStyle=static'],
  },
  {
    // Real processes on loopback against the API just built: kill -9, database down, disk full.
    name: 'faults (kill -9, database down, disk full, SIGTERM)',
    kind: 'jest',
    cmd: jest('jest.faults.config.cjs', 'faults'),
  },
  {
    name: 'e2e (Chromium)',
    kind: 'jest',
    cmd: jest('apps/console-e2e/jest.config.cjs', 'e2e', ['--runInBand']),
    needsBrowser: true,
  },
];

function jest(config, label, extra = []) {
  return [
    bin('jest'),
    '-c',
    config,
    '--ci',
    '--json',
    `--outputFile=${join(resultsDir, `${label}.json`)}`,
    ...extra,
  ];
}

const CHROMIUM = process.env.HARBOUR_CHROMIUM ?? '/usr/bin/chromium';
const totals = { passed: 0, failed: 0, skipped: 0 };
const rows = [];

for (const step of steps) {
  if (step.needsBrowser && !existsSync(CHROMIUM)) {
    if (process.env.CI === 'true' || process.env.CI === '1') {
      process.stdout.write(
        `\n✗ ${step.name}: Chromium is missing at ${CHROMIUM} (CI must run browser tests)\n`,
      );
      record(step.name, { passed: 0, failed: 1, skipped: 0 });
    } else {
      process.stdout.write(
        `\n- ${step.name}: SKIPPED, Chromium not found at ${CHROMIUM}. Install it with \`apt-get install -y chromium\`.\n`,
      );
      record(step.name, { passed: 0, failed: 0, skipped: 1 });
    }
    continue;
  }
  process.stdout.write(`\n▶ ${step.name}\n`);
  const started = Date.now();
  const run = spawnSync(step.cmd[0], step.cmd.slice(1), { cwd: root, env, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  let counts;
  if (step.kind === 'jest') {
    counts = jestCounts(
      step.cmd.find((a) => a.startsWith('--outputFile='))?.slice('--outputFile='.length),
    );
    if (run.status !== 0 && counts.failed === 0) counts.failed = 1; // crashed or a suite failed to load
  } else {
    counts =
      run.status === 0
        ? { passed: 1, failed: 0, skipped: 0 }
        : step.skippedStatus !== undefined && run.status === step.skippedStatus
          ? { passed: 0, failed: 0, skipped: 1 }
          : { passed: 0, failed: 1, skipped: 0 };
  }
  record(`${step.name} (${seconds}s)`, counts);
}

function jestCounts(file) {
  if (!file || !existsSync(file)) return { passed: 0, failed: 1, skipped: 0 };
  const result = JSON.parse(readFileSync(file, 'utf8'));
  const failedSuites = result.testResults.filter(
    (s) => s.status === 'failed' && s.assertionResults.length === 0,
  ).length;
  return {
    passed: result.numPassedTests,
    failed: result.numFailedTests + failedSuites,
    skipped: result.numPendingTests + result.numTodoTests,
  };
}

function record(name, counts) {
  rows.push([name, counts]);
  totals.passed += counts.passed;
  totals.failed += counts.failed;
  totals.skipped += counts.skipped;
}

process.stdout.write('\nSummary\n');
for (const [name, c] of rows) {
  const mark = c.failed > 0 ? '✗' : c.passed > 0 ? '✓' : '-';
  process.stdout.write(
    `  ${mark} ${name}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped\n`,
  );
}
process.stdout.write(
  `${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped\n`,
);
process.exit(totals.failed > 0 ? 1 : 0);
