import { randomUUID } from 'node:crypto';
import { verifyConsistency, verifyInclusion, type HarbourCrypto } from '@harbour/crypto';
import { auditWorld, type AuditWorld } from '../../test/medium/audit-world';
import { AuthHarness, type TestBrowser } from '../../test/medium/auth-harness';
import type { TestApp } from '../../test/medium/test-app';
import type { TestDatabase } from '../../test/medium/test-database';
import { Db } from '../../infra/database/transaction';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import { KeyringService } from '../../core/keyring/keyring.service';
import { AccessLog } from './access-log.service';
import { AccessLogPruner } from './access-log-pruner';
import { AuditVerifier } from './audit-verifier.service';
import { appendToFrontier } from './frontier';
import { prunedMacOf } from './pruned-prefix';

/**
 * docs/adr/0011-pruning-the-access-log.md, docs/security.md T16 and T23: access events are
 * pruned as a prefix that a signed checkpoint covers and whose events are all older than the
 * cutoff; the log still verifies from the kept frontier, proofs for the remaining events check
 * against the latest signed root, and tampering after a prune is still found.
 *
 * The log (injected clock): 13 events in 2021, 7 in mid-2022, 5 in mid-2025, each group signed
 * at its end, then 3 in July 2025. The writer also signs the first event after a pause of five
 * minutes or more, so the checkpoints are at 5, 6, 13, 14, 20, 21, 25 and 26.
 */
