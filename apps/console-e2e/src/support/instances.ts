import { mkdtempSync, readFileSync } from 'node:fs';
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { removeDataDir, startHarbour, tempDataDir, type HarbourProcess } from './harbour-process';

/** What every instance is started with (jobs and the witness sped up for a bounded test). */
function commonEnv(witnessDir: string, witnessUrl: string): Record<string, string> {
  return {
    HARBOUR_CONSOLE_DIR: 'none',
    HARBOUR_TRUST_PROXY_HOPS: '1',
    HARBOUR_AUDIT_WITNESS_DIR: witnessDir,
    HARBOUR_AUDIT_WITNESS_URL: witnessUrl,
    HARBOUR_JOBS_POLL_SECONDS: '1',
    HARBOUR_JOBS_SLICE_SECONDS: '1',
    HARBOUR_JOBS_MAINTENANCE_SECONDS: '5',
    HARBOUR_KEY_ROTATION_BATCH: '5',
  };
}

/** One signed checkpoint as the witness webhook received it. */
export interface WitnessPost {
  readonly organisationId: string;
  readonly treeSize: number;
  readonly signedAt: string;
}

/**
 * A witness webhook on loopback that records every checkpoint posted to it. It answers slowly
 * (`delayMs`), as a remote witness would, which widens the window in which two instances could
 * export the same checkpoint.
 */
export async function startWitness(delayMs = 150): Promise<{
  url: string;
  posts: WitnessPost[];
  close(): Promise<void>;
}> {
  const posts: WitnessPost[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as WitnessPost;
      posts.push({
        organisationId: body.organisationId,
        treeSize: body.treeSize,
        signedAt: body.signedAt,
      });
      setTimeout(() => res.writeHead(204).end(), delayMs);
    });
  });
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}/witness`, posts, close: () => close(server) };
}

/**
 * A small round-robin HTTP proxy on loopback: request i goes to instance i mod N, whatever the
 * client. It says which instance answered in `X-Test-Instance`, and sets `X-Forwarded-For`
 * (the API trusts one hop) to the client's `X-Test-Client` header or its socket address.
 */
export async function startRoundRobin(targets: readonly string[]): Promise<{
  url: string;
  /** How many requests each instance was sent. */
  readonly counts: number[];
  close(): Promise<void>;
}> {
  const counts = targets.map(() => 0);
  let next = 0;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const index = next;
    next = (next + 1) % targets.length;
    counts[index]! += 1;
    const target = new URL(req.url ?? '/', targets[index]);
    const headers = { ...req.headers };
    const client = headers['x-test-client'];
    delete headers['x-test-client'];
    headers['x-forwarded-for'] =
      typeof client === 'string' ? client : (req.socket.remoteAddress ?? '127.0.0.1');
    headers['host'] = target.host;
    const upstream = httpRequest(
      target,
      { method: req.method, headers, agent: false },
      (answer: IncomingMessage) => {
        res.writeHead(answer.statusCode ?? 502, {
          ...answer.headers,
          'x-test-instance': String(index),
        });
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'x-test-instance': String(index) });
      res.end();
    });
    req.pipe(upstream);
  });
  // Longer than the client's keep-alive, so the client never reuses a socket being closed.
  server.keepAliveTimeout = 30_000;
  const port = await listen(server);
  return { url: `http://127.0.0.1:${port}/`, counts, close: () => close(server) };
}

export interface Cluster {
  /** Instance 0 started the embedded PostgreSQL, migrated and seeded; the others only serve. */
  readonly instances: HarbourProcess[];
  /** The data folder of instance 0 (demo credentials, master key, role passwords). */
  readonly dataDir: string;
  /** The owner role (bypasses row-level security): for the test's own checks of the database. */
  readonly ownerUrl: string;
  readonly witnessDir: string;
  readonly witness: Awaited<ReturnType<typeof startWitness>>;
  readonly proxy: Awaited<ReturnType<typeof startRoundRobin>>;
  stop(): Promise<void>;
}

/**
 * One embedded PostgreSQL and `count` API processes of the built `dist/apps/api` on it, behind
 * a round-robin proxy. Instance 0 is `npm start` (it starts the database, migrates and seeds
 * the demo data); the others connect to that database as the application role with migrations
 * and seeding off, and share its master key, as a deployment of N stateless instances does.
 */
export async function startCluster(count: number): Promise<Cluster> {
  const witness = await startWitness();
  const witnessDir = mkdtempSync(join(tmpdir(), 'harbour-witness-'));
  const env = commonEnv(witnessDir, witness.url);
  const dataDir = tempDataDir();
  const extraDirs: string[] = [];
  const instances: HarbourProcess[] = [];
  try {
    instances.push(await startHarbour(dataDir, { env }));
    const roles = JSON.parse(readFileSync(join(dataDir, 'db-roles.json'), 'utf8')) as {
      owner: string;
      app: string;
    };
    const port = databasePort(instances[0]!);
    const url = (role: string, password: string): string =>
      `postgres://${role}:${encodeURIComponent(password)}@127.0.0.1:${port}/harbour`;
    const others = await Promise.all(
      Array.from({ length: count - 1 }, () => {
        const dir = tempDataDir();
        extraDirs.push(dir);
        return startHarbour(dir, {
          env: {
            ...env,
            DATABASE_URL: url('harbour_app', roles.app),
            HARBOUR_MIGRATE_ON_START: 'false',
            HARBOUR_SEED_DEMO: 'false',
            HARBOUR_MASTER_KEY_FILE: join(dataDir, 'master.key'),
          },
        });
      }),
    );
    instances.push(...others);
    const proxy = await startRoundRobin(instances.map((i) => i.url));
    return {
      instances,
      dataDir,
      ownerUrl: url('harbour_owner', roles.owner),
      witnessDir,
      witness,
      proxy,
      stop: async () => {
        await proxy.close();
        // The database's owner goes last.
        await Promise.all(instances.slice(1).map((i) => i.stop('SIGTERM')));
        await instances[0]?.stop('SIGTERM');
        await witness.close();
        for (const dir of [dataDir, witnessDir, ...extraDirs]) removeDataDir(dir);
      },
    };
  } catch (error) {
    await Promise.all(instances.map((i) => i.stop('SIGTERM')));
    await witness.close();
    for (const dir of [dataDir, witnessDir, ...extraDirs]) removeDataDir(dir);
    throw error;
  }
}

/** The embedded server's port, from the environment instance 0 was started with. */
function databasePort(instance: HarbourProcess): string {
  const pidFile = join(instance.dataDir, 'postgres/pgdata/postmaster.pid');
  // postmaster.pid: pid, data dir, start time, port, …
  const port = readFileSync(pidFile, 'utf8').split('\n')[3]?.trim();
  if (port === undefined || !/^\d+$/.test(port)) throw new Error('no port in postmaster.pid');
  return port;
}

function listen(server: Server): Promise<number> {
  return new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => done((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  server.closeAllConnections();
  return new Promise((done) => server.close(() => done()));
}
