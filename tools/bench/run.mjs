#!/usr/bin/env node
// `npm run bench`: every benchmark, one after the other, each in its own Node process (so one
// cannot warm up or slow down the next). `npm run bench:<name>` runs one: `node
// tools/bench/run.mjs <name> [options]`. Benchmarks are TypeScript, loaded without a build
// step through register.cjs. They write bench-results/<name>.json and their section of
// docs/benchmarks.md. Benchmarks are not tests (docs/style.md §21).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

/** name → entry point. Add a line here for a new benchmark. */
const BENCHMARKS = {
  crypto: 'crypto/main.ts',
  audit: 'audit/main.ts',
  records: 'records/main.ts',
  reports: 'reports/main.ts',
  keys: 'keys/main.ts',
  backup: 'backup/main.ts',
  lookup: 'lookup/main.ts',
  console: 'console/main.ts',
  load: 'load/main.ts',
};

const args = process.argv.slice(2);
const names = args.filter((a) => !a.startsWith('-'));
const options = args.filter((a) => a.startsWith('-'));
const unknown = names.filter((n) => !(n in BENCHMARKS));
if (unknown.length > 0) {
  process.stderr.write(
    `unknown benchmark: ${unknown.join(', ')} (known: ${Object.keys(BENCHMARKS).join(', ')})\n`,
  );
  process.exit(2);
}

let failed = 0;
for (const name of names.length > 0 ? names : Object.keys(BENCHMARKS)) {
  const entry = join(here, BENCHMARKS[name]);
  if (!existsSync(entry)) throw new Error(`missing ${entry}`);
  const run = spawnSync(
    process.execPath,
    ['--require', join(here, 'register.cjs'), entry, ...options],
    { cwd: root, stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } },
  );
  if (run.status !== 0) {
    process.stderr.write(`bench ${name} failed (exit ${run.status ?? run.signal})\n`);
    failed++;
  }
}
process.exit(failed > 0 ? 1 : 0);
