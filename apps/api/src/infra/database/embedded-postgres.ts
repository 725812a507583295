import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  chownSync,
  closeSync,
  createWriteStream,
  existsSync,
  mkdirSync,
  openSync,
  readFileSync,
  rmSync,
  statSync,
  type WriteStream,
} from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgresError, SUPERUSER } from './embedded-postgres-errors';
import {
  makeReachable,
  resolveBinaries,
  run,
  serverUser,
  sleep,
  writeSecretFile,
  type OsUser,
} from './postgres-host';

export { EmbeddedPostgresError } from './embedded-postgres-errors';

/**
 * A real PostgreSQL server from the `embedded-postgres` binaries, for development, tests and
 * benchmarks. We drive `initdb` and `postgres` ourselves rather than through the package's
 * class, so that we control the server settings (docs/security.md T14), the process group (Ctrl-C
 * reaches the API first; the API stops the database last) and what happens when run as root.
 */
export interface EmbeddedPostgresOptions {
  /**
   * Folder holding only the cluster (`PGDATA`), its superuser credentials and its log. When run
   * as root, the whole folder is handed to the `postgres` system user, so keep nothing else here.
   */
  readonly dir: string;
  readonly port: number;
  /** Test and benchmark clusters trade durability for speed; never for `npm start`. */
  readonly durability: 'full' | 'none';
  /** Receives progress lines; server output goes to `<dir>/postgres.log`. */
  readonly onProgress?: (message: string) => void;
  /**
   * Server settings for this cluster on top of the fixed ones (e.g. a benchmark's
   * `shared_buffers`); the logging settings of `SERVER_SETTINGS` cannot be overridden.
   */
  readonly settings?: Readonly<Record<string, string>>;
}

export interface ClusterCredentials {
  readonly superuserPassword: string;
}

/** Settings applied at every start; they make the server log nothing that could hold a value. */
export const SERVER_SETTINGS: Readonly<Record<string, string>> = {
  listen_addresses: '127.0.0.1',
  unix_socket_directories: '',
  password_encryption: 'scram-sha-256',
  // docs/security.md T14: the server log never carries statement text or bind parameters.
  log_statement: 'none',
  log_parameter_max_length: '0',
  log_parameter_max_length_on_error: '0',
  log_min_error_statement: 'panic',
  // ERROR messages can quote a value ("invalid input syntax for type integer: ..."); `log`
  // ranks above `error` here, so ERROR lines are not logged while FATAL and LOG lines are.
  log_min_messages: 'log',
  log_error_verbosity: 'terse',
  log_min_duration_statement: '-1',
  log_duration: 'off',
  log_connections: 'off',
  log_disconnections: 'off',
  logging_collector: 'off',
  timezone: 'UTC',
  log_timezone: 'UTC',
  max_connections: '200',
};

const FAST_SETTINGS: Readonly<Record<string, string>> = {
  fsync: 'off',
  synchronous_commit: 'off',
  full_page_writes: 'off',
};

const START_TIMEOUT_MS = 60_000;
const STOP_TIMEOUT_MS = 30_000;

export class EmbeddedPostgres {
  private process: ChildProcess | null = null;
  private logStream: WriteStream | null = null;
  /** True when this object started the server (and so must stop it). */
  private owned = false;
  private credentials: ClusterCredentials | null = null;

  constructor(private readonly options: EmbeddedPostgresOptions) {
    const fixed = Object.keys(options.settings ?? {}).filter(
      (key) => key in SERVER_SETTINGS || key === 'port',
    );
    if (fixed.length > 0) {
      throw new EmbeddedPostgresError(
        `fixed server settings cannot be changed: ${fixed.join(', ')}`,
      );
    }
  }

  get port(): number {
    return this.options.port;
  }

  get dataDir(): string {
    return join(this.options.dir, 'pgdata');
  }

  get logFile(): string {
    return join(this.options.dir, 'postgres.log');
  }

  /** Whether this object started the server process (as opposed to reusing a running one). */
  get startedHere(): boolean {
    return this.owned;
  }

