import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FakeClock } from '../../infra/time/clock';
import { AuthHarness } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { Db } from '../../infra/database/transaction';
import { AccessLog } from './access-log.service';
import { AuditWitness } from './audit-witness.service';

/**
 * Several instances, one witness: a checkpoint waiting for export is sent once, however many
 * instances flush at the same moment (after their own checkpoint, or on the periodic task's
 * tick). The witness answers slowly, as a remote one would, so the flushes overlap.
 */
describe('exporting checkpoints from several instances', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;
  let witness: Server;
  const posts: number[] = [];
  let refuse = true;

  beforeAll(async () => {
    witness = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        if (refuse) {
          res.writeHead(503).end();
          return;
        }
        posts.push(
          (JSON.parse(Buffer.concat(chunks).toString('utf8')) as { treeSize: number }).treeSize,
        );
        setTimeout(() => res.writeHead(204).end(), 300);
      });
    });
    await new Promise<void>((done) => witness.listen(0, '127.0.0.1', done));
    const url = `http://127.0.0.1:${(witness.address() as AddressInfo).port}/witness`;
    db = await createTestDatabase();
    const clock = new FakeClock();
    a = await createTestApp(db, { clock, env: { HARBOUR_AUDIT_WITNESS_URL: url } });
    b = await createTestApp(db, { clock, env: { HARBOUR_AUDIT_WITNESS_URL: url } });
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
    await new Promise((done) => witness.close(done));
  });

  it('sends each checkpoint once when two instances flush together', async () => {
    const org = await new AuthHarness(a).createOrganisation('Witnessed Service');
    const log = a.app.get(AccessLog);
    for (let round = 0; round < 3; round++) {
      await log.appendSeparately({
        organisationId: org,
        actorId: null,
        actorRoles: ['caseworker'],
        action: 'staff.listed',
        resourceType: 'staff_user',
        resourceIds: [],
        fields: [],
        purpose: null,
        outcome: 'success',
        requestId: `round-${round}`,
      });
      // The witness is away: the checkpoint stays waiting for export.
      await a.app.get(Db).transaction(org, (tx) => log.checkpointNow(tx, org));
    }
    expect(posts).toEqual([]);

    refuse = false;
    const exported = await Promise.all([
      a.app.get(AuditWitness).flush(org),
      b.app.get(AuditWitness).flush(org),
      a.app.get(AuditWitness).flush(org),
      b.app.get(AuditWitness).flush(org),
    ]);
    const checkpoints = await db.asSuperuser<{ tree_size: string }>(
      `SELECT tree_size FROM audit_checkpoint WHERE organisation_id = $1 ORDER BY tree_size`,
      [org],
    );
    expect(checkpoints.length).toBeGreaterThanOrEqual(3);
    expect([...posts].sort((x, y) => x - y)).toEqual(checkpoints.map((c) => Number(c.tree_size)));
    expect(exported.reduce((sum, n) => sum + n, 0)).toBe(checkpoints.length);
  });
});
