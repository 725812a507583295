import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, cpSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { appendFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { Client } from 'pg';
import { EmbeddedPostgres } from '../../infra/database/embedded-postgres';
import { serverUser } from '../../infra/database/postgres-host';
import { freePort } from './cluster';

/** A hot standby streaming from a test primary, and how to reach it. */
export interface StreamingReplica {
  readonly server: EmbeddedPostgres;
  /** Runs one statement as the superuser on `database` of the standby. */
  asSuperuser<R extends object>(database: string, sql: string, params?: unknown[]): Promise<R[]>;
  /** Stops replaying WAL (it keeps receiving it); resolves once replay has actually paused. */
  pauseReplay(): Promise<void>;
  resumeReplay(): Promise<void>;
}

const SLOT = 'harbour_test_replica';
const ROLE = 'harbour_replicator';

/**
 * Makes a real streaming replica of `primary` (an embedded test server): a replication role, an
 * hba line and a physical slot on the primary; an online base backup (`pg_backup_start`, a copy
 * of the data folder without its WAL and run-time files, `pg_backup_stop`'s label); then
 * `standby.signal` and `primary_conninfo` in the copy, started as a second server on its own port.
 * (The embedded-postgres packages ship no `pg_basebackup`.) Resolves once the standby accepts
 * connections and its WAL receiver is streaming.
 */
export async function startStreamingReplica(
  primary: EmbeddedPostgres,
  dir: string,
): Promise<StreamingReplica> {
  const password = randomBytes(18).toString('base64url');
  await once(primary.superuserUrl(), async (c) => {
    await c.query(`CREATE ROLE ${ROLE} WITH REPLICATION LOGIN PASSWORD '${password}'`);
    await c.query(`SELECT pg_create_physical_replication_slot($1, true)`, [SLOT]);
    const { rows } = await c.query<{ hba_file: string }>(`SHOW hba_file`);
    appendFileSync(rows[0]!.hba_file, `\nhost replication ${ROLE} 127.0.0.1/32 scram-sha-256\n`);
    await c.query(`SELECT pg_reload_conf()`);
  });

  const target = join(dir, 'pgdata');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const backup = new Client({ connectionString: primary.superuserUrl() });
  await backup.connect();
  try {
    await backup.query(`SELECT pg_backup_start('harbour-test-replica', true)`);
    const source = primary.dataDir;
    const skip = /^(postmaster\.(pid|opts)|pg_wal\/.+|pg_replslot\/.+|pg_stat_tmp\/.+)$/;
    cpSync(source, target, {
      recursive: true,
      filter: (from) => !skip.test(relative(source, from).split('\\').join('/')),
    });
    cpSync(join(dirname(source), 'superuser.json'), join(dir, 'superuser.json'));
    const { rows } = await backup.query<{ labelfile: string; spcmapfile: string }>(
      `SELECT labelfile, spcmapfile FROM pg_backup_stop(false)`,
    );
    writeFileSync(join(target, 'backup_label'), rows[0]!.labelfile);
    if (rows[0]!.spcmapfile !== '') {
      writeFileSync(join(target, 'tablespace_map'), rows[0]!.spcmapfile);
    }
  } finally {
    await backup.end();
  }
  mkdirSync(join(target, 'pg_wal', 'archive_status'), { recursive: true });
  writeFileSync(join(target, 'standby.signal'), '');
  appendFileSync(
    join(target, 'postgresql.auto.conf'),
    `\nprimary_conninfo = 'host=127.0.0.1 port=${primary.port} user=${ROLE} password=${password} application_name=harbour_test_replica'\n` +
      `primary_slot_name = '${SLOT}'\nhot_standby = on\n`,
  );
  chmodSync(target, 0o700);
  const runAs = serverUser();
  if (runAs !== null) chownTree(dir, runAs.uid, runAs.gid);

  const server = new EmbeddedPostgres({ dir, port: await freePort(), durability: 'none' });
  await server.start();
  const asSuperuser = <R extends object>(database: string, sql: string, params: unknown[] = []) =>
    once(server.superuserUrl(database), async (c) => (await c.query(sql, params)).rows as R[]);
  // Streaming, not just replaying the copy: the WAL receiver is connected to the primary.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [row] = await asSuperuser<{ status: string | null; standby: boolean }>(
      'postgres',
      `SELECT pg_is_in_recovery() AS standby, (SELECT status FROM pg_stat_wal_receiver) AS status`,
    );
    if (row?.standby === true && row.status === 'streaming') break;
    if (Date.now() > deadline) throw new Error(`the standby is not streaming: ${row?.status}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const pauseReplay = async () => {
    await asSuperuser('postgres', `SELECT pg_wal_replay_pause()`);
    const until = Date.now() + 30_000;
    for (;;) {
      const [row] = await asSuperuser<{ state: string }>(
        'postgres',
        `SELECT pg_get_wal_replay_pause_state() AS state`,
      );
      if (row?.state === 'paused') return;
      if (Date.now() > until) throw new Error(`replay did not pause: ${row?.state}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const resumeReplay = async () => {
    await asSuperuser('postgres', `SELECT pg_wal_replay_resume()`);
  };
  return { server, asSuperuser, pauseReplay, resumeReplay };
}

/**
 * Waits until the standby has replayed everything the primary had written when called (its WAL
 * insert position: the test primary commits asynchronously, so the write position can trail).
 */
export async function caughtUp(primary: EmbeddedPostgres, replica: StreamingReplica) {
  const lsn = await once(primary.superuserUrl(), async (c) => {
    const { rows } = await c.query<{ lsn: string }>(
      `SELECT pg_current_wal_insert_lsn()::text AS lsn`,
    );
    return rows[0]!.lsn;
  });
  const deadline = Date.now() + 30_000;
  for (;;) {
    const [row] = await replica.asSuperuser<{ done: boolean }>(
      'postgres',
      `SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done`,
      [lsn],
    );
    if (row?.done === true) return;
    if (Date.now() > deadline) throw new Error('the standby did not catch up');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function chownTree(path: string, uid: number, gid: number): void {
  chownSync(path, uid, gid);
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const inner = join(path, entry.name);
    if (entry.isDirectory()) chownTree(inner, uid, gid);
    else chownSync(inner, uid, gid);
  }
}

async function once<T>(url: string, fn: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}
