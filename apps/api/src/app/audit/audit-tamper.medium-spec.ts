import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createCrypto,
  verifyCheckpoint,
  verifyConsistency,
  verifyInclusion,
} from '@harbour/crypto';
import { auditWorld, type AuditWorld } from '../../test/medium/audit-world';
import { AuthHarness } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { ACCESS_EVENT_BYTES_CHECK } from '@harbour/migrations';
import { AccessLog } from './access-log.service';
import { AuditVerifier } from './audit-verifier.service';
import { parseWitnessText } from './audit-witness.service';

/**
 * docs/design.md §7, docs/security.md T16 and cases 23–24: a log tampered with in every way a
 * superuser could (columns, bytes, leaves, MACs, the constraint, deleted, inserted and reordered
 * events, a truncated tail, a foreign checkpoint key) is named at the first event that does not
 * match; proofs verify; checkpoints are signed over time and exported to the witness. Coverage
 * and the writer's own guarantees are in `audit.medium-spec.ts`.
 */
describe('tamper evidence (case 23)', () => {
  let w: AuditWorld;
  let tamperDb: TestDatabase;
  let app: TestApp;
  let tamperOrg: string;

  /** A fresh log of 2,500 events (two checkpoints) to tamper with. */
  beforeEach(async () => {
    w = await auditWorld('Tamper Test');
    ({ db: tamperDb, app, org: tamperOrg } = w);
    const log = app.app.get(AccessLog);
    for (let i = 0; i < 2_500; i++) {
      await log.appendSeparately({
        organisationId: tamperOrg,
        actorId: null,
        actorRoles: ['caseworker'],
        action: 'staff.listed',
        resourceType: 'staff_user',
        resourceIds: [randomUUID()],
        fields: [],
        purpose: null,
        outcome: 'success',
        requestId: `r${i}`,
      });
    }
    await tamperDb.asSuperuser(`ALTER TABLE access_event DISABLE TRIGGER USER`);
  }, 120_000);

  afterEach(() => w.close());

  const verify = () => app.app.get(AuditVerifier).verify(tamperOrg);

  it('verifies the untouched log, with its checkpoints', async () => {
    expect(await verify()).toMatchObject({
      status: 'verified',
      checkedEvents: 2_500,
      checkpointsChecked: 2,
    });
  });

  /** SQL for the event bytes with one piece of canonical JSON replaced (an attacker's edit). */
  const edited = (from: string, to: string): string =>
    `convert_to(replace(convert_from(event, 'UTF8'), '${from}', '${to}'), 'UTF8')`;

  it('refuses, even to a superuser with triggers off, a column that no longer says what the hashed bytes say', async () => {
    await expect(
      tamperDb.asSuperuser(`UPDATE access_event SET action = 'auth.sign_out' WHERE seq = 1234`),
    ).rejects.toThrow(/access_event_bytes/);
    await expect(
      tamperDb.asSuperuser(
        `UPDATE access_event SET event = ${edited('"action":"staff.listed"', '"action":"auth.sign_out"')} WHERE seq = 1234`,
      ),
    ).rejects.toThrow(/access_event_bytes/);
    expect(await verify()).toMatchObject({ status: 'verified' });
  });

  it('names an updated event (column and bytes rewritten together)', async () => {
    await tamperDb.asSuperuser(
      `UPDATE access_event SET action = 'auth.sign_out',
              event = ${edited('"action":"staff.listed"', '"action":"auth.sign_out"')} WHERE seq = 1234`,
    );
    expect(await verify()).toMatchObject({ status: 'failed', firstBadIndex: 1234 });
  });

  it('names an updated event even when the attacker also recomputes its leaf hash', async () => {
    await tamperDb.asSuperuser(
      `UPDATE access_event SET outcome = 'denied',
              event = ${edited('"outcome":"success"', '"outcome":"denied"')} WHERE seq = 777`,
    );
    await tamperDb.asSuperuser(
      `UPDATE access_event SET leaf_hash = sha256('\\x00'::bytea || event) WHERE seq = 777`,
    );
    expect(await verify()).toMatchObject({
      status: 'failed',
      firstBadIndex: 777,
      problem: expect.stringMatching(/not authentic/) as unknown,
    });
  });

  it('names an event after the last checkpoint whose MAC does not match (no signed root covers it)', async () => {
    await tamperDb.asSuperuser(`UPDATE access_event SET mac = sha256(mac) WHERE seq = 2400`);
    expect(await verify()).toMatchObject({
      status: 'failed',
      firstBadIndex: 2400,
      problem: expect.stringMatching(/not authentic/) as unknown,
    });
  });

  it('names an event changed after the constraint was dropped, or put back NOT VALID', async () => {
    await tamperDb.asSuperuser(`ALTER TABLE access_event DROP CONSTRAINT access_event_bytes`);
    await tamperDb.asSuperuser(`UPDATE access_event SET actor_id = $1 WHERE seq = 1500`, [
      randomUUID(),
    ]);
    const dropped = await verify();
    expect(dropped).toMatchObject({ status: 'failed', firstBadIndex: 0 });
    expect(dropped.problem).toMatch(/constraint/);
    await expect(
      tamperDb.asSuperuser(
        `ALTER TABLE access_event ADD CONSTRAINT access_event_bytes ${ACCESS_EVENT_BYTES_CHECK}`,
      ),
    ).rejects.toThrow(/violated/);
    await tamperDb.asSuperuser(
      `ALTER TABLE access_event ADD CONSTRAINT access_event_bytes ${ACCESS_EVENT_BYTES_CHECK} NOT VALID`,
    );
    expect(await verify()).toMatchObject({ status: 'failed', firstBadIndex: 0 });
  });

  it('names an event changed after the constraint function was replaced', async () => {
    await tamperDb.asSuperuser(
      `CREATE OR REPLACE FUNCTION access_event_matches(
           p_event bytea, p_organisation_id uuid, p_seq bigint, p_occurred_at timestamptz,
           p_actor_id uuid, p_actor_roles text[], p_action text, p_resource_type text,
           p_resource_ids text[], p_fields text[], p_purpose text, p_outcome text, p_request_id text
         ) RETURNS boolean LANGUAGE plpgsql IMMUTABLE AS 'BEGIN RETURN true; END'`,
    );
    await tamperDb.asSuperuser(`UPDATE access_event SET purpose = 'x' WHERE seq = 10`);
    expect(await verify()).toMatchObject({ status: 'failed', firstBadIndex: 0 });
  });

  it('names a deleted event', async () => {
    await tamperDb.asSuperuser(`DELETE FROM access_event WHERE seq = 42`);
    expect(await verify()).toMatchObject({ status: 'failed', firstBadIndex: 42 });
  });

  it('names an inserted event (shifting the rest)', async () => {
    // Every later event moves up one, its sequence number rewritten in the column and the bytes.
    await tamperDb.asSuperuser(`ALTER TABLE access_event DROP CONSTRAINT access_event_bytes`);
    await tamperDb.asSuperuser(`UPDATE access_event SET seq = seq + 100000 WHERE seq >= 500`);
    await tamperDb.asSuperuser(
      `UPDATE access_event SET seq = seq - 100000 + 1,
              event = convert_to(regexp_replace(convert_from(event, 'UTF8'), '"seq":[0-9]+', '"seq":' || (seq - 100000 + 1)), 'UTF8')
        WHERE seq >= 100000`,
    );
    await tamperDb.asSuperuser(
      `INSERT INTO access_event SELECT organisation_id, 500, occurred_at, actor_id, actor_roles, action, resource_type,
              resource_ids, fields, purpose, outcome, 'forged', leaf_hash, mac,
              convert_to(replace(replace(convert_from(event, 'UTF8'), '"seq":499', '"seq":500'), '"requestId":"r499"', '"requestId":"forged"'), 'UTF8')
         FROM access_event WHERE seq = 499`,
    );
    await tamperDb.asSuperuser(
      `ALTER TABLE access_event ADD CONSTRAINT access_event_bytes ${ACCESS_EVENT_BYTES_CHECK}`,
    );
    expect(await verify()).toMatchObject({ status: 'failed', firstBadIndex: 500 });
  });

  it('names reordered events', async () => {
    // Events 100 and 101 swap places: every column but seq, bytes with their seq rewritten.
    const swap = (a: number, b: number) =>
      tamperDb.asSuperuser(
        `UPDATE access_event SET seq = ${b},
                event = ${edited(`"seq":${a}`, `"seq":${b}`)} WHERE seq = ${a}`,
      );
    await swap(100, 999_999);
    await swap(101, 100);
    await swap(999_999, 101);
    expect(await verify()).toMatchObject({ status: 'failed', firstBadIndex: 100 });
  });

  it('names the first missing index when the tail is truncated', async () => {
    await tamperDb.asSuperuser(`DELETE FROM access_event WHERE seq >= 1900`);
    expect(await verify()).toMatchObject({ status: 'failed', firstBadIndex: 1900 });
  });

  it('rejects a checkpoint signed with another key', async () => {
    const crypto = await createCrypto();
    const key = crypto.generateSigningKey();
    const [cp] = await tamperDb.asSuperuser<{ body: string }>(
      `SELECT body FROM audit_checkpoint WHERE tree_size = 1000`,
    );
    const signature = crypto.sign(key, new TextEncoder().encode(cp!.body));
    await tamperDb.asSuperuser(
      `UPDATE audit_checkpoint SET signature = $1, public_key = $2 WHERE tree_size = 1000`,
      [Buffer.from(signature), Buffer.from(key.publicKey)],
    );
    expect(await verify()).toMatchObject({ status: 'failed', firstBadIndex: 0 });
  });

  it('serves proofs that verify, and rejects mutated ones (case 24)', async () => {
    const auditorOrg = tamperOrg;
    const h2 = new AuthHarness(app);
    await tamperDb.asSuperuser(`ALTER TABLE access_event ENABLE TRIGGER USER`);
    const auditor = await h2.createUser(auditorOrg, { roles: ['auditor'] });
    const browser = await h2.signIn(auditor);
    const inc = (await browser.send('get', '/api/audit/proofs/inclusion?seq=123&treeSize=2000'))
      .body as unknown as {
      leafHash: string;
      rootHash: string;
      proof: string[];
    };
    const b = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
    const proof = inc.proof.map(b);
    expect(verifyInclusion(b(inc.leafHash), 123, 2000, proof, b(inc.rootHash))).toBe(true);
    const flipped = proof.map((p, i) =>
      i === 2 ? Uint8Array.from(p, (x, j) => (j === 0 ? x ^ 1 : x)) : p,
    );
    expect(verifyInclusion(b(inc.leafHash), 123, 2000, flipped, b(inc.rootHash))).toBe(false);
    expect(verifyInclusion(b(inc.leafHash), 124, 2000, proof, b(inc.rootHash))).toBe(false);

    const con = (await browser.send('get', '/api/audit/proofs/consistency?from=1000&to=2000'))
      .body as unknown as {
      fromRoot: string;
      toRoot: string;
      proof: string[];
    };
    const cproof = con.proof.map(b);
    expect(verifyConsistency(1000, 2000, b(con.fromRoot), b(con.toRoot), cproof)).toBe(true);
    expect(verifyConsistency(1000, 2000, b(con.fromRoot), b(con.toRoot), cproof.slice(1))).toBe(
      false,
    );
    // The proof's old root is the signed checkpoint of size 1000.
    const [cp] = await tamperDb.asSuperuser<{ root_hash: Buffer }>(
      `SELECT root_hash FROM audit_checkpoint WHERE tree_size = 1000`,
    );
    expect(Buffer.from(b(con.fromRoot)).equals(cp!.root_hash)).toBe(true);
  });
});

