import { listRoutes } from '../infra/auth/route-inventory';
import { createTestApp, type TestApp } from '../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../test/medium/test-database';

/** Default deny (docs/design.md §6): every route of the real application declares its access rule. */
describe('route inventory', () => {
  let db: TestDatabase;
  let harbour: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
  });

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  it('finds the routes of the application', () => {
    const routes = listRoutes(harbour.app).map((r) => `${r.method} ${r.path}`);
    expect(routes).toEqual(expect.arrayContaining(['GET /health/live', 'GET /health/ready']));
  });

  it('has an access rule on every route', () => {
    const undeclared = listRoutes(harbour.app)
      .filter((r) => r.access === undefined)
      .map((r) => `${r.method} ${r.path} (${r.controller}.${r.handler})`);
    expect(undeclared).toEqual([]);
  });

  it('keeps public routes to an explicit allow-list', () => {
    const publicRoutes = listRoutes(harbour.app)
      .filter((r) => r.access?.kind === 'public')
      .map((r) => `${r.method} ${r.path}`);
    expect(publicRoutes.sort()).toEqual([
      'GET /api/openapi.json',
      'GET /health/live',
      'GET /health/ready',
      'POST /api/auth/login',
    ]);
  });
});
