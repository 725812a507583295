import type { ApiErrorBody, DuplicateCandidate, PersonView } from '@harbour/domain';
import { AuthHarness, type TestBrowser } from '../../test/medium/auth-harness';
import { CANARY_PEOPLE, canaryForms } from '../../test/canaries';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { DEMO_DUPLICATES } from '../seed/demo-duplicates';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/**
 * The duplicate warning on recording a person (issue 17): a likely existing person (same name
 * pair, SLK-581 or phone, confirmed by decryption) refuses the create with 409
 * `possible_duplicate` naming codes only — and tells nobody more than a lookup would.
 */
describe('duplicate warning on create', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let cw: TestBrowser;
  let other: TestBrowser;
  let existing: PersonView;
  let org: string;
  const somchai = CANARY_PEOPLE[7]!;
  const identity = {
    givenName: somchai.given,
    familyName: somchai.family,
    dateOfBirth: '1992-02-03',
    sex: 'male',
    phone: '+61 411 222 333',
  };
  const namesIn = (haystack: string | Buffer): string[] => {
    const buffer = typeof haystack === 'string' ? Buffer.from(haystack, 'utf8') : haystack;
    return [somchai.given, somchai.family, somchai.alias].filter((v) =>
      canaryForms(v).some((form) => buffer.includes(form)),
    );
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    const h = new AuthHarness(harbour);
    org = await h.createOrganisation('Duplicates Test Service');
    const otherOrg = await h.createOrganisation('Other Service');
    const caseworker = await h.createUser(org, { roles: ['caseworker'] });

    cw = await h.signIn(caseworker);
    other = await h.signIn(await h.createUser(otherOrg, { roles: ['caseworker'] }));
    const created = await cw.send('post', '/api/persons', { identity });
    expect(created.status).toBe(201);
    existing = created.body as unknown as PersonView;
    const contact = await cw.send('post', '/api/contacts', {
      personId: existing.id,
      occurredOn: '2026-01-16',
      channel: 'phone',
      locationType: 'online_or_phone',
    });
    expect(contact.status).toBe(201);
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const people = async () =>
    (await db.asSuperuser<{ n: number }>(`SELECT count(*)::int AS n FROM person`))[0]!.n;

  it('refuses a likely duplicate with its code and when last seen, and writes nothing', async () => {
    const before = await people();
    // The name pair in the other order, another phone, no date of birth.
    const res = await cw.send('post', '/api/persons', {
      identity: { givenName: somchai.family, familyName: somchai.given, phone: '+61 499 000 000' },
      checkDuplicates: true,
    });
    expect(res.status).toBe(409);
    const body = res.body as unknown as ApiErrorBody;
    expect(body.code).toBe('possible_duplicate');
    expect(body.candidates).toEqual<DuplicateCandidate[]>([
      { id: existing.id, code: existing.code, matchedOn: ['name'], lastSeenOn: '2026-01-16' },
    ]);
    expect(namesIn(JSON.stringify(body))).toEqual([]);
    expect(await people()).toBe(before);
  });

  it('matches on phone alone and on the SLK-581, each confirmed', async () => {
    const byPhone = await cw.send('post', '/api/persons', {
      identity: { givenName: 'Another', phone: identity.phone },
      checkDuplicates: true,
    });
    expect(byPhone.status).toBe(409);
    expect((byPhone.body as unknown as ApiErrorBody).candidates?.map((c) => c.matchedOn)).toEqual([
      ['phone'],
    ]);
    const all = await cw.send('post', '/api/persons', { identity, checkDuplicates: true });
    expect((all.body as unknown as ApiErrorBody).candidates?.[0]?.matchedOn).toEqual([
      'name',
      'phone',
      'slk',
    ]);
  });

  it('records the person when the worker creates anyway (no check asked), or when nothing matches', async () => {
    const anyway = await cw.send('post', '/api/persons', { identity });
    expect(anyway.status).toBe(201);
    const someoneElse = await cw.send('post', '/api/persons', {
      identity: { givenName: 'Mali', familyName: 'Srisuk', phone: '+61 400 999 888' },
      checkDuplicates: true,
    });
    expect(someoneElse.status).toBe(201);
    // A given name alone is too common to warn about.
    const oneName = await cw.send('post', '/api/persons', {
      identity: { givenName: somchai.given },
      checkDuplicates: true,
    });
    expect(oneName.status).toBe(201);
  });

  it('is no oracle across organisations', async () => {
    const res = await other.send('post', '/api/persons', { identity, checkDuplicates: true });
    expect(res.status).toBe(201);
  });

  it('leaves the same trace as a lookup: one duplicate_warned event with the codes shown, no names', async () => {
    const rows = await db.asSuperuser<{
      resource_ids: string[];
      outcome: string;
      event: Buffer;
    }>(
      `SELECT resource_ids, outcome, event FROM access_event
        WHERE action = 'person.duplicate_warned' ORDER BY seq`,
    );
    expect(rows).toHaveLength(3);
    expect(rows.every((r) => r.outcome === 'failure')).toBe(true);
    expect(rows.every((r) => r.resource_ids.includes(existing.code))).toBe(true);
    expect(namesIn(Buffer.concat(rows.map((r) => r.event)))).toEqual([]);
  });

  it('finds each demo pair (a spelling difference, dropped diacritics) when the second is recorded', async () => {
    for (const pair of DEMO_DUPLICATES) {
      const first = await cw.send('post', '/api/persons', {
        identity: pair.first,
        ...pair.categories,
      });
      expect(first.status).toBe(201);
    }
    for (const pair of DEMO_DUPLICATES) {
      const res = await cw.send('post', '/api/persons', {
        identity: pair.second,
        checkDuplicates: true,
      });
      expect({ status: res.status, code: res.body['code'] }).toEqual({
        status: 409,
        code: 'possible_duplicate',
      });
      // The first record of the pair, spelled differently.
      expect((res.body as unknown as ApiErrorBody).candidates?.length).toBe(1);
    }
  });
});