describe('checkpoints over time and the witness', () => {
  it('signs a checkpoint after five minutes and exports it to the witness folder', async () => {
    const witnessDir = mkdtempSync(join(tmpdir(), 'harbour-witness-'));
    const db = await createTestDatabase();
    const app = await createTestApp(db, { env: { HARBOUR_AUDIT_WITNESS_DIR: witnessDir } });
    try {
      const org = await new AuthHarness(app).createOrganisation('Witnessed');
      const log = app.app.get(AccessLog);
      const event = (requestId: string) => ({
        organisationId: org,
        actorId: null,
        actorRoles: [],
        action: 'staff.listed' as const,
        resourceType: null,
        resourceIds: [],
        fields: [],
        purpose: null,
        outcome: 'success' as const,
        requestId,
      });
      await log.appendSeparately(event('a'));
      await log.appendSeparately(event('b'));
      expect(await db.asSuperuser(`SELECT tree_size FROM audit_checkpoint`)).toEqual([]);
      app.clock.advance(5 * 60 * 1000);
      await log.appendSeparately(event('c'));
      expect(await db.asSuperuser(`SELECT tree_size FROM audit_checkpoint`)).toEqual([
        { tree_size: '3' },
      ]);
      const files = readdirSync(join(witnessDir, org));
      expect(files).toEqual(['000000000003.checkpoint']);
      const text = readFileSync(join(witnessDir, org, files[0]!), 'utf8');
      const parsed = parseWitnessText(text);
      const checked = verifyCheckpoint(parsed.body, parsed.signature, parsed.publicKey);
      expect(checked.ok && checked.checkpoint.treeSize).toBe(3);
      const [row] = await db.asSuperuser<{ witnessed_at: Date | null }>(
        `SELECT witnessed_at FROM audit_checkpoint`,
      );
      expect(row!.witnessed_at).not.toBeNull();
      // The verifier accepts the witnessed checkpoint, and refuses a log shorter than it.
      const verifier = app.app.get(AuditVerifier);
      expect(await verifier.verify(org, { witness: parsed })).toMatchObject({ status: 'verified' });
      await db.asSuperuser(`ALTER TABLE access_event DISABLE TRIGGER USER`);
      await db.asSuperuser(`ALTER TABLE audit_checkpoint DISABLE TRIGGER USER`);
      await db.asSuperuser(`DELETE FROM audit_checkpoint`);
      await db.asSuperuser(`DELETE FROM access_event WHERE seq = 2`);
      // With the database's own checkpoints gone, the witness still knows the log had 3 events:
      // read from the witness folder by default, or supplied (the CLI's --checkpoint).
      expect(await verifier.verify(org)).toMatchObject({
        status: 'failed',
        firstBadIndex: 2,
        witness: { source: 'folder', treeSize: 3 },
      });
      expect(await verifier.verify(org, { witness: parsed })).toMatchObject({
        status: 'failed',
        firstBadIndex: 2,
        witness: { source: 'supplied', treeSize: 3 },
      });
    } finally {
      await app.close();
      await db.drop();
      rmSync(witnessDir, { recursive: true, force: true });
    }
  }, 60_000);
});
