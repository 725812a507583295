#!/usr/bin/env node
// Supply-chain checks (docs/supply-chain.md, security target T22), one per sub-command:
//
//   node tools/supply/supply-chain.mjs lockfile [--lockfile <path>]
//   node tools/supply/supply-chain.mjs sbom [--output <path>]
//   node tools/supply/supply-chain.mjs audit [--audit-json <file>] [--exceptions <file>]
//
// Exit status: 0 passed, 1 failed, 75 skipped (EX_TEMPFAIL: the registry's audit service could
// not be reached or refused the request; `npm test` counts it as skipped, never as failed).
// `lockfile` and `sbom` need no network and must pass. `audit` fails only on a high or
// critical advisory that docs/supply-chain.md does not list as an accepted exception (or whose
// exception is past its review date).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SKIPPED = 75;
const bin = (name) => join(root, 'node_modules/.bin', name);

function option(args, name, fallback) {
  const i = args.indexOf(name);
  return i >= 0 && i + 1 < args.length ? args[i + 1] : fallback;
}

function say(line) {
  process.stdout.write(`${line}\n`);
}

// ---------------------------------------------------------------------------------------------
// lockfile: lockfile-lint (https, the npm registry only, package names match their URLs) and our
// own pass over every entry, because this repository's lockfile omits `resolved` (npm's
// omit-lockfile-registry-resolved), so lockfile-lint alone would see no URL to check.

