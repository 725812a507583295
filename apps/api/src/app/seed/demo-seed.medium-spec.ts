import { DEMO_DUPLICATES } from './demo-duplicates';
import { REFERRAL_STATUSES } from '@harbour/domain';
import { findCanaries } from '../../test/canaries';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { DemoSeeder } from './demo-seed';

/** The demo data `npm start` seeds on an empty database (development only). */
describe('demo seed', () => {
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

  it('creates the demo logins and a synthetic year of casework in the demo organisation only', async () => {
    const logins = await harbour.app.get(DemoSeeder).seed();
    expect(logins.map((l) => l.role).sort()).toEqual([
      'admin',
      'admin',
      'admin',
      'auditor',
      'caseworker',
      'caseworker',
      'coordinator',
    ]);
    const [counts] = await db.asSuperuser<Record<string, number>>(
      `SELECT (SELECT count(DISTINCT organisation_id) FROM person)::int AS orgs,
              (SELECT count(*) FROM person)::int AS people,
              (SELECT count(*) FROM person WHERE has_identity)::int AS identified,
              (SELECT count(*) FROM contact)::int AS contacts,
              (SELECT count(*) FROM contact WHERE kind = 'group')::int AS groups,
              (SELECT count(*) FROM contact WHERE 'post_raid' = ANY(circumstances))::int AS post_raid,
              (SELECT count(*) FROM contact WHERE 'cjsv' = ANY(circumstances))::int AS cjsv,
              (SELECT count(*) FROM support_need)::int AS needs,
              (SELECT count(*) FROM partner)::int AS partners,
              (SELECT count(DISTINCT language_group) FROM contact)::int AS languages,
              (SELECT min(occurred_on) < current_date - 300 FROM contact)::int AS spans_year`,
    );
    // A synthetic year of 120 people, and the people recorded twice for merging.
    expect(counts).toMatchObject({
      orgs: 1,
      people: 120 + 2 * DEMO_DUPLICATES.length,
      groups: 24,
      partners: 8,
      spans_year: 1,
    });
    expect(counts!['contacts']).toBeGreaterThan(200);
    expect(counts!['identified']).toBeGreaterThan(80);
    expect(counts!['post_raid']).toBeGreaterThan(10);
    expect(counts!['cjsv']).toBeGreaterThan(5);
    expect(counts!['needs']).toBeGreaterThan(100);
    expect(counts!['languages']).toBeGreaterThan(5);
    const statuses = await db.asSuperuser<{ status: string }>(
      `SELECT DISTINCT status FROM referral ORDER BY status`,
    );
    expect(statuses.map((s) => s.status).sort()).toEqual([...REFERRAL_STATUSES].sort());
    const [overrides] = await db.asSuperuser<{ n: number }>(
      `SELECT count(*)::int AS n FROM referral WHERE override_reason IS NOT NULL`,
    );
    expect(overrides!.n).toBeGreaterThan(0);
    expect(findCanaries(harbour.rawLogs())).toEqual([]);
  }, 120_000);
});
