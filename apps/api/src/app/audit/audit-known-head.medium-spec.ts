import { randomUUID } from 'node:crypto';
import type { AccessEventInput } from '../../infra/audit/audit-writer';
import { Db } from '../../infra/database/transaction';
import { AccessLogRepository } from '../../data/audit/access-log.repository';
import { AuthHarness } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { AccessLog, LogHeadNotAuthenticError } from './access-log.service';
import { AuditVerifier } from './audit-verifier.service';

/**
 * docs/security.md T17 and T27 on the fast path of appends in a request's transaction
 * (docs/adr/0018): a writer extends the head its process last wrote in one statement, chained
 * behind the process's other writers. Two instances on one database, rollbacks after appending,
 * a writer chained on a head that is rolled back under it, and heads rewritten by a superuser:
 * the log stays gap-free and fork-free and verifies, and a rewritten head is refused.
 */
describe('access log: appends on the known head', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await createTestApp(db);
    b = await createTestApp(db);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  const event = (org: string, requestId: string): AccessEventInput => ({
    organisationId: org,
    actorId: null,
    actorRoles: ['caseworker'],
    action: 'staff.listed',
    resourceType: 'staff_user',
    resourceIds: [requestId],
    fields: [],
    purpose: null,
    outcome: 'success',
    requestId,
  });

  /** Counts the statements of `app` that appended on the known head, and those that did not. */
  const fastPathOf = (app: TestApp): { appended: number; missed: number } => {
    const rows = app.app.get(AccessLogRepository);
    const counts = { appended: 0, missed: 0 };
    const original = rows.appendAtHead.bind(rows);
    jest.spyOn(rows, 'appendAtHead').mockImplementation(async (...args) => {
      const result = await original(...args);
      if (result?.appended === true) counts.appended++;
      else counts.missed++;
      return result;
    });
    return counts;
  };

  const logRows = (org: string) =>
    db.asSuperuser<{ seq: string; request_id: string }>(
      `SELECT seq, request_id FROM access_event WHERE organisation_id = $1 ORDER BY seq`,
      [org],
    );

  afterEach(() => jest.restoreAllMocks());

  it('keeps two instances’ request appends gap-free, fork-free and verifying, with rollbacks mixed in', async () => {
    const org = await new AuthHarness(a).createOrganisation('Known Head Service');
    const fastA = fastPathOf(a);
    const fastB = fastPathOf(b);
    const acknowledged: string[] = [];
    const rolledBack: string[] = [];
    const writers = (app: TestApp, name: string, count: number, each: number) =>
      Array.from({ length: count }, async (_, w) => {
        const log = app.app.get(AccessLog);
        const transactions = app.app.get(Db);
        for (let i = 0; i < each; i++) {
          // A request that logs one or two events, then commits, or fails after logging.
          const ids =
            i % 7 === 3 ? [`${name}${w}-${i}a`, `${name}${w}-${i}b`] : [`${name}${w}-${i}`];
          const rollBack = i % 4 === 2;
          try {
            await transactions.transaction(org, async (tx) => {
              for (const id of ids) await log.append(tx, event(org, id));
              if (rollBack) throw new Error('the request failed after logging');
            });
            acknowledged.push(...ids);
          } catch {
            rolledBack.push(...ids);
          }
        }
      });
    // Instance a carries most of the traffic (its writers chain); b interleaves with it.
    await Promise.all([...writers(a, 'a', 8, 150), ...writers(b, 'b', 2, 60)]);

    const rows = await logRows(org);
    expect(rolledBack.length).toBeGreaterThan(0);
    const logged = rows.map((r) => r.request_id);
    expect(new Set(logged).size).toBe(logged.length);
    expect([...logged].sort()).toEqual([...acknowledged].sort());
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i));
    // The fast path did carry appends on both instances, and missed (rollbacks, the other
    // instance) without losing or forking anything.
    expect(fastA.appended).toBeGreaterThan(100);
    expect(fastA.missed).toBeGreaterThan(0);
    expect(fastB.appended + fastB.missed).toBeGreaterThan(0);
    const n = rows.length;
    const [state] = await db.asSuperuser<{ tree_size: string }>(
      `SELECT tree_size FROM audit_log_state WHERE organisation_id = $1`,
      [org],
    );
    expect(Number(state!.tree_size)).toBe(n);
    const checkpoints = await db.asSuperuser<{ tree_size: string }>(
      `SELECT tree_size FROM audit_checkpoint WHERE organisation_id = $1 ORDER BY tree_size`,
      [org],
    );
    const everyThousand = Array.from({ length: Math.floor(n / 1_000) }, (_, i) => (i + 1) * 1_000);
    expect(checkpoints.map((c) => Number(c.tree_size))).toEqual(everyThousand);
    expect(await a.app.get(AuditVerifier).verify(org)).toMatchObject({
      status: 'verified',
      checkedEvents: n,
      checkpointsChecked: everyThousand.length,
    });
    process.stdout.write(
      `known head: ${n} events, ${rolledBack.length} rolled back; instance a ${fastA.appended} on the known head, ${fastA.missed} missed; instance b ${fastB.appended}/${fastB.missed}; verified\n`,
    );
  }, 300_000);

  it('does not extend a head that was rolled back under a writer chained on it', async () => {
    const org = await new AuthHarness(a).createOrganisation('Rolled Back Head Service');
    const log = a.app.get(AccessLog);
    const transactions = a.app.get(Db);
    for (let i = 0; i < 3; i++)
      await transactions.transaction(org, (tx) => log.append(tx, event(org, `before-${i}`)));
    const fast = fastPathOf(a);

    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let appendedFirst!: () => void;
    const firstAppended = new Promise<void>((resolve) => (appendedFirst = resolve));
    const first = transactions
      .transaction(org, async (tx) => {
        await log.append(tx, event(org, 'rolled-back'));
        appendedFirst();
        await gate;
        throw new Error('the request failed after logging');
      })
      .catch((error: unknown) => error);
    await firstAppended;
    // The second writer expects the head the first wrote; its statement waits for the lock.
    const second = transactions.transaction(org, (tx) => log.append(tx, event(org, 'chained')));
    for (let i = 0; i < 200; i++) {
      const waiting = await db.asSuperuser<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'
            AND query LIKE '%audit_log_state%'`,
      );
      if (Number(waiting[0]!.n) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    release();
    expect(await first).toBeInstanceOf(Error);
    await second;

    expect(fast.appended).toBe(1); // the first; the second found the head rolled back
    expect(fast.missed).toBe(1);
    const rows = await logRows(org);
    expect(rows.map((r) => [Number(r.seq), r.request_id])).toEqual([
      [0, 'before-0'],
      [1, 'before-1'],
      [2, 'before-2'],
      [3, 'chained'],
    ]);
    await transactions.transaction(org, (tx) => log.append(tx, event(org, 'after')));
    expect(await a.app.get(AuditVerifier).verify(org)).toMatchObject({
      status: 'verified',
      checkedEvents: 5,
    });
  });

  it('lets a transaction that holds the head by other means (pruning) append while a writer waits for it', async () => {
    const org = await new AuthHarness(a).createOrganisation('Held Head Service');
    const log = a.app.get(AccessLog);
    const transactions = a.app.get(Db);
    await transactions.transaction(org, (tx) => log.append(tx, event(org, 'first')));
    let waiter: Promise<void> | undefined;
    await transactions.transaction(org, async (tx) => {
      // What access_log_prune does first: lock the head, outside the writer.
      await tx.manager.query(
        `SELECT 1 FROM audit_log_state WHERE organisation_id = $1 FOR UPDATE`,
        [org],
      );
      // Another request's writer takes its turn and waits for this transaction's lock.
      waiter = transactions.transaction(org, (other) => log.append(other, event(org, 'waiter')));
      await new Promise((resolve) => setTimeout(resolve, 100));
      await log.append(tx, event(org, 'holder'));
    });
    await waiter;
    expect((await logRows(org)).map((r) => r.request_id)).toEqual(['first', 'holder', 'waiter']);
    expect(await a.app.get(AuditVerifier).verify(org)).toMatchObject({
      status: 'verified',
      checkedEvents: 3,
    });
  });

  const tampering: [string, string][] = [
    ['the frontier (MAC and size kept)', `frontier = ARRAY[decode(repeat('ab', 32), 'hex')]`],
    ['the MAC', `head_mac = decode(repeat('cd', 32), 'hex')`],
    ['the size (MAC kept)', `tree_size = tree_size - 1`],
    ['the checkpoint position (MAC kept)', `checkpoint_size = tree_size`],
  ];

  it.each(tampering)(
    'refuses a head rewritten by a superuser while its writer knows it: %s',
    async (_name, change) => {
      const org = await new AuthHarness(a).createOrganisation(`Tampered ${randomUUID()}`);
      const log = a.app.get(AccessLog);
      const transactions = a.app.get(Db);
      const fast = fastPathOf(a);
      for (let i = 0; i < 5; i++)
        await transactions.transaction(org, (tx) => log.append(tx, event(org, `r${i}`)));
      expect(fast.appended).toBeGreaterThan(0); // the writer knows the head it wrote
      await db.asSuperuser(`UPDATE audit_log_state SET ${change} WHERE organisation_id = $1`, [
        org,
      ]);
      const count = (await logRows(org)).length;
      for (let i = 0; i < 2; i++) {
        await expect(
          transactions.transaction(org, (tx) => log.append(tx, event(org, `x${i}`))),
        ).rejects.toBeInstanceOf(LogHeadNotAuthenticError);
      }
      expect((await logRows(org)).length).toBe(count);
      expect((await a.app.get(AuditVerifier).verify(org)).status).toBe('failed');
    },
  );
});
