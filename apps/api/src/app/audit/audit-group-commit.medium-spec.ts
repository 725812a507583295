import type { AccessEventInput } from '../../infra/audit/audit-writer';
import { Db } from '../../infra/database/transaction';
import { auditWorld, type AuditWorld } from '../../test/medium/audit-world';
import type { TestApp } from '../../test/medium/test-app';
import type { TestDatabase } from '../../test/medium/test-database';
import { AccessLog } from './access-log.service';
import { AuditVerifier } from './audit-verifier.service';

/**
 * docs/security.md T17 under group commit (docs/adr/0017): separate appends batched under one
 * head lock, mixed with appends inside request transactions (some of which roll back) and with
 * separate appends that cannot be written (a batch they are in fails and its others are retried
 * alone). Every acknowledged event is in the log exactly once, nothing else is, sequence
 * numbers are gap-free, each client's acknowledged events keep its order, checkpoints fall
 * exactly every 1,000 events, and the log verifies.
 */
describe('access log: group commit mixed with request transactions', () => {
  let w: AuditWorld;
  let db: TestDatabase;
  let harbour: TestApp;
  let org: string;

  beforeAll(async () => {
    w = await auditWorld('Group Commit Service');
    ({ db, app: harbour, org } = w);
  });

  afterAll(() => w.close());

  it('keeps every acknowledged event once, in order, gap-free, and nothing rolled back', async () => {
    const log = harbour.app.get(AccessLog);
    const transactions = harbour.app.get(Db);
    const event = (requestId: string, actorId: string | null = null): AccessEventInput => ({
      organisationId: org,
      actorId,
      actorRoles: ['caseworker'],
      action: 'staff.listed',
      resourceType: 'staff_user',
      resourceIds: [requestId],
      fields: requestId.endsWith('0') ? ['notes', 'needs'] : [],
      purpose: null,
      outcome: 'success',
      requestId,
    });
    const separateWriters = 16;
    const separateEach = 150;
    const txWriters = 8;
    const txEach = 60;
    /** Request ids acknowledged to each client, in the order they were acknowledged. */
    const acknowledged = new Map<string, string[]>();
    const refused: string[] = [];
    const rolledBack: string[] = [];
    const ack = (client: string, id: string): void => {
      const list = acknowledged.get(client) ?? [];
      list.push(id);
      acknowledged.set(client, list);
    };

    const separate = Array.from({ length: separateWriters }, async (_, w) => {
      for (let i = 0; i < separateEach; i++) {
        const id = `s${w}-${i}`;
        // Every 37th event of some writers cannot be stored (its actor is not a uuid), so the
        // batch it lands in fails and is retried one event at a time.
        const poison = w % 4 === 0 && i % 37 === 5;
        try {
          await log.appendSeparately(event(id, poison ? 'not-a-uuid' : null));
          ack(`s${w}`, id);
        } catch {
          refused.push(id);
        }
      }
    });
    const inTransactions = Array.from({ length: txWriters }, async (_, w) => {
      for (let i = 0; i < txEach; i++) {
        // A request that logs one or two events, then commits, or fails after logging.
        const ids = i % 5 === 0 ? [`t${w}-${i}a`, `t${w}-${i}b`] : [`t${w}-${i}`];
        const rollBack = i % 3 === 1;
        try {
          await transactions.transaction(org, async (tx) => {
            for (const id of ids) await log.append(tx, event(id));
            if (rollBack) throw new Error('the request failed after logging');
          });
          for (const id of ids) ack(`t${w}`, id);
        } catch {
          rolledBack.push(...ids);
        }
      }
    });
    await Promise.all([...separate, ...inTransactions]);

    const expected = [...acknowledged.values()].flat();
    const rows = await db.asSuperuser<{ seq: string; request_id: string; tx: string }>(
      `SELECT seq, request_id, xmin::text AS tx FROM access_event
        WHERE organisation_id = $1 ORDER BY seq`,
      [org],
    );
    // Nothing refused or rolled back is in the log; every acknowledged event is, exactly once.
    expect(refused.length).toBeGreaterThan(0);
    expect(rolledBack.length).toBeGreaterThan(0);
    const logged = rows.map((r) => r.request_id);
    expect(new Set(logged).size).toBe(logged.length);
    expect([...logged].sort()).toEqual([...expected].sort());
    // Gap-free: seq is exactly 0 … n-1.
    expect(rows.map((r) => Number(r.seq))).toEqual(rows.map((_, i) => i));
    // Each client's acknowledged events are in the log in the order they were acknowledged.
    const seqOf = new Map(rows.map((r) => [r.request_id, Number(r.seq)]));
    for (const [client, ids] of acknowledged) {
      const seqs = ids.map((id) => seqOf.get(id)!);
      expect({ client, ordered: seqs.every((s, i) => i === 0 || s > seqs[i - 1]!) }).toEqual({
        client,
        ordered: true,
      });
    }
    // Group commit did batch: some transaction wrote several separate events.
    const perTx = new Map<string, number>();
    for (const r of rows)
      if (r.request_id.startsWith('s')) perTx.set(r.tx, (perTx.get(r.tx) ?? 0) + 1);
    expect(Math.max(...perTx.values())).toBeGreaterThan(1);

    const n = rows.length;
    const [head] = await db.asSuperuser<{ tree_size: string; checkpoint_size: string }>(
      `SELECT tree_size, checkpoint_size FROM audit_log_state WHERE organisation_id = $1`,
      [org],
    );
    expect(Number(head!.tree_size)).toBe(n);
    const checkpoints = await db.asSuperuser<{ tree_size: string }>(
      `SELECT tree_size FROM audit_checkpoint WHERE organisation_id = $1 ORDER BY tree_size`,
      [org],
    );
    const everyThousand = Array.from({ length: Math.floor(n / 1_000) }, (_, i) => (i + 1) * 1_000);
    expect(checkpoints.map((c) => Number(c.tree_size))).toEqual(everyThousand);
    expect(Number(head!.checkpoint_size)).toBe(everyThousand.at(-1) ?? 0);
    const result = await harbour.app.get(AuditVerifier).verify(org);
    expect(result).toMatchObject({
      status: 'verified',
      checkedEvents: n,
      checkpointsChecked: everyThousand.length,
    });
    process.stdout.write(
      `group commit: ${n} events logged (${separateWriters} separate writers, ${txWriters} transaction writers), ` +
        `${refused.length} refused, ${rolledBack.length} rolled back, largest batch ${Math.max(...perTx.values())}, ` +
        `${everyThousand.length} checkpoints; verified\n`,
    );
  }, 300_000);
});
