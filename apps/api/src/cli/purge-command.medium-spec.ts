import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { PersonView } from '@harbour/domain';
import { findCanaries, CANARY_PEOPLE } from '../test/canaries';
import { AuthHarness } from '../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../test/medium/test-database';

const ROOT = resolve(__dirname, '../../../..');

/**
 * `harbour purge` (a real child process): `--dry-run` prints counts, dates and codes and changes
 * nothing; a real run removes what the dry run printed and records a run. Never an identity.
 */
describe('harbour purge', () => {
  const masterKey = randomBytes(32).toString('base64');
  let db: TestDatabase;
  let harbour: TestApp;
  let org: string;
  let due: PersonView;

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
    harbour = await createTestApp(db, { masterKey });
    const h = new AuthHarness(harbour);
    org = await h.createOrganisation('Purge CLI Service');
    const cw = await h.signIn(await h.createUser(org, { roles: ['caseworker'] }));
    const canary = CANARY_PEOPLE[3]!;
    due = (
      await cw.send('post', '/api/persons', {
        identity: { givenName: canary.given, familyName: canary.family },
      })
    ).body as unknown as PersonView;
    // Three years without activity (the default for people is two).
    await db.asSuperuser(
      `UPDATE person SET created_at = now() - interval '3 years', updated_at = now() - interval '3 years' WHERE id = $1`,
      [due.id],
    );
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const erased = async () =>
    (
      await db.asSuperuser<{ erased: boolean }>(
        `SELECT erased_at IS NOT NULL AS erased FROM person WHERE id = $1`,
        [due.id],
      )
    )[0]?.erased;

  it('lists with --dry-run and changes nothing, then purges exactly that', async () => {
    const dry = await cli(['purge', '--dry-run', '--org', org]);
    expect({ status: dry.status, err: dry.err }).toEqual({ status: 0, err: '' });
    expect(dry.out).toContain(`${org}: dry run at`);
    expect(dry.out).toMatch(/inactive_people\s+1\s+oldest \d{4}-\d{2}-\d{2}/);
    expect(dry.out).toContain(`codes (inactive_people): ${due.code}`);
    expect(findCanaries(dry.out)).toEqual([]);
    expect(await erased()).toBe(false);

    const real = await cli(['purge', '--org', org]);
    expect({ status: real.status, err: real.err }).toEqual({ status: 0, err: '' });
    expect(real.out).toMatch(/inactive_people\s+1\s+oldest/);
    expect(real.out).toContain(due.code);
    expect(findCanaries(real.out)).toEqual([]);
    expect(await erased()).toBe(true);
    const runs = await db.asSuperuser<{ trigger: string; n: number }>(
      `SELECT trigger, (counts->>'inactive_people')::int AS n FROM purge_run WHERE organisation_id = $1`,
      [org],
    );
    expect(runs).toEqual([{ trigger: 'cli', n: 1 }]);
    const events = await db.asSuperuser<{ action: string }>(
      `SELECT action FROM access_event WHERE organisation_id = $1 AND action LIKE 'retention.%' ORDER BY seq`,
      [org],
    );
    expect(events).toEqual([{ action: 'retention.dry_run' }, { action: 'retention.purged' }]);

    // Nothing is due any more.
    const again = await cli(['purge', '--dry-run']);
    expect(again.out).toMatch(/inactive_people\s+0\s+oldest -/);
  }, 120_000);

  it('refuses an --org that is not an id', async () => {
    const res = await cli(['purge', '--org', 'Purge CLI Service']);
    expect(res.status).toBe(64);
  }, 60_000);
});