/** Problems in a parsed package-lock.json (lockfileVersion 2 or 3); empty when it is clean. */
export function lockfileProblems(lock) {
  const problems = [];
  if (!lock || typeof lock !== 'object' || typeof lock.packages !== 'object') {
    return ['not a lockfile with a "packages" map (lockfileVersion 2 or 3)'];
  }
  if (lock.lockfileVersion !== 2 && lock.lockfileVersion !== 3) {
    problems.push(`lockfileVersion ${lock.lockfileVersion} (expected 2 or 3)`);
  }
  const SOURCE = /^(git\+|git:|github:|gitlab:|bitbucket:|gist:|https?:|file:|link:)|\.git(#|$)/i;
  for (const [path, entry] of Object.entries(lock.packages)) {
    if (path === '' || entry.link === true) continue; // the project itself, a workspace link
    const where = path.replace(/^.*node_modules\//, '');
    if (typeof entry.version !== 'string' || SOURCE.test(entry.version)) {
      problems.push(`${where}: version ${JSON.stringify(entry.version)} is not a registry version`);
    }
    if (entry.resolved !== undefined) {
      let url;
      try {
        url = new URL(entry.resolved);
      } catch {
        problems.push(`${where}: resolved ${JSON.stringify(entry.resolved)} is not a URL`);
        continue;
      }
      // Its host is lockfile-lint's to check (--allowed-hosts npm).
      if (url.protocol !== 'https:') problems.push(`${where}: resolved over ${url.protocol}`);
    }
    if (
      typeof entry.integrity !== 'string' ||
      !/^sha512-[A-Za-z0-9+/]{86}==$/.test(entry.integrity)
    ) {
      problems.push(`${where}: no sha512 integrity`);
    }
  }
  return problems;
}

function lockfile(args) {
  const path = resolve(option(args, '--lockfile', join(root, 'package-lock.json')));
  const lint = spawnSync(
    bin('lockfile-lint'),
    [
      '--path',
      path,
      '--type',
      'npm',
      '--allowed-hosts',
      'npm',
      '--validate-https',
      '--validate-integrity',
      '--validate-package-names',
      '--empty-hostname',
      'false',
    ],
    { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } },
  );
  let failed = false;
  if (lint.status !== 0) {
    failed = true;
    say(`lockfile-lint: ${(lint.stderr || lint.stdout || lint.error?.message || '').trim()}`);
  }
  let lock;
  try {
    lock = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    say(`lockfile: cannot read ${path}: ${error.message}`);
    return 1;
  }
  const problems = lockfileProblems(lock);
  for (const p of problems.slice(0, 50)) say(`lockfile: ${p}`);
  if (problems.length > 50) say(`lockfile: … and ${problems.length - 50} more`);
  const entries = Object.keys(lock.packages ?? {}).length - 1;
  if (problems.length > 0 || failed) {
    say(`lockfile: FAILED (${problems.length} problems in ${entries} entries)`);
    return 1;
  }
  say(
    `lockfile: ${entries} entries, all registry versions with sha512 integrity, no git/http/file sources`,
  );
  return 0;
}

// ---------------------------------------------------------------------------------------------
// sbom: a CycloneDX 1.6 JSON SBOM of the installed tree (production and development
// dependencies: the build tools are part of what ships), reproducible (no timestamp or serial).

function sbom(args) {
  const output = resolve(option(args, '--output', join(root, 'tmp/sbom/harbour.cdx.json')));
  mkdirSync(dirname(output), { recursive: true });
  const run = spawnSync(
    bin('cyclonedx-npm'),
    [
      '--output-format',
      'JSON',
      '--spec-version',
      '1.6',
      '--output-reproducible',
      '--validate',
      '--mc-type',
      'application',
      '--output-file',
      output,
      join(root, 'package.json'),
    ],
    { cwd: root, encoding: 'utf8', env: { ...process.env, FORCE_COLOR: '0' } },
  );
  if (run.status !== 0 || !existsSync(output)) {
    say(`sbom: cyclonedx-npm failed (exit ${run.status ?? run.signal})`);
    say((run.stderr || run.error?.message || '').trim().split('\n').slice(-20).join('\n'));
    return 1;
  }
  const bom = JSON.parse(readFileSync(output, 'utf8'));
  const all = [];
  const walk = (list) => {
    for (const c of list ?? []) {
      all.push(c);
      walk(c.components);
    }
  };
  walk(bom.components);
  const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8'));
  const direct = Object.keys({
    ...(lock.packages[''].dependencies ?? {}),
    ...(lock.packages[''].devDependencies ?? {}),
  });
  const names = new Set(all.map((c) => (c.group ? `${c.group}/${c.name}` : c.name)));
  const missing = direct.filter((name) => !names.has(name));
  const problems = [];
  if (bom.bomFormat !== 'CycloneDX') problems.push(`bomFormat ${bom.bomFormat}`);
  if (bom.specVersion !== '1.6') problems.push(`specVersion ${bom.specVersion}`);
  if (bom.metadata?.component?.name !== lock.name) problems.push('metadata.component is not us');
  if (missing.length > 0) problems.push(`direct dependencies missing: ${missing.join(', ')}`);
  if (all.some((c) => typeof c.purl !== 'string' || !c.purl.startsWith('pkg:npm/'))) {
    problems.push('a component without an npm package URL');
  }
  if (problems.length > 0) {
    say(`sbom: FAILED: ${problems.join('; ')}`);
    return 1;
  }
  const size = statSync(output).size;
  say(
    `sbom: CycloneDX ${bom.specVersion}, ${all.length} components (all ${direct.length} direct ` +
      `dependencies present), ${(size / 1024).toFixed(0)} KiB → ${output.slice(root.length + 1)}`,
  );
  return 0;
}

// ---------------------------------------------------------------------------------------------
// audit

/**
 * Accepted exceptions from docs/supply-chain.md: the rows of the table under the heading
 * "Accepted audit exceptions" whose first cell names a GitHub advisory (GHSA-…); columns
 * advisory | package | severity | why it is accepted | review by (YYYY-MM-DD).
 */
export function parseExceptions(markdown) {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^#+ Accepted audit exceptions/.test(l));
  if (start === -1) return [];
  const exceptions = [];
  for (const line of lines.slice(start + 1)) {
    if (/^#+ /.test(line)) break;
    if (!line.startsWith('|')) continue;
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim().replace(/`/g, ''));
    const id = /GHSA(-[23456789cfghjmpqrvwx]{4}){3}/.exec(cells[0] ?? '')?.[0];
    if (!id) continue;
    exceptions.push({
      id,
      package: cells[1] ?? '',
      reason: cells[3] ?? '',
      reviewBy: /^\d{4}-\d{2}-\d{2}$/.test(cells[4] ?? '') ? cells[4] : null,
    });
  }
  return exceptions;
}

/**
 * The verdict on one `npm audit --json` run: `skipped` when the audit service gave no report
 * (network down, registry without the audit endpoint, timeout), `failed` on a high or critical
 * advisory without a current exception, else `passed`.
 */
export function auditVerdict({ stdout, status, error }, exceptions, today) {
  let report;
  try {
    report = JSON.parse(stdout);
  } catch {
    report = null;
  }
  if (!report || typeof report.vulnerabilities !== 'object' || report.vulnerabilities === null) {
    const reason =
      error ??
      report?.message ??
      report?.error?.summary ??
      (stdout.trim() ? 'unreadable output' : `no output (exit ${status})`);
    return { verdict: 'skipped', reason: `npm audit gave no report: ${reason}`, findings: [] };
  }
  const advisories = new Map();
  for (const [pkg, vulnerability] of Object.entries(report.vulnerabilities)) {
    for (const via of vulnerability.via ?? []) {
      if (typeof via !== 'object' || via === null) continue;
      const id = /GHSA(-[a-z0-9]{4}){3}/.exec(via.url ?? '')?.[0] ?? String(via.source);
      const key = `${id} ${via.name ?? pkg}`;
      if (!advisories.has(key)) {
        advisories.set(key, {
          id,
          package: via.name ?? pkg,
          severity: via.severity,
          title: via.title ?? '',
          range: via.range ?? '',
        });
      }
    }
  }
  const serious = [...advisories.values()].filter(
    (a) => a.severity === 'high' || a.severity === 'critical',
  );
  const findings = serious.map((a) => {
    const exception = exceptions.find((e) => e.id === a.id);
    let accepted = false;
    let note = 'not listed in docs/supply-chain.md';
    if (exception && exception.reviewBy && exception.reviewBy < today) {
      note = `exception expired on ${exception.reviewBy}`;
    } else if (exception) {
      accepted = true;
      note = `accepted: ${exception.reason}`;
    }
    return { ...a, accepted, note };
  });
  const counts = report.metadata?.vulnerabilities ?? {};
  const stale = exceptions.filter((e) => !serious.some((a) => a.id === e.id)).map((e) => e.id);
  return {
    verdict: findings.some((f) => !f.accepted) ? 'failed' : 'passed',
    counts,
    findings,
    stale,
  };
}

function audit(args) {
  const exceptionsFile = option(args, '--exceptions', join(root, 'docs/supply-chain.md'));
  const exceptions = existsSync(exceptionsFile)
    ? parseExceptions(readFileSync(exceptionsFile, 'utf8'))
    : [];
  const recorded = option(args, '--audit-json', null);
  let run;
  if (recorded) {
    run = { stdout: readFileSync(recorded, 'utf8'), status: 1 };
  } else {
    // The npm that runs this script (npm test), else the one on PATH. 120 s at most: a registry
    // that hangs is an outage, not a finding.
    const npmCli = process.env.npm_execpath;
    const [cmd, pre] =
      npmCli && npmCli.endsWith('.js') ? [process.execPath, [npmCli]] : ['npm', []];
    const spawned = spawnSync(cmd, [...pre, 'audit', '--json', '--audit-level=high'], {
      cwd: root,
      encoding: 'utf8',
      timeout: 120_000,
      maxBuffer: 64 * 1024 * 1024,
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    run = {
      stdout: spawned.stdout ?? '',
      status: spawned.status,
      error: spawned.error
        ? spawned.error.code === 'ETIMEDOUT'
          ? 'timed out after 120 s'
          : spawned.error.message
        : undefined,
    };
  }
  const today = option(args, '--today', new Date().toISOString().slice(0, 10));
  const result = auditVerdict(run, exceptions, today);
  if (result.verdict === 'skipped') {
    say(`audit: SKIPPED: ${result.reason}`);
    return SKIPPED;
  }
  const c = result.counts;
  say(
    `audit: ${c.critical ?? 0} critical, ${c.high ?? 0} high, ${c.moderate ?? 0} moderate, ` +
      `${c.low ?? 0} low (${c.total ?? 0} vulnerable packages)`,
  );
  for (const f of result.findings) {
    say(
      `audit: ${f.accepted ? 'accepted' : 'FAILED'} ${f.severity} ${f.id} ${f.package}: ${f.title} (${f.note})`,
    );
  }
  for (const id of result.stale)
    say(`audit: exception ${id} no longer matches a finding (remove it)`);
  return result.verdict === 'failed' ? 1 : 0;
}

const COMMANDS = { lockfile, sbom, audit };

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [command, ...args] = process.argv.slice(2);
  if (!(command in COMMANDS)) {
    process.stderr.write(`usage: supply-chain.mjs ${Object.keys(COMMANDS).join('|')} [options]\n`);
    process.exit(2);
  }
  process.exit(COMMANDS[command](args));
}
