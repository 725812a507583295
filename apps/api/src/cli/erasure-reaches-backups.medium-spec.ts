import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ErasureReceipt, PersonView } from '@harbour/domain';
import { keyringUrlFor } from '@harbour/migrations';
import { AuditVerifier } from '../app/audit/audit-verifier.service';
import { appliedMigrations, MIGRATIONS_TABLE } from '../infra/database/backup/data-schema';
import {
  backupsIn,
  backupStamp,
  keyringSchemaSteps,
  pruneKeyringBackups,
  writeKeyringBackup,
} from '../infra/database/backup/keyring-backups';
import { writeBackup } from '../infra/database/backup/write-backup';
import { restoreBackup } from '../infra/database/backup/restore-backup';
import { CANARY_PEOPLE, findCanaries } from '../test/canaries';
import { AuthHarness, type TestUser } from '../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../test/medium/test-database';
import { restorePair } from './restore-pair';

const DAY = 86_400_000;

/**
 * Erasure reaches backups (docs/operations.md "What erasure reaches, and when"): a data backup
 * taken before an erasure still holds the person's ciphertext, and the keyring backups taken
 * before it still hold their key; once those keyring backups have expired (the backup window,
 * moved through with the application's clock), the old data backup restored with the current
 * keyring cannot show the person — not by id, not by lookup — while everyone else reads back.
 */