  get superuserPassword(): string {
    if (this.credentials === null) throw new EmbeddedPostgresError('the cluster is not started');
    return this.credentials.superuserPassword;
  }

  superuserUrl(database = 'postgres'): string {
    return connectionUrl(SUPERUSER, this.superuserPassword, this.port, database);
  }

  /**
   * Initialises the cluster on first use, then starts the server, or reuses the one already
   * running on this data folder (a second `npm start`, or tests beside a running console).
   */
  async start(): Promise<void> {
    const { dir } = this.options;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const runAs = serverUser();
    const binaries = resolveBinaries();
    if (runAs !== null) makeReachable([binaries.bin, binaries.lib, binaries.share], runAs);

    this.credentials = this.loadOrCreateCredentials();

    if (!existsSync(join(this.dataDir, 'PG_VERSION'))) {
      await this.initialiseOnce(binaries.initdb, runAs);
    }

    const runningPid = livePostmasterPid(this.dataDir);
    if (runningPid !== null) {
      if (await this.accepting()) {
        this.progress(`reusing the database server already running (pid ${runningPid})`);
        return;
      }
      throw new EmbeddedPostgresError(
        `a database server (pid ${runningPid}) holds ${this.dataDir} but does not answer on port ${this.port}`,
      );
    }

    if (runAs !== null) makeReachable([this.options.dir], runAs);
    await this.launch(binaries.postgres, runAs);
  }

