#!/usr/bin/env node
// `npm start`: build what changed (Nx cache makes an unchanged build a no-op), then run the API,
// which starts or reuses the embedded PostgreSQL, migrates, seeds demo data and serves the
// console. Ctrl-C or SIGTERM stops the API, which closes its pool and then stops the database.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const env = {
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
  NX_SKIP_NX_CACHE: process.env.NX_SKIP_NX_CACHE ?? 'false',
  NG_CLI_ANALYTICS: 'false',
};
const tty = process.stdout.isTTY === true;
const out = (line) => process.stdout.write(`${line}\n`);

if (process.env.HARBOUR_SKIP_BUILD !== 'true') {
  out('harbour: building the API and the console (unchanged builds come from the Nx cache)…');
  const build = spawnSync(
    join(root, 'node_modules/.bin/nx'),
    ['run-many', '-t', 'build', '-p', 'api,console', '--outputStyle=static'],
    { cwd: root, env, stdio: ['ignore', tty ? 'inherit' : 'pipe', 'inherit'] },
  );
  if (build.status !== 0) {
    if (!tty && build.stdout) process.stdout.write(build.stdout);
    out('harbour: the build failed; see the output above.');
    process.exit(build.status ?? 1);
  }
}

const dataDir = resolve(root, process.env.HARBOUR_DATA_DIR ?? '.harbour');
const api = spawn(process.execPath, ['--enable-source-maps', join(root, 'dist/apps/api/main.js')], {
  cwd: root,
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
});

let startedDatabase = false;
let stopRequested = false;
let buffer = '';
api.stdout.setEncoding('utf8');
api.stdout.on('data', (chunk) => {
  buffer += chunk;
  let newline;
  while ((newline = buffer.indexOf('\n')) >= 0) {
    const line = buffer.slice(0, newline);
    buffer = buffer.slice(newline + 1);
    handleLine(line);
  }
});

function handleLine(line) {
  let entry;
  try {
    entry = JSON.parse(line);
  } catch {
    out(line);
    return;
  }
  if (typeof entry.msg === 'string' && entry.msg.startsWith('database server started')) {
    startedDatabase = true;
  }
  out(tty ? pretty(entry) : line);
  if (entry.msg === 'listening' && typeof entry.url === 'string') banner(entry.url);
}

function pretty(entry) {
  const { level, time, msg, ...rest } = entry;
  delete rest.service;
  delete rest.correlationId;
  const extra = Object.keys(rest).length > 0 ? ` ${JSON.stringify(rest)}` : '';
  const clock = typeof time === 'string' ? time.slice(11, 19) : '';
  return `${clock} ${String(level).padEnd(5)} ${msg}${extra}`;
}

function banner(url) {
  const lines = ['', `  Harbour is running at ${url}`];
  const credentialsFile = join(dataDir, 'demo-credentials.json');
  if (existsSync(credentialsFile)) {
    try {
      const logins = JSON.parse(readFileSync(credentialsFile, 'utf8'));
      lines.push('', '  Demo logins (development only; TOTP secrets are in the file below):');
      for (const login of logins) {
        lines.push(`    ${String(login.role).padEnd(12)} ${login.email}  ${login.password}`);
      }
      lines.push(`  (${credentialsFile})`);
    } catch {
      lines.push(`  Demo logins: see ${credentialsFile}`);
    }
  }
  lines.push('', `  Health: ${url}health/ready`, '  Press Ctrl-C to stop.', '');
  out(lines.join('\n'));
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    stopRequested = true;
    // A terminal Ctrl-C reaches the API directly too; the API treats repeats as one request.
    if (api.exitCode === null) api.kill(signal);
  });
}

// If whatever started us goes away without signalling (a wrapper shell killed), stop too.
const parent = process.ppid;
const watchParent = setInterval(() => {
  if (process.ppid !== parent && api.exitCode === null) {
    stopRequested = true;
    api.kill('SIGTERM');
  }
}, 1000);
watchParent.unref();

api.on('exit', (code, signal) => {
  if (buffer.length > 0) handleLine(buffer);
  const clean = code === 0 || (stopRequested && code === null);
  if (!clean && startedDatabase) stopOrphanedDatabase();
  process.exit(code ?? (signal === 'SIGINT' ? 130 : 1));
});

/** The API died without stopping the database it started: stop it so nothing is left behind. */
function stopOrphanedDatabase() {
  const pidFile = join(dataDir, 'postgres/pgdata/postmaster.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0], 10);
  if (!Number.isInteger(pid) || pid <= 0) return;
  try {
    process.kill(pid, 'SIGINT');
    out(`harbour: stopped the database server (pid ${pid}) left by the API`);
  } catch {
    // Already gone.
  }
}
