import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionUrl } from '../../infra/database/embedded-postgres';
import { API_CLI, API_MAIN, freePort, ROOT, startApi, type ApiProcess } from './api-process';
import type { DemoLogin } from './http-client';
import { PostgresProcess } from './postgres-process';

/** Environment variable through which global setup hands the template folder to the tests. */
export const TEMPLATE_ENV = 'HARBOUR_FAULTS_TEMPLATE';

/**
 * Builds the data folder every fault test starts from, once per run: the built API in its
 * embedded mode (as `npm start` runs it) initialises a cluster, migrates, seeds the demo
 * organisations and logins, and is stopped cleanly. Tests copy the folder (`cp -a`), so each
 * has its own server, and all of them share the 20 s of seeding.
 */
export async function buildTemplate(): Promise<string> {
  if (!existsSync(API_MAIN)) {
    throw new Error(`${API_MAIN} is missing: build the API first (npx nx run api:build)`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'harbour-faults-template-'));
  const child = spawn(process.execPath, [API_MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: process.env['HOME'] ?? '/tmp',
      TZ: 'UTC',
      NODE_ENV: 'development',
      HARBOUR_DATA_DIR: dir,
      HARBOUR_EMBEDDED_DB_PORT: String(await freePort()),
      HARBOUR_CONSOLE_DIR: 'none',
      PORT: String(await freePort()),
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
  await new Promise<void>((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`template: no start in time\n${output}`)),
      120_000,
    );
    const onData = (chunk: Buffer): void => {
      output = (output + chunk.toString('utf8')).slice(-20_000);
      if (output.includes('"msg":"listening"')) {
        clearTimeout(timer);
        done();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    void exited.then((code) => {
      clearTimeout(timer);
      fail(new Error(`template: the API exited (code ${code}) before listening\n${output}`));
    });
  });
  child.kill('SIGINT');
  const code = await exited;
  if (code !== 0) throw new Error(`template: the API stopped with code ${code}\n${output}`);
  return dir;
}

/** One fault test's own Harbour: a copy of the template, its PostgreSQL and its API process(es). */
export class FaultHarbour {
  readonly postgres: PostgresProcess;
  readonly appUrl: string;
  readonly ownerUrl: string;
  readonly logins: readonly DemoLogin[];
  private readonly apis = new Set<ApiProcess>();

  private constructor(
    /** The copy of the template data folder (master key, role passwords, `postgres/`). */
    readonly dataDir: string,
    port: number,
    private readonly removeOnDestroy: string,
  ) {
    this.postgres = new PostgresProcess(join(dataDir, 'postgres'), port);
    const roles = JSON.parse(readFileSync(join(dataDir, 'db-roles.json'), 'utf8')) as {
      owner: string;
      app: string;
    };
    this.appUrl = connectionUrl('harbour_app', roles.app, port, 'harbour');
    this.ownerUrl = connectionUrl('harbour_owner', roles.owner, port, 'harbour');
    this.logins = JSON.parse(
      readFileSync(join(dataDir, 'demo-credentials.json'), 'utf8'),
    ) as DemoLogin[];
  }

  /**
   * Copies the template into `into` (default: a new temporary folder; a tmpfs mount point for
   * the disk-full case) and starts its PostgreSQL on a private port.
   */
  static async create(into?: string): Promise<FaultHarbour> {
    const template = process.env[TEMPLATE_ENV];
    if (template === undefined || !existsSync(template)) {
      throw new Error(`${TEMPLATE_ENV} is not set: run through jest.faults.config.cjs`);
    }
    const dataDir = into ?? mkdtempSync(join(tmpdir(), 'harbour-faults-'));
    mkdirSync(dataDir, { recursive: true });
    // -a keeps owners and modes: the cluster belongs to the `postgres` user when run as root.
    execFileSync('cp', ['-a', `${template}/.`, dataDir]);
    const harbour = new FaultHarbour(dataDir, await freePort(), into === undefined ? dataDir : '');
    await harbour.postgres.start();
    return harbour;
  }

  login(role: string, organisation?: string): DemoLogin {
    const found = this.logins.find(
      (l) => l.role === role && (organisation === undefined || l.organisation === organisation),
    );
    if (found === undefined) throw new Error(`no demo login with role ${role}`);
    return found;
  }

  async startApi(options: { env?: Record<string, string>; port?: number } = {}) {
    const api = await startApi({
      databaseUrl: this.appUrl,
      migrationUrl: this.ownerUrl,
      dataDir: this.dataDir,
      ...options,
    });
    this.apis.add(api);
    void api.exited.then(() => this.apis.delete(api));
    return api;
  }

  /** `harbour verify-audit` (the operator CLI, a real process) over every organisation. */
  verifyAudit(): Promise<{ code: number | null; output: string }> {
    return new Promise((done) => {
      const child = spawn(process.execPath, [API_CLI, 'verify-audit'], {
        cwd: ROOT,
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          TZ: 'UTC',
          NODE_ENV: 'development',
          DATABASE_URL: this.appUrl,
          DATABASE_MIGRATION_URL: this.ownerUrl,
          HARBOUR_DATA_DIR: this.dataDir,
          LOG_LEVEL: 'warn',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
      child.once('exit', (code) => done({ code, output }));
    });
  }

  /** Stops every API process and the database, then deletes the folder (if it made it). */
  async destroy(): Promise<void> {
    for (const api of [...this.apis]) await api.kill9();
    if (this.postgres.pid !== null) await this.postgres.kill9().catch(() => undefined);
    if (this.removeOnDestroy !== '') {
      rmSync(this.removeOnDestroy, { recursive: true, force: true });
    }
  }
}
