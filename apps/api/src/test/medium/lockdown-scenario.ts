import { ROLES, type Role } from '@harbour/domain';
import { DEMO_ORGANISATION_NAME, DemoSeeder, type DemoLogin } from '../../app/seed/demo-seed';
import { KeyringService, LOCKDOWN_SWEEP_INTERVAL } from '../../core/keyring/keyring.service';
import { Db } from '../../infra/database/transaction';
import { FakeClock } from '../../infra/time/clock';
import { AuthHarness, type TestBrowser, type TestUser } from './auth-harness';
import { createTestApp, type TestApp } from './test-app';
import { createTestDatabase, type TestDatabase } from './test-database';

/** What an admin may still call during a lockdown: see it, approve lifting it, finish signing in. */
export const ADMIN_ALLOW_LIST = [
  'GET /api/auth/session',
  'GET /api/organisation/settings',
  'POST /api/auth/mfa/confirm',
  'POST /api/auth/mfa/enrol',
  'POST /api/auth/password',
  'POST /api/auth/step-up',
  'POST /api/organisation/lockdown/lift',
  'PUT /api/me/language',
];
/** What anyone may still call: sign out, and the code step (which refuses a non-admin itself). */
export const EVERYONE_ALLOW_LIST = ['POST /api/auth/logout', 'POST /api/auth/mfa/verify'];

/**
 * The world of the lockdown specs (`app/organisations/lockdown*.medium-spec.ts`; docs/security.md
 * T25): demo-shaped data and three API instances sharing one PostgreSQL, the records the attacks
 * aim at, and the first two acts of the story — staff at work before the lockdown, then an admin
 * starting it — which the later specs replay (with their checks) to reach the same state.
 * `useLockdownScenario()` builds it before the spec's tests and takes it down after them.
 */
export class LockdownScenario {
  db!: TestDatabase;
  readonly clock = new FakeClock();
  /** A starts the lockdown; B and C had the organisation's keys in memory before it. */
  a!: TestApp;
  b!: TestApp;
  c!: TestApp;
  ha!: AuthHarness;
  hb!: AuthHarness;
  hc!: AuthHarness;
  org!: string;
  secondOrg!: string;
  readonly staff = new Map<Role | 'admin2', TestUser>();
  secondCaseworker!: TestUser;
  /** A caseworker who never enrolled a second factor (signs in at stage `enrol`). */
  unenrolled!: TestUser;
  person!: string;
  personKeyId!: number;
  otherPerson!: string;
  contact!: string;
  need!: string;
  referral!: string;
  partner!: string;
  pendingRequest!: string;
  /** Sessions from before the lockdown, by role (signed in on instance B). */
  readonly before = new Map<Role, TestBrowser>();
  lockdownAt!: Date;
  staffBefore!: unknown[];

  async setUp(): Promise<void> {
    const db = (this.db = await createTestDatabase());
    // The keyring's sweep runs when the test says (its timer would race the assertions).
    const overrides = [{ provide: LOCKDOWN_SWEEP_INTERVAL, useValue: 0 }];
    const clock = this.clock;
    this.a = await createTestApp(db, { clock, overrides });
    this.b = await createTestApp(db, { clock, overrides });
    this.c = await createTestApp(db, { clock, overrides });
    this.ha = new AuthHarness(this.a);
    this.hb = new AuthHarness(this.b);
    this.hc = new AuthHarness(this.c);
    const logins = await this.a.app.get(DemoSeeder).seed();
    const user = async (login: DemoLogin): Promise<TestUser> => {
      const [row] = await db.asSuperuser<{ id: string; organisation_id: string }>(
        `SELECT id, organisation_id FROM staff_user WHERE email = $1`,
        [login.email],
      );
      return {
        organisationId: row!.organisation_id,
        id: row!.id,
        email: login.email,
        password: login.password,
        totpSecret: login.totpSecret,
        roles: [login.role],
      };
    };
    for (const login of logins) {
      // The demo's first caseworker and coordinator; the second of each (the peer worker, the
      // coordinator who approves disclosures) play no part here.
      if (login.email === 'peer@demo.harbour.test') continue;
      if (login.email === 'coordinator2@demo.harbour.test') continue;
      if (login.organisation === DEMO_ORGANISATION_NAME) {
        const key = login.role === 'admin' && this.staff.has('admin') ? 'admin2' : login.role;
        this.staff.set(key, await user(login));
      } else if (login.role === 'caseworker') {
        this.secondCaseworker = await user(login);
      }
    }
    const org = (this.org = this.staff.get('caseworker')!.organisationId);
    this.secondOrg = this.secondCaseworker.organisationId;
    this.unenrolled = await this.ha.createUser(org, { enrolled: false });
    const one = async <T extends object>(sql: string, params: unknown[] = [org]): Promise<T> =>
      (await db.asSuperuser<T>(sql, params))[0]!;
    ({ id: this.person } = await one<{ id: string }>(
      `SELECT p.id FROM person p JOIN contact c ON c.organisation_id = p.organisation_id AND c.person_id = p.id
        WHERE p.organisation_id = $1 AND p.has_identity AND c.notes IS NOT NULL LIMIT 1`,
    ));
    ({ key_id: this.personKeyId } = await one<{ key_id: number }>(
      `SELECT key_id FROM person_identity WHERE person_id = $1`,
      [this.person],
    ));
    ({ id: this.otherPerson } = await one<{ id: string }>(
      `SELECT id FROM person WHERE organisation_id = $1 AND has_identity AND id <> $2 LIMIT 1`,
      [org, this.person],
    ));
    ({ id: this.contact } = await one<{ id: string }>(
      `SELECT id FROM contact WHERE organisation_id = $1 AND person_id = $2 AND notes IS NOT NULL LIMIT 1`,
      [org, this.person],
    ));
    ({ id: this.need } = await one<{ id: string }>(
      `SELECT id FROM support_need WHERE organisation_id = $1 LIMIT 1`,
    ));
    ({ id: this.referral, partner_id: this.partner } = await one<{
      id: string;
      partner_id: string;
    }>(`SELECT id, partner_id FROM referral WHERE organisation_id = $1 LIMIT 1`));
  }

