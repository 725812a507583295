import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { StaffBootstrap } from './staff-bootstrap.service';

/**
 * The operator's bootstrap (ADR 0008): a new organisation's admins come from the CLI, which may
 * create admins only, and only until the organisation has two; every one is in the access log.
 */
describe('operator bootstrap of admins', () => {
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

  it('creates an organisation with its first admin, adds a second, and refuses a third', async () => {
    const bootstrap = harbour.app.get(StaffBootstrap);
    const first = await bootstrap.createOrganisation('Bootstrap Outreach', {
      email: 'first@bootstrap.test',
      displayName: 'First',
    });
    const second = await bootstrap.addAdmin(first.organisationId, {
      email: 'second@bootstrap.test',
      displayName: 'Second',
    });
    expect(second.oneTimePassword).not.toBe(first.oneTimePassword);
    await expect(
      bootstrap.addAdmin(first.organisationId, { email: 'third@bootstrap.test', displayName: 'X' }),
    ).rejects.toMatchObject({ code: 'conflict' });

    const staff = await db.asSuperuser<{ email: string; roles: string[]; must: boolean }>(
      `SELECT email, roles, must_change_password AS must FROM staff_user
        WHERE organisation_id = $1 ORDER BY email`,
      [first.organisationId],
    );
    expect(staff).toEqual([
      { email: 'first@bootstrap.test', roles: ['admin'], must: true },
      { email: 'second@bootstrap.test', roles: ['admin'], must: true },
    ]);
    const grants = await db.asSuperuser<{ role: string }>(
      `SELECT role FROM staff_role_grant WHERE organisation_id = $1`,
      [first.organisationId],
    );
    expect(grants).toEqual([{ role: 'admin' }, { role: 'admin' }]);
    const events = await db.asSuperuser<{
      action: string;
      actor_id: string | null;
      fields: string[];
    }>(
      `SELECT action, actor_id, fields FROM access_event WHERE organisation_id = $1 ORDER BY seq`,
      [first.organisationId],
    );
    expect(events).toEqual([
      { action: 'staff.created', actor_id: null, fields: ['roles_before:', 'roles_after:admin'] },
      { action: 'staff.created', actor_id: null, fields: ['roles_before:', 'roles_after:admin'] },
    ]);
  });

  it('adds an admin again when one of the two has been disabled', async () => {
    const bootstrap = harbour.app.get(StaffBootstrap);
    const org = await bootstrap.createOrganisation('Short Staffed', {
      email: 'only@short.test',
      displayName: 'Only',
    });
    await bootstrap.addAdmin(org.organisationId, { email: 'gone@short.test', displayName: 'Gone' });
    await db.asSuperuser(
      `UPDATE staff_user SET status = 'disabled' WHERE email = 'gone@short.test'`,
    );
    const again = await bootstrap.addAdmin(org.organisationId, {
      email: 'new@short.test',
      displayName: 'New',
    });
    expect(again.userId).toEqual(expect.any(String));
  });
});
