import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { adoptsLegacyAuditHeads } from '../../server';
import { AccessLog, LogHeadNotAuthenticError } from './access-log.service';
import { CHECKPOINT_TASK, CHECKPOINT_WITHIN_MS } from './audit-checkpoint.task';
import { AuditVerifier } from './audit-verifier.service';
import { Scheduler } from '../../infra/jobs/scheduler';
import {
  append,
  cutFrom,
  eventCount,
  frontierOf,
  head,
  world,
  writeHead,
  type HeadRow,
  type World,
} from '../../test/medium/audit-world';

/**
 * The newest access events (docs/security.md T27, adversarial case 35): a signed, witnessed
 * checkpoint within 60 s of every event, an authenticated log head, verification against the
 * witness outside the database, and the uncovered tail reported. Attacks run as the database
 * superuser, with triggers disabled.
 */
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
});