describe('erasure reaches backups', () => {
  const masterKey = randomBytes(32).toString('base64');
  const backupKey = new Uint8Array(randomBytes(32));
  let db: TestDatabase;
  let harbour: TestApp;
  let dir: string;
  let keyringDir: string;
  let org: string;
  let caseworker: TestUser;
  const people: { id: string; given: string; family: string; contact: string }[] = [];
  const targets: TestDatabase[] = [];

  /** A backup pair as `harbour backup` writes it at the app's time: data first, then keyring. */
  async function backupPair(): Promise<{ data: string; keyring: string }> {
    const at = harbour.clock.now();
    const data = join(dir, `harbour-data-${backupStamp(at)}.hbk`);
    await writeBackup({
      sourceUrl: db.ownerUrl,
      out: data,
      backupKey,
      kind: 'data',
      schemaVersion: appliedMigrations,
      skipTables: [MIGRATIONS_TABLE],
      now: at,
    });
    const keyringAt = new Date(at.getTime() + 1000);
    const keyring = join(keyringDir, `harbour-keyring-${backupStamp(keyringAt)}.hbk`);
    await writeKeyringBackup({
      sourceUrl: keyringUrlFor(db.ownerUrl),
      out: keyring,
      backupKey,
      now: keyringAt,
    });
    return { data, keyring };
  }

  async function restoreInto(dataFile: string, keyringFile: string) {
    const target = await createTestDatabase({ empty: true });
    targets.push(target);
    const restored = await restorePair({
      dataFile,
      keyring: { file: keyringFile },
      backupKey,
      target: { adminUrl: target.superuserUrl, ownerUrl: target.ownerUrl },
      keyringTarget: {
        adminUrl: keyringUrlFor(target.superuserUrl),
        ownerUrl: keyringUrlFor(target.ownerUrl),
      },
      now: harbour.clock.now(),
    });
    return { target, restored };
  }

  /** The restored copy as a caseworker sees it: who reveals, and who a name lookup finds. */
  async function asSeenIn(target: TestDatabase) {
    const copy = await createTestApp(target, { masterKey, clock: harbour.clock });
    try {
      harbour.clock.advance(60_000); // a fresh sign-in code
      const cw = await new AuthHarness(copy).signIn(caseworker);
      const seen = [];
      for (const person of people) {
        const reveal = await cw.send('post', `/api/persons/${person.id}/reveal`, {
          purpose: 'safety_check',
        });
        const found = await cw.send('post', '/api/persons/lookup', {
          name: `${person.given} ${person.family}`,
        });
        const notes = await cw.send('get', `/api/contacts/${person.contact}`);
        seen.push({
          status: reveal.status,
          given: (reveal.body as { identity?: { givenName?: string } }).identity?.givenName ?? null,
          found: (found.body as unknown as { id: string }[]).some((c) => c.id === person.id),
          notes: notes.body['notes'] ?? null,
        });
      }
      const audit = await copy.app.get(AuditVerifier).verify(org);
      return { seen, audit: audit.status, logs: copy.rawLogs() };
    } finally {
      await copy.close();
    }
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'harbour-erasure-backups-'));
    keyringDir = join(dir, 'keyring');
    mkdirSync(keyringDir);
    db = await createTestDatabase();
    harbour = await createTestApp(db, { masterKey });
    const h = new AuthHarness(harbour);
    org = await h.createOrganisation('Erasure Backups Service');
    caseworker = await h.createUser(org, { roles: ['caseworker'] });
    const cw = await h.signIn(caseworker);
    for (const canary of CANARY_PEOPLE.slice(0, 3)) {
      const person = (
        await cw.send('post', '/api/persons', {
          identity: { givenName: canary.given, familyName: canary.family },
        })
      ).body as unknown as PersonView;
      const contact = await cw.send('post', '/api/contacts', {
        personId: person.id,
        occurredOn: harbour.clock.now().toISOString().slice(0, 10),
        channel: 'phone',
        locationType: 'online_or_phone',
        notes: `Call back ${person.code} about the clinic.`,
      });
      expect(contact.status).toBe(201);
      people.push({
        id: person.id,
        given: canary.given,
        family: canary.family,
        contact: contact.body['id'] as string,
      });
    }
  }, 120_000);

  afterAll(async () => {
    await harbour.close();
    for (const target of targets) await target.drop();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('an old data backup, restored with the current keyring once the old keyring backups expired, cannot show the erased person', async () => {
    const before = await backupPair();

    // The second person asks to be erased an hour later.
    harbour.clock.advance(3_600_000);
    const h = new AuthHarness(harbour);
    const coordinator = await h.createUser(org, { roles: ['coordinator'] });
    const coord = await h.signIn(coordinator);
    await h.stepUp(coord, coordinator);
    const erased = people[1]!;
    const version = (await coord.send('get', `/api/persons/${erased.id}`)).body['version'];
    const erase = await coord.send('post', `/api/persons/${erased.id}/erase`, { version });
    expect(erase.status).toBe(200);
    const receipt = erase.body as unknown as ErasureReceipt;
    expect(Date.parse(receipt.backupsClearAt)).toBe(Date.parse(receipt.erasedAt) + 35 * DAY);

    // Control: with the keyring backup from before the erasure, the old backup still shows
    // them — which is exactly why that keyring backup must expire.
    const stillThere = await restoreInto(before.data, before.keyring);
    expect(stillThere.restored.reconciled).toEqual({
      keysMarkedDestroyed: 0,
      erasuresCompleted: 0,
      organisationsWithoutCurrentKeys: 0,
    });
    const control = await asSeenIn(stillThere.target);
    expect(control.seen[1]).toMatchObject({ status: 200, given: erased.given, found: true });

    // Daily backups go on; the backup window passes the receipt's date.
    harbour.clock.advance(DAY);
    await backupPair();
    harbour.clock.set(new Date(Date.parse(receipt.backupsClearAt) + 60_000));
    const latest = await backupPair();
    const pruned = pruneKeyringBackups(keyringDir, harbour.clock.now(), 35);
    expect(pruned).toEqual([before.keyring]);
    expect(existsSync(before.keyring)).toBe(false);
    const left = backupsIn(keyringDir, 'keyring');
    expect(left).toHaveLength(2);
    expect(left.every((b) => b.at > Date.parse(receipt.erasedAt))).toBe(true);

    // The OLD data backup (from before the erasure), with the current keyring.
    const { target, restored } = await restoreInto(before.data, latest.keyring);
    expect(restored.reconciled).toEqual({
      keysMarkedDestroyed: 1,
      erasuresCompleted: 1,
      organisationsWithoutCurrentKeys: 0,
    });
    const [rows] = await target.asSuperuser<{ identity: number; index: number; erased: boolean }>(
      `SELECT (SELECT count(*)::int FROM person_identity WHERE person_id = $1) AS identity,
              (SELECT count(*)::int FROM person_index WHERE person_id = $1) AS index,
              (SELECT erased_at IS NOT NULL FROM person WHERE id = $1) AS erased`,
      [erased.id],
    );
    expect(rows).toEqual({ identity: 0, index: 0, erased: true });
    const keys = await target.asKeyring<{ n: number }>(
      `SELECT count(*)::int AS n FROM key_material WHERE subject_id = $1`,
      [erased.id],
    );
    expect(keys).toEqual([{ n: 0 }]);

    const after = await asSeenIn(target);
    expect(after.seen[1]).toEqual({ status: 200, given: null, found: false, notes: null });
    for (const i of [0, 2]) {
      expect(after.seen[i]).toEqual({
        status: 200,
        given: people[i]!.given,
        found: true,
        notes: expect.stringContaining('Call back'),
      });
    }
    expect(after.audit).toBe('verified');
    expect(findCanaries(after.logs)).toEqual([]);
  }, 240_000);

  it('restores with the keyring kept beside the target, and flags an organisation whose current data key it lost', async () => {
    const pair = await backupPair();
    const target = await createTestDatabase({ empty: true });
    targets.push(target);
    const keyringTarget = {
      adminUrl: keyringUrlFor(target.superuserUrl),
      ownerUrl: keyringUrlFor(target.ownerUrl),
    };
    // The keyring survived (restored here from its backup), but without the current data key.
    await restoreBackup({
      file: pair.keyring,
      backupKey,
      kind: 'keyring',
      targetUrl: keyringTarget.adminUrl,
      ...keyringSchemaSteps(keyringTarget.ownerUrl),
    });
    const [current] = await db.asSuperuser<{ key_id: number }>(
      `SELECT current_data_key_id AS key_id FROM organisation WHERE id = $1`,
      [org],
    );
    await target.asKeyring(`DELETE FROM key_material WHERE organisation_id = $1 AND key_id = $2`, [
      org,
      current!.key_id,
    ]);
    const restored = await restorePair({
      dataFile: pair.data,
      keyring: 'present',
      backupKey,
      target: { adminUrl: target.superuserUrl, ownerUrl: target.ownerUrl },
      keyringTarget,
      now: harbour.clock.now(),
    });
    expect(restored.keyring).toBeNull();
    expect(restored.reconciled).toEqual({
      keysMarkedDestroyed: 1,
      erasuresCompleted: 0,
      organisationsWithoutCurrentKeys: 1,
    });
  }, 120_000);
});
