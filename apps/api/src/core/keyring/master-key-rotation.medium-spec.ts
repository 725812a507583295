import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import {
  createCrypto,
  KeyError,
  MasterKeys,
  type HarbourCrypto,
  type KeyProvider,
} from '@harbour/crypto';
import { KEY_PROVIDER } from '../../infra/crypto/crypto.module';
import { Db } from '../../infra/database/transaction';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { SimulatedKms } from '../../test/simulated-kms';
import { KeyringService } from './keyring.service';
import { MasterKeyRotation } from './master-key-rotation';

const ROOT = resolve(__dirname, '../../../../..');

/**
 * Master-key rotation (`harbour rotate-master-key`, run as the operator runs it: a child
 * process): afterwards the old master key opens no KEK and the new one opens everything; an
 * interrupted run (a key provider that stops answering) resumes; a KMS-like provider works.
 */
describe('master-key rotation', () => {
  const oldKey = randomBytes(32).toString('base64');
  const newKey = randomBytes(32).toString('base64');
  let crypto: HarbourCrypto;
  let db: TestDatabase;
  let dataDir: string;
  const orgs: string[] = [];
  const admins: TestUser[] = [];
  /** Per organisation: contact id → notes (anonymous ones under the data key, others under person keys). */
  const notes = new Map<string, Map<string, string>>();
  let apps = 0;

  const local = (base64: string): KeyProvider =>
    crypto.localKeyProvider(Buffer.from(base64, 'base64'));

  async function keks() {
    return db.asKeyring<{
      organisation_id: string;
      key_id: number;
      wrapped: Buffer;
      wrapped_by: string;
    }>(
      `SELECT organisation_id, key_id, wrapped, wrapped_by FROM key_material
        WHERE purpose = 'kek' ORDER BY organisation_id, key_id`,
    );
  }

  /** How many KEKs `provider` opens (trying each one, whatever it says wrapped it). */
  async function opened(provider: KeyProvider): Promise<number> {
    let count = 0;
    for (const row of await keks()) {
      const binding = {
        organisationId: row.organisation_id,
        purpose: 'kek',
        keyId: row.key_id,
      } as const;
      await provider.unwrapKek(new Uint8Array(row.wrapped), binding).then(
        (key) => {
          key.destroy();
          count++;
        },
        () => undefined,
      );
    }
    return count;
  }

  /** Every note of every organisation reads back, and every admin signs in with their code. */
  async function everythingOpens(harbour: TestApp): Promise<void> {
    const h = new AuthHarness(harbour);
    // Each app starts its clock at the same instant: move on, so no sign-in code is a replay.
    harbour.clock.advance(++apps * 3_600_000);
    for (const [i, org] of orgs.entries()) {
      const reader = await h.signIn(await h.createUser(org, { roles: ['caseworker'] }));
      for (const [id, text] of notes.get(org)!) {
        const res = await reader.send('get', `/api/contacts/${id}`);
        expect([res.status, res.body['notes']]).toEqual([200, text]);
      }
      await h.stepUp(await h.signIn(admins[i]!), admins[i]!);
    }
  }

  function cli(env: Record<string, string>): { status: number | null; out: string } {
    const run = spawnSync(
      process.execPath,
      [
        '--require',
        join(ROOT, 'tools/bench/register.cjs'),
        join(ROOT, 'apps/api/src/cli.ts'),
        'rotate-master-key',
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 120_000,
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          NODE_ENV: 'test',
          DATABASE_URL: db.appUrl,
          DATABASE_MIGRATION_URL: db.ownerUrl,
          HARBOUR_DATA_DIR: dataDir,
          HARBOUR_AUDIT_WITNESS_DIR: 'none',
          LOG_LEVEL: 'error',
          ...env,
        },
      },
    );
    return { status: run.status, out: `${run.stdout}${run.stderr}` };
  }

  beforeAll(async () => {
    crypto = await createCrypto();
    dataDir = mkdtempSync(join(tmpdir(), 'harbour-mk-'));
    db = await createTestDatabase();
    const harbour = await createTestApp(db, { masterKey: oldKey });
    const h = new AuthHarness(harbour);
    for (const name of ['First Service', 'Second Service', 'Third Service']) {
      const org = await h.createOrganisation(name);
      orgs.push(org);
      admins.push(await h.createUser(org, { roles: ['admin'] }));
      const cw: TestBrowser = await h.signIn(await h.createUser(org, { roles: ['caseworker'] }));
      const person = (
        await cw.send('post', '/api/persons', {
          identity: { givenName: 'Malee', familyName: 'Srisuk' },
        })
      ).body['id'] as string;
      const written = new Map<string, string>();
      for (const [i, personId] of [person, null, null].entries()) {
        const text = `${name}: visit ${i}`;
        const res = await cw.send('post', '/api/contacts', {
          channel: 'in_person',
          locationType: 'drop_in_centre',
          occurredOn: harbour.clock.now().toISOString().slice(0, 10),
          ...(personId === null ? { kind: 'group', headcount: 2 } : { personId }),
          notes: text,
        });
        expect(res.status).toBe(201);
        written.set(res.body['id'] as string, text);
      }
      notes.set(org, written);
    }
    await harbour.close();
  }, 120_000);

  afterAll(async () => {
    await db.drop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('re-wraps every KEK: the old master key then opens nothing, the new one everything', async () => {
    expect(await opened(local(oldKey))).toBe(3);
    // Without the previous key the command cannot open the KEKs, and changes nothing.
    const refused = cli({ HARBOUR_MASTER_KEY: newKey });
    expect(refused.status).toBe(2);
    expect(refused.out).toContain('FAILED');
    expect(await opened(local(oldKey))).toBe(3);

    const run = cli({ HARBOUR_MASTER_KEY: newKey, HARBOUR_PREVIOUS_MASTER_KEY: oldKey });
    expect([run.status, run.out]).toEqual([
      0,
      expect.stringContaining('Done: 3 KEK(s) re-wrapped'),
    ]);
    const again = cli({ HARBOUR_MASTER_KEY: newKey, HARBOUR_PREVIOUS_MASTER_KEY: oldKey });
    expect([again.status, again.out]).toEqual([0, expect.stringContaining('Done: 0 KEK(s)')]);

    expect(await opened(local(oldKey))).toBe(0);
    expect(await opened(local(newKey))).toBe(3);
    expect(new Set((await keks()).map((k) => k.wrapped_by))).toEqual(new Set([local(newKey).id]));

    // An API with only the new key reads everything; one with only the old key opens no key.
    const current = await createTestApp(db, { masterKey: newKey });
    try {
      await everythingOpens(current);
    } finally {
      await current.close();
    }
    const stale = await createTestApp(db, { masterKey: oldKey });
    try {
      // Not even a new staff member's sign-in secret can be sealed: no key of any organisation opens.
      const h = new AuthHarness(stale);
      await expect(h.createUser(orgs[0]!, { roles: ['caseworker'] })).rejects.toThrow(KeyError);
      for (const org of orgs) {
        await expect(
          stale.app
            .get(Db)
            .transaction(org, (tx) => stale.app.get(KeyringService).organisationDataKey(tx, org)),
        ).rejects.toThrow('unwrap_failed');
      }
    } finally {
      await stale.close();
    }
  }, 240_000);

  it('onto a KMS: a provider that stops answering half way leaves each organisation whole, and a second run finishes', async () => {
    const kms = new SimulatedKms(crypto, {
      name: 'harbour/master',
      latencyMs: 5,
      failCall: (n) => n === 3,
    });
    const provider = new MasterKeys(kms, [local(newKey)]);
    const harbour = await createTestApp(db, {
      masterKey: newKey,
      overrides: [{ provide: KEY_PROVIDER, useValue: provider }],
    });
    try {
      const rotation = harbour.app.get(MasterKeyRotation);
      const results: string[] = [];
      for (const org of orgs) {
        await harbour.app
          .get(Db)
          .transaction(org, (tx) => rotation.rewrapOrganisation(tx, org))
          .then(
            (r) => results.push(`${r.rewrapped}/${r.already}`),
            (error: Error) => results.push(error.name),
          );
      }
      // Calls: wrap (1) for the first; wrap (2) for the second; the third's wrap (3) fails.
      expect(results).toEqual(['1/0', '1/0', 'KeyProviderUnavailableError']);
      const byKms = (await keks()).filter((k) => k.wrapped_by === kms.id).length;
      expect(byKms).toBe(2);
      for (const org of orgs) {
        await harbour.app.get(Db).transaction(org, (tx) => rotation.rewrapOrganisation(tx, org));
      }
      expect(new Set((await keks()).map((k) => k.wrapped_by))).toEqual(new Set([kms.id]));
    } finally {
      await harbour.close();
    }
    const onKms = await createTestApp(db, {
      masterKey: newKey,
      overrides: [{ provide: KEY_PROVIDER, useValue: new MasterKeys(kms) }],
    });
    try {
      await everythingOpens(onKms);
      expect(await opened(local(newKey))).toBe(0);
    } finally {
      await onKms.close();
    }
  }, 240_000);
});
