import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** The repository root (the built API lives in its `dist/apps/api`). */
export const ROOT = resolve(__dirname, '../../../../..');
export const API_MAIN = join(ROOT, 'dist/apps/api/main.js');
export const API_CLI = join(ROOT, 'dist/apps/api/cli.js');

export async function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.unref();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => done(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}

export interface ApiProcess {
  /** `http://127.0.0.1:<port>` (no trailing slash). */
  readonly url: string;
  readonly port: number;
  readonly child: ChildProcess;
  /** Parsed JSON log lines the API printed so far (stdout). */
  readonly logs: Record<string, unknown>[];
  /** Resolves with the exit code (null after a signal) and signal once the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** `kill -9`: no shutdown hook runs. */
  kill9(): Promise<void>;
  /** Sends `signal` (SIGTERM by default) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts the BUILT API (`dist/apps/api/main.js`, `npx nx run api:build`) as a child process on
 * a private port, against a database it does not own (external mode: `DATABASE_URL` and
 * `DATABASE_MIGRATION_URL`), so a test can kill either side on its own. Resolves once it logs
 * `listening`.
 */
export async function startApi(options: {
  databaseUrl: string;
  migrationUrl: string;
  dataDir: string;
  port?: number;
  env?: Record<string, string>;
}): Promise<ApiProcess> {
  const port = options.port ?? (await freePort());
  const child = spawn(process.execPath, ['--enable-source-maps', API_MAIN], {
    cwd: ROOT,
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: process.env['HOME'] ?? '/tmp',
      TZ: 'UTC',
      NODE_ENV: 'development',
      DATABASE_URL: options.databaseUrl,
      DATABASE_MIGRATION_URL: options.migrationUrl,
      HARBOUR_DATA_DIR: options.dataDir,
      HARBOUR_SEED_DEMO: 'false',
      HARBOUR_CONSOLE_DIR: 'none',
      PORT: String(port),
      LOG_LEVEL: 'info',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: Record<string, unknown>[] = [];
  let output = '';
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
    child.once('exit', (code, signal) => done({ code, signal })),
  );
  let pending = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const text = chunk.toString('utf8');
    output = (output + text).slice(-20_000);
    pending += text;
    let newline: number;
    while ((newline = pending.indexOf('\n')) >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (!line.startsWith('{')) continue;
      try {
        logs.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // A line cut by a kill.
      }
    }
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output = (output + chunk.toString('utf8')).slice(-20_000);
  });

  await new Promise<void>((done, fail) => {
    const timer = setTimeout(() => {
      clearInterval(poll);
      fail(new Error(`the API did not start in time. Output:\n${output}`));
    }, 60_000);
    const poll = setInterval(() => {
      if (logs.some((entry) => entry['msg'] === 'listening')) {
        clearTimeout(timer);
        clearInterval(poll);
        done();
      }
    }, 20);
    void exited.then(({ code }) => {
      clearTimeout(timer);
      clearInterval(poll);
      fail(new Error(`the API exited (code ${code}) before listening. Output:\n${output}`));
    });
  });

  const running = (): boolean => child.exitCode === null && child.signalCode === null;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    child,
    logs,
    exited,
    kill9: async () => {
      if (running()) child.kill('SIGKILL');
      await exited;
    },
    stop: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (running()) child.kill(signal);
      return exited;
    },
  };
}