describe('pruning the access log', () => {
  let w: AuditWorld;
  let db: TestDatabase;
  let app: TestApp;
  let org: string;
  /** The time of each event, by seq. */
  let times: Date[];

  const checkpointNow = (): Promise<number> =>
    app.app.get(Db).transaction(org, (tx) => app.app.get(AccessLog).checkpointNow(tx, org));

  const write = async (count: number, from: Date, checkpoint: boolean): Promise<void> => {
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
    if (checkpoint) await checkpointNow();
  };

  beforeEach(async () => {
    w = await auditWorld('Prune Test');
    ({ db, app, org } = w);
    times = [];
    await write(5, new Date('2021-01-04T09:00:00Z'), true);
    await write(8, new Date('2021-03-01T09:00:00Z'), true);
    await write(7, new Date('2022-06-01T09:00:00Z'), true);
    await write(5, new Date('2025-06-01T09:00:00Z'), true);
    await write(3, new Date('2025-07-01T09:00:00Z'), false);
    const sizes = await db.asSuperuser<{ tree_size: string }>(
      `SELECT tree_size FROM audit_checkpoint ORDER BY tree_size`,
    );
    expect(sizes.map((r) => Number(r.tree_size))).toEqual([5, 6, 13, 14, 20, 21, 25, 26]);
  }, 60_000);

  afterEach(() => w.close());

  const pruner = () => app.app.get(AccessLogPruner);
  const verify = () => app.app.get(AuditVerifier).verify(org);
  const seqs = async (): Promise<number[]> =>
    (
      await db.asSuperuser<{ seq: string }>(
        `SELECT seq FROM access_event WHERE organisation_id = $1 ORDER BY seq`,
        [org],
      )
    ).map((r) => Number(r.seq));
  const range = (from: number, to: number): number[] =>
    Array.from({ length: to - from }, (_, i) => from + i);

  it('removes exactly the planned prefix, and the log still verifies from the kept frontier', async () => {
    const plan = await pruner().plan(org, new Date('2022-01-01T00:00:00Z'));
    expect(plan).toEqual({ count: 13, oldest: times[0], newest: times[12] });
    expect(await pruner().prune(org, new Date('2022-01-01T00:00:00Z'))).toEqual(plan);
    expect(await seqs()).toEqual(range(13, 28));
    expect(await verify()).toMatchObject({
      status: 'verified',
      checkedEvents: 15,
      firstBadIndex: null,
      pruned: { before: 13, newestAt: times[12]!.toISOString() },
      tail: { events: 2, since: times[26]!.toISOString() },
    });
    // Nothing more is due for the same cutoff.
    expect(await pruner().plan(org, new Date('2022-01-01T00:00:00Z'))).toEqual({
      count: 0,
      oldest: null,
      newest: null,
    });
  });

  it('stops the prefix at the first event not older than the cutoff, rounded down to a signed checkpoint', async () => {
    // Cutoff between events 15 and 16: the prefix may go up to 16, the checkpoint below is 14.
    const plan = await pruner().plan(org, times[16]!);
    expect(plan).toEqual({ count: 14, oldest: times[0], newest: times[13] });
    // Before the first checkpoint's last event: no signed checkpoint covers the prefix yet.
    expect(await pruner().plan(org, times[4]!)).toEqual({ count: 0, oldest: null, newest: null });
    expect(await pruner().plan(org, times[5]!)).toEqual({
      count: 5,
      oldest: times[0],
      newest: times[4],
    });
    expect(await pruner().prune(org, times[16]!)).toEqual(plan);
    expect(await seqs()).toEqual(range(14, 28));
  });

  it('never prunes past the newest signed checkpoint, nor events younger than a year, whatever the cutoff', async () => {
    // All 28 events are older than the cutoff; the newest checkpoint covers 26 of them.
    const plan = await pruner().plan(org, new Date('2026-01-01T00:00:00Z'));
    expect(plan).toEqual({ count: 26, oldest: times[0], newest: times[25] });
    expect(await pruner().prune(org, new Date('2026-01-01T00:00:00Z'))).toEqual(plan);
    expect(await seqs()).toEqual(range(26, 28));
    expect(await verify()).toMatchObject({ status: 'verified', checkedEvents: 2 });

    // Recent events (the database's own clock), signed: a cutoff in the future still keeps them.
    await write(3, new Date(Date.now() - 24 * 3600 * 1000), true);
    const future = new Date('2100-01-01T00:00:00Z');
    expect(await pruner().plan(org, future)).toEqual({ count: 0, oldest: null, newest: null });
    expect(await pruner().prune(org, future)).toEqual({ count: 0, oldest: null, newest: null });
    expect(await seqs()).toEqual(range(26, 31));
    expect(await verify()).toMatchObject({ status: 'verified', checkedEvents: 5 });
  });

  it('prunes again from a pruned prefix, merging the kept frontier', async () => {
    await pruner().prune(org, new Date('2021-02-01T00:00:00Z'));
    expect(await seqs()).toEqual(range(5, 28));
    expect(await verify()).toMatchObject({ status: 'verified', pruned: { before: 5 } });
    const plan = await pruner().plan(org, new Date('2025-01-01T00:00:00Z'));
    expect(plan).toEqual({ count: 15, oldest: times[5], newest: times[19] });
    expect(await pruner().prune(org, new Date('2025-01-01T00:00:00Z'))).toEqual(plan);
    expect(await seqs()).toEqual(range(20, 28));
    expect(await verify()).toMatchObject({
      status: 'verified',
      checkedEvents: 8,
      pruned: { before: 20 },
    });
  });

  it('checks a witnessed checkpoint newer than, at, or older than the pruned prefix', async () => {
    await pruner().prune(org, new Date('2022-01-01T00:00:00Z'));
    const witnessAt = async (size: number) => {
      const [row] = await db.asSuperuser<{ body: string; signature: Buffer; public_key: Buffer }>(
        `SELECT body, signature, public_key FROM audit_checkpoint WHERE organisation_id = $1 AND tree_size = $2`,
        [org, size],
      );
      return {
        body: row!.body,
        signature: new Uint8Array(row!.signature),
        publicKey: new Uint8Array(row!.public_key),
      };
    };
    const verifier = app.app.get(AuditVerifier);
    for (const size of [26, 20, 13, 5]) {
      expect(await verifier.verify(org, { witness: await witnessAt(size) })).toMatchObject({
        status: 'verified',
        witness: { source: 'supplied', treeSize: size },
      });
    }
    // The stored checkpoint of an old witnessed size rewritten to another signed root: the
    // witness's root no longer matches it.
    await db.asSuperuser(`ALTER TABLE audit_checkpoint DISABLE TRIGGER USER`);
    const witnessed = await witnessAt(5);
    await db.asSuperuser(
      `UPDATE audit_checkpoint SET root_hash = sha256(root_hash) WHERE organisation_id = $1 AND tree_size = 5`,
      [org],
    );
    expect(await verifier.verify(org, { witness: witnessed })).toMatchObject({
      status: 'failed',
      problem: 'the log does not extend the witnessed checkpoint',
    });
  });

  describe('proofs after a prune (case 24)', () => {
    let auditor: TestBrowser;
    const b = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));

    beforeEach(async () => {
      await pruner().prune(org, new Date('2022-01-01T00:00:00Z'));
      const harness = new AuthHarness(app);
      auditor = await harness.signIn(await harness.createUser(org, { roles: ['auditor'] }));
    });

    it('proves every remaining event against the latest signed root, and consistency from checkpoints ≥ the prefix', async () => {
      const latest = await checkpointNow();
      const [signed] = await db.asSuperuser<{ root_hash: Buffer }>(
        `SELECT root_hash FROM audit_checkpoint WHERE tree_size = $1`,
        [latest],
      );
      for (let seq = 13; seq < latest; seq++) {
        const res = await auditor.send(
          'get',
          `/api/audit/proofs/inclusion?seq=${seq}&treeSize=${latest}`,
        );
        expect(res.status).toBe(200);
        const inc = res.body as unknown as { leafHash: string; rootHash: string; proof: string[] };
        expect(Buffer.from(b(inc.rootHash)).equals(signed!.root_hash)).toBe(true);
        expect(
          verifyInclusion(b(inc.leafHash), seq, latest, inc.proof.map(b), b(inc.rootHash)),
        ).toBe(true);
        expect(
          verifyInclusion(b(inc.leafHash), seq ^ 1, latest, inc.proof.map(b), b(inc.rootHash)),
        ).toBe(false);
      }
      for (const from of [13, 20, 25]) {
        const res = await auditor.send(
          'get',
          `/api/audit/proofs/consistency?from=${from}&to=${latest}`,
        );
        expect(res.status).toBe(200);
        const con = res.body as unknown as { fromRoot: string; toRoot: string; proof: string[] };
        const [old] = await db.asSuperuser<{ root_hash: Buffer }>(
          `SELECT root_hash FROM audit_checkpoint WHERE tree_size = $1`,
          [from],
        );
        expect(Buffer.from(b(con.fromRoot)).equals(old!.root_hash)).toBe(true);
        expect(Buffer.from(b(con.toRoot)).equals(signed!.root_hash)).toBe(true);
        expect(
          verifyConsistency(from, latest, b(con.fromRoot), b(con.toRoot), con.proof.map(b)),
        ).toBe(true);
      }
    });

    it('refuses proofs that need a pruned event (400, reason pruned), never a wrong one', async () => {
      for (const [path, field] of [
        ['/api/audit/proofs/inclusion?seq=12&treeSize=25', 'seq'],
        ['/api/audit/proofs/inclusion?seq=3&treeSize=5', 'treeSize'],
        ['/api/audit/proofs/consistency?from=5&to=25', 'from'],
      ] as const) {
        const res = await auditor.send('get', path);
        expect(res.status).toBe(400);
        expect(JSON.stringify(res.body)).toContain('validation_failed');
        expect(JSON.stringify(res.body)).toContain(`"path":"${field}","reason":"pruned"`);
      }
    });
  });

  describe('what the API role can do', () => {
    const asApi = (sql: string, params: unknown[] = []) =>
      app.app.get(Db).transaction(org, (tx) => tx.manager.query(sql, params));

    it('cannot delete an access event, nor write the kept prefix, except through the function', async () => {
      await expect(asApi(`DELETE FROM access_event WHERE seq < 5`)).rejects.toThrow(
        /permission denied/,
      );
      await expect(
        asApi(
          `INSERT INTO access_log_pruned (organisation_id, pruned_size, frontier, newest_pruned_at, pruned_at) VALUES ($1, 5, '{}', now(), now())`,
          [org],
        ),
      ).rejects.toThrow(/permission denied/);
      await pruner().prune(org, new Date('2022-01-01T00:00:00Z'));
      await expect(asApi(`UPDATE access_log_pruned SET pruned_size = 5`)).rejects.toThrow(
        /permission denied/,
      );
      await expect(asApi(`DELETE FROM access_log_pruned`)).rejects.toThrow(/permission denied/);
      // Another organisation's log cannot be pruned from this tenant.
      const other = await new AuthHarness(app).createOrganisation('Other');
      await expect(
        asApi(`SELECT * FROM access_log_prune($1, '2030-01-01')`, [other]),
      ).rejects.toThrow(/own organisation/);
      // The owner is stopped by the append-only trigger outside the function.
      await expect(
        db.asOwner(`SELECT set_config('app.org_id', '${org}', false); DELETE FROM access_event`),
      ).rejects.toThrow(/append-only/);
      expect(await seqs()).toEqual(range(13, 28));
    });

    it('refuses to prune a prefix that no longer matches its signed checkpoint (evidence is kept)', async () => {
      await db.asSuperuser(`ALTER TABLE access_event DISABLE TRIGGER USER`);
      await db.asSuperuser(`UPDATE access_event SET leaf_hash = sha256(leaf_hash) WHERE seq = 3`);
      await expect(pruner().prune(org, new Date('2022-01-01T00:00:00Z'))).rejects.toThrow();
      expect(await seqs()).toEqual(range(0, 28));
    });
  });

  describe('tampering after a prune (case 23)', () => {
    beforeEach(async () => {
      await pruner().prune(org, new Date('2022-01-01T00:00:00Z'));
      await db.asSuperuser(`ALTER TABLE access_event DISABLE TRIGGER USER`);
      await db.asSuperuser(`ALTER TABLE access_log_pruned DISABLE TRIGGER USER`);
    });

    const edited = (from: string, to: string): string =>
      `convert_to(replace(convert_from(event, 'UTF8'), '${from}', '${to}'), 'UTF8')`;

    it('finds a kept frontier hash altered', async () => {
      await db.asSuperuser(`UPDATE access_log_pruned SET frontier[2] = sha256(frontier[2])`);
      expect(await verify()).toMatchObject({
        status: 'failed',
        firstBadIndex: 0,
        problem: expect.stringMatching(/pruned prefix/) as unknown,
      });
      // Even re-MACed with the audit key (an insider who has it), the frontier must fold to the
      // root of the signed checkpoint at 13.
      const [row] = await db.asSuperuser<{ frontier: Buffer[]; newest_pruned_at: Date }>(
        `SELECT frontier, newest_pruned_at FROM access_log_pruned`,
      );
      const crypto = app.app.get<HarbourCrypto>(HARBOUR_CRYPTO);
      const macKey = await app.app
        .get(Db)
        .transaction(org, async (tx) =>
          crypto.auditMacKey(await app.app.get(KeyringService).auditKey(tx, org)),
        );
      const mac = prunedMacOf(macKey, org, {
        size: 13,
        frontier: row!.frontier.map((h) => new Uint8Array(h)),
        newestPrunedAt: new Date(row!.newest_pruned_at),
      });
      await db.asSuperuser(`UPDATE access_log_pruned SET mac = $1`, [mac]);
      expect(await verify()).toMatchObject({
        status: 'failed',
        firstBadIndex: 0,
        problem: expect.stringMatching(
          /does not match the signed checkpoint of size 13/,
        ) as unknown,
      });
    });

    it('finds a remaining event deleted', async () => {
      await db.asSuperuser(`DELETE FROM access_event WHERE seq = 16`);
      expect(await verify()).toMatchObject({ status: 'failed', firstBadIndex: 16 });
    });

    it('finds a remaining event altered', async () => {
      await db.asSuperuser(
        `UPDATE access_event SET outcome = 'denied',
                event = ${edited('"outcome":"success"', '"outcome":"denied"')} WHERE seq = 14`,
      );
      expect(await verify()).toMatchObject({ status: 'failed', firstBadIndex: 14 });
    });

    it('finds a prune done outside Harbour (events deleted, a fake row with the right frontier)', async () => {
      // The attacker has every leaf hash, so the frontier folds to the signed root at 20; only
      // the MAC (audit key, outside the database) gives it away.
      const leaves = await db.asSuperuser<{ leaf_hash: Buffer }>(
        `SELECT leaf_hash FROM access_event WHERE seq < 20 ORDER BY seq`,
      );
      const [row] = await db.asSuperuser<{ frontier: Buffer[]; mac: Buffer }>(
        `SELECT frontier, mac FROM access_log_pruned`,
      );
      let frontier: Uint8Array[] = row!.frontier.map((h) => new Uint8Array(h));
      leaves.forEach((l, i) => {
        frontier = appendToFrontier(frontier, 13 + i, new Uint8Array(l.leaf_hash));
      });
      await db.asSuperuser(`DELETE FROM access_event WHERE seq < 20`);
      await db.asSuperuser(
        `UPDATE access_log_pruned SET pruned_size = 20, frontier = $1, mac = $2`,
        [frontier.map((h) => Buffer.from(h)), row!.mac],
      );
      expect(await verify()).toMatchObject({
        status: 'failed',
        firstBadIndex: 0,
        problem: expect.stringMatching(/not authentic/) as unknown,
      });
    });

    it('finds a fake pruned row inserted into a log that was never pruned, or one without a MAC', async () => {
      await db.asSuperuser(`UPDATE access_log_pruned SET mac = NULL`);
      expect(await verify()).toMatchObject({ status: 'failed', firstBadIndex: 0 });
      await db.asSuperuser(`DELETE FROM access_log_pruned`);
      // Events now start at 13 with no kept prefix: the first one is missing.
      expect(await verify()).toMatchObject({ status: 'failed', firstBadIndex: 0 });
    });
  });
});
