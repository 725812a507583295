import type { RetentionSettingsView } from '@harbour/domain';
import { RETENTION_CLASSES, RETENTION_RULES } from '@harbour/domain';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/** Retention settings (admins, step-up to change), dry runs and runs; one access event each. */
describe('retention settings', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  let adminUser: TestUser;
  let admin: TestBrowser;
  let coordinator: TestBrowser;
  let other: TestBrowser;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Retention Settings Service');
    adminUser = await h.createUser(org, { roles: ['admin'] });
    admin = await h.signIn(adminUser);
    coordinator = await h.signIn(await h.createUser(org, { roles: ['coordinator'] }));
    const otherOrg = await h.createOrganisation('Retention Settings Other');
    const otherAdmin = await h.createUser(otherOrg, { roles: ['admin'] });
    other = await h.signIn(otherAdmin);
    await h.stepUp(other, otherAdmin);
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const stored = () =>
    db.asSuperuser<{ record_class: string; keep: number | null; version: number }>(
      `SELECT record_class, keep, version FROM retention_policy WHERE organisation_id = $1
        ORDER BY record_class`,
      [org],
    );

  const events = (action: string) =>
    db.asSuperuser<{ outcome: string }>(
      `SELECT outcome FROM access_event WHERE organisation_id = $1 AND action = $2 ORDER BY seq`,
      [org, action],
    );

  it('shows every class with its default to admins only', async () => {
    const res = await admin.send('get', '/api/retention');
    expect(res.status).toBe(200);
    const view = res.body as unknown as RetentionSettingsView;
    expect(view.version).toBe(0);
    expect(view.policies.map((p) => [p.class, p.keep, p.unit, p.isDefault])).toEqual(
      RETENTION_CLASSES.map((c) => [
        c,
        RETENTION_RULES[c].defaultKeep,
        RETENTION_RULES[c].unit,
        true,
      ]),
    );
    for (const path of ['/api/retention', '/api/retention/runs']) {
      const denied = await coordinator.send('get', path);
      expect({ status: denied.status, code: denied.body['code'] }).toEqual({
        status: 403,
        code: 'forbidden',
      });
    }
    const dry = await coordinator.send('post', '/api/retention/dry-run');
    expect(dry.status).toBe(403);
    expect(await events('retention.viewed')).toEqual([
      { outcome: 'success' },
      { outcome: 'denied' },
    ]);
  });

  it('needs a fresh step-up to change, refuses bad values with 422 and writes nothing', async () => {
    const body = { version: 0, policies: [{ class: 'contacts', keep: 36 }] };
    const noStepUp = await admin.send('put', '/api/retention', body);
    expect({ status: noStepUp.status, code: noStepUp.body['code'] }).toEqual({
      status: 403,
      code: 'step_up_required',
    });
    const byCoordinator = await coordinator.send('put', '/api/retention', body);
    expect(byCoordinator.status).toBe(403);
    expect(await stored()).toEqual([]);

    await h.stepUp(admin, adminUser);
    // Shapes the schema refuses: 400 validation_failed.
    const malformed = [
      { version: 0, policies: [{ class: 'contacts', keep: 12.5 }] },
      { version: 0, policies: [{ class: 'contacts', keep: '36' }] },
      { version: 0, policies: [{ class: 'everything', keep: 36 }] },
      { version: 0, policies: [] },
      { policies: [{ class: 'contacts', keep: 36 }] },
    ];
    for (const b of malformed) {
      const res = await admin.send('put', '/api/retention', b);
      expect({ body: b, status: res.status, code: res.body['code'] }).toEqual({
        body: b,
        status: 400,
        code: 'validation_failed',
      });
    }
    // Periods the class's rules refuse: 422 retention_period_invalid, even beside a valid one.
    const refused = [
      { version: 0, policies: [{ class: 'inactive_people', keep: null }] },
      {
        version: 0,
        policies: [
          { class: 'contacts', keep: 36 },
          { class: 'expired_sessions', keep: 0 },
        ],
      },
      { version: 0, policies: [{ class: 'throttle_rows', keep: 91 }] },
      {
        version: 0,
        policies: [
          { class: 'contacts', keep: 36 },
          { class: 'contacts', keep: 48 },
        ],
      },
    ];
    for (const b of refused) {
      const res = await admin.send('put', '/api/retention', b);
      expect({ body: b, status: res.status, code: res.body['code'] }).toEqual({
        body: b,
        status: 422,
        code: 'retention_period_invalid',
      });
    }
    const outside = await admin.send('put', '/api/retention', refused[2]);
    expect(outside.body['fields']).toEqual([
      {
        path: 'policies.0.keep',
        reason: 'max',
        limits: { min: RETENTION_RULES.throttle_rows.min, max: RETENTION_RULES.throttle_rows.max },
      },
    ]);
    expect(await stored()).toEqual([]);
  });

  it('sets the classes given under the version, and answers 409 to a stale version', async () => {
    await h.stepUp(admin, adminUser);
    const res = await admin.send('put', '/api/retention', {
      version: 0,
      policies: [
        { class: 'contacts', keep: null },
        { class: 'inactive_people', keep: 12 },
      ],
    });
    expect(res.status).toBe(200);
    const view = res.body as unknown as RetentionSettingsView;
    expect(view.version).toBe(1);
    expect(view.policies.find((p) => p.class === 'contacts')).toMatchObject({
      keep: null,
      isDefault: false,
    });
    expect(view.policies.find((p) => p.class === 'inactive_people')!.keep).toBe(12);
    expect(view.policies.find((p) => p.class === 'throttle_rows')!.isDefault).toBe(true);

    const stale = await admin.send('put', '/api/retention', {
      version: 0,
      policies: [{ class: 'contacts', keep: 24 }],
    });
    expect({ status: stale.status, code: stale.body['code'] }).toEqual({
      status: 409,
      code: 'version_conflict',
    });
    const next = await admin.send('put', '/api/retention', {
      version: 1,
      policies: [{ class: 'expired_sessions', keep: 14 }],
    });
    expect(next.status).toBe(200);
    expect(await stored()).toEqual([
      { record_class: 'contacts', keep: null, version: 2 },
      { record_class: 'expired_sessions', keep: 14, version: 2 },
      { record_class: 'inactive_people', keep: 12, version: 2 },
    ]);
    // Another organisation's admin sees its own defaults, untouched.
    const theirs = (await other.send('get', '/api/retention'))
      .body as unknown as RetentionSettingsView;
    expect(theirs.version).toBe(0);
    expect(await events('retention.updated')).toEqual(
      expect.arrayContaining([{ outcome: 'success' }]),
    );
  });

  it('dry runs with "keep forever" list nothing in that class, and runs are listed', async () => {
    const dry = await admin.send('post', '/api/retention/dry-run');
    expect(dry.status).toBe(200);
    const contacts = (
      dry.body['classes'] as { class: string; keep: number | null; count: number }[]
    ).find((c) => c.class === 'contacts');
    expect(contacts).toEqual({
      class: 'contacts',
      keep: null,
      count: 0,
      oldest: null,
      newest: null,
    });
    expect(await events('retention.dry_run')).toEqual([
      { outcome: 'denied' },
      { outcome: 'success' },
    ]);
    const runs = await admin.send('get', '/api/retention/runs');
    expect(runs.status).toBe(200);
    expect(runs.body).toEqual([]);
    expect(await events('retention.runs_viewed')).toEqual([
      { outcome: 'denied' },
      { outcome: 'success' },
    ]);
  });
});
