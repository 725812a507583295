import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  connectionUrl,
  EmbeddedPostgres,
  livePostmasterPid,
} from '../../infra/database/embedded-postgres';

/**
 * A real PostgreSQL server (the embedded binaries, full durability) as its own process group,
 * which a fault test can stop, `kill -9` and start again on the same data folder and port.
 */
export class PostgresProcess {
  private server: EmbeddedPostgres | null = null;

  constructor(
    /** The folder holding `pgdata`, `superuser.json` and the server log. */
    readonly dir: string,
    readonly port: number,
  ) {}

  get dataDir(): string {
    return join(this.dir, 'pgdata');
  }

  get logFile(): string {
    return join(this.dir, 'postgres.log');
  }

  /** The postmaster's pid while it runs, from `postmaster.pid`. */
  get pid(): number | null {
    return livePostmasterPid(this.dataDir);
  }

  superuserUrl(database = 'postgres'): string {
    const { superuserPassword } = JSON.parse(
      readFileSync(join(this.dir, 'superuser.json'), 'utf8'),
    ) as { superuserPassword: string };
    return connectionUrl('postgres', superuserPassword, this.port, database);
  }

  /** Starts the server (crash recovery runs first after a kill) and waits until it answers. */
  async start(): Promise<void> {
    const server = new EmbeddedPostgres({ dir: this.dir, port: this.port, durability: 'full' });
    await server.start();
    this.server = server;
  }

  /**
   * `kill -9` of the postmaster and every backend (one process group): what a power cut or the
   * OOM killer does. Resolves once no process of the server is left.
   */
  async kill9(): Promise<void> {
    const pid = this.pid;
    if (pid === null) throw new Error('the database server is not running');
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      process.kill(pid, 'SIGKILL');
    }
    const deadline = Date.now() + 10_000;
    // Until every process of the group is gone and the postmaster (our child) is reaped: a
    // zombie still answers kill(pid, 0), and a restart would take it for a live server.
    while (groupAlive(pid) || livePostmasterPid(this.dataDir) !== null) {
      if (Date.now() > deadline) throw new Error(`database process group ${pid} survived SIGKILL`);
      await sleep(20);
    }
    this.server = null;
  }

  /** A fast (clean) shutdown, if this object started the server. */
  async stop(): Promise<void> {
    await this.server?.stop();
    this.server = null;
  }

  /** Runs one statement as the superuser on a short-lived connection. */
  async query<R extends object>(
    sql: string,
    params: readonly unknown[] = [],
    database = 'harbour',
  ): Promise<R[]> {
    const client = new Client({
      connectionString: this.superuserUrl(database),
      connectionTimeoutMillis: 5000,
    });
    client.on('error', () => undefined);
    await client.connect();
    try {
      return (await client.query<R>(sql, [...params])).rows;
    } finally {
      await client.end().catch(() => undefined);
    }
  }

  /** A superuser connection the caller keeps (to hold a lock, say); end it when done. */
  async connect(database = 'harbour'): Promise<Client> {
    const client = new Client({ connectionString: this.superuserUrl(database) });
    client.on('error', () => undefined);
    await client.connect();
    return client;
  }
}

/** Whether a live (not zombie) process of process group `pgid` is left, from /proc. */
function groupAlive(pgid: number): boolean {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // pid (comm) state ppid pgrp …; comm may hold spaces, so split after its ')'.
      const [state, , pgrp] = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(pgrp) === pgid && state !== 'Z' && state !== 'X') return true;
    } catch {
      // The process ended while we looked.
    }
  }
  return false;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
