import { execFile } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import type { AuditAction } from '@harbour/domain';
import { ManualTimers } from '../../infra/jobs/timers';
import { FakeClock } from '../../infra/time/clock';
import { AuthHarness, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { adoptsLegacyAuditHeads } from '../../server';
import { AccessLog, LogHeadNotAuthenticError } from './access-log.service';
import {
  AuditCheckpointTask,
  CHECKPOINT_TASK,
  CHECKPOINT_WITHIN_MS,
} from './audit-checkpoint.task';
import { AuditVerifier } from './audit-verifier.service';
import { appendToFrontier } from './frontier';
import { Scheduler } from '../../infra/jobs/scheduler';

/**
 * The newest access events (docs/security.md T27, adversarial case 35): a signed, witnessed
 * checkpoint within 60 s of every event, an authenticated log head, verification against the
 * witness outside the database, and the uncovered tail reported. Attacks run as the database
 * superuser, with triggers disabled.
 */
const MASTER_KEY = randomBytes(32).toString('base64');

interface HeadRow {
  tree_size: string;
  frontier: Buffer[];
  checkpoint_size: string;
  checkpoint_at: Date | null;
  head_mac: Buffer | null;
}

interface World {
  db: TestDatabase;
  app: TestApp;
  h: AuthHarness;
  org: string;
  witnessDir: string;
  caseworker: TestUser;
  auditor: TestUser;
  close(): Promise<void>;
}

async function world(options: { witness?: boolean } = {}): Promise<World> {
  const witnessDir = mkdtempSync(join(tmpdir(), 'harbour-witness-'));
  const db = await createTestDatabase();
  const app = await createTestApp(db, {
    masterKey: MASTER_KEY,
    env: { HARBOUR_AUDIT_WITNESS_DIR: options.witness === false ? 'none' : witnessDir },
  });
  const h = new AuthHarness(app);
  const org = await h.createOrganisation('Tail Test');
  const caseworker = await h.createUser(org, { roles: ['caseworker'] });
  const auditor = await h.createUser(org, { roles: ['auditor'] });
  return {
    db,
    app,
    h,
    org,
    witnessDir,
    caseworker,
    auditor,
    close: async () => {
      await app.close();
      await db.drop();
      rmSync(witnessDir, { recursive: true, force: true });
    },
  };
}

async function append(app: TestApp, org: string, action: AuditAction = 'staff.listed') {
  await app.app.get(AccessLog).appendSeparately({
    organisationId: org,
    actorId: null,
    actorRoles: ['caseworker'],
    action,
    resourceType: null,
    resourceIds: [],
    fields: [],
    purpose: null,
    outcome: 'success',
    requestId: `r-${randomUUID()}`,
  });
}

const head = async (db: TestDatabase, org: string): Promise<HeadRow> =>
  (
    await db.asSuperuser<HeadRow>(
      `SELECT tree_size, frontier, checkpoint_size, checkpoint_at, head_mac FROM audit_log_state
        WHERE organisation_id = $1`,
      [org],
    )
  )[0]!;

const eventCount = async (db: TestDatabase, org: string): Promise<number> =>
  Number(
    (
      await db.asSuperuser<{ n: string }>(
        `SELECT count(*) AS n FROM access_event WHERE organisation_id = $1`,
        [org],
      )
    )[0]!.n,
  );

/** What an attacker computes: the frontier of the first `size` events, from their leaf hashes. */
async function frontierOf(db: TestDatabase, org: string, size: number): Promise<Buffer[]> {
  const rows = await db.asSuperuser<{ leaf_hash: Buffer }>(
    `SELECT leaf_hash FROM access_event WHERE organisation_id = $1 AND seq < $2 ORDER BY seq`,
    [org, size],
  );
  let frontier: Uint8Array[] = [];
  rows.forEach((row, i) => {
    frontier = appendToFrontier(frontier, i, new Uint8Array(row.leaf_hash));
  });
  return frontier.map((f) => Buffer.from(f));
}

/** The superuser cuts every event from `from` on (triggers off). */
async function cutFrom(db: TestDatabase, org: string, from: number): Promise<void> {
  await db.asSuperuser(`ALTER TABLE access_event DISABLE TRIGGER USER`);
  await db.asSuperuser(`DELETE FROM access_event WHERE organisation_id = $1 AND seq >= $2`, [
    org,
    from,
  ]);
}

async function writeHead(
  db: TestDatabase,
  org: string,
  h: Omit<HeadRow, 'tree_size' | 'checkpoint_size'> & {
    tree_size: number | string;
    checkpoint_size: number | string;
  },
) {
  await db.asSuperuser(
    `UPDATE audit_log_state SET tree_size = $2, frontier = $3, checkpoint_size = $4,
            checkpoint_at = $5, head_mac = $6 WHERE organisation_id = $1`,
    [org, h.tree_size, h.frontier, h.checkpoint_size, h.checkpoint_at, h.head_mac],
  );
}

describe('the newest events cannot be cut (T27)', () => {
  describe('a cut after the last checkpoint, head rewritten to match', () => {
    let w: World;
    let revealSeq: number;
    let person: string;

    beforeAll(async () => {
      w = await world();
      const browser = await w.h.signIn(w.caseworker);
      person = (
        await browser.send('post', '/api/persons', {
          identity: { givenName: 'Tail', familyName: 'Subject' },
        })
      ).body['id'] as string;
      // Everything so far is checkpointed and witnessed (the timer), then a reveal and a read.
      await w.app.timers.advance(CHECKPOINT_WITHIN_MS);
      const reveal = await browser.send('post', `/api/persons/${person}/reveal`, {
        purpose: 'safety_check',
      });
      expect(reveal.status).toBe(200);
      expect((await browser.send('get', `/api/persons/${person}`, undefined, {})).status).toBe(200);
      const [row] = await w.db.asSuperuser<{ seq: string }>(
        `SELECT seq FROM access_event WHERE organisation_id = $1 AND action = 'person.identity_revealed'`,
        [w.org],
      );
      revealSeq = Number(row!.seq);
      const state = await head(w.db, w.org);
      expect(Number(state.checkpoint_size)).toBeLessThanOrEqual(revealSeq);
      expect(Number(state.tree_size)).toBeGreaterThan(revealSeq + 1);
      expect(await w.app.app.get(AuditVerifier).verify(w.org)).toMatchObject({
        status: 'verified',
      });
    });

    afterAll(() => w.close());

    const attacks: [string, (state: HeadRow) => Buffer | null][] = [
      ['keeping the old head MAC', (state) => state.head_mac],
      ['removing the head MAC', () => null],
      ['with a MAC under a key of its own', () => randomBytes(32)],
    ];

    it.each(attacks)(
      'fails verification and names the first cut index (%s)',
      async (_name, macOf) => {
        const saved = await head(w.db, w.org);
        const events = await w.db.asSuperuser<Record<string, unknown>>(
          `SELECT * FROM access_event WHERE organisation_id = $1 AND seq >= $2 ORDER BY seq`,
          [w.org, revealSeq],
        );
        try {
          await cutFrom(w.db, w.org, revealSeq);
          await writeHead(w.db, w.org, {
            ...saved,
            tree_size: revealSeq,
            frontier: await frontierOf(w.db, w.org, revealSeq),
            head_mac: macOf(saved),
          });
          const result = await w.app.app.get(AuditVerifier).verify(w.org);
          expect(result).toMatchObject({
            status: 'failed',
            firstBadIndex: revealSeq,
            headSize: null,
            problem: expect.stringMatching(
              new RegExp(`log head .*(not authentic|no MAC).*index ${revealSeq}`),
            ) as unknown,
          });

          // The writer refuses to extend the rewritten head: the next request fails (503) and
          // logs nothing, so no later event can make the cut head authentic.
          const before = await eventCount(w.db, w.org);
          const signIn = await w.h.browser().send('post', '/api/auth/login', {
            email: w.caseworker.email,
            password: w.caseworker.password,
          });
          expect(signIn.status).toBe(503);
          expect(await append(w.app, w.org).catch((e: unknown) => e)).toBeInstanceOf(
            LogHeadNotAuthenticError,
          );
          await w.app.timers.advance(CHECKPOINT_WITHIN_MS);
          expect(await eventCount(w.db, w.org)).toBe(before);
          expect(await w.app.app.get(AuditVerifier).verify(w.org)).toMatchObject({
            status: 'failed',
            firstBadIndex: revealSeq,
          });
        } finally {
          // Put the log back as it was for the next attack.
          for (const e of events) {
            const columns = Object.keys(e);
            await w.db.asSuperuser(
              `INSERT INTO access_event (${columns.join(', ')}) VALUES (${columns.map((_, i) => `$${i + 1}`).join(', ')})`,
              columns.map((c) => e[c]),
            );
          }
          await writeHead(w.db, w.org, saved);
          await w.db.asSuperuser(`ALTER TABLE access_event ENABLE TRIGGER USER`);
        }
        expect(await w.app.app.get(AuditVerifier).verify(w.org)).toMatchObject({
          status: 'verified',
        });
      },
    );

    it('fails verification when only the head is rewritten to a smaller size (events left in place)', async () => {
      const saved = await head(w.db, w.org);
      try {
        await writeHead(w.db, w.org, {
          ...saved,
          tree_size: revealSeq,
          frontier: await frontierOf(w.db, w.org, revealSeq),
        });
        expect(await w.app.app.get(AuditVerifier).verify(w.org)).toMatchObject({
          status: 'failed',
          problem: expect.stringMatching(/log head is not authentic/) as unknown,
        });
      } finally {
        await writeHead(w.db, w.org, saved);
      }
    });

    it('fails verification when the checkpoint position in the head is moved (to stop the timer)', async () => {
      const saved = await head(w.db, w.org);
      try {
        await writeHead(w.db, w.org, { ...saved, checkpoint_size: saved.tree_size });
        expect(await w.app.app.get(AuditVerifier).verify(w.org)).toMatchObject({
          status: 'failed',
          problem: expect.stringMatching(/log head is not authentic/) as unknown,
        });
        // The checkpoint task now sees nothing due, but the next event cannot be logged, so
        // every request fails (503) and the log says why: the stopped timer does not go unseen.
        await w.app.app.get(Scheduler).runNow(CHECKPOINT_TASK);
        await expect(append(w.app, w.org)).rejects.toBeInstanceOf(LogHeadNotAuthenticError);
        expect(w.app.rawLogs()).toContain('the access-log head is not authentic');
      } finally {
        await writeHead(w.db, w.org, saved);
      }
    });
  });

  describe('a head rolled back to an earlier authentic state', () => {
    let w: World;

    beforeEach(async () => {
      w = await world();
    });

    afterEach(() => w.close());

    it('is caught against the witness when the cut reaches below the witnessed checkpoint', async () => {
      for (let i = 0; i < 5; i++) await append(w.app, w.org);
      const earlier = await head(w.db, w.org); // an authentic head of 5 events
      for (let i = 0; i < 5; i++) await append(w.app, w.org, 'person.identity_revealed');
      await w.app.timers.advance(CHECKPOINT_WITHIN_MS); // 10 events signed and witnessed
      expect(readdirSync(join(w.witnessDir, w.org))).toEqual(['000000000010.checkpoint']);
      for (let i = 0; i < 3; i++) await append(w.app, w.org);

      // The superuser removes every trace of events 5–12 inside the database: the events, the
      // checkpoint rows, and the head, replaced by the authentic head it saw at 5 events.
      await cutFrom(w.db, w.org, 5);
      await w.db.asSuperuser(`ALTER TABLE audit_checkpoint DISABLE TRIGGER USER`);
      await w.db.asSuperuser(`DELETE FROM audit_checkpoint WHERE organisation_id = $1`, [w.org]);
      await writeHead(w.db, w.org, earlier);

      const result = await w.app.app.get(AuditVerifier).verify(w.org);
      expect(result).toMatchObject({
        status: 'failed',
        firstBadIndex: 5,
        witness: { source: 'folder', treeSize: 10 },
        problem: expect.stringMatching(/shorter than the witnessed checkpoint/) as unknown,
      });
    });

    it('would pass without a witness: why production is not ready without one', async () => {
      const bare = await world({ witness: false });
      try {
        for (let i = 0; i < 5; i++) await append(bare.app, bare.org);
        const earlier = await head(bare.db, bare.org);
        for (let i = 0; i < 5; i++) await append(bare.app, bare.org);
        await bare.app.timers.advance(CHECKPOINT_WITHIN_MS);
        await cutFrom(bare.db, bare.org, 5);
        await bare.db.asSuperuser(`ALTER TABLE audit_checkpoint DISABLE TRIGGER USER`);
        await bare.db.asSuperuser(`DELETE FROM audit_checkpoint WHERE organisation_id = $1`, [
          bare.org,
        ]);
        await writeHead(bare.db, bare.org, earlier);
        expect(await bare.app.app.get(AuditVerifier).verify(bare.org)).toMatchObject({
          status: 'verified',
          checkedEvents: 5,
          witness: { source: 'none', treeSize: null },
        });
      } finally {
        await bare.close();
      }
    });

    it('still allows cutting events no witnessed checkpoint covers yet (the documented window), and reports them as the tail until then', async () => {
      for (let i = 0; i < 4; i++) await append(w.app, w.org);
      await w.app.timers.advance(CHECKPOINT_WITHIN_MS); // 4 witnessed
      await append(w.app, w.org);
      const earlier = await head(w.db, w.org); // 5 events, the fifth uncovered
      w.app.clock.advance(7_000);
      await append(w.app, w.org, 'person.identity_revealed');
      const before = await w.app.app.get(AuditVerifier).verify(w.org);
      expect(before).toMatchObject({
        status: 'verified',
        checkedEvents: 6,
        tail: { events: 2, ageSeconds: 7, unwitnessedEvents: 2 },
      });
      await cutFrom(w.db, w.org, 5);
      await writeHead(w.db, w.org, earlier);
      expect(await w.app.app.get(AuditVerifier).verify(w.org)).toMatchObject({
        status: 'verified',
        checkedEvents: 5,
        witness: { source: 'folder', treeSize: 4 },
      });
    });
  });

  describe('a head without a MAC', () => {
    let w: World;

    beforeEach(async () => {
      w = await world();
    });

    afterEach(() => w.close());

    it('fails verification and is refused by the writer: removing the MAC never makes a head authentic', async () => {
      for (let i = 0; i < 6; i++) await append(w.app, w.org);
      await w.db.asSuperuser(
        `UPDATE audit_log_state SET head_mac = NULL WHERE organisation_id = $1`,
        [w.org],
      );
      expect(await w.app.app.get(AuditVerifier).verify(w.org)).toMatchObject({
        status: 'failed',
        firstBadIndex: 6,
        headSize: null,
        problem: expect.stringMatching(/no MAC/) as unknown,
      });
      await expect(append(w.app, w.org)).rejects.toBeInstanceOf(LogHeadNotAuthenticError);
      await w.app.timers.advance(CHECKPOINT_WITHIN_MS);
      expect(await eventCount(w.db, w.org)).toBe(6);
      expect(
        await w.db.asSuperuser(
          `SELECT tree_size FROM audit_checkpoint WHERE organisation_id = $1`,
          [w.org],
        ),
      ).toEqual([]);
    });

    it('is adopted from before head authentication only once the whole log verifies against the witness', async () => {
      for (let i = 0; i < 6; i++) await append(w.app, w.org);
      await w.db.asSuperuser(
        `UPDATE audit_log_state SET head_mac = NULL WHERE organisation_id = $1`,
        [w.org],
      );
      expect(await w.app.app.get(AccessLog).adoptLegacyHead(w.org)).toBe(true);
      await append(w.app, w.org);
      expect(await w.app.app.get(AuditVerifier).verify(w.org)).toMatchObject({
        status: 'verified',
        checkedEvents: 7,
        headSize: 7,
      });
    });

    it('is not adopted when the log no longer reaches the witnessed checkpoint', async () => {
      for (let i = 0; i < 6; i++) await append(w.app, w.org);
      await w.app.timers.advance(CHECKPOINT_WITHIN_MS); // 6 witnessed
      await cutFrom(w.db, w.org, 3);
      await w.db.asSuperuser(`ALTER TABLE audit_checkpoint DISABLE TRIGGER USER`);
      await w.db.asSuperuser(`DELETE FROM audit_checkpoint WHERE organisation_id = $1`, [w.org]);
      await writeHead(w.db, w.org, {
        tree_size: 3,
        frontier: await frontierOf(w.db, w.org, 3),
        checkpoint_size: 0,
        checkpoint_at: null,
        head_mac: null,
      });
      expect(await w.app.app.get(AccessLog).adoptLegacyHead(w.org)).toBe(false);
      await expect(append(w.app, w.org)).rejects.toBeInstanceOf(LogHeadNotAuthenticError);
      expect(await eventCount(w.db, w.org)).toBe(3);
    });

    it('is adopted only by a start that applies the migration adding head MACs', () => {
      expect(adoptsLegacyAuditHeads(['AuthenticateAuditHead1795563000000'])).toBe(true);
      expect(adoptsLegacyAuditHeads([])).toBe(false);
      expect(adoptsLegacyAuditHeads(['OrganisationReportK1795540000000'])).toBe(false);
    });
  });

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
