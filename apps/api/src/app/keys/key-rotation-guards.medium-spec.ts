import { Client } from 'pg';
import { ROTATABLE_FIELDS } from '@harbour/migrations';
import { Db } from '../../infra/database/transaction';
import { KeyLifecycle } from '../../core/keyring/key-lifecycle';
import { KeyringService } from '../../core/keyring/keyring.service';
import { FieldRotationRepository } from '../../data/keys/field-rotation.repository';
import { AuthHarness, type TestBrowser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/**
 * What the rotation's database functions let the API role do, attacked directly: they are the
 * only way it may rewrite fields it otherwise only inserts (contact notes, retry state).
 */
describe('data key rotation: the database guards', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  let otherOrg: string;
  let cw: TestBrowser;
  let other: TestBrowser;

  const base = { channel: 'in_person', locationType: 'drop_in_centre' } as const;

  async function anonymousContact(browser: TestBrowser, notes: string): Promise<string> {
    const res = await browser.send('post', '/api/contacts', {
      ...base,
      occurredOn: harbour.clock.now().toISOString().slice(0, 10),
      kind: 'group',
      headcount: 2,
      notes,
    });
    expect(res.status).toBe(201);
    return res.body['id'] as string;
  }

  /** Runs `sql` as the API role inside a transaction with tenant `tenant` (rolled back). */
  async function asApp(tenant: string | null, sql: string, params: unknown[]) {
    const client = new Client({ connectionString: db.appUrl });
    await client.connect();
    try {
      await client.query('BEGIN');
      await client.query(`SELECT set_config('app.org_id', $1, true)`, [tenant ?? '']);
      return (await client.query(sql, params)).rows as Record<string, unknown>[];
    } finally {
      await client.query('ROLLBACK').catch(() => undefined);
      await client.end();
    }
  }

  const notesOf = async (id: string): Promise<Buffer> =>
    (await db.asSuperuser<{ notes: Buffer }>(`SELECT notes FROM contact WHERE id = $1`, [id]))[0]!
      .notes;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Guarded Service');
    otherOrg = await h.createOrganisation('Other Guarded Service');
    cw = await h.signIn(await h.createUser(org, { roles: ['caseworker'] }));
    other = await h.signIn(await h.createUser(otherOrg, { roles: ['caseworker'] }));
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  it('knows every encrypted column of the schema: rotatable, under person keys, or the keyring', async () => {
    const checks = await db.asSuperuser<{ tbl: string; def: string }>(
      `SELECT conrelid::regclass::text AS tbl, pg_get_constraintdef(oid) AS def
         FROM pg_constraint WHERE contype = 'c' AND pg_get_constraintdef(oid) LIKE '%get_byte(%'`,
    );
    const columns = new Set(
      checks.flatMap(({ tbl, def }) =>
        [...def.matchAll(/get_byte\("?([a-z_]+)"?, 0\) = 1/g)].map((m) => `${tbl}.${m[1]}`),
      ),
    );
    const personKeyed = [
      'person_identity.given_name',
      'person_identity.family_name',
      'person_identity.alias',
      'person_identity.date_of_birth',
      'person_identity.phone',
      'person_identity.sex',
      'reveal_detail.detail',
      'follow_up.text',
      // Amendments exist only for contacts of a person: always under that person's key.
      'contact_amendment.reason',
      'contact_amendment.notes',
    ];
    const known = new Set([...ROTATABLE_FIELDS, ...personKeyed]);
    expect([...columns].filter((c) => !known.has(c))).toEqual([]);
    expect([...known].filter((c) => !columns.has(c))).toEqual([]);
  });

  it('refuse without a rotation under way, outside the listed fields, and without a tenant', async () => {
    const id = await anonymousContact(cw, 'Outreach night, two people');
    const old = await notesOf(id);
    const apply = `SELECT key_rotation_apply($1, $2::uuid[], $3::bytea[], $4::bytea[]) AS moved`;
    // No key is decrypt-only: nothing may be rewritten.
    await expect(asApp(org, apply, ['contact.notes', [id], [old], [old]])).rejects.toThrow(
      /not under a data key being rotated|not sealed under the current data key/,
    );
    await expect(
      asApp(org, apply, ['person_identity.given_name', [id], [old], [old]]),
    ).rejects.toThrow(/not a rotatable field/);
    await expect(asApp(null, apply, ['contact.notes', [id], [old], [old]])).rejects.toThrow(
      /no tenant/,
    );
    const batch = `SELECT id FROM key_rotation_batch($1, 2, NULL, 10)`;
    await expect(asApp(org, batch, ['staff_user.password_hash'])).rejects.toThrow(
      /not a rotatable field/,
    );
    await expect(asApp(null, batch, ['contact.notes'])).rejects.toThrow(/no tenant/);
  });

  it('during a rotation: only new values under the current key, only the own tenant, only where the old value is unchanged', async () => {
    const mine = await anonymousContact(cw, 'Asked about a solicitor');
    const also = await anonymousContact(cw, 'Asked about housing');
    const theirs = await anonymousContact(other, 'Not yours to rewrite');
    const theirsBefore = await notesOf(theirs);
    const app = harbour.app;
    const keys = await app.get(Db).transaction(org, (tx) => app.get(KeyLifecycle).rotate(tx, org));
    expect(keys).toMatchObject({ fromKeyId: 2 });
    const old = await notesOf(mine);
    const apply = `SELECT key_rotation_apply($1, $2::uuid[], $3::bytea[], $4::bytea[]) AS moved`;

    // A "new" value still under the old key is refused (it would keep the old key alive).
    await expect(asApp(org, apply, ['contact.notes', [mine], [old], [old]])).rejects.toThrow(
      /not sealed under the current data key/,
    );

    // Through the repository, as the rotation does: real re-encryption.
    const moved = await app.get(Db).transaction(org, async (tx) => {
      const keyring = app.get(KeyringService);
      const fields = app.get(FieldRotationRepository, { strict: false });
      const rows = await fields.batch(tx, 'contact.notes', keys!.fromKeyId, null, 100);
      expect(rows.map((r) => r.id)).toEqual(expect.arrayContaining([mine, also]));
      expect(rows.map((r) => r.id)).not.toContain(theirs);
      const from = await keyring.organisationDataKeyById(tx, org, keys!.fromKeyId);
      const to = await keyring.organisationDataKeyById(tx, org, keys!.toKeyId);
      const reseal = (id: string, ciphertext: Buffer) =>
        Buffer.from(
          keyring.cipher.reencryptField(
            from,
            to,
            { organisationId: org, table: 'contact', column: 'notes', rowId: id },
            new Uint8Array(ciphertext),
          ),
        );
      const mineRow = rows.find((r) => r.id === mine)!;
      const alsoRow = rows.find((r) => r.id === also)!;
      // Compare-and-swap: a stale old value (here: another row's) moves nothing.
      const stale = await fields.apply(tx, 'contact.notes', [
        { id: mine, old: alsoRow.ciphertext, new: reseal(mine, mineRow.ciphertext) },
      ]);
      expect(stale).toBe(0);
      // Another tenant's row, named by id, is not reached.
      const foreign = await fields.apply(tx, 'contact.notes', [
        { id: theirs, old: theirsBefore, new: reseal(mine, mineRow.ciphertext) },
      ]);
      expect(foreign).toBe(0);
      return fields.apply(tx, 'contact.notes', [
        { id: mine, old: mineRow.ciphertext, new: reseal(mine, mineRow.ciphertext) },
      ]);
    });
    expect(moved).toBe(1);
    expect((await notesOf(mine)).readUInt32BE(2)).toBe(keys!.toKeyId);
    expect((await notesOf(also)).readUInt32BE(2)).toBe(keys!.fromKeyId);
    expect(await notesOf(theirs)).toEqual(theirsBefore);
    // Both open through the API: one under the new key, one still under the old one.
    expect((await cw.send('get', `/api/contacts/${mine}`)).body['notes']).toBe(
      'Asked about a solicitor',
    );
    expect((await cw.send('get', `/api/contacts/${also}`)).body['notes']).toBe(
      'Asked about housing',
    );
    // New values are sealed under the new key at once.
    const fresh = await anonymousContact(cw, 'After the switch');
    expect((await notesOf(fresh)).readUInt32BE(2)).toBe(keys!.toKeyId);
  });
});
