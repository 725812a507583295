import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { JobView } from '@harbour/domain';
import { AuthHarness } from '../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../test/medium/test-database';

const ROOT = resolve(__dirname, '../../../..');

/**
 * `harbour jobs` (a real child process): an organisation's background jobs with their
 * progress, and one rotation followed until it ends while the API (this process) works it.
 */
describe('harbour jobs', () => {
  const masterKey = randomBytes(32).toString('base64');
  let db: TestDatabase;
  let harbour: TestApp;
  let org: string;

  /** Runs the CLI without blocking this process (the app in it works the job meanwhile). */
  function cli(args: string[]): Promise<{ status: number | null; out: string; err: string }> {
    const child = spawn(
      process.execPath,
      [
        '--require',
        join(ROOT, 'tools/bench/register.cjs'),
        join(ROOT, 'apps/api/src/cli.ts'),
        ...args,
      ],
      {
        cwd: ROOT,
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          NODE_ENV: 'test',
          DATABASE_URL: db.appUrl,
          DATABASE_MIGRATION_URL: db.ownerUrl,
          HARBOUR_DATA_DIR: mkdtempSync(join(tmpdir(), 'harbour-cli-')),
          HARBOUR_AUDIT_WITNESS_DIR: 'none',
          HARBOUR_MASTER_KEY: masterKey,
          LOG_LEVEL: 'error',
        },
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    return new Promise((done) => child.on('close', (status) => done({ status, out, err })));
  }

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db, {
      masterKey,
      workJobs: true,
      env: { HARBOUR_JOBS_POLL_SECONDS: '1', HARBOUR_JOBS_SLICE_SECONDS: '1' },
    });
    const h = new AuthHarness(harbour);
    org = await h.createOrganisation('Jobs CLI Service');
    const cw = await h.signIn(await h.createUser(org, { roles: ['caseworker'] }));
    for (let i = 0; i < 20; i++) {
      const contact = await cw.send('post', '/api/contacts', {
        channel: 'in_person',
        locationType: 'drop_in_centre',
        occurredOn: harbour.clock.now().toISOString().slice(0, 10),
        notes: `Anonymous visit ${i}.`,
      });
      expect(contact.status).toBe(201);
    }
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  it('lists no job, then follows a rotation to its end and lists it', async () => {
    const none = await cli(['jobs', '--org', org]);
    expect({ status: none.status, out: none.out }).toEqual({
      status: 0,
      out: 'No background jobs.\n',
    });

    const h = new AuthHarness(harbour);
    const admin = await h.createUser(org, { roles: ['admin'] });
    const ad = await h.signIn(admin);
    await h.stepUp(ad, admin);
    const started = await ad.send('post', '/api/keys/rotations', { purpose: 'organisation_data' });
    expect(started.status).toBe(202);
    const job = started.body as unknown as JobView;

    const followed = await cli(['jobs', '--org', org, '--follow', job.id]);
    expect({ status: followed.status, err: followed.err }).toEqual({ status: 0, err: '' });
    expect(followed.out).toMatch(
      new RegExp(`^${job.id}  rotate_data_key +completed +(\\d+)/\\1 \\(100%\\)\\n$`),
    );
    const listed = await cli(['jobs', '--org', org]);
    expect(listed.out).toContain(`${job.id}  rotate_data_key  completed`);
  }, 120_000);

  it('refuses a missing or malformed organisation, and an unknown job', async () => {
    expect((await cli(['jobs'])).status).toBe(64);
    expect((await cli(['jobs', '--org', 'not-a-uuid'])).status).toBe(64);
    const unknown = await cli([
      'jobs',
      '--org',
      org,
      '--follow',
      '0190a4c1-0000-7000-8000-000000000000',
    ]);
    expect(unknown.status).toBe(64);
    expect(unknown.err).toContain('no job 0190a4c1-0000-7000-8000-000000000000');
  }, 60_000);
});
