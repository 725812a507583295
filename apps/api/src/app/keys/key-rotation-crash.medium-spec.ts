import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { JobView } from '@harbour/domain';
import { ROTATABLE_FIELDS } from '@harbour/migrations';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

const ROOT = resolve(__dirname, '../../../../..');

/**
 * A rotation survives `kill -9` of the API that works it: the API runs as a real child process
 * (the same `main.ts` a deployment runs), is killed while the job is half done, and a new one
 * resumes the job to the end. The test's own in-process app serves the requests and works no
 * jobs, so only the child moves the rotation.
 */
describe('data key rotation: crash safety', () => {
  const masterKey = randomBytes(32).toString('base64');
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  let admin: TestUser;
  let ad: TestBrowser;
  let cw: TestBrowser;
  let dataDir: string;
  const children: ChildProcess[] = [];
  /** What the children printed (shown when a wait times out). */
  const output: string[] = [];

  /** Starts the API as a child process that works jobs, on the test database. */
  function startWorker(): ChildProcess {
    const child = spawn(
      process.execPath,
      ['--require', join(ROOT, 'tools/bench/register.cjs'), join(ROOT, 'apps/api/src/main.ts')],
      {
        cwd: ROOT,
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          NODE_ENV: 'test',
          DATABASE_URL: db.appUrl,
          HARBOUR_MIGRATE_ON_START: 'false',
          HARBOUR_SEED_DEMO: 'false',
          HARBOUR_MASTER_KEY: masterKey,
          HARBOUR_CONSOLE_DIR: 'none',
          HARBOUR_AUDIT_WITNESS_DIR: 'none',
          HARBOUR_DATA_DIR: dataDir,
          PORT: '0',
          LOG_LEVEL: 'warn',
          HARBOUR_JOBS_POLL_SECONDS: '1',
          HARBOUR_JOBS_SLICE_SECONDS: '1',
          HARBOUR_JOBS_EXPIRE_SECONDS: '4',
          HARBOUR_JOBS_MAINTENANCE_SECONDS: '1',
          HARBOUR_KEY_ROTATION_BATCH: '5',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => output.push(chunk.toString()));
    children.push(child);
    return child;
  }

  const jobRow = async (id: string) =>
    (
      await db.asSuperuser<{ state: string; done: number; total: number | null }>(
        `SELECT state, done, total FROM background_job WHERE id = $1`,
        [id],
      )
    )[0]!;

  async function until<T>(what: string, probe: () => Promise<T | null>, ms: number): Promise<T> {
    const deadline = Date.now() + ms;
    for (;;) {
      const value = await probe();
      if (value !== null) return value;
      if (Date.now() > deadline) {
        const jobs = await db.asSuperuser(
          `SELECT name, state, retry_count, started_on, expire_in FROM pgboss.job`,
        );
        throw new Error(
          `timed out waiting for ${what}\n${JSON.stringify(jobs)}\n${output.join('').slice(-3000)}`,
        );
      }
      await new Promise((done) => setTimeout(done, 20));
    }
  }

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'harbour-crash-'));
    db = await createTestDatabase();
    // Instances of one deployment share their settings: the job this app sends expires as the
    // workers' own slices do.
    harbour = await createTestApp(db, {
      masterKey,
      env: { HARBOUR_JOBS_SLICE_SECONDS: '1', HARBOUR_JOBS_EXPIRE_SECONDS: '4' },
    });
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Crash Test Service');
    admin = await h.createUser(org, { roles: ['admin'] });
    ad = await h.signIn(admin);
    cw = await h.signIn(await h.createUser(org, { roles: ['caseworker'] }));
  }, 60_000);

  afterAll(async () => {
    for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
    await harbour.close();
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('resumes after kill -9 mid-rotation and completes: every value opens, none on an unknown key', async () => {
    const written = new Map<string, string>();
    for (let i = 0; i < 400; i++) {
      const notes = `Drop-in ${i}: asked about a visa appointment`;
      const res = await cw.send('post', '/api/contacts', {
        channel: 'in_person',
        locationType: 'drop_in_centre',
        occurredOn: harbour.clock.now().toISOString().slice(0, 10),
        kind: 'group',
        headcount: 2,
        notes,
      });
      expect(res.status).toBe(201);
      written.set(res.body['id'] as string, notes);
    }

    const first = startWorker();
    await h.stepUp(ad, admin);
    const start = await ad.send('post', '/api/keys/rotations', { purpose: 'organisation_data' });
    expect(start.status).toBe(202);
    const job = start.body as unknown as JobView;

    // Half way (batches of 5 over 400+ values): the worker dies without a word.
    const mid = await until(
      'the rotation to get going',
      async () => {
        const row = await jobRow(job.id);
        return row.done >= 50 ? row : null;
      },
      60_000,
    );
    first.kill('SIGKILL');
    await new Promise((done) => first.once('exit', done));
    const atCrash = await jobRow(job.id);
    expect(atCrash.state).toBe('running');
    expect(atCrash.done).toBeGreaterThanOrEqual(mid.done);
    expect(atCrash.done).toBeLessThan(atCrash.total!);

    // A new instance picks the job up once the dead one's slice has expired, and finishes it.
    startWorker();
    const done = await until(
      'the rotation to finish',
      async () => {
        const row = await jobRow(job.id);
        return row.state === 'completed' || row.state === 'failed' ? row : null;
      },
      90_000,
    );
    expect(done.state).toBe('completed');
    expect(done.done).toBe(done.total);

    // Every value is under the new key, the only data key left that opens anything…
    const keys = await db.asSuperuser<{ key_id: number; status: string }>(
      `SELECT key_id, status FROM organisation_key
        WHERE organisation_id = $1 AND purpose = 'organisation_data' ORDER BY key_id`,
      [org],
    );
    expect(keys.map((k) => k.status)).toEqual(['retired', 'active']);
    const current = keys[1]!.key_id;
    for (const field of ROTATABLE_FIELDS) {
      const [table, column] = field.split('.');
      const stray = await db.asSuperuser<{ n: number }>(
        `SELECT count(*)::int AS n FROM "${table}"
          WHERE organisation_id = $1 AND "${column}" IS NOT NULL
            AND ciphertext_key_id("${column}") <> $2`,
        [org, current],
      );
      expect([field, stray[0]!.n]).toEqual([field, 0]);
    }
    // …and every value opens (notes through the API; the admin's TOTP seed at sign-in).
    const reader = await h.signIn(await h.createUser(org, { roles: ['caseworker'] }));
    for (const [id, notes] of written) {
      const res = await reader.send('get', `/api/contacts/${id}`);
      expect([res.status, res.body['notes']]).toEqual([200, notes]);
    }
    await h.stepUp(await h.signIn(admin), admin);
  }, 240_000);
});
