import type { AccessEventInput } from '../../infra/audit/audit-writer';
import { Db, FinalMessageError } from '../../infra/database/transaction';
import { AccessLogRepository } from '../../data/audit/access-log.repository';
import { AuthHarness } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { AccessLog, LogHeadNotAuthenticError } from './access-log.service';
import { AuditVerifier } from './audit-verifier.service';

/**
 * docs/security.md T15, T17 and T27 where a request's event and its COMMIT travel in one message
 * (docs/adr/0019): each transaction writes an "action" row, then ends with `appendAndCommit`.
 * The action commits exactly when its event does; the log stays gap-free, fork-free and
 * verifying under two instances, rollbacks and misses; a rewritten head is refused with nothing
 * committed; a message that fails commits nothing; values are inlined as literals, so hostile
 * text must arrive exactly as sent.
 */
describe('access log: the event and the COMMIT in one message', () => {
  let db: TestDatabase;
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    a = await createTestApp(db);
    b = await createTestApp(db);
    // The "action" of each request: a row that must commit exactly when its event does.
    await db.asSuperuser(`CREATE TABLE final_message_action (request_id text PRIMARY KEY)`);
    await db.asSuperuser(`GRANT SELECT, INSERT ON final_message_action TO harbour_api`);
  });

  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  afterEach(() => jest.restoreAllMocks());

  const event = (
    org: string,
    requestId: string,
    ids: string[] = [requestId],
  ): AccessEventInput => ({
    organisationId: org,
    actorId: null,
    actorRoles: ['caseworker'],
    action: 'staff.listed',
    resourceType: 'staff_user',
    resourceIds: ids,
    fields: [],
    purpose: null,
    outcome: 'success',
    requestId,
  });

  /** A request: its action, then its event as the last work (committing with it when it can). */
  const request = (app: TestApp, org: string, requestId: string, ids?: string[]) =>
    app.app.get(Db).transaction(org, async (tx) => {
      await tx.manager.query(`INSERT INTO final_message_action (request_id) VALUES ($1)`, [
        requestId,
      ]);
      await app.app.get(AccessLog).appendAndCommit(tx, event(org, requestId, ids));
    });

  /** Counts the messages of `app` that committed with their event, and those that missed. */
  const finalMessagesOf = (app: TestApp): { committed: number; missed: number } => {
    const rows = app.app.get(AccessLogRepository);
    const counts = { committed: 0, missed: 0 };
    const original = rows.appendAtHeadAndCommit.bind(rows);
    jest.spyOn(rows, 'appendAtHeadAndCommit').mockImplementation(async (...args) => {
      const committed = await original(...args);
      if (committed) counts.committed++;
      else counts.missed++;
      return committed;
    });
    return counts;
  };

  const logged = async (org: string) =>
    (
      await db.asSuperuser<{ seq: string; request_id: string; resource_ids: string[] }>(
        `SELECT seq, request_id, resource_ids FROM access_event WHERE organisation_id = $1
          ORDER BY seq`,
        [org],
      )
    ).map((r) => ({ seq: Number(r.seq), requestId: r.request_id, resourceIds: r.resource_ids }));

  /** A last statement without parameters, for `Tx.commitWithLast` itself. */
  const last = (name: string, sql: string) => ({
    name,
    prepare: `PREPARE ${name} AS ${sql}`,
    execute: `EXECUTE ${name}`,
  });

  const actions = async (prefix: string) =>
    (
      await db.asSuperuser<{ request_id: string }>(
        `SELECT request_id FROM final_message_action WHERE request_id LIKE $1 ORDER BY request_id`,
        [`${prefix}%`],
      )
    ).map((r) => r.request_id);

  it('commits each action with its event, gap-free and verifying, across two instances with rollbacks', async () => {
    const org = await new AuthHarness(a).createOrganisation('Final Message Service');
    const onA = finalMessagesOf(a);
    const onB = finalMessagesOf(b);
    const acknowledged: string[] = [];
    const failed: string[] = [];
    const writers = (app: TestApp, name: string, count: number, each: number) =>
      Array.from({ length: count }, async (_, w) => {
        for (let i = 0; i < each; i++) {
          const id = `fm-${name}${w}-${i}`;
          try {
            if (i % 9 === 4) {
              // A request that logs inside its transaction and then fails: nothing of it stays,
              // and a writer chained on the head it wrote misses.
              await app.app.get(Db).transaction(org, async (tx) => {
                await tx.manager.query(`INSERT INTO final_message_action VALUES ($1)`, [id]);
                await app.app.get(AccessLog).append(tx, event(org, id));
                throw new Error('the request failed after logging');
              });
            } else {
              await request(app, org, id);
            }
            acknowledged.push(id);
          } catch {
            failed.push(id);
          }
        }
      });
    await Promise.all([...writers(a, 'a', 8, 120), ...writers(b, 'b', 2, 50)]);

    const rows = await logged(org);
    expect(failed.length).toBeGreaterThan(0);
    expect(rows.map((r) => r.seq)).toEqual(rows.map((_, i) => i));
    const ids = rows.map((r) => r.requestId);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...acknowledged].sort());
    expect(await actions('fm-')).toEqual([...acknowledged].sort());
    expect(onA.committed).toBeGreaterThan(100);
    expect(onA.missed + onB.missed).toBeGreaterThan(0);
    const [state] = await db.asSuperuser<{ tree_size: string }>(
      `SELECT tree_size FROM audit_log_state WHERE organisation_id = $1`,
      [org],
    );
    expect(Number(state!.tree_size)).toBe(rows.length);
    expect(await a.app.get(AuditVerifier).verify(org)).toMatchObject({
      status: 'verified',
      checkedEvents: rows.length,
    });
    process.stdout.write(
      `final message: ${rows.length} events, ${failed.length} rolled back; instance a ${onA.committed} committed with their event, ${onA.missed} missed; instance b ${onB.committed}/${onB.missed}; verified\n`,
    );
  }, 300_000);

  it('falls back to the locking path when the head it expected was rolled back, and commits both there', async () => {
    const org = await new AuthHarness(a).createOrganisation('Rolled Back Final Service');
    for (let i = 0; i < 3; i++) await request(a, org, `rb-before-${i}`);
    const counts = finalMessagesOf(a);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let appendedFirst!: () => void;
    const firstAppended = new Promise<void>((resolve) => (appendedFirst = resolve));
    const transactions = a.app.get(Db);
    const first = transactions
      .transaction(org, async (tx) => {
        await a.app.get(AccessLog).append(tx, event(org, 'rb-rolled-back'));
        appendedFirst();
        await gate;
        throw new Error('the request failed after logging');
      })
      .catch((error: unknown) => error);
    await firstAppended;
    const second = request(a, org, 'rb-chained');
    for (let i = 0; i < 200; i++) {
      const [waiting] = await db.asSuperuser<{ n: string }>(
        `SELECT count(*) AS n FROM pg_stat_activity WHERE wait_event_type = 'Lock'
            AND query LIKE '%audit_log_state%'`,
      );
      if (Number(waiting!.n) > 0) break;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    release();
    expect(await first).toBeInstanceOf(Error);
    await second;
    expect(counts).toEqual({ committed: 0, missed: 1 });
    expect((await logged(org)).map((r) => [r.seq, r.requestId])).toEqual([
      [0, 'rb-before-0'],
      [1, 'rb-before-1'],
      [2, 'rb-before-2'],
      [3, 'rb-chained'],
    ]);
    expect(await actions('rb-')).toEqual([
      'rb-before-0',
      'rb-before-1',
      'rb-before-2',
      'rb-chained',
    ]);
    await request(a, org, 'rb-after');
    expect(counts.committed).toBe(1); // the locking path's head is known again
    expect(await a.app.get(AuditVerifier).verify(org)).toMatchObject({
      status: 'verified',
      checkedEvents: 5,
    });
  });

  it('refuses a head rewritten by a superuser, committing neither the action nor an event', async () => {
    const org = await new AuthHarness(a).createOrganisation('Rewritten Final Service');
    const counts = finalMessagesOf(a);
    for (let i = 0; i < 4; i++) await request(a, org, `rw-${i}`);
    expect(counts.committed).toBeGreaterThan(0);
    await db.asSuperuser(
      `UPDATE audit_log_state SET tree_size = tree_size - 1 WHERE organisation_id = $1`,
      [org],
    );
    await expect(request(a, org, 'rw-refused')).rejects.toBeInstanceOf(LogHeadNotAuthenticError);
    expect(await actions('rw-refused')).toEqual([]);
    expect((await logged(org)).map((r) => r.requestId)).not.toContain('rw-refused');
  });

  it('commits nothing when the message fails for another reason, and the next request appends as usual', async () => {
    const org = await new AuthHarness(a).createOrganisation('Failing Final Service');
    await request(a, org, 'ff-0');
    await request(a, org, 'ff-1');
    // A trigger that refuses one event: the statement fails inside the message, before COMMIT.
    await db.asSuperuser(`
      CREATE FUNCTION final_message_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.request_id = 'ff-poison' THEN RAISE EXCEPTION 'refused' USING ERRCODE = '42501'; END IF;
        RETURN NEW;
      END $$`);
    await db.asSuperuser(
      `CREATE TRIGGER final_message_refuse BEFORE INSERT ON access_event
         FOR EACH ROW EXECUTE FUNCTION final_message_refuse()`,
    );
    try {
      const counts = finalMessagesOf(a);
      const failure = await request(a, org, 'ff-poison').catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(FinalMessageError);
      expect((failure as FinalMessageError).cause).toMatchObject({ code: '42501' });
      expect(counts).toEqual({ committed: 0, missed: 0 }); // it threw: neither count
      expect(await actions('ff-poison')).toEqual([]);
      await request(a, org, 'ff-2');
      expect((await logged(org)).map((r) => r.requestId)).toEqual(['ff-0', 'ff-1', 'ff-2']);
      expect(await actions('ff-')).toEqual(['ff-0', 'ff-1', 'ff-2']);
    } finally {
      await db.asSuperuser(`DROP TRIGGER final_message_refuse ON access_event`);
    }
    expect(await a.app.get(AuditVerifier).verify(org)).toMatchObject({
      status: 'verified',
      checkedEvents: 3,
    });
  });

  it('stores hostile text exactly as sent (the values travel as literals)', async () => {
    const org = await new AuthHarness(a).createOrganisation('Literal Final Service');
    const counts = finalMessagesOf(a);
    await request(a, org, 'lit-0');
    const hostile = [
      `'; COMMIT; DROP TABLE final_message_action; --`,
      `back\\slash \\' E'\\x00' "quoted" {braces,comma}`,
      `$$ dollar $tag$ :organisationId $1 ::text`,
      `Ünïcødé 名前 🙂 NULL`,
      '',
    ];
    for (const [i, text] of hostile.entries()) await request(a, org, `lit-${i + 1}`, [text, 'x']);
    expect(counts.committed).toBeGreaterThanOrEqual(hostile.length);
    const rows = await logged(org);
    expect(rows.slice(1).map((r) => r.resourceIds)).toEqual(hostile.map((text) => [text, 'x']));
    expect(await actions('lit-')).toHaveLength(hostile.length + 1);
    expect(await a.app.get(AuditVerifier).verify(org)).toMatchObject({
      status: 'verified',
      checkedEvents: hostile.length + 1,
    });
    // A NUL would cut the message short: it is refused before anything is sent.
    await expect(request(a, org, 'lit-nul', ['a\0b'])).rejects.toThrow(/NUL/);
    expect(await actions('lit-nul')).toEqual([]);
  });

  it('does not commit a transaction that had already failed (its COMMIT would answer ROLLBACK)', async () => {
    const org = await new AuthHarness(a).createOrganisation('Aborted Final Service');
    const failure = await a.app
      .get(Db)
      .transaction(org, async (tx) => {
        await tx.manager.query(`INSERT INTO final_message_action VALUES ('ab-0')`);
        await tx.manager.query(`SELECT 1/0`).catch(() => undefined); // swallowed: tx aborted
        return tx.commitWithLast(last('hx_test_one', 'SELECT 1'), 'HL001');
      })
      .catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(FinalMessageError);
    expect(await actions('ab-')).toEqual([]);
  });

  it('rolls back to the savepoint on a miss and keeps the transaction, then refuses work after COMMIT', async () => {
    const org = await new AuthHarness(a).createOrganisation('Savepoint Final Service');
    const outcome = await a.app.get(Db).transaction(org, async (tx) => {
      await tx.manager.query(`INSERT INTO final_message_action VALUES ('sp-kept')`);
      const missed = await tx.commitWithLast(
        last(
          'hx_test_expect',
          `SELECT audit_expect_appended((SELECT count(*) FROM final_message_action
              WHERE request_id = 'sp-none'))`,
        ),
        'HL001',
      );
      await tx.manager.query(`INSERT INTO final_message_action VALUES ('sp-after-miss')`);
      const committed = await tx.commitWithLast(
        last('hx_test_insert', `INSERT INTO final_message_action VALUES ('sp-last')`),
        'HL001',
      );
      await expect(tx.prepared('h_final_after', 'SELECT 1', [])).rejects.toThrow(/ended/);
      return [missed, committed];
    });
    expect(outcome).toEqual(['missed', 'committed']);
    expect(await actions('sp-')).toEqual(['sp-after-miss', 'sp-kept', 'sp-last']);
  });
});
