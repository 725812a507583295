import { randomUUID } from 'node:crypto';
import type { RetentionDryRun } from '@harbour/domain';
import { tenantScope } from '../../core/scope/request-scope';
import { Db } from '../../infra/database/transaction';
import { AuthHarness } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { AccessLog } from '../audit/access-log.service';
import { AuditVerifier } from '../audit/audit-verifier.service';
import { RetentionService } from './retention.service';

/**
 * The `access_events` retention class (issue 18, done means 1; docs/adr/0011): with an injected
 * clock, a dry run lists exactly what the real purge then removes from the access log — a prefix
 * older than the period (seven years by default) that a signed checkpoint covers — and the log
 * still verifies afterwards.
 */
describe('retention of access events', () => {
  let db: TestDatabase;
  let app: TestApp;
  let org: string;
  const times: Date[] = [];

  beforeAll(async () => {
    db = await createTestDatabase();
    app = await createTestApp(db);
    org = await new AuthHarness(app).createOrganisation('Access Retention');
  }, 60_000);

  afterAll(async () => {
    await app.close();
    await db.drop();
  });

  const write = async (count: number, from: Date): Promise<void> => {
    app.clock.set(from);
    for (let i = 0; i < count; i++) {
      times.push(app.clock.now());
      await app.app.get(AccessLog).appendSeparately({
        organisationId: org,
        actorId: null,
        actorRoles: ['coordinator'],
        action: 'staff.listed',
        resourceType: 'staff_user',
        resourceIds: [randomUUID()],
        fields: [],
        purpose: null,
        outcome: 'success',
        requestId: `r${times.length}`,
      });
      app.clock.advance(1_000);
    }
    await app.app.get(Db).transaction(org, (tx) => app.app.get(AccessLog).checkpointNow(tx, org));
  };

  const seqs = async (): Promise<number[]> =>
    (
      await db.asSuperuser<{ seq: string }>(
        `SELECT seq FROM access_event WHERE organisation_id = $1 ORDER BY seq`,
        [org],
      )
    ).map((r) => Number(r.seq));

  it('purges exactly what the dry run listed, and the log verifies afterwards', async () => {
    await write(6, new Date('2018-03-01T09:00:00Z'));
    await write(4, new Date('2019-06-01T09:00:00Z'));
    await write(3, new Date('2024-01-01T09:00:00Z'));
    // Today (the injected clock): seven years back is 2019-11-22.
    const T = new Date('2026-11-22T09:00:00.000Z');
    app.clock.set(T);
    const h = new AuthHarness(app);
    const admin = await h.signIn(await h.createUser(org, { roles: ['admin'] }));

    const dry = await admin.send('post', '/api/retention/dry-run');
    expect(dry.status).toBe(200);
    const listed = (dry.body as unknown as RetentionDryRun).classes.find(
      (c) => c.class === 'access_events',
    );
    // 2018 and mid-2019 are due; the prefix stops before the first event of 2024.
    expect(listed).toEqual({
      class: 'access_events',
      keep: 84,
      count: 10,
      oldest: times[0]!.toISOString(),
      newest: times[9]!.toISOString(),
    });
    const before = await seqs();

    const outcome = await app.app
      .get(Db)
      .transaction(org, (tx) => app.app.get(RetentionService).purge(tenantScope(tx), T, 'cli'));
    expect(outcome.classes.find((c) => c.class === 'access_events')).toEqual(listed);
    // Exactly the ten listed are gone; every later event (and the purge's own) is there.
    const after = await seqs();
    expect(after.filter((s) => s < 10)).toEqual([]);
    expect(after.slice(0, before.length - 10)).toEqual(before.slice(10));
    expect(await app.app.get(AuditVerifier).verify(org)).toMatchObject({
      status: 'verified',
      firstBadIndex: null,
      pruned: { before: 10, newestAt: times[9]!.toISOString() },
    });

    // A second dry run at the same moment lists nothing more.
    const again = await admin.send('post', '/api/retention/dry-run');
    expect(
      (again.body as unknown as RetentionDryRun).classes.find((c) => c.class === 'access_events'),
    ).toMatchObject({ count: 0, oldest: null, newest: null });
  });
});
