import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Client } from 'pg';
import { keyringUrlFor, MIGRATIONS } from '@harbour/migrations';
import { AuditVerifier } from '../app/audit/audit-verifier.service';
import { BackupError, type BackupErrorCode } from '../infra/database/backup/backup-errors';
import {
  appliedMigrations,
  dataSchemaSteps,
  MIGRATIONS_TABLE,
} from '../infra/database/backup/data-schema';
import { writeKeyringBackup } from '../infra/database/backup/keyring-backups';
import { restoreBackup } from '../infra/database/backup/restore-backup';
import { restorePair } from './restore-pair';
import { writeBackup } from '../infra/database/backup/write-backup';
import { CANARY_PEOPLE, CIPHERTEXT_MIN_BYTES, findCanaries } from '../test/canaries';
import { AuthHarness, type TestUser } from '../test/medium/auth-harness';
import { createTestApp } from '../test/medium/test-app';
import { clusterInfo, createTestDatabase, type TestDatabase } from '../test/medium/test-database';
import { connectionUrl } from '../infra/database/embedded-postgres';

const ROOT = resolve(__dirname, '../../../..');

/**
 * Backup and restore (docs/operations.md "Backup and restore"): a backup restored into a new
 * database serves the same people through the API with a verifying access log; a tampered
 * file, a wrong key, a non-empty target and a missing master key are refused with nothing
 * written; `backup --verify` (a real child process) passes and is recorded; a backup taken
 * during writes is one consistent snapshot.
 */
