import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { ManualTimers } from '../../infra/jobs/timers';
import { FakeClock } from '../../infra/time/clock';
import { AuthHarness } from '../../test/medium/auth-harness';
import { createTestApp } from '../../test/medium/test-app';
import { createTestDatabase } from '../../test/medium/test-database';
import { AuditCheckpointTask, CHECKPOINT_WITHIN_MS } from './audit-checkpoint.task';
import { AuditVerifier } from './audit-verifier.service';
import { append, MASTER_KEY, world, type World } from '../../test/medium/audit-world';

/**
 * The newest access events (docs/security.md T27, adversarial case 35), over time: a signed
 * checkpoint within 60 s of every event with several instances, exported to the witness by
 * default and retried, readiness without a witness in production, and the uncovered tail in
 * every verification view. The attacks on the tail and the head are in
 * `audit-tail.medium-spec.ts`.
 */
describe('the newest events are checkpointed and reported (T27)', () => {
  describe('a checkpoint within 60 seconds, by one of several instances', () => {
    it('covers every event within 60 s of timer time; two instances on one database, one signing at a time, both serving', async () => {
      const witnessDir = mkdtempSync(join(tmpdir(), 'harbour-witness-'));
      const db = await createTestDatabase();
      const clock = new FakeClock();
      const timers = new ManualTimers(clock);
      const env = { HARBOUR_AUDIT_WITNESS_DIR: witnessDir };
      const a = await createTestApp(db, { clock, timers, env, masterKey: MASTER_KEY });
      const b = await createTestApp(db, { clock, timers, env, masterKey: MASTER_KEY });
      try {
        const org = await new AuthHarness(a).createOrganisation('Two Instances');
        const runs = [a, b].map((app) => jest.spyOn(app.app.get(AuditCheckpointTask), 'run'));
        // Over ten minutes, events from both instances at irregular moments.
        for (let i = 0; i < 40; i++) {
          await append(
            i % 3 === 0 ? b : a,
            org,
            i % 7 === 0 ? 'person.identity_revealed' : 'staff.listed',
          );
          await timers.advance(3_000 + ((i * 7_919) % 17_000));
        }
        await timers.advance(CHECKPOINT_WITHIN_MS);

        const events = await db.asSuperuser<{ seq: string; occurred_at: Date }>(
          `SELECT seq, occurred_at FROM access_event WHERE organisation_id = $1 ORDER BY seq`,
          [org],
        );
        const checkpoints = await db.asSuperuser<{ tree_size: string; signed_at: Date }>(
          `SELECT tree_size, signed_at FROM audit_checkpoint WHERE organisation_id = $1 ORDER BY tree_size`,
          [org],
        );
        expect(events).toHaveLength(40);
        for (const event of events) {
          const covering = checkpoints.find((c) => Number(c.tree_size) > Number(event.seq));
          expect(covering).toBeDefined();
          const delay = covering!.signed_at.getTime() - event.occurred_at.getTime();
          expect({ seq: event.seq, withinMs: delay <= CHECKPOINT_WITHIN_MS }).toEqual({
            seq: event.seq,
            withinMs: true,
          });
        }
        // The task ran (on whichever instance took the lock at each tick) without a failure:
        // no instance ever signed a checkpoint the other had signed.
        expect(runs[0]!.mock.calls.length + runs[1]!.mock.calls.length).toBeGreaterThan(0);
        expect(a.rawLogs() + b.rawLogs()).not.toMatch(
          /periodic task failed|checkpoint task failed/,
        );
        // Every checkpoint reached the witness, and the log verifies from either instance.
        expect(readdirSync(join(witnessDir, org)).sort()).toEqual(
          checkpoints.map((c) => `${c.tree_size.padStart(12, '0')}.checkpoint`),
        );
        for (const app of [a, b]) {
          expect(await app.app.get(AuditVerifier).verify(org)).toMatchObject({
            status: 'verified',
            checkedEvents: 40,
            tail: { events: 0, unwitnessedEvents: 0 },
          });
        }
      } finally {
        await a.close();
        await b.close();
        await db.drop();
        rmSync(witnessDir, { recursive: true, force: true });
      }
      // Closed apps leave no timer behind.
      expect(timers.scheduled).toBe(0);
    }, 120_000);
  });

  describe('the witness by default, and readiness', () => {
    it('exports every checkpoint to a folder under the data folder in development, with no setting', async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'harbour-data-'));
      const db = await createTestDatabase();
      const app = await createTestApp(db, {
        masterKey: MASTER_KEY,
        env: { NODE_ENV: 'development', HARBOUR_DATA_DIR: dataDir, HARBOUR_AUDIT_WITNESS_DIR: '' },
      });
      try {
        expect(app.config.audit.witnessDir).toBe(resolve(dataDir, 'audit-witness'));
        const org = await new AuthHarness(app).createOrganisation('Default Witness');
        for (let round = 0; round < 3; round++) {
          for (let i = 0; i < 3; i++) await append(app, org);
          await app.timers.advance(CHECKPOINT_WITHIN_MS);
        }
        const checkpoints = await db.asSuperuser<{ tree_size: string; witnessed_at: Date | null }>(
          `SELECT tree_size, witnessed_at FROM audit_checkpoint WHERE organisation_id = $1 ORDER BY tree_size`,
          [org],
        );
        expect(checkpoints.map((c) => c.tree_size)).toEqual(['3', '6', '9']);
        expect(checkpoints.every((c) => c.witnessed_at !== null)).toBe(true);
        expect(readdirSync(join(dataDir, 'audit-witness', org)).sort()).toEqual([
          '000000000003.checkpoint',
          '000000000006.checkpoint',
          '000000000009.checkpoint',
        ]);
      } finally {
        await app.close();
        await db.drop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    });

    it('retries an export that failed at the next tick', async () => {
      const w = await world();
      try {
        rmSync(w.witnessDir, { recursive: true, force: true });
        // A file where the folder should be: the export fails.
        const { writeFileSync } = await import('node:fs');
        writeFileSync(w.witnessDir, 'not a folder');
        for (let i = 0; i < 2; i++) await append(w.app, w.org);
        await w.app.timers.advance(CHECKPOINT_WITHIN_MS);
        const unwitnessed = () =>
          w.db.asSuperuser(
            `SELECT tree_size FROM audit_checkpoint WHERE organisation_id = $1 AND witnessed_at IS NULL`,
            [w.org],
          );
        expect(await unwitnessed()).toEqual([{ tree_size: '2' }]);
        rmSync(w.witnessDir, { force: true });
        await w.app.timers.advance(10_000);
        expect(await unwitnessed()).toEqual([]);
        expect(readdirSync(join(w.witnessDir, w.org))).toEqual(['000000000002.checkpoint']);
      } finally {
        await w.close();
      }
    });

    it('is not ready in production without a witness, and says so', async () => {
      const db = await createTestDatabase();
      const production = { NODE_ENV: 'production', HARBOUR_AUDIT_WITNESS_DIR: '' };
      const bare = await createTestApp(db, { masterKey: MASTER_KEY, env: production });
      const witnessed = await createTestApp(db, {
        masterKey: MASTER_KEY,
        env: { ...production, HARBOUR_AUDIT_WITNESS_URL: 'https://witness.example.org/harbour' },
      });
      try {
        const ready = await new AuthHarness(bare).browser().send('get', '/health/ready');
        expect(ready.status).toBe(503);
        expect(ready.body).toEqual({
          status: 'unavailable',
          checks: { database: 'ok', witness: 'unavailable' },
        });
        expect(bare.rawLogs()).toContain('no access-log witness is configured');
        const ok = await new AuthHarness(witnessed).browser().send('get', '/health/ready');
        expect(ok.status).toBe(200);
        expect(ok.body).toEqual({ status: 'ok', checks: { database: 'ok', witness: 'ok' } });
      } finally {
        await bare.close();
        await witnessed.close();
        await db.drop();
      }
    });
  });

  describe('the uncovered tail in every verification view', () => {
    let w: World;
    let tailSince: string;

    beforeAll(async () => {
      w = await world();
      for (let i = 0; i < 4; i++) await append(w.app, w.org);
      await w.app.timers.advance(CHECKPOINT_WITHIN_MS); // 4 signed and witnessed
      w.app.clock.advance(1_000);
      tailSince = w.app.clock.now().toISOString();
      for (let i = 0; i < 3; i++) await append(w.app, w.org);
      w.app.clock.advance(25_000);
    });

    afterAll(() => w.close());

    it('reports its size and age in the verifier', async () => {
      expect(await w.app.app.get(AuditVerifier).verify(w.org)).toMatchObject({
        status: 'verified',
        checkedEvents: 7,
        headSize: 7,
        witness: { source: 'folder', treeSize: 4 },
        tail: { events: 3, since: tailSince, ageSeconds: 25, unwitnessedEvents: 3 },
      });
    });

    it('reports it to the auditor over the API', async () => {
      const browser = await w.h.signIn(w.auditor);
      const res = await browser.send('get', '/api/audit/verify');
      expect(res.status).toBe(200);
      // Sign-in wrote events of its own; the tail counts them too.
      expect(res.body).toMatchObject({
        status: 'verified',
        witness: { source: 'folder', treeSize: 4 },
        tail: { since: tailSince },
      });
      const tail = res.body['tail'] as { events: number; ageSeconds: number };
      expect(tail.events).toBeGreaterThanOrEqual(3);
      expect(tail.ageSeconds).toBeGreaterThanOrEqual(25);
    });

    it('prints it in `harbour verify-audit`', async () => {
      const run = promisify(execFile);
      const { stdout } = await run(
        process.execPath,
        [
          '--require',
          './tools/bench/register.cjs',
          'apps/api/src/cli.ts',
          'verify-audit',
          '--org',
          w.org,
        ],
        {
          cwd: process.cwd(),
          env: {
            PATH: process.env['PATH'] ?? '',
            TZ: 'UTC',
            NODE_ENV: 'test',
            DATABASE_URL: w.db.appUrl,
            HARBOUR_MASTER_KEY: MASTER_KEY,
            HARBOUR_AUDIT_WITNESS_DIR: w.witnessDir,
            HARBOUR_CONSOLE_DIR: 'none',
            LOG_LEVEL: 'warn',
          },
          timeout: 60_000,
        },
      );
      expect(stdout).toContain(`${w.org}: verified`);
      expect(stdout).toMatch(/log head: \d+ events \(authenticated\)/);
      expect(stdout).toContain('witness (folder): checkpoint of 4 events');
      expect(stdout).toMatch(
        new RegExp(
          `uncovered tail: \\d+ events after the latest signed checkpoint, the oldest logged ${tailSince.replace(/[.]/g, '\\.')}`,
        ),
      );
    }, 90_000);
  });
});
