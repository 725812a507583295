import type { PersonDisclosureView, PersonView } from '@harbour/domain';
import { AuthHarness, type TestBrowser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/**
 * A merge keeps the record of disclosures: a request that named the absorbed duplicate names
 * the survivor afterwards (its person page and own-data export still show it), and a request
 * that named both is left naming the survivor once.
 */
describe('disclosure requests across a merge', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let coord: TestBrowser;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    const h = new AuthHarness(harbour);
    const org = await h.createOrganisation('Disclosure Merge Service');
    const coordinator = await h.createUser(org, { roles: ['caseworker', 'coordinator'] });
    coord = await h.signIn(coordinator);
    await h.stepUp(coord, coordinator);
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const person = async (): Promise<PersonView> => {
    const res = await coord.send('post', '/api/persons', {});
    expect(res.status).toBe(201);
    return res.body as unknown as PersonView;
  };

  const request = async (codes: string[]): Promise<string> => {
    const res = await coord.send('post', '/api/disclosures', {
      authority: 'police',
      requester: 'Station duty officer',
      legalInstrument: 'Production order',
      personCodes: codes,
      fields: ['contacts'],
      periodFrom: '2026-01-01',
      periodTo: '2026-06-30',
    });
    expect(res.status).toBe(201);
    return res.body['id'] as string;
  };

  const disclosuresOf = async (id: string): Promise<string[]> => {
    const res = await coord.send('get', `/api/persons/${id}/disclosures`);
    expect(res.status).toBe(200);
    return (res.body as unknown as PersonDisclosureView[]).map((d) => d.requestId).sort();
  };

  it('moves the absorbed record’s requests to the survivor, once each', async () => {
    const survivor = await person();
    const absorbed = await person();
    const both = await request([survivor.code, absorbed.code]);
    const onlyAbsorbed = await request([absorbed.code]);
    const onlySurvivor = await request([survivor.code]);

    const merged = await coord.send('post', `/api/persons/${survivor.id}/merge`, {
      absorbedId: absorbed.id,
      survivorVersion: survivor.version,
      absorbedVersion: absorbed.version,
    });
    expect(merged.status).toBe(200);

    expect(await disclosuresOf(survivor.id)).toEqual([both, onlyAbsorbed, onlySurvivor].sort());
    const rows = await db.asSuperuser<{ request_id: string; person_id: string }>(
      `SELECT request_id::text, person_id::text FROM disclosure_request_person
        WHERE request_id = ANY ($1::uuid[]) ORDER BY request_id`,
      [[both, onlyAbsorbed, onlySurvivor]],
    );
    expect(rows).toHaveLength(3);
    expect(new Set(rows.map((r) => r.person_id))).toEqual(new Set([survivor.id]));
    const view = await coord.send('get', `/api/disclosures/${onlyAbsorbed}`);
    expect(view.body['personCodes']).toEqual([survivor.code]);
  });
});
