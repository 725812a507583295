import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AuthHarness } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/** `GET /api/openapi.json` (docs/design.md §11): the committed contract, to anyone. */
describe('the API contract endpoint', () => {
  let db: TestDatabase;
  let harbour: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  it('serves the committed openapi.json without a session, as JSON, not cached', async () => {
    const res = await new AuthHarness(harbour).browser().send('get', '/api/openapi.json');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.headers['cache-control']).toBe('no-store');
    const committed = JSON.parse(
      readFileSync(resolve(__dirname, '../../../openapi.json'), 'utf8'),
    ) as unknown;
    expect(res.body).toEqual(committed);
  });
});
