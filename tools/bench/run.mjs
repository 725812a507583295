#!/usr/bin/env node
// `npm run bench`: every benchmark, one after the other, each in its own Node process (so one
// cannot warm up or slow down the next), then the summary at the top of docs/benchmarks.md.
// `npm run bench:<name>` runs one: `node tools/bench/run.mjs <name> [options]`. Benchmarks are
// TypeScript, loaded without a build step through register.cjs. They write
// bench-results/<name>.json and their section of docs/benchmarks.md. Benchmarks are not tests
// (docs/style.md §21). The list, with each one's entry point and section heading, is
// tools/bench/benchmarks.json: a benchmark whose entry point is not in this checkout yet (load,
// tools/bench/load/main.ts) is reported as missing and does not fail the run.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');

/** name → { entry, heading } */
const BENCHMARKS = JSON.parse(readFileSync(join(here, 'benchmarks.json'), 'utf8')).benchmarks;

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

const node = (entry, extra) =>
  spawnSync(process.execPath, ['--require', join(here, 'register.cjs'), entry, ...extra], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });

const failed = [];
const missing = [];
const ran = [];
for (const name of names.length > 0 ? names : Object.keys(BENCHMARKS)) {
  const entry = join(here, BENCHMARKS[name].entry);
  if (!existsSync(entry)) {
    process.stderr.write(`bench ${name}: MISSING, ${entry.slice(root.length + 1)} is not here\n`);
    missing.push(name);
    continue;
  }
  const started = Date.now();
  process.stderr.write(`\n▶ bench ${name}\n`);
  const run = node(entry, options);
  const seconds = Math.round((Date.now() - started) / 1000);
  if (run.status !== 0) {
    process.stderr.write(
      `bench ${name} failed (exit ${run.status ?? run.signal}) after ${seconds} s\n`,
    );
    failed.push(name);
  } else {
    ran.push(`${name} ${seconds} s`);
  }
}

// The summary is rewritten whenever sections may have been (not with --no-write).
if (!options.includes('--no-write')) {
  const summary = node(join(here, 'summary/main.ts'), [
    `--failed=${failed.join(',')}`,
    `--missing=${missing.join(',')}`,
  ]);
  if (summary.status !== 0) failed.push('summary');
}
process.stderr.write(
  `\nbench: ran ${ran.join(', ') || 'nothing'}` +
    `${failed.length > 0 ? `; FAILED ${failed.join(', ')}` : ''}` +
    `${missing.length > 0 ? `; missing ${missing.join(', ')}` : ''}\n`,
);
// A benchmark named on the command line must exist.
const namedMissing = missing.filter((n) => names.includes(n));
process.exit(failed.length > 0 || namedMissing.length > 0 ? 1 : 0);
