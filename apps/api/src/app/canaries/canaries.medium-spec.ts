import { isPersonCode, type AuditAnomaly, type CanaryView } from '@harbour/domain';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/**
 * Canary people (docs/design.md §5): planted by admins, indistinguishable to caseworkers and
 * coordinators, flagged on any lookup hit, page view or reveal, never counted in reports.
 */
describe('canary people', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  let admin: TestUser;
  let caseworker: TestUser;
  let coordinator: TestUser;
  let auditor: TestUser;
  let ad: TestBrowser;
  let cw: TestBrowser;
  let co: TestBrowser;
  let au: TestBrowser;
  let real: string;

  /** A synthetic name for the decoy (not one of the test canary names). */
  const DECOY = { givenName: 'Kanokwan', familyName: 'Srisawat', alias: 'Kan' };

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Canary Test Service');
    admin = await h.createUser(org, { roles: ['admin'] });
    caseworker = await h.createUser(org, { roles: ['caseworker'] });
    coordinator = await h.createUser(org, { roles: ['coordinator'] });
    auditor = await h.createUser(org, { roles: ['auditor'] });
    ad = await h.signIn(admin);
    cw = await h.signIn(caseworker);
    co = await h.signIn(coordinator);
    au = await h.signIn(auditor);
    // A real person, logged the way the console logs one, to compare shapes with.
    real = (
      await cw.send('post', '/api/persons', {
        identity: { givenName: 'Wipawee', familyName: 'Chaiyasit', alias: 'Wi' },
        regionOfOrigin: 'south_eastern_asia',
        languageGroup: 'thai',
      })
    ).body['id'] as string;
    await cw.send('post', '/api/contacts', {
      personId: real,
      occurredOn: harbour.clock.now().toISOString().slice(0, 10),
      channel: 'phone',
      locationType: 'online_or_phone',
      needs: [{ category: 'health' }],
    });
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  async function plant(body: object = {}): Promise<CanaryView> {
    await h.stepUp(ad, admin);
    const res = await ad.send('post', '/api/canaries', body);
    expect(res.status).toBe(201);
    return res.body as unknown as CanaryView;
  }

  const canaryFlags = async (): Promise<AuditAnomaly[]> => {
    const res = await au.send('get', '/api/audit/anomalies');
    expect(res.status).toBe(200);
    return (res.body as unknown as AuditAnomaly[]).filter((a) => a.kind === 'canary_access');
  };

  /**
   * Whether two values have the same shape: the same keys, recursively, and values of the same
   * types. An empty array matches any array (a person may have no consents), a null any value.
   */
  function sameShape(a: unknown, b: unknown): boolean {
    if (Array.isArray(a) || Array.isArray(b)) {
      if (!Array.isArray(a) || !Array.isArray(b)) return false;
      return a.length === 0 || b.length === 0 || sameShape(a[0], b[0]);
    }
    if (a !== null && b !== null && typeof a === 'object' && typeof b === 'object') {
      const keys = Object.keys(a).sort();
      return (
        JSON.stringify(keys) === JSON.stringify(Object.keys(b).sort()) &&
        keys.every((k) =>
          sameShape((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]),
        )
      );
    }
    // A null matches any value (nullable fields are filled for some people, not others).
    return a === null || b === null || typeof a === typeof b;
  }

  describe('planting, listing and retiring (admins only, audited)', () => {
    it('needs step-up, answers with the canary, and logs only the canary’s own id', async () => {
      const refused = await ad.send('post', '/api/canaries', {});
      expect(refused.status).toBe(403);
      expect(refused.body['code']).toBe('step_up_required');

      const canary = await plant({ identity: DECOY, caseworkerId: caseworker.id, contacts: 3 });
      expect(isPersonCode(canary.code)).toBe(true);
      expect(canary).toMatchObject({
        caseworkerId: caseworker.id,
        plantedBy: admin.id,
        retiredAt: null,
      });
      const [event] = await db.asSuperuser<{ resource_ids: string[]; actor_id: string }>(
        `SELECT resource_ids, actor_id FROM access_event WHERE action = 'canary.planted' AND outcome = 'success'`,
      );
      expect(event).toEqual({ resource_ids: [canary.id], actor_id: admin.id });
      // Nothing else in the log names the new person: it was not "created" by anyone's request.
      const naming = await db.asSuperuser(
        `SELECT action FROM access_event WHERE $1 = ANY(resource_ids) OR $2 = ANY(resource_ids)`,
        [canary.personId, canary.code],
      );
      expect(naming).toEqual([]);

      const listed = await ad.send('get', '/api/canaries');
      expect(listed.status).toBe(200);
      expect(listed.body).toEqual(expect.arrayContaining([canary]));
      const contacts = await db.asSuperuser<{ caseworker_id: string }>(
        `SELECT caseworker_id FROM contact WHERE person_id = $1`,
        [canary.personId],
      );
      expect(contacts).toEqual([
        { caseworker_id: caseworker.id },
        { caseworker_id: caseworker.id },
        { caseworker_id: caseworker.id },
      ]);
    });

    it('keeps its marker unreadable in the database: no person id, no time, only an envelope', async () => {
      const canary = await plant();
      const rows = await db.asSuperuser<{ id: string; sealed: Buffer }>(
        `SELECT id, sealed FROM canary WHERE organisation_id = $1`,
        [org],
      );
      expect(rows.length).toBeGreaterThan(0);
      const personBytes = Buffer.from(canary.personId.replace(/-/g, ''), 'hex');
      for (const row of rows) {
        expect(row.sealed[0]).toBe(1);
        expect(row.sealed.toString('latin1')).not.toContain(canary.personId);
        expect(row.sealed.includes(personBytes)).toBe(false);
        expect(row.sealed.toString('latin1')).not.toContain(canary.plantedAt.slice(0, 10));
        // A random id: nothing in it orders canaries in time (no UUIDv7 timestamp).
        expect(row.id[14]).toBe('4');
      }
      const columns = await db.asSuperuser<{ column_name: string }>(
        `SELECT column_name FROM information_schema.columns WHERE table_name = 'canary' ORDER BY column_name`,
      );
      expect(columns.map((c) => c.column_name)).toEqual(['id', 'organisation_id', 'sealed']);
    });

    it('refuses a staff member who does not work with people, an identity that cannot be looked up, too many contacts — and writes nothing', async () => {
      await h.stepUp(ad, admin);
      const before = await db.asSuperuser<{ n: string }>(
        `SELECT (SELECT count(*) FROM person) + (SELECT count(*) FROM canary) AS n`,
      );
      for (const [body, path] of [
        [{ caseworkerId: auditor.id }, 'caseworkerId'],
        [{ caseworkerId: admin.id }, 'caseworkerId'],
        [{ identity: { dateOfBirth: '1990-01-01' } }, 'identity'],
        [{ contacts: 6 }, 'contacts'],
      ] as const) {
        const res = await ad.send('post', '/api/canaries', body);
        expect({ path, status: res.status, code: res.body['code'] }).toEqual({
          path,
          status: 400,
          code: 'validation_failed',
        });
        expect(JSON.stringify(res.body['fields'])).toContain(path);
      }
      const after = await db.asSuperuser<{ n: string }>(
        `SELECT (SELECT count(*) FROM person) + (SELECT count(*) FROM canary) AS n`,
      );
      expect(after).toEqual(before);
    });

    it('is closed to everyone but admins', async () => {
      for (const browser of [cw, co, au]) {
        expect((await browser.send('get', '/api/canaries')).status).toBe(403);
        expect((await browser.send('post', '/api/canaries', {})).status).toBe(403);
      }
    });
  });

  describe('to caseworkers and coordinators, a person like any other', () => {
    let canary: CanaryView;

    beforeAll(async () => {
      canary = await plant({
        identity: { givenName: 'Rattana', familyName: 'Boonsong', alias: 'Tana' },
        caseworkerId: caseworker.id,
        contacts: 2,
      });
    });

    it('is found by lookup, shown and revealed with exactly the shapes of a real person, and no response carries a marker', async () => {
      const bodies: unknown[] = [];
      const lookup = await cw.send('post', '/api/persons/lookup', { name: 'Rattana Boonsong' });
      expect(lookup.status).toBe(200);
      const candidates = lookup.body as unknown as { id: string; code: string }[];
      expect(candidates.map((c) => c.id)).toEqual([canary.personId]);
      const realLookup = await cw.send('post', '/api/persons/lookup', { name: 'Wipawee' });
      expect(sameShape(lookup.body, realLookup.body)).toBe(true);

      for (const browser of [cw, co]) {
        for (const path of [
          (id: string) => `/api/persons/${id}`,
          (id: string) => `/api/persons/${id}/consents`,
          (id: string) => `/api/contacts?person=${id}`,
          (id: string) => `/api/persons/${id}/key-workers`,
        ]) {
          const decoy = await browser.send('get', path(canary.personId));
          const person = await browser.send('get', path(real));
          expect(decoy.status).toBe(200);
          expect({ path: path(':id'), same: sameShape(decoy.body, person.body) }).toEqual({
            path: path(':id'),
            same: true,
          });
          bodies.push(decoy.body);
        }
        const revealed = await browser.send('post', `/api/persons/${canary.personId}/reveal`, {
          purpose: 'safety_check',
        });
        expect(revealed.body).toEqual({
          identity: { givenName: 'Rattana', familyName: 'Boonsong', alias: 'Tana' },
        });
        bodies.push(revealed.body);
      }
      const contacts = await cw.send('get', `/api/contacts?person=${canary.personId}`);
      const items = (contacts.body as { items: { caseworkerId: string; personCode: string }[] })
        .items;
      expect(items).toHaveLength(2);
      expect(
        items.every((c) => c.caseworkerId === caseworker.id && c.personCode === canary.code),
      ).toBe(true);
      bodies.push(lookup.body, (await cw.send('get', '/api/contacts')).body);
      for (const body of bodies) {
        const text = JSON.stringify(body);
        expect(text).not.toMatch(/canar|decoy/i);
        expect(text).not.toContain(canary.id);
      }
    });

    it('raises a canary flag for the auditor at once on a lookup hit, a page view and a reveal — and not on a lookup that misses it or on lists', async () => {
      const other = await h.createUser(org, { roles: ['caseworker'] });
      const browser = await h.signIn(other);
      const flagged = async () =>
        (await canaryFlags()).filter((f) => f.actorId === other.id && f.subject === canary.code);

      await browser.send('post', '/api/persons/lookup', { name: 'Wipawee Chaiyasit' });
      await browser.send('get', '/api/contacts');
      await browser.send('get', '/api/referrals');
      expect(await flagged()).toEqual([]);

      await browser.send('post', '/api/persons/lookup', { alias: 'Tana' });
      expect(await flagged()).toMatchObject([{ count: 1, status: 'open' }]);
      await browser.send('get', `/api/persons/${canary.personId}`);
      expect(await flagged()).toMatchObject([{ count: 2 }]);
      await browser.send('post', `/api/persons/${canary.personId}/reveal`, {
        purpose: 'safety_check',
      });
      // The person page's key-workers panel reads the decoy too.
      await browser.send('get', `/api/persons/${canary.personId}/key-workers`);
      const [flag] = await flagged();
      expect(flag).toMatchObject({ count: 4, kind: 'canary_access', actorId: other.id });
      expect(flag!.id).toMatch(new RegExp(`^canary_access:${other.id}:.*:${canary.code}$`));
    });

    it('raises a canary flag when a decoy’s outcome check-ins are read or one is recorded', async () => {
      const other = await h.createUser(org, { roles: ['caseworker'] });
      const browser = await h.signIn(other);
      const flagged = async () =>
        (await canaryFlags()).filter((f) => f.actorId === other.id && f.subject === canary.code);
      const list = await browser.send('get', `/api/persons/${canary.personId}/check-ins`);
      expect(list.status).toBe(200);
      expect(await flagged()).toMatchObject([{ count: 1, status: 'open' }]);
      await browser.send('post', `/api/persons/${canary.personId}/check-ins`, {
        checkedOn: '2026-11-22',
        ratings: { safety: 3 },
      });
      expect(await flagged()).toMatchObject([{ count: 2 }]);
    });

    it('raises no flag for the admin managing canaries', async () => {
      await ad.send('get', '/api/canaries');
      expect((await canaryFlags()).filter((f) => f.actorId === admin.id)).toEqual([]);
    });
  });

  describe('reports', () => {
    it('never counts a canary, even one whose reporting consent a coordinator records; a real person with the same records is counted', async () => {
      // Reports cover closed quarters and count records by when they were entered: the records
      // are dated into closed quarters (2026-Q3 for the canary, 2026-Q2 for the real person).
      const people = async (period: string) => {
        const res = await co.send('get', `/api/reports/contacts?period=${period}`);
        expect(res.status).toBe(200);
        return (res.body['byChannel'] as { total: number | null }).total;
      };
      const enter = (personId: string, at: string) =>
        db.asSuperuser(`UPDATE contact SET created_at = $2 WHERE person_id = $1`, [personId, at]);
      // Enough real records that totals are published.
      for (let i = 0; i < 12; i++) {
        const id = (
          await cw.send('post', '/api/persons', {
            identity: { givenName: `Reported ${i}` },
            consentToReporting: true,
          })
        ).body['id'] as string;
        await cw.send('post', '/api/contacts', {
          personId: id,
          occurredOn: harbour.clock.now().toISOString().slice(0, 10),
          channel: 'phone',
          locationType: 'online_or_phone',
        });
        await enter(id, '2026-08-10T10:00:00Z');
      }
      const canary = await plant({ contacts: 5, caseworkerId: coordinator.id });
      const person = await co.send('get', `/api/persons/${canary.personId}`);
      const consented = await co.send('patch', `/api/persons/${canary.personId}`, {
        version: person.body['version'],
        consentToReporting: true,
      });
      expect(consented.status).toBe(200);
      await enter(canary.personId, '2026-08-11T10:00:00Z');
      // The canary's five contacts are in the quarter, and not in its count.
      expect(await people('2026-Q3')).toBe(12);

      // The same records for a real person are counted (so the comparison can fail).
      const realId = (
        await co.send('post', '/api/persons', {
          identity: { givenName: 'Counted' },
          consentToReporting: true,
        })
      ).body['id'] as string;
      const contacts = (
        await db.asSuperuser<Record<string, unknown>>(
          `SELECT occurred_on::text, channel, location_type FROM contact WHERE person_id = $1`,
          [canary.personId],
        )
      ).map((c) => ({
        personId: realId,
        occurredOn: c['occurred_on'],
        channel: c['channel'],
        locationType: c['location_type'],
      }));
      for (const contact of contacts) await co.send('post', '/api/contacts', contact);
      await enter(realId, '2026-05-11T10:00:00Z');
      expect(await people('2026-Q2')).toBe(5);
    });
  });

  describe('retiring', () => {
    it('erases the decoy’s identity; it stays a canary: not found by lookup, still flagged when opened', async () => {
      const canary = await plant({ identity: { givenName: 'Siriwan', familyName: 'Kaewdee' } });
      harbour.clock.advance(6 * 60_000); // the step-up of the plant has lapsed
      const refused = await ad.send('post', `/api/canaries/${canary.id}/retire`);
      expect(refused.status).toBe(403);
      await h.stepUp(ad, admin);
      const retired = await ad.send('post', `/api/canaries/${canary.id}/retire`);
      expect(retired.status).toBe(200);
      expect(retired.body['retiredAt']).not.toBeNull();
      const [event] = await db.asSuperuser<{ resource_ids: string[] }>(
        `SELECT resource_ids FROM access_event WHERE action = 'canary.retired' AND outcome = 'success' ORDER BY seq DESC LIMIT 1`,
      );
      expect(event!.resource_ids).toEqual([canary.id]);

      const lookup = await cw.send('post', '/api/persons/lookup', { name: 'Siriwan Kaewdee' });
      expect(lookup.body).toEqual([]);
      await cw.send('get', `/api/persons/${canary.personId}`);
      expect(
        (await canaryFlags()).filter(
          (f) => f.actorId === caseworker.id && f.subject === canary.code,
        ),
      ).toMatchObject([{ count: 1 }]);
      const listed = (await ad.send('get', '/api/canaries')).body as unknown as CanaryView[];
      expect(listed.find((c) => c.id === canary.id)?.retiredAt).not.toBeNull();
      const unknown = await ad.send('post', `/api/canaries/${canary.personId}/retire`);
      expect(unknown.status).toBe(404);
    });
  });
});