describe('backup and restore', () => {
  const masterKey = randomBytes(32).toString('base64');
  const backupKey = new Uint8Array(randomBytes(32));
  let db: TestDatabase;
  let dir: string;
  let file: string;
  let keyringFile: string;
  let org: string;
  let caseworker: TestUser;
  const people: { id: string; given: string; contact: string; notes: string }[] = [];
  const targets: TestDatabase[] = [];

  const backup = (out: string) =>
    writeBackup({
      sourceUrl: db.ownerUrl,
      out,
      backupKey,
      kind: 'data',
      schemaVersion: appliedMigrations,
      skipTables: [MIGRATIONS_TABLE],
      now: new Date(),
    });

  async function emptyTarget(): Promise<TestDatabase> {
    const target = await createTestDatabase({ empty: true });
    targets.push(target);
    return target;
  }

  const restoreInto = (target: TestDatabase, from = file, key = backupKey) =>
    restoreBackup({
      file: from,
      backupKey: key,
      kind: 'data',
      targetUrl: target.superuserUrl,
      ...dataSchemaSteps(target.ownerUrl, MIGRATIONS),
      recheck: true,
    });

  async function refusal(promise: Promise<unknown>): Promise<BackupErrorCode> {
    const error: unknown = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(BackupError);
    return (error as BackupError).code;
  }

  async function tableCount(target: TestDatabase): Promise<number> {
    const [row] = await target.asSuperuser<{ n: string }>(
      `SELECT count(*) AS n FROM pg_tables WHERE schemaname = 'public'`,
    );
    return Number(row!.n);
  }

  function cli(args: string[], env: Record<string, string>) {
    const run = spawnSync(
      process.execPath,
      [
        '--require',
        join(ROOT, 'tools/bench/register.cjs'),
        join(ROOT, 'apps/api/src/cli.ts'),
        ...args,
      ],
      {
        cwd: ROOT,
        encoding: 'utf8',
        timeout: 180_000,
        env: {
          PATH: process.env['PATH'] ?? '/usr/bin:/bin',
          NODE_ENV: 'test',
          DATABASE_URL: db.appUrl,
          DATABASE_MIGRATION_URL: db.ownerUrl,
          HARBOUR_DATA_DIR: mkdtempSync(join(tmpdir(), 'harbour-cli-')),
          HARBOUR_AUDIT_WITNESS_DIR: 'none',
          HARBOUR_BACKUP_KEY: Buffer.from(backupKey).toString('base64'),
          HARBOUR_BACKUP_DIR: dir,
          LOG_LEVEL: 'error',
          ...env,
        },
      },
    );
    return { status: run.status, out: run.stdout, err: run.stderr };
  }

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'harbour-backups-'));
    db = await createTestDatabase();
    const harbour = await createTestApp(db, { masterKey });
    const h = new AuthHarness(harbour);
    org = await h.createOrganisation('Backup Test Service');
    caseworker = await h.createUser(org, { roles: ['caseworker'] });
    const cw = await h.signIn(caseworker);
    for (const canary of CANARY_PEOPLE.slice(0, 3)) {
      const person = await cw.send('post', '/api/persons', {
        identity: { givenName: canary.given, familyName: canary.family, alias: canary.alias },
      });
      expect(person.status).toBe(201);
      const notes = `Visit with ${canary.given}: asked about a solicitor`;
      const contact = await cw.send('post', '/api/contacts', {
        channel: 'in_person',
        locationType: 'drop_in_centre',
        occurredOn: harbour.clock.now().toISOString().slice(0, 10),
        personId: person.body['id'],
        notes,
      });
      expect(contact.status).toBe(201);
      people.push({
        id: person.body['id'] as string,
        given: canary.given,
        contact: contact.body['id'] as string,
        notes,
      });
    }
    await harbour.close();
    file = join(dir, 'first.hbk');
    await backup(file);
    keyringFile = join(dir, 'first-keyring.hbk');
    await writeKeyringBackup({
      sourceUrl: keyringUrlFor(db.ownerUrl),
      out: keyringFile,
      backupKey,
      now: new Date(),
    });
  }, 120_000);

  afterAll(async () => {
    for (const target of targets) await target.drop();
    await db.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('writes an owner-only file holding no canary name and not the master key', () => {
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dir).filter((n) => n.endsWith('.partial'))).toEqual([]);
    const bytes = Buffer.concat([readFileSync(file), readFileSync(keyringFile)]);
    // The file is ciphertext: a 3-byte form (a three-letter name such as "Noi", or one CJK
    // character in UTF-8) turned up in a file of this size by chance, in CI.
    expect(findCanaries(bytes, CIPHERTEXT_MIN_BYTES)).toEqual([]);
    expect(people.length).toBe(3);
    expect(bytes.includes(Buffer.from(masterKey, 'base64'))).toBe(false);
    expect(bytes.includes(Buffer.from(masterKey))).toBe(false);
  });

  it('restores into a new database the app starts on: people read back, the access log verifies', async () => {
    const target = await emptyTarget();
    const {
      data: restored,
      keyring,
      reconciled,
    } = await restorePair({
      dataFile: file,
      keyring: { file: keyringFile },
      backupKey,
      target: { adminUrl: target.superuserUrl, ownerUrl: target.ownerUrl },
      keyringTarget: {
        adminUrl: keyringUrlFor(target.superuserUrl),
        ownerUrl: keyringUrlFor(target.ownerUrl),
      },
      recheck: true,
      now: new Date(),
    });
    expect(restored.rechecked).toBe(restored.tables);
    expect(keyring!.rechecked).toBe(keyring!.tables);
    expect(reconciled).toEqual({
      keysMarkedDestroyed: 0,
      erasuresCompleted: 0,
      organisationsWithoutCurrentKeys: 0,
    });
    const [persons] = await target.asSuperuser<{ n: string }>(
      `SELECT count(*) AS n FROM person WHERE organisation_id = $1`,
      [org],
    );
    expect(Number(persons!.n)).toBe(people.length);

    const harbour = await createTestApp(target, { masterKey });
    try {
      harbour.clock.advance(3_600_000); // the same sign-in code is not a replay an hour on
      const h = new AuthHarness(harbour);
      const cw = await h.signIn(caseworker);
      for (const person of people) {
        const reveal = await cw.send('post', `/api/persons/${person.id}/reveal`, {
          purpose: 'safety_check',
        });
        expect(reveal.status).toBe(200);
        expect(JSON.stringify(reveal.body)).toContain(person.given);
        const contact = await cw.send('get', `/api/contacts/${person.contact}`);
        expect([contact.status, contact.body['notes']]).toEqual([200, person.notes]);
      }
      expect(await harbour.app.get(AuditVerifier).verify(org)).toMatchObject({
        status: 'verified',
      });
    } finally {
      await harbour.close();
    }
  }, 120_000);

  it('refuses a file with one flipped byte, and the target stays empty', async () => {
    const tampered = join(dir, 'tampered.hbk');
    const bytes = readFileSync(file);
    const middle = Math.floor(bytes.length / 2);
    bytes[middle] = bytes[middle]! ^ 0x40;
    writeFileSync(tampered, bytes);
    const target = await emptyTarget();
    expect(await refusal(restoreInto(target, tampered))).toBe('tampered');
    expect(await tableCount(target)).toBe(0);
  });

  it('refuses another backup key, and a target that is not empty', async () => {
    const target = await emptyTarget();
    expect(await refusal(restoreInto(target, file, new Uint8Array(randomBytes(32))))).toBe(
      'wrong_backup_key',
    );
    expect(await tableCount(target)).toBe(0);
    const tablesBefore = await tableCount(db);
    expect(await refusal(restoreInto(db))).toBe('target_not_empty');
    expect(await tableCount(db)).toBe(tablesBefore);
  });

  it('restore refuses before writing anything when no master key is configured', async () => {
    const target = await emptyTarget();
    const run = cli(['restore', '--from', file, '--into', target.superuserUrl], {});
    expect(run.status).toBe(2);
    expect(run.err).toContain('restore refused (master_key_missing)');
    expect(await tableCount(target)).toBe(0);
  });

  it('backup, then backup --verify of the newest backup, as the operator runs them', async () => {
    const info = clusterInfo();
    const env = {
      HARBOUR_MASTER_KEY: masterKey,
      HARBOUR_RESTORE_ADMIN_URL: connectionUrl(
        'postgres',
        info.superuserPassword,
        info.port,
        'postgres',
      ),
    };
    const written = cli(['backup'], env);
    expect(written.status).toBe(0);
    expect(written.out).toMatch(
      /^Backup written: .*harbour-data-\d{8}T\d{6}Z\.hbk — \d+ tables, \d+ rows/,
    );
    expect(written.out).toMatch(
      /Keyring backup written: .*keyring\/harbour-keyring-\d{8}T\d{6}Z\.hbk — \d+ keys/,
    );
    const verified = cli(['backup', '--verify'], env);
    expect({ status: verified.status, err: verified.err }).toEqual({
      status: 0,
      err: expect.any(String),
    });
    expect(verified.out).toContain('Rehearsal passed');
    expect(verified.out).toMatch(/person_identity\.given_name: 3 opened, 0 failed/);
    expect(verified.out).toMatch(/contact\.notes: 3 opened, 0 failed/);
    expect(verified.out).toContain('Access log: 1 organisation(s) verified');
    expect(findCanaries(Buffer.from(verified.out + verified.err))).toEqual([]);
    const runs = await db.asSuperuser<{ kind: string; ok: boolean; file_name: string }>(
      `SELECT kind, ok, file_name FROM backup_run ORDER BY started_at`,
    );
    expect(runs.map((r) => [r.kind, r.ok])).toEqual([
      ['backup', true],
      ['backup', true],
      ['verify', true],
    ]);
    expect(runs[0]!.file_name).toMatch(/^harbour-data-/);
    expect(runs[1]!.file_name).toMatch(/^harbour-keyring-/);
    expect(runs[2]!.file_name).toBe(runs[0]!.file_name);
    // The throw-away database is gone.
    const left = await db.asSuperuser<{ datname: string }>(
      `SELECT datname FROM pg_database WHERE datname LIKE 'harbour_verify_%'`,
    );
    expect(left).toEqual([]);
    // The API role may read the record (the admin home's "last backup"), not write it.
    await expect(db.asApp(`SELECT count(*) FROM backup_run`)).resolves.toHaveLength(1);
    expect(verified.out).toMatch(/Restored harbour-keyring-\d{8}T\d{6}Z\.hbk .*: \d+ keys/);
    await expect(db.asApp(`DELETE FROM backup_run`)).rejects.toThrow(/permission denied/);

    // And a real restore of that backup, as the operator runs it: the newest keyring backup is
    // taken, the pair reconciled, the access log verified.
    const name = `harbour_restored_${randomBytes(4).toString('hex')}`;
    const dataFile = join(dir, runs[0]!.file_name);
    const restored = cli(['restore', '--from', dataFile, '--into-new', name], env);
    try {
      expect({ status: restored.status, err: restored.err }).toEqual({
        status: 0,
        err: expect.any(String),
      });
      expect(restored.out).toMatch(/Keyring: harbour-keyring-\d{8}T\d{6}Z\.hbk \(\d+ keys\)/);
      expect(restored.out).toContain('0 key(s) it no longer holds marked destroyed');
      expect(restored.out).toContain('Access log: 1 organisation(s) verified');
      const owner = (database: string) =>
        connectionUrl('postgres', info.superuserPassword, info.port, database);
      const client = new Client({ connectionString: owner(name) });
      await client.connect();
      try {
        const persons = await client.query<{ n: number }>(
          'SELECT count(*)::int AS n FROM person WHERE organisation_id = $1',
          [org],
        );
        expect(persons.rows).toEqual([{ n: people.length }]);
        const run = await client.query<{ kind: string; ok: boolean }>(
          `SELECT kind, ok FROM backup_run WHERE kind = 'restore'`,
        );
        expect(run.rows).toEqual([{ kind: 'restore', ok: true }]);
      } finally {
        await client.end();
      }
      const keyring = new Client({ connectionString: owner(`${name}_keyring`) });
      await keyring.connect();
      try {
        const keys = await keyring.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM key_material WHERE subject_id = ANY($1::uuid[])`,
          [people.map((p) => p.id)],
        );
        expect(keys.rows).toEqual([{ n: people.length }]);
      } finally {
        await keyring.end();
      }
    } finally {
      const admin = new Client({
        connectionString: connectionUrl('postgres', info.superuserPassword, info.port, 'postgres'),
      });
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await admin.query(`DROP DATABASE IF EXISTS ${name}_keyring WITH (FORCE)`);
      await admin.end();
    }
  }, 240_000);

  it('takes one consistent snapshot while another connection keeps inserting', async () => {
    const writer = new Client({ connectionString: db.ownerUrl });
    await writer.connect();
    let stop = false;
    let inserted = 0;
    const load = (async () => {
      while (!stop) {
        await writer.query(
          `INSERT INTO login_throttle (key, window_started_at, updated_at) VALUES ($1, now(), now())`,
          [`ip:test-${inserted}`],
        );
        inserted++;
      }
    })();
    try {
      while (inserted < 50) await new Promise((r) => setTimeout(r, 10));
      const during = await backup(join(dir, 'during.hbk'));
      while (
        inserted <
        during.manifest.tables.find((t) => t.name === 'login_throttle')!.rows + 50
      ) {
        await new Promise((r) => setTimeout(r, 10));
      }
      stop = true;
      await load;
      const counted = during.manifest.tables.find((t) => t.name === 'login_throttle')!.rows;
      expect(counted).toBeGreaterThanOrEqual(50);
      expect(counted).toBeLessThan(inserted);
      const target = await emptyTarget();
      const restored = await restoreInto(target, join(dir, 'during.hbk'));
      expect(restored.rechecked).toBe(restored.tables);
      for (const table of during.manifest.tables) {
        const [row] = await target.asSuperuser<{ n: string }>(
          `SELECT count(*) AS n FROM public."${table.name}"`,
        );
        expect([table.name, Number(row!.n)]).toEqual([table.name, table.rows]);
      }
    } finally {
      stop = true;
      await load.catch(() => undefined);
      await writer.end();
    }
  }, 120_000);
});