  /** Stops the server if this object started it; a reused server is left running. */
  async stop(): Promise<void> {
    const child = this.process;
    if (child === null || !this.owned) return;
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      // SIGINT is PostgreSQL's "fast" shutdown: roll back open transactions, checkpoint, exit.
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGQUIT'), STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
    }
    this.process = null;
    this.owned = false;
    await new Promise<void>((resolve) => {
      if (this.logStream === null) resolve();
      else this.logStream.end(() => resolve());
    });
    this.logStream = null;
  }

  /** Last resort when a graceful stop hangs: PostgreSQL's immediate shutdown (crash-safe). */
  kill(): void {
    if (this.process !== null && this.owned) this.process.kill('SIGQUIT');
  }

  /** Stops the server (if started here) and deletes the whole folder. For tests. */
  async destroy(): Promise<void> {
    await this.stop();
    rmSync(this.options.dir, { recursive: true, force: true });
  }

  private loadOrCreateCredentials(): ClusterCredentials {
    const file = join(this.options.dir, 'superuser.json');
    if (existsSync(file)) {
      const mode = statSync(file).mode & 0o777;
      if ((mode & 0o077) !== 0) {
        throw new EmbeddedPostgresError(`${file} must not be readable by others (chmod 600)`);
      }
      const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
      if (
        typeof parsed === 'object' &&
        parsed !== null &&
        typeof (parsed as { superuserPassword?: unknown }).superuserPassword === 'string'
      ) {
        return { superuserPassword: (parsed as { superuserPassword: string }).superuserPassword };
      }
      throw new EmbeddedPostgresError(`${file} is not a valid credentials file`);
    }
    const credentials = { superuserPassword: randomBytes(24).toString('base64url') };
    writeSecretFile(file, JSON.stringify(credentials, null, 2) + '\n');
    return credentials;
  }

  /**
   * Two processes starting on a fresh folder at once (the API and the CLI, say) must not both
   * run initdb: the first takes a lock file, the other waits for the cluster to appear.
   */
  private async initialiseOnce(initdb: string, runAs: OsUser | null): Promise<void> {
    const lock = join(this.options.dir, '.initialising');
    let fd: number;
    try {
      fd = openSync(lock, 'wx', 0o600);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const deadline = Date.now() + START_TIMEOUT_MS;
      while (!existsSync(join(this.dataDir, 'PG_VERSION')) || existsSync(lock)) {
        if (Date.now() > deadline) {
          throw new EmbeddedPostgresError(
            `another process is initialising ${this.dataDir} (or left ${lock} behind)`,
          );
        }
        await sleep(200);
      }
      return;
    }
    try {
      await this.initialise(initdb, runAs);
    } finally {
      closeSync(fd);
      rmSync(lock, { force: true });
    }
  }

  private async initialise(initdb: string, runAs: OsUser | null): Promise<void> {
    this.progress('initialising a new database cluster');
    rmSync(this.dataDir, { recursive: true, force: true });
    mkdirSync(this.dataDir, { mode: 0o700 });
    const pwfile = join(this.options.dir, `.pwfile-${randomBytes(6).toString('hex')}`);
    writeSecretFile(pwfile, `${this.superuserPassword}\n`);
    if (runAs !== null) {
      makeReachable([this.options.dir], runAs);
      chownSync(this.dataDir, runAs.uid, runAs.gid);
      chownSync(pwfile, runAs.uid, runAs.gid);
    }
    try {
      await run(
        initdb,
        [
          `--pgdata=${this.dataDir}`,
          `--username=${SUPERUSER}`,
          `--pwfile=${pwfile}`,
          '--auth=scram-sha-256',
          '--encoding=UTF8',
          '--locale=C',
          '--no-instructions',
        ],
        runAs,
      );
    } finally {
      rmSync(pwfile, { force: true });
    }
  }

  private async launch(postgres: string, runAs: OsUser | null): Promise<void> {
    const extra = this.options.settings ?? {};
    const settings = {
      ...SERVER_SETTINGS,
      ...(this.options.durability === 'none' ? FAST_SETTINGS : {}),
      ...extra,
      port: String(this.port),
    };
    const args = ['-D', this.dataDir];
    for (const [key, value] of Object.entries(settings)) args.push('-c', `${key}=${value}`);

    this.logStream = createWriteStream(this.logFile, { flags: 'a', mode: 0o600 });
    const logStream = this.logStream;
    const child = spawn(postgres, args, {
      // Own process group: a Ctrl-C in the terminal reaches the API, which closes its pool
      // and then stops the database, in that order.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { LC_ALL: 'C', LANG: 'C', PATH: process.env['PATH'] ?? '/usr/bin:/bin' },
      ...(runAs === null ? {} : { uid: runAs.uid, gid: runAs.gid }),
    });
    this.process = child;
    this.owned = true;

    let recent = '';
    const onOutput = (chunk: Buffer): void => {
      logStream.write(chunk);
      recent = (recent + chunk.toString('utf8')).slice(-4000);
    };
    child.stdout?.on('data', onOutput);
    child.stderr?.on('data', onOutput);

    const exitedEarly = new Promise<never>((_resolve, reject) => {
      child.once('exit', (code, signal) => {
        if (this.process === child) {
          this.process = null;
          this.owned = false;
        }
        reject(
          new EmbeddedPostgresError(
            `the database server exited during start-up (code ${code}, signal ${signal}). ` +
              `Last output:\n${recent}`,
          ),
        );
      });
    });
    exitedEarly.catch(() => undefined);

    const deadline = Date.now() + START_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const ready = await Promise.race([this.accepting(), exitedEarly]);
      if (ready) {
        this.progress(`database server started on 127.0.0.1:${this.port} (pid ${child.pid})`);
        return;
      }
      await Promise.race([sleep(100), exitedEarly]);
    }
    child.kill('SIGQUIT');
    throw new EmbeddedPostgresError(
      `the database server did not start within ${START_TIMEOUT_MS} ms`,
    );
  }

  private async accepting(): Promise<boolean> {
    const client = new Client({
      connectionString: this.superuserUrl(),
      connectionTimeoutMillis: 2000,
    });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  private progress(message: string): void {
    this.options.onProgress?.(message);
  }
}

export function connectionUrl(
  user: string,
  password: string,
  port: number,
  database: string,
): string {
  return `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${encodeURIComponent(database)}`;
}

/** The pid in `postmaster.pid` when that process is alive, otherwise null. */
export function livePostmasterPid(dataDir: string): number | null {
  const pidFile = join(dataDir, 'postmaster.pid');
  if (!existsSync(pidFile)) return null;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8').split('\n')[0] ?? '', 10);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  try {
    process.kill(pid, 0);
    return pid;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
  }
}