  async tearDown(): Promise<void> {
    await this.a.close();
    await this.b.close();
    await this.c.close();
    await this.db.drop();
  }

  keyring(app: TestApp): KeyringService {
    return app.app.get(KeyringService);
  }

  /** Keys of the organisation an instance holds that can decrypt anything (not the audit key). */
  decryptingKeys(app: TestApp, organisation = this.org): string[] {
    return this.keyring(app)
      .cachedKeys(organisation)
      .filter((purpose) => purpose !== 'audit');
  }

  staffSnapshot(): Promise<unknown[]> {
    return this.db.asSuperuser(
      `SELECT u.id, u.roles, u.status, u.version, u.password_hash, u.totp_secret IS NULL AS no_totp,
              (SELECT count(*)::int FROM staff_change_request r WHERE r.organisation_id = u.organisation_id AND r.status = 'applied') AS applied,
              (SELECT count(*)::int FROM staff_role_grant g WHERE g.organisation_id = u.organisation_id AND g.user_id = u.id) AS grants
         FROM staff_user u WHERE u.organisation_id = $1 ORDER BY u.id`,
      [this.org],
    );
  }

  /** Act one: staff work, a reset waits for a second admin, and B and C hold the keys. */
  async beforeTheLockdown(): Promise<void> {
    const { ha, hb, hc, staff, person, contact, b, c } = this;
    const caseworker = staff.get('caseworker')!;
    const onB = await hb.signIn(caseworker);
    expect(
      (await onB.send('post', `/api/persons/${person}/reveal`, { purpose: 'referral' })).status,
    ).toBe(200);
    expect((await onB.send('get', `/api/contacts/${contact}`)).body['notes']).toEqual(
      expect.any(String),
    );
    const onC = await hc.signIn(caseworker);
    expect(
      (
        await onC.send('post', `/api/persons/${this.otherPerson}/reveal`, {
          purpose: 'referral',
        })
      ).status,
    ).toBe(200);
    const coordinator = await ha.signIn(staff.get('coordinator')!);
    expect((await coordinator.send('get', '/api/reports/needs')).status).toBe(200);
    // A caseworker's reset, waiting for a second admin when the lockdown comes.
    const admin = await ha.signIn(staff.get('admin')!);
    await ha.stepUp(admin, staff.get('admin')!);
    const requested = await admin.send('post', `/api/users/${caseworker.id}/reset-password`);
    this.pendingRequest = (requested.body['pending'] as { id: string }).id;
    for (const role of ROLES) this.before.set(role, await hb.signIn(staff.get(role)!));
    expect(this.decryptingKeys(b).length).toBeGreaterThan(0);
    expect(this.decryptingKeys(c).length).toBeGreaterThan(0);
  }

  /** Act two: an admin starts the lockdown on A; B drops its keys when it is next asked. */
  async startTheLockdown(): Promise<void> {
    const { ha, a, b, c, org } = this;
    const admin = this.staff.get('admin')!;
    const browser = await ha.signIn(admin);
    await ha.stepUp(browser, admin);
    this.staffBefore = await this.staffSnapshot();
    const res = await browser.send('post', '/api/organisation/lockdown');
    expect(res.status).toBe(200);
    expect(res.body['lockdown']).toMatchObject({ active: true, liftApprovals: [] });
    this.lockdownAt = new Date(String((res.body['lockdown'] as { since: string }).since));
    expect(this.decryptingKeys(a)).toEqual([]);
    // B and C have not been told: they still hold keys until they notice.
    expect(this.decryptingKeys(b).length).toBeGreaterThan(0);
    expect(this.decryptingKeys(c).length).toBeGreaterThan(0);
    // B served this person before the lockdown: asking for the key again is a cache hit, and is
    // refused anyway (the lockdown state is read in the transaction); B drops every key it holds.
    await expect(
      b.app
        .get(Db)
        .transaction(org, (tx) =>
          this.keyring(b).personKey(tx, org, this.personKeyId, this.person),
        ),
    ).rejects.toMatchObject({ code: 'lockdown_active' });
    expect(this.decryptingKeys(b)).toEqual([]);
  }
}

/** A `LockdownScenario` set up before the calling spec's tests and taken down after them. */
export function useLockdownScenario(): LockdownScenario {
  const scenario = new LockdownScenario();
  beforeAll(() => scenario.setUp(), 180_000);
  afterAll(() => scenario.tearDown());
  return scenario;
}
