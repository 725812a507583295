import { auditWorld, type AuditWorld } from '../../test/medium/audit-world';
import type { TestApp } from '../../test/medium/test-app';
import type { TestDatabase } from '../../test/medium/test-database';
import { AccessLog } from './access-log.service';
import { AuditVerifier } from './audit-verifier.service';

/** docs/security.md T17: 32 concurrent writers × 1,000 actions on one organisation's log. */
describe('access log under concurrency', () => {
  let w: AuditWorld;
  let db: TestDatabase;
  let harbour: TestApp;
  let org: string;

  beforeAll(async () => {
    w = await auditWorld('Busy Service');
    ({ db, app: harbour, org } = w);
  });

  afterAll(() => w.close());

  it('keeps the sequence gap-free and unique with events = actions, and verifies', async () => {
    const log = harbour.app.get(AccessLog);
    const writers = 32;
    const actions = 1_000;
    await Promise.all(
      Array.from({ length: writers }, async (_, writer) => {
        for (let i = 0; i < actions; i++) {
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
            requestId: `w${writer}-a${i}`,
          });
        }
      }),
    );
    const [stats] = await db.asSuperuser<{
      n: number;
      distinct_seq: number;
      min: string;
      max: string;
      requests: number;
    }>(
      `SELECT count(*)::int AS n, count(DISTINCT seq)::int AS distinct_seq, min(seq) AS min, max(seq) AS max,
              count(DISTINCT request_id)::int AS requests
         FROM access_event WHERE organisation_id = $1`,
      [org],
    );
    expect(stats).toEqual({
      n: writers * actions,
      distinct_seq: writers * actions,
      min: '0',
      max: String(writers * actions - 1),
      requests: writers * actions,
    });
    const checkpoints = await db.asSuperuser<{ n: number }>(
      `SELECT count(*)::int AS n FROM audit_checkpoint WHERE organisation_id = $1`,
      [org],
    );
    expect(checkpoints[0]!.n).toBe(32);
    const result = await harbour.app.get(AuditVerifier).verify(org);
    expect(result).toMatchObject({
      status: 'verified',
      checkedEvents: writers * actions,
      checkpointsChecked: 32,
    });
  }, 600_000);
});
