import { randomUUID } from 'node:crypto';
import type { AnomalyKind, AuditAnomaly } from '@harbour/domain';
import { Db } from '../../infra/database/transaction';
import { tenantScope } from '../../core/scope/request-scope';
import { auditApp, type AuditApp } from '../../test/medium/audit-world';
import type { AuthHarness, TestBrowser, TestUser } from '../../test/medium/auth-harness';
import type { TestApp } from '../../test/medium/test-app';
import type { TestDatabase } from '../../test/medium/test-database';
import { ANOMALY_THRESHOLDS, AuditQueries } from './audit-queries.service';

/**
 * Insider detection (docs/design.md §7, docs/security.md cases 11 and 34): every anomaly flag, with data
 * that must raise it and data that must not, through the real routes (so the action names the
 * flags look for are the ones the routes write), on a real PostgreSQL, with an injected clock.
 * Each test has an organisation of its own (flags are per organisation) and a day of its own.
 */
describe('anomaly flags', () => {
  let w: AuditApp;
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let day = 0;

  beforeAll(async () => {
    // Working hours 07:00–20:00 UTC (the default).
    w = await auditApp();
    ({ db, app: harbour, h } = w);
  });

  afterAll(() => w.close());

  interface Org {
    id: string;
    caseworker: TestUser;
    cw: TestBrowser;
    person: string;
  }

  /** A new organisation on a new day, the clock at `hour`:00 UTC, a caseworker signed in. */
  async function organisation(hour = 9): Promise<Org> {
    day++;
    harbour.clock.set(new Date(Date.UTC(2027, 0, day, hour, 0, 0)));
    const id = await h.createOrganisation(`Flags ${day}`);
    const caseworker = await h.createUser(id, { roles: ['caseworker'] });
    const cw = await h.signIn(caseworker);
    const person = (
      await cw.send('post', '/api/persons', { identity: { givenName: `Flag Person ${day}` } })
    ).body['id'] as string;
    return { id, caseworker, cw, person };
  }

  /** The start of an hour of the current test's day, as flag ids name windows. */
  const window = (hour: number): string => new Date(Date.UTC(2027, 0, day, hour)).toISOString();

  const anomalies = (org: string): Promise<AuditAnomaly[]> =>
    harbour.app
      .get(Db)
      .transaction(org, (tx) => harbour.app.get(AuditQueries).anomalies(tenantScope(tx)));

  const kinds = async (org: string, kind: AnomalyKind) =>
    (await anomalies(org)).filter((a) => a.kind === kind);

  const reveal = (o: Org, browser = o.cw) =>
    browser.send('post', `/api/persons/${o.person}/reveal`, { purpose: 'safety_check' });

  describe('many reveals in an hour', () => {
    it('is raised by more than 20 reveals by one person within an hour', async () => {
      const o = await organisation();
      for (let i = 0; i <= ANOMALY_THRESHOLDS.revealsPerHour; i++) {
        expect((await reveal(o)).status).toBe(200);
        harbour.clock.advance(60_000);
      }
      const [flag, ...more] = await kinds(o.id, 'many_reveals');
      expect(more).toEqual([]);
      expect(flag).toMatchObject({
        actorId: o.caseworker.id,
        count: ANOMALY_THRESHOLDS.revealsPerHour + 1,
        status: 'open',
        subject: null,
      });
      expect(flag!.id).toBe(`many_reveals:${o.caseworker.id}:${window(9)}`);
    });

    it('is not raised by 20 reveals in an hour, 21 across two hours, or 22 by two people', async () => {
      const o = await organisation();
      for (let i = 0; i < ANOMALY_THRESHOLDS.revealsPerHour; i++) await reveal(o);
      expect(await kinds(o.id, 'many_reveals')).toEqual([]);
      harbour.clock.set(new Date(Date.UTC(2027, 0, day, 10, 0, 0)));
      await reveal(o); // 21 in all, but 20 + 1 across the hour boundary
      expect(await kinds(o.id, 'many_reveals')).toEqual([]);
      const colleague = await h.signIn(await h.createUser(o.id, { roles: ['caseworker'] }));
      for (let i = 0; i < 11; i++) {
        await reveal(o, colleague);
        await reveal(o);
      }
      // Each did 12 in the 10:00 hour: together 24, alone never more than 20.
      expect(await kinds(o.id, 'many_reveals')).toEqual([]);
    });
  });

  describe('repeated denials', () => {
    it('is raised by 5 refused requests from one signed-in person within an hour', async () => {
      const o = await organisation();
      for (let i = 0; i < ANOMALY_THRESHOLDS.denialsPerHour; i++) {
        expect((await o.cw.send('get', '/api/users')).status).toBe(403);
      }
      expect(await kinds(o.id, 'repeated_denials')).toMatchObject([
        { actorId: o.caseworker.id, count: 5, status: 'open' },
      ]);
    });

    it('is not raised by 4 refusals, by 5 across two hours, or by the refusals of anonymous callers', async () => {
      const o = await organisation();
      for (let i = 0; i < 4; i++) await o.cw.send('get', '/api/users');
      expect(await kinds(o.id, 'repeated_denials')).toEqual([]);
      harbour.clock.set(new Date(Date.UTC(2027, 0, day, 10, 30, 0)));
      await o.cw.send('get', '/api/users');
      expect(await kinds(o.id, 'repeated_denials')).toEqual([]);
      const anonymous = h.browser();
      for (let i = 0; i < 6; i++) await anonymous.send('get', '/api/users');
      expect(await kinds(o.id, 'repeated_denials')).toEqual([]);
    });
  });

  describe('id sweep', () => {
    it('is raised by 10 different records refused or missing for one person within an hour', async () => {
      const o = await organisation();
      for (let i = 0; i < ANOMALY_THRESHOLDS.distinctMissesPerHour; i++) {
        expect((await o.cw.send('get', `/api/persons/${randomUUID()}`)).status).toBe(404);
      }
      expect(await kinds(o.id, 'id_sweep')).toMatchObject([
        { actorId: o.caseworker.id, count: 10 },
      ]);
    });

    it('is not raised by the same missing record asked for again, or by 9 different ones', async () => {
      const o = await organisation();
      const missing = randomUUID();
      for (let i = 0; i < 12; i++) await o.cw.send('get', `/api/persons/${missing}`);
      for (let i = 0; i < 8; i++) await o.cw.send('get', `/api/persons/${randomUUID()}`);
      expect(await kinds(o.id, 'id_sweep')).toEqual([]);
    });
  });

  describe('off-hours access', () => {
    it('is raised by a record opened outside working hours', async () => {
      const o = await organisation(2);
      expect((await o.cw.send('get', `/api/persons/${o.person}`)).status).toBe(200);
      const flags = await kinds(o.id, 'off_hours');
      expect(flags).toMatchObject([{ actorId: o.caseworker.id, status: 'open' }]);
      expect(flags[0]!.id).toBe(`off_hours:${o.caseworker.id}:${window(0)}`);
    });

    it('is not raised by records opened in working hours, or by signing in and reading the partner directory at night', async () => {
      const o = await organisation(10);
      await o.cw.send('get', `/api/persons/${o.person}`);
      await reveal(o);
      expect(await kinds(o.id, 'off_hours')).toEqual([]);
      harbour.clock.set(new Date(Date.UTC(2027, 0, day, 22, 0, 0)));
      const night = await h.signIn(o.caseworker);
      expect((await night.send('get', '/api/partners')).status).toBe(200);
      expect(await kinds(o.id, 'off_hours')).toEqual([]);
    });
  });

  describe('reviews', () => {
    it('an auditor marks a flag reviewed (itself logged); it opens again when it grows', async () => {
      const o = await organisation(3);
      await o.cw.send('get', `/api/persons/${o.person}`);
      const auditor = await h.createUser(o.id, { roles: ['auditor'] });
      const browser = await h.signIn(auditor);
      const listed = await browser.send('get', '/api/audit/anomalies');
      expect(listed.status).toBe(200);
      const [flag] = listed.body as unknown as AuditAnomaly[];
      expect(flag).toMatchObject({ kind: 'off_hours', status: 'open' });

      const reviewed = await browser.send('post', '/api/audit/anomalies/review', { id: flag!.id });
      expect(reviewed.status).toBe(204);
      expect(await kinds(o.id, 'off_hours')).toMatchObject([
        {
          id: flag!.id,
          status: 'reviewed',
          reviewedBy: auditor.email.split('@')[0],
          reviewedAt: harbour.clock.now().toISOString(),
        },
      ]);
      const [event] = await db.asSuperuser<{ actor_id: string; resource_ids: string[] }>(
        `SELECT actor_id, resource_ids FROM access_event
          WHERE organisation_id = $1 AND action = 'audit.anomaly_reviewed'`,
        [o.id],
      );
      expect(event).toEqual({ actor_id: auditor.id, resource_ids: [flag!.id] });

      // The same night, the same person opens another record: the flag grows and is open again.
      harbour.clock.advance(10 * 60_000);
      await o.cw.send('get', `/api/persons/${o.person}`);
      expect(await kinds(o.id, 'off_hours')).toMatchObject([
        { id: flag!.id, status: 'open', reviewedAt: null },
      ]);
    });

    it('refuses to review a flag that does not exist (404) or an id that is not a flag id (400)', async () => {
      const o = await organisation();
      const auditor = await h.signIn(await h.createUser(o.id, { roles: ['auditor'] }));
      const absent = await auditor.send('post', '/api/audit/anomalies/review', {
        id: `many_reveals:${o.caseworker.id}:${window(9)}`,
      });
      expect(absent.status).toBe(404);
      const malformed = await auditor.send('post', '/api/audit/anomalies/review', {
        id: 'many_reveals; DROP TABLE',
      });
      expect(malformed.status).toBe(400);
      const reviews = await db.asSuperuser(
        `SELECT 1 FROM access_event WHERE organisation_id = $1 AND action = 'audit.anomaly_reviewed' AND outcome = 'success'`,
        [o.id],
      );
      expect(reviews).toEqual([]);
    });
  });

  it('lists open flags first, most serious kind first', async () => {
    const o = await organisation(4);
    await o.cw.send('get', `/api/persons/${o.person}`); // off hours
    for (let i = 0; i < 5; i++) await o.cw.send('get', '/api/users'); // repeated denials
    const first = await anomalies(o.id);
    expect(first.map((a) => a.kind)).toEqual(['repeated_denials', 'off_hours']);
    const auditor = await h.signIn(await h.createUser(o.id, { roles: ['auditor'] }));
    await auditor.send('post', '/api/audit/anomalies/review', { id: first[0]!.id });
    const after = await anomalies(o.id);
    expect(after.map((a) => [a.kind, a.status])).toEqual([
      ['off_hours', 'open'],
      ['repeated_denials', 'reviewed'],
    ]);
  });
});
