import { Client } from 'pg';
import { AuthHarness, type TestBrowser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { IDENTITY, SIMILAR_NAME } from '../../test/medium/key-workers-fixtures';

/**
 * A restricted person's lookups, as another caseworker's work (docs/adr/0023): a lookup that
 * matches only a restricted person the caller may not read must not be told apart from one that
 * matches nobody — not by its answer (the key-workers suite), and not by what it makes the
 * database do, which a caller could time: the same statements, each answering the same number
 * of rows.
 */
describe('a restricted person, looked up by another caseworker', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let bob: TestBrowser;
  let keyWorker: TestBrowser;
  let code: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    const h = new AuthHarness(harbour);
    const org = await h.createOrganisation('Restricted Lookup Service');
    const alice = await h.createUser(org, { roles: ['caseworker'] });
    const a = await h.signIn(alice);
    keyWorker = a;
    bob = await h.signIn(await h.createUser(org, { roles: ['caseworker'] }));
    const c = await h.signIn(await h.createUser(org, { roles: ['coordinator'] }));
    const person = (await a.send('post', '/api/persons', { identity: IDENTITY })).body;
    const id = person['id'] as string;
    code = String(person.code);
    expect(
      (await a.send('post', `/api/persons/${id}/key-workers`, { staffId: alice.id })).status,
    ).toBe(200);
    const restricted = await c.send('post', `/api/persons/${id}/restriction`, {
      restricted: true,
      version: (await c.send('get', `/api/persons/${id}`)).body['version'],
    });
    expect(restricted.status).toBe(200);
    // Their key worker finds them by each of these; the check below is not empty-handed.
    for (const body of [
      { name: `${IDENTITY.givenName} ${IDENTITY.familyName}` },
      { name: SIMILAR_NAME },
    ]) {
      expect((await a.send('post', '/api/persons/lookup', body)).body).toEqual([
        expect.objectContaining({ id }),
      ]);
    }
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  /**
   * What one lookup by Bob sends PostgreSQL and what comes back: each statement's name, or its
   * text with the values taken out, and the rows it answered (SQL `PREPARE`, sent once per
   * connection, left aside).
   */
  async function work(body: Record<string, string>): Promise<string[]> {
    const sent = jest.spyOn(Client.prototype, 'query');
    try {
      const res = await bob.send('post', '/api/persons/lookup', body);
      expect({ status: res.status, body: res.body }).toEqual({ status: 200, body: [] });
      const answers = await Promise.allSettled(sent.mock.results.map((r) => r.value as unknown));
      return sent.mock.calls
        .map(([q], i) => {
          const answer = answers[i]!;
          const rows = answer.status === 'fulfilled' ? rowsOf(answer.value) : 'failed';
          return `${shape(q)} → ${JSON.stringify(rows)}`;
        })
        .filter((q) => !q.startsWith('PREPARE '));
    } finally {
      sent.mockRestore();
    }
  }
  const shape = (q: unknown): string =>
    typeof q === 'string'
      ? q.replace(/'(?:[^']|'')*'/g, '?').replace(/\b\d+\b/g, '?')
      : ((q as { name?: string; text: string }).name ?? (q as { text: string }).text);
  const rowsOf = (r: unknown): unknown =>
    Array.isArray(r) ? r.map(rowsOf) : (r as { rowCount?: unknown } | undefined)?.rowCount;

  it.each([
    ['their name', `${IDENTITY.givenName} ${IDENTITY.familyName}`],
    ['their name misspelt', SIMILAR_NAME],
  ])('does the same work for %s as for a name nobody holds', async (_what, name) => {
    const nobodys = { name: 'Wanchalermsak Thongprasertkul' };
    for (let i = 0; i < 2; i++) {
      const [theirs, nobody] = [await work({ name }), await work(nobodys)];
      expect(theirs.length).toBeGreaterThan(3);
      expect(theirs).toEqual(nobody);
    }
  });

  it.each([
    ['alias', { alias: IDENTITY.alias }, { alias: 'Dokmaisecretalias' }],
    ['phone', { phone: IDENTITY.phone }, { phone: '+44 7700 900123' }],
  ])('does the same work for their %s as for one nobody holds', async (_what, theirs, none) => {
    for (let i = 0; i < 2; i++) {
      expect(await work(theirs)).toEqual(await work(none));
    }
  });

  // Last: it records a second person with their identity.
  it('gives no duplicate warning naming them when another caseworker records their identity', async () => {
    const request = { identity: IDENTITY, checkDuplicates: true };
    // Their key worker is warned, with their code: the check is not empty-handed.
    const warned = await keyWorker.send('post', '/api/persons', request);
    expect({ status: warned.status, code: warned.body.code }).toEqual({
      status: 409,
      code: 'possible_duplicate',
    });
    expect(JSON.stringify(warned.body)).toContain(code);
    const res = await bob.send('post', '/api/persons', request);
    expect(res.status).toBe(201);
    expect(res.body['code']).not.toBe(code);
  });
});
