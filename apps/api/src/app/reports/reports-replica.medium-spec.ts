import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HealthStatus, NeedsReport } from '@harbour/domain';
import { ReplicaReads } from '../../infra/database/replica';
import { CANARY_PEOPLE, scanFilesForCanaries } from '../../test/canaries';
import { AuthHarness, type TestBrowser } from '../../test/medium/auth-harness';
import { startTestCluster } from '../../test/medium/cluster';
import {
  caughtUp,
  startStreamingReplica,
  type StreamingReplica,
} from '../../test/medium/streaming-replica';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import type { EmbeddedPostgres } from '../../infra/database/embedded-postgres';
import { connectionUrl } from '../../infra/database/embedded-postgres';

/**
 * Reports on a read replica (`DATABASE_REPLICA_URL`): a primary of this file's own and a real
 * streaming standby of it (base backup, `standby.signal`, WAL receiver streaming). The replica's
 * replay is paused while records are added on the primary, so a report whose figures match the
 * replica's older state — and not the primary's — can only have been computed there. Its access
 * event is written on the primary; a lagging replica and a stopped one send the work to the
 * primary, and reports still answer.
 */
describe('reports on a read replica', () => {
  let primary: EmbeddedPostgres;
  let replica: StreamingReplica;
  let replicaDir: string;
  let db: TestDatabase;
  let harbour: TestApp;
  let coordinator: TestBrowser;
  let orgA: string;
  let orgB: string;
  let staffA: string;
  let staffB: string;

  beforeAll(async () => {
    const cluster = await startTestCluster();
    primary = cluster.server;
    db = await createTestDatabase({ info: cluster.info });
    replicaDir = mkdtempSync(join(tmpdir(), 'harbour-test-replica-'));
    replica = await startStreamingReplica(primary, join(replicaDir, 'postgres'));
    harbour = await createTestApp(db, {
      env: {
        DATABASE_REPLICA_URL: connectionUrl(
          cluster.info.layout.appRole,
          cluster.info.passwords.app,
          replica.server.port,
          db.name,
        ),
        HARBOUR_REPLICA_MAX_LAG_SECONDS: '3600',
      },
    });
    harbour.clock.set(new Date('2027-01-02T09:00:00Z'));
    const h = new AuthHarness(harbour);
    orgA = await h.createOrganisation('Replica Outreach');
    orgB = await h.createOrganisation('Other Outreach');
    const user = await h.createUser(orgA, { roles: ['coordinator'] });
    staffA = user.id;
    staffB = (await h.createUser(orgB, { roles: ['coordinator'] })).id;
    coordinator = await h.signIn(user);
    // Twelve health needs in each quarter of 2026 for A; twenty for B (never in A's figures).
    for (const quarter of ['2026-02-10', '2026-05-10', '2026-08-10', '2026-11-10']) {
      await addNeeds(orgA, staffA, quarter, 12);
      await addNeeds(orgB, staffB, quarter, 20);
    }
    await caughtUp(primary, replica);
  }, 170_000);

  afterAll(async () => {
    await harbour?.close();
    await replica?.server.destroy();
    await primary?.destroy();
    if (replicaDir !== undefined) rmSync(replicaDir, { recursive: true, force: true });
  });

  /** `count` anonymous group contacts on `day`, each with one health need entered that day. */
  async function addNeeds(org: string, staff: string, day: string, count: number) {
    await db.asSuperuser(
      `WITH c AS (
         INSERT INTO contact (organisation_id, id, kind, headcount, occurred_on, channel,
                              location_type, caseworker_id, created_at)
         SELECT $1, gen_random_uuid(), 'group', 2, $3::date, 'in_person', 'street', $2,
                $3::timestamptz
           FROM generate_series(1, $4) RETURNING id)
       INSERT INTO support_need (organisation_id, id, contact_id, category, identified_on,
                                 created_by, created_at)
       SELECT $1, gen_random_uuid(), c.id, 'health', $3::date, $2, $3::timestamptz FROM c`,
      [org, staff, day, count],
    );
  }

  /** The published number of health needs in a quarter, as the coordinator asks for it. */
  async function healthNeeds(quarter: string, browser = coordinator): Promise<number | null> {
    const res = await browser.send('get', `/api/reports/needs?period=${quarter}`);
    expect(res.status).toBe(200);
    const report = res.body as unknown as NeedsReport;
    return report.byMonth.rowTotals[report.byMonth.rows.indexOf('health')]!;
  }

  const primaryCount = async (org: string, from: string) => {
    const [row] = await db.asSuperuser<{ n: number }>(
      `SELECT count(*)::int AS n FROM support_need WHERE organisation_id = $1
          AND created_at >= $2::timestamptz AND created_at < $2::timestamptz + interval '3 months'`,
      [org, from],
    );
    return row!.n;
  };

  it('the replica is a streaming standby, and the tenant holds on its connection as on the primary', async () => {
    const reads = harbour.app.get(ReplicaReads);
    const state = await reads.state();
    expect(state).toMatchObject({ standby: true });
    const seen = (org: string) =>
      reads.read({ tx: null as never, organisationId: org }, async (tx) => {
        const [row] = await tx.manager.query<{ standby: boolean; needs: number }[]>(
          `SELECT pg_is_in_recovery() AS standby, (SELECT count(*)::int FROM support_need) AS needs`,
        );
        return row!;
      });
    // Row-level security on the standby, as the application role: each tenant sees its own only.
    expect(await seen(orgA)).toEqual({ standby: true, needs: 48 });
    expect(await seen(orgB)).toEqual({ standby: true, needs: 80 });
    // A read is refused to write on the standby.
    await expect(
      reads.read({ tx: null as never, organisationId: orgA }, (tx) =>
        tx.manager.query(`UPDATE support_need SET priority = 'high'`),
      ),
    ).rejects.toThrow(/read-only transaction/);
    const health = await coordinator.send('get', '/health/ready');
    expect(health.status).toBe(200);
    const body = health.body as unknown as HealthStatus;
    expect(body.checks).toMatchObject({ database: 'ok', replica: 'ok' });
    expect(body.replicaLagSeconds).toEqual(expect.any(Number));
  });

  it("computes a report's figures on the replica, and writes its access event on the primary", async () => {
    const reads = harbour.app.get(ReplicaReads);
    // The standby stops replaying: what the primary writes from now on, it does not show.
    await replica.pauseReplay();
    await addNeeds(orgA, staffA, '2026-02-20', 7);
    expect(await primaryCount(orgA, '2026-01-01')).toBe(19);
    const before = reads.counts();
    // The replica's view (12), not the primary's (19): the counting ran on the standby.
    expect(await healthNeeds('2026-Q1')).toBe(12);
    expect(reads.counts()).toEqual({ replica: before.replica + 1, primary: before.primary });
    const events = await db.asSuperuser<{ n: number }>(
      `SELECT count(*)::int AS n FROM access_event
        WHERE organisation_id = $1 AND action = 'report.viewed' AND outcome = 'success'`,
      [orgA],
    );
    expect(events[0]!.n).toBe(1);
    // The publication was stored on the primary: asked again, the quarter stays as published.
    expect(await healthNeeds('2026-Q1')).toBe(12);
    await replica.resumeReplay();
    await caughtUp(primary, replica);
  });

  it("exports the access log's CSV from the replica", async () => {
    const h = new AuthHarness(harbour);
    const auditorUser = await h.createUser(orgA, { roles: ['auditor'] });
    const auditor = await h.signIn(auditorUser);
    await h.stepUp(auditor, auditorUser);
    await caughtUp(primary, replica);
    await replica.pauseReplay();
    try {
      // Three more events on the primary that the paused standby does not show.
      for (let i = 0; i < 3; i++) await healthNeeds('2026-Q1');
      const count = async (on: (sql: string) => Promise<{ n: number }[]>) =>
        (
          await on(`SELECT count(*)::int AS n FROM access_event WHERE organisation_id = '${orgA}'`)
        )[0]!.n;
      const onPrimary = await count((sql) => db.asSuperuser(sql));
      const onReplica = await count((sql) => replica.asSuperuser(db.name, sql));
      expect(onPrimary).toBe(onReplica + 3);
      const res = await auditor.send('get', '/api/audit/export');
      expect(res.status).toBe(200);
      const rows = res.text.split('\r\n').filter((line) => line !== '');
      // A header and the replica's events, not the primary's.
      expect(rows.length - 1).toBe(onReplica);
    } finally {
      await replica.resumeReplay();
    }
    await caughtUp(primary, replica);
  });

  it("holds no canary name in the standby's files: the same ciphertext as the primary, flushed", async () => {
    // People with canary names, through the API (sealed, blind-indexed), replayed on the standby.
    const h = new AuthHarness(harbour);
    const caseworker = await h.signIn(await h.createUser(orgA, { roles: ['caseworker'] }));
    const codes: string[] = [];
    for (const person of CANARY_PEOPLE.slice(0, 6)) {
      const res = await caseworker.send('post', '/api/persons', {
        identity: { givenName: person.given, familyName: person.family, alias: person.alias },
      });
      expect(res.status).toBe(201);
      codes.push(res.body['code']!);
    }
    await caughtUp(primary, replica);
    // Write the replayed pages to the standby's files (a restartpoint), then read every file.
    await replica.asSuperuser(db.name, 'CHECKPOINT');
    const values = CANARY_PEOPLE.slice(0, 6).flatMap((p) => [p.given, p.family, p.alias]);
    let withCode = 0;
    const { files, findings } = scanFilesForCanaries(replica.server.dataDir, values, {
      minBytes: 6,
      onFile: (_file, bytes) => {
        if (codes.some((code) => bytes.includes(Buffer.from(code, 'utf8')))) withCode++;
      },
    });
    expect(findings).toEqual([]);
    expect(files).toBeGreaterThan(100);
    // The positive control: the people's pseudonymous codes (plaintext by design) did reach the
    // standby's files, so the scan read the replicated rows.
    expect(withCode).toBeGreaterThan(0);
  }, 60_000);

  it('a replica lagging beyond its bound leaves the work to the primary', async () => {
    const lagging = await createTestApp(db, {
      clock: harbour.clock,
      env: {
        DATABASE_REPLICA_URL: harbour.config.replica.url!,
        HARBOUR_REPLICA_MAX_LAG_SECONDS: '1',
      },
    });
    try {
      const h = new AuthHarness(lagging);
      const browser = await h.signIn(await h.createUser(orgA, { roles: ['coordinator'] }));
      await replica.pauseReplay();
      await addNeeds(orgA, staffA, '2026-05-20', 5);
      // Replay is behind by more than a second once a second has passed since its last commit.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const reads = lagging.app.get(ReplicaReads);
      expect((await reads.state())!.lagSeconds).toBeGreaterThan(1);
      const before = reads.counts();
      expect(await healthNeeds('2026-Q2', browser)).toBe(17);
      expect(await primaryCount(orgA, '2026-04-01')).toBe(17);
      expect(reads.counts()).toEqual({ replica: before.replica, primary: before.primary + 1 });
      const health = (await browser.send('get', '/health/ready')).body as unknown as HealthStatus;
      expect(health).toMatchObject({ status: 'ok', checks: { replica: 'unavailable' } });
      expect(health.replicaLagSeconds).toBeGreaterThan(1);
    } finally {
      await replica.resumeReplay();
      await lagging.close();
    }
  });

  it('with the replica stopped, reports still answer, from the primary', async () => {
    const reads = harbour.app.get(ReplicaReads);
    await addNeeds(orgA, staffA, '2026-08-20', 3);
    await replica.server.stop();
    const before = reads.counts();
    expect(await healthNeeds('2026-Q3')).toBe(15);
    expect(reads.counts()).toEqual({ replica: before.replica, primary: before.primary + 1 });
    const health = await coordinator.send('get', '/health/ready');
    expect(health.status).toBe(200);
    expect(health.body).toMatchObject({
      status: 'ok',
      checks: { database: 'ok', replica: 'unavailable' },
      replicaLagSeconds: null,
    });
  });
});
