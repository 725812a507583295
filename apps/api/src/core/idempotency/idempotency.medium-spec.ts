import { randomUUID } from 'node:crypto';
import { AuthHarness, type TestBrowser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/** `Idempotency-Key` on creates (docs/design.md §11): the same key twice → one record. */
describe('Idempotency-Key', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let cw: TestBrowser;
  let otherUser: TestBrowser;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    const org = await h.createOrganisation('Idempotency Test Service');
    cw = await h.signIn(await h.createUser(org, { roles: ['caseworker'] }));
    otherUser = await h.signIn(await h.createUser(org, { roles: ['caseworker'] }));
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const count = async (table: string): Promise<number> =>
    (await db.asSuperuser<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`))[0]!.n;

  const contact = {
    occurredOn: '2026-01-10',
    channel: 'phone',
    locationType: 'online_or_phone',
    notes: 'Somchai asked about his visa',
    needs: [{ category: 'migration_visa' }],
  };

  it('answers the same key twice with the first answer and writes one record', async () => {
    const headers = { 'Idempotency-Key': randomUUID() };
    const before = await count('contact');
    const first = await cw.send('post', '/api/contacts', contact, { headers });
    const second = await cw.send('post', '/api/contacts', contact, { headers });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers['idempotency-replayed']).toBe('true');
    expect(second.body).toEqual(first.body);
    expect(await count('contact')).toBe(before + 1);
    expect(await count('support_need')).toBe(1);
    // The stored answer is encrypted, never plaintext.
    const [row] = await db.asSuperuser<{ response: Buffer }>(
      `SELECT response FROM idempotency_key`,
    );
    expect(row!.response[0]).toBe(1);
  });

  it('keeps one record when the duplicates race', async () => {
    const before = await count('person');
    const headers = { 'Idempotency-Key': randomUUID() };
    const results = await Promise.all(
      Array.from({ length: 5 }, () =>
        cw.send('post', '/api/persons', { ageBand: '18_24' }, { headers }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    expect(new Set(results.map((r) => r.body['id'])).size).toBe(1);
    expect(await count('person')).toBe(before + 1);
  });

  it('refuses a key reused with a different body (409 conflict) and writes nothing', async () => {
    const headers = { 'Idempotency-Key': 'person-reuse-0123456789' };
    expect((await cw.send('post', '/api/persons', { ageBand: '18_24' }, { headers })).status).toBe(
      201,
    );
    const before = await count('person');
    const reused = await cw.send('post', '/api/persons', { ageBand: '25_34' }, { headers });
    expect(reused.status).toBe(409);
    expect(reused.body['code']).toBe('conflict');
    expect(await count('person')).toBe(before);
  });

  it('scopes keys to the user: another caseworker with the same key creates their own record', async () => {
    const headers = { 'Idempotency-Key': 'shared-key_AbCdEf0123' };
    const a = await cw.send('post', '/api/persons', {}, { headers });
    const b = await otherUser.send('post', '/api/persons', {}, { headers });
    expect(a.body['id']).not.toBe(b.body['id']);
  });

  it('refuses a key that is not an opaque token (400, naming the header), and writes nothing', async () => {
    const before = await count('person');
    for (const key of [
      'x'.repeat(65),
      'short-key',
      'Somchai Jaidee',
      'name/with/slash==',
      'ü'.repeat(20),
    ]) {
      const res = await cw.send(
        'post',
        '/api/persons',
        {},
        { headers: { 'Idempotency-Key': key } },
      );
      expect({ key, status: res.status, code: res.body.code, fields: res.body['fields'] }).toEqual({
        key,
        status: 400,
        code: 'validation_failed',
        fields: [{ path: 'Idempotency-Key', reason: 'format' }],
      });
    }
    expect(await count('person')).toBe(before);
  });
});
