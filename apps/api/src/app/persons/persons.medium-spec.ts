import type { HarbourCrypto } from '@harbour/crypto';
import { isPersonCode } from '@harbour/domain';
import { HARBOUR_CRYPTO } from '../../infra/crypto/crypto.module';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { CANARY_PEOPLE as CANARIES, findCanaries } from '../../test/canaries';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/** docs/design.md §3–§5 for people: codes, encrypted identity, blind-index lookup, reveal. */
describe('people', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  let otherOrg: string;
  let caseworker: TestUser;
  let coordinator: TestUser;
  let outsider: TestUser;
  let cw: TestBrowser;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('People Test Service');
    otherOrg = await h.createOrganisation('Other Service');
    caseworker = await h.createUser(org, { roles: ['caseworker'] });
    coordinator = await h.createUser(org, { roles: ['coordinator'] });
    outsider = await h.createUser(otherOrg, { roles: ['caseworker'] });
    cw = await h.signIn(caseworker);
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const create = (body: unknown, browser: TestBrowser = cw) =>
    browser.send('post', '/api/persons', body);

  it('creates a person with a pseudonymous code and answers without any identity value', async () => {
    const res = await create({
      identity: {
        givenName: 'Somchai',
        familyName: 'Jaidee',
        alias: 'Noi',
        dateOfBirth: '1990-04-12',
        sex: 'male',
        phone: '+44 7700 900123',
      },
      regionOfOrigin: 'south_eastern_asia',
      languageGroup: 'thai',
    });
    expect(res.status).toBe(201);
    expect(isPersonCode(res.body['code'])).toBe(true);
    expect(res.body).toMatchObject({
      version: 1,
      ageBand: '35_44',
      regionOfOrigin: 'south_eastern_asia',
      languageGroup: 'thai',
      hasIdentity: true,
      identityFields: ['givenName', 'familyName', 'alias', 'dateOfBirth', 'sex', 'phone'],
    });
    const text = JSON.stringify(res.body);
    for (const value of ['Somchai', 'Jaidee', 'Noi', '1990-04-12', '7700']) {
      expect(text).not.toContain(value);
    }
    const id = res.body['id'] as string;
    const [identity] = await db.asSuperuser<Record<string, Buffer | null | number | string>>(
      `SELECT * FROM person_identity WHERE person_id = $1`,
      [id],
    );
    for (const column of ['given_name', 'family_name', 'alias', 'date_of_birth', 'sex', 'phone']) {
      const value = identity![column] as Buffer;
      expect(value[0]).toBe(1);
      expect(value.toString('latin1')).not.toMatch(/Somchai|Jaidee|Noi|1990|male|7700/);
    }
    const [key] = await db.asSuperuser<{ purpose: string; subject_id: string }>(
      `SELECT purpose, subject_id FROM organisation_key WHERE key_id = $1 AND organisation_id = $2`,
      [identity!['key_id'], org],
    );
    expect(key).toEqual({ purpose: 'person_data', subject_id: id });
    const kinds = await db.asSuperuser<{ kind: string }>(
      `SELECT DISTINCT kind FROM person_index WHERE person_id = $1 ORDER BY kind`,
      [id],
    );
    expect(kinds.map((k) => k.kind)).toEqual([
      'alias',
      'name',
      'name_pair',
      'name_phonetic',
      'name_phonetic_pair',
      'phone',
      'slk',
    ]);
  });

  it('refuses plaintext in an identity column (envelope CHECK constraints)', async () => {
    const [person] = await db.asSuperuser<{ id: string }>(
      `SELECT person_id AS id FROM person_identity LIMIT 1`,
    );
    await expect(
      db.asSuperuser(
        `UPDATE person_identity SET given_name = convert_to('Somchai', 'UTF8') WHERE person_id = $1`,
        [person!.id],
      ),
    ).rejects.toThrow(/person_identity_given_name_envelope/);
  });

  it('shows a person by id without identity, and 404 to another organisation', async () => {
    const created = await create({ identity: { givenName: 'Quokka', familyName: 'Zzcanary' } });
    const id = created.body['id'] as string;
    const res = await cw.send('get', `/api/persons/${id}`);
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).not.toMatch(/Quokka|Zzcanary/);
    expect(res.body['identityFields']).toEqual(['givenName', 'familyName']);
    const other = await h.signIn(outsider);
    expect((await other.send('get', `/api/persons/${id}`)).status).toBe(404);
    expect(
      (await other.send('post', `/api/persons/${id}/reveal`, { purpose: 'referral' })).status,
    ).toBe(404);
  });

  it('reveals identity only with a purpose, and logs the fields and purpose but no values', async () => {
    const created = await create({ identity: { givenName: 'Thị Lan', familyName: 'Nguyễn' } });
    const id = created.body['id'] as string;
    expect((await cw.send('post', `/api/persons/${id}/reveal`, {})).status).toBe(400);
    const res = await cw.send('post', `/api/persons/${id}/reveal`, {
      purpose: 'legal_support',
    });
    expect(res.status).toBe(200);
    expect(res.body['identity']).toEqual({ givenName: 'Thị Lan', familyName: 'Nguyễn' });
    const [event] = await db.asSuperuser<{
      action: string;
      fields: string[];
      purpose: string;
      resource_ids: string[];
      event: Buffer;
    }>(
      `SELECT action, fields, purpose, resource_ids, event FROM access_event
        WHERE action = 'person.identity_revealed' ORDER BY seq DESC LIMIT 1`,
    );
    expect(event).toMatchObject({
      action: 'person.identity_revealed',
      fields: ['givenName', 'familyName'],
      purpose: 'legal_support',
    });
    expect(event!.resource_ids).toEqual([id, created.body['code']]);
    expect(event!.event.toString('utf8')).not.toMatch(/Lan|Nguy/);
  });

  it('updates with optimistic concurrency: a stale version is 409 and changes nothing', async () => {
    const created = await create({ identity: { givenName: 'José', familyName: "Núñez-O'Brien" } });
    const id = created.body['id'] as string;
    const first = await cw.send('patch', `/api/persons/${id}`, {
      version: 1,
      identity: { alias: 'Pepe', givenName: null },
      consentToReporting: true,
    });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      version: 2,
      consentToReporting: true,
      identityFields: ['familyName', 'alias'],
    });
    const stale = await cw.send('patch', `/api/persons/${id}`, {
      version: 1,
      identity: { alias: 'Other' },
    });
    expect(stale.status).toBe(409);
    expect(stale.body['code']).toBe('version_conflict');
    const revealed = await cw.send('post', `/api/persons/${id}/reveal`, {
      purpose: 'correction_of_details',
    });
    expect(revealed.body['identity']).toEqual({ familyName: "Núñez-O'Brien", alias: 'Pepe' });
    // The index follows the identity: the old given name no longer finds the person.
    const byOld = await cw.send('post', '/api/persons/lookup', { name: 'José' });
    expect((byOld.body as unknown as { id: string }[]).map((c) => c.id)).not.toContain(id);
    const byAlias = await cw.send('post', '/api/persons/lookup', { alias: 'pepe' });
    expect((byAlias.body as unknown as { id: string }[]).map((c) => c.id)).toContain(id);
  });

  it('refuses bad input precisely and writes nothing', async () => {
    const before = await db.asSuperuser<{ n: number }>(`SELECT count(*)::int AS n FROM person`);
    for (const body of [
      { ageBand: 'ancient' },
      { identity: { dateOfBirth: '12/04/1990' } },
      { identity: { givenName: 'Somchai', dateOfBirth: '1990-02-30' } },
      { identity: { givenName: 'Somchai', dateOfBirth: '2199-01-01' } },
      { identity: { sex: 'unknown' } },
      { identity: { givenName: 'x'.repeat(201) } },
      { identity: { givenName: 'Somchai', nationality: 'Thai' } },
      { organisationId: otherOrg },
    ]) {
      const res = await create(body);
      expect({ body, status: res.status, code: res.body['code'] }).toEqual({
        body,
        status: 400,
        code: 'validation_failed',
      });
      expect(JSON.stringify(res.body)).not.toContain('Somchai');
    }
    const after = await db.asSuperuser<{ n: number }>(`SELECT count(*)::int AS n FROM person`);
    expect(after).toEqual(before);
  });

  describe('lookup (T12)', () => {
    const ids = new Map<string, string>();

    beforeAll(async () => {
      for (const person of CANARIES) {
        const res = await create({
          identity: {
            givenName: person.given,
            familyName: person.family,
            alias: person.alias,
            dateOfBirth: '1988-02-29',
            sex: 'female',
          },
        });
        expect(res.status).toBe(201);
        ids.set(person.given, res.body['id'] as string);
      }
    });

    const lookup = async (body: unknown, browser: TestBrowser = cw) => {
      const res = await browser.send('post', '/api/persons/lookup', body);
      expect(res.status).toBe(200);
      return res.body as unknown as { id: string; code: string; matchedOn: string[] }[];
    };

    it('finds every canary person from differently cased, spaced, composed and ordered names', async () => {
      for (const person of CANARIES) {
        const id = ids.get(person.given)!;
        const variants = [
          `${person.given} ${person.family}`,
          `${person.family}   ${person.given}`.toUpperCase(),
          `  ${person.given.toLowerCase()}\t${person.family.normalize('NFD')} `,
          `${person.family.normalize('NFD')}, ${person.given.normalize('NFD')}`,
        ];
        for (const name of variants) {
          const found = await lookup({ name });
          expect({ name, found: found.some((c) => c.id === id) }).toEqual({ name, found: true });
        }
        const byAlias = await lookup({ alias: person.alias.toUpperCase() });
        expect(byAlias.some((c) => c.id === id && c.matchedOn.includes('alias'))).toBe(true);
      }
    });

    it('finds a Vietnamese name typed without diacritics', async () => {
      const found = await lookup({ name: 'nguyen thi lan' });
      expect(found.map((c) => c.id)).toContain(ids.get('Thị Lan'));
    });

    it('finds a name from any two or more of its tokens, and not from a token it lacks', async () => {
      const full = await create({
        identity: { givenName: 'Mai Anh Thu', familyName: 'Pham-Quynh' },
      });
      const short = await create({ identity: { givenName: 'Mai', familyName: 'Pham' } });
      const fullId = full.body['id'] as string;
      const shortId = short.body['id'] as string;
      const ids = async (name: string) => (await lookup({ name })).map((c) => c.id);
      expect(await ids('pham mai')).toEqual(expect.arrayContaining([fullId, shortId]));
      expect(await ids('Thu Quynh')).toContain(fullId);
      expect(await ids('Thu Quynh')).not.toContain(shortId);
      expect(await ids('Anh')).toContain(fullId);
      expect(await ids('Mai Pham Tran')).not.toContain(fullId);
      expect(await ids('Mai Pham Tran')).not.toContain(shortId);
    });

    it('finds a name with more tokens than are pair-indexed, and people indexed before pairs', async () => {
      // Nine distinct tokens: no pair rows, a `name_unpaired` marker instead.
      const long = await create({
        identity: { givenName: 'Ana Bela Cora Dina Eva', familyName: 'Faria Gomes Horta Irala' },
      });
      const longId = long.body['id'] as string;
      const kinds = await db.asSuperuser<{ kind: string }>(
        `SELECT DISTINCT kind FROM person_index WHERE person_id = $1 ORDER BY kind`,
        [longId],
      );
      expect(kinds.map((k) => k.kind)).toEqual([
        'name',
        'name_phonetic',
        'name_phonetic_pair',
        'name_unpaired',
      ]);
      const ids = async (name: string) => (await lookup({ name })).map((c) => c.id);
      expect(await ids('gomes eva')).toContain(longId);
      expect(await ids('Irala Horta Gomes Faria Eva Dina Cora Bela Ana')).toContain(longId);
      // A token the name lacks: never an exact match (at most a similar name, ADR 0010).
      const lacking = (await lookup({ name: 'gomes zzz' })).find((c) => c.id === longId);
      expect(lacking?.matchedOn ?? ['name_similar']).toEqual(['name_similar']);

      // A person indexed before pair rows existed, as the migration leaves them.
      const legacy = await create({ identity: { givenName: 'Oriel', familyName: 'Pascoe' } });
      const legacyId = legacy.body['id'] as string;
      await db.asSuperuser(
        `WITH gone AS (DELETE FROM person_index WHERE person_id = $1 AND kind = 'name_pair'
                       RETURNING organisation_id, bits)
         INSERT INTO person_index (organisation_id, kind, bits, value, person_id)
         SELECT DISTINCT organisation_id, 'name_unpaired', bits, 0, $1::uuid FROM gone`,
        [legacyId],
      );
      expect(await ids('pascoe oriel')).toContain(legacyId);
      // "Orla" is not an exact token of "Oriel": at most a similar name (ADR 0010), never `name`.
      const orla = (await lookup({ name: 'pascoe orla' })).find((c) => c.id === legacyId);
      expect(orla?.matchedOn ?? ['name_similar']).toEqual(['name_similar']);
    });

    it('uses SLK-581 with name, date of birth and sex, and ranks the double match first', async () => {
      const found = await lookup({
        name: 'Jaidee Somchai',
        dateOfBirth: '1988-02-29',
        sex: 'female',
      });
      expect(found[0]).toMatchObject({ id: ids.get('Somchai'), matchedOn: ['name', 'slk'] });
      const wrongDob = await lookup({
        name: 'Somchai Jaidee',
        dateOfBirth: '1988-03-01',
        sex: 'female',
      });
      expect(wrongDob.find((c) => c.id === ids.get('Somchai'))?.matchedOn).toEqual(['name']);
    });

    it('decrypts only the fields a lookup compares: the names for a name, the phone for a phone', async () => {
      const made = await create({
        identity: {
          givenName: 'Wanjiru',
          familyName: 'Kamau',
          alias: 'Wawa',
          dateOfBirth: '1990-05-05',
          sex: 'female',
          phone: '+61 411 222 999',
        },
      });
      expect(made.status).toBe(201);
      const id = made.body['id'] as string;
      const crypto = harbour.app.get<HarbourCrypto>(HARBOUR_CRYPTO);
      const original = crypto.decryptText.bind(crypto);
      const opened: string[] = [];
      const spy = jest.spyOn(crypto, 'decryptText').mockImplementation((key, place, ciphertext) => {
        if (place.table === 'person_identity' && place.rowId === id) opened.push(place.column);
        return original(key, place, ciphertext);
      });
      const columnsOpenedBy = async (body: object, match: string[]) => {
        opened.length = 0;
        const found = (await lookup(body)).find((c) => c.id === id);
        expect(found?.matchedOn).toEqual(match);
        return [...opened].sort();
      };
      try {
        expect(await columnsOpenedBy({ name: 'Kamau Wanjiru' }, ['name'])).toEqual([
          'family_name',
          'given_name',
        ]);
        expect(await columnsOpenedBy({ phone: '+61 411 222 999' }, ['phone'])).toEqual(['phone']);
        expect(await columnsOpenedBy({ alias: 'wawa' }, ['alias'])).toEqual(['alias']);
        // Found through two indexes: each field once.
        expect(
          await columnsOpenedBy({ name: 'Wanjiru Kamau', phone: '+61 411 222 999' }, [
            'name',
            'phone',
          ]),
        ).toEqual(['family_name', 'given_name', 'phone']);
        // SLK-581 compares the names, the date of birth and the sex; never the phone or alias.
        expect(
          await columnsOpenedBy(
            { name: 'Wanjiru Kamau', dateOfBirth: '1990-05-05', sex: 'female' },
            ['name', 'slk'],
          ),
        ).toEqual(['date_of_birth', 'family_name', 'given_name', 'sex']);
      } finally {
        spy.mockRestore();
      }
    });

    it('finds a person by their code, however it is typed', async () => {
      const person = (await cw.send('get', `/api/persons/${ids.get('Quokka')!}`)).body;
      const code = String(person['code']);
      const typed = ` ${code.toLowerCase().replace(/-/g, ' ')} `;
      const found = await lookup({ code: typed });
      expect(found).toEqual([{ id: ids.get('Quokka'), code, matchedOn: ['code'] }]);
    });

    it('asks for a name, alias, phone or code (400 with nothing to look for)', async () => {
      for (const body of [{}, { name: '   ' }, { dateOfBirth: '1988-02-29', sex: 'female' }]) {
        const res = await cw.send('post', '/api/persons/lookup', body);
        expect({ body, status: res.status, code: res.body['code'] }).toEqual({
          body,
          status: 400,
          code: 'validation_failed',
        });
      }
    });

    it('finds nothing from another organisation', async () => {
      const other = await h.signIn(outsider);
      for (const person of CANARIES) {
        expect(await lookup({ name: `${person.given} ${person.family}` }, other)).toEqual([]);
      }
    });

    it('logs a lookup with the candidates’ codes and never the search terms', async () => {
      await lookup({ name: 'Quokka Zzcanary' });
      const [event] = await db.asSuperuser<{ event: Buffer; resource_ids: string[] }>(
        `SELECT event, resource_ids FROM access_event WHERE action = 'person.looked_up'
          ORDER BY seq DESC LIMIT 1`,
      );
      expect(event!.resource_ids.length).toBeGreaterThan(0);
      expect(event!.event.toString('utf8')).not.toMatch(/Quokka|Zzcanary/i);
    });

    it('keeps every canary name out of the person tables, the keyring, the access log and the API logs', async () => {
      // Values only (no column names): text as stored, bytea as hex.
      const [dump] = await db.asSuperuser<{ text: string }>(
        `SELECT concat_ws(E'\\n',
           (SELECT string_agg(concat_ws(' ', code, age_band, region_of_origin, language_group,
                                        gender_identity), E'\\n') FROM person),
           (SELECT string_agg(concat_ws(' ', encode(given_name, 'hex'), encode(family_name, 'hex'),
                                        encode(alias, 'hex'), encode(date_of_birth, 'hex'),
                                        encode(sex, 'hex'), encode(phone, 'hex')), E'\\n')
              FROM person_identity),
           (SELECT string_agg(concat_ws(' ', kind, value), E'\\n') FROM person_index),
           (SELECT string_agg(concat_ws(' ', purpose, status), E'\\n') FROM organisation_key),
           (SELECT string_agg(convert_from(event, 'UTF8'), E'\\n') FROM access_event)) AS text`,
      );
      const [keyring] = await db.asKeyring<{ text: string }>(
        `SELECT string_agg(concat_ws(' ', purpose, wrapped_by, encode(wrapped, 'hex')), E'\\n') AS text
           FROM key_material`,
      );
      expect(dump!.text.length).toBeGreaterThan(1000);
      expect(keyring!.text.length).toBeGreaterThan(1000);
      expect(findCanaries(dump!.text)).toEqual([]);
      expect(findCanaries(keyring!.text)).toEqual([]);
      expect(findCanaries(harbour.rawLogs())).toEqual([]);
    });
  });

  it('refuses to reveal an identity whose ciphertext was copied from another person: generic error, security event, no plaintext', async () => {
    const a = await create({ identity: { givenName: 'Quokka', familyName: 'Zzcanary' } });
    const b = await create({ identity: { givenName: 'Somchai', familyName: 'Jaidee' } });
    const aId = a.body['id'] as string;
    const bId = b.body['id'] as string;
    await db.asSuperuser(
      `UPDATE person_identity SET given_name = (SELECT given_name FROM person_identity WHERE person_id = $1)
        WHERE person_id = $2`,
      [aId, bId],
    );
    const res = await cw.send('post', `/api/persons/${bId}/reveal`, { purpose: 'safety_check' });
    expect(res.status).toBe(500);
    expect(res.body['code']).toBe('internal_error');
    expect(JSON.stringify(res.body)).not.toMatch(/Quokka|Somchai|Jaidee/);
    const events = await db.asSuperuser<{
      action: string;
      outcome: string;
      resource_ids: string[];
    }>(
      `SELECT action, outcome, resource_ids FROM access_event
        WHERE request_id = $1 ORDER BY seq`,
      [res.headers['x-correlation-id']],
    );
    expect(events).toEqual([
      {
        action: 'person.identity_revealed',
        outcome: 'failure',
        resource_ids: [bId, b.body['code']],
      },
      { action: 'security.integrity_failure', outcome: 'failure', resource_ids: [bId] },
    ]);
    // The same copy of the key id (another person's key) fails the same way.
    await db.asSuperuser(
      `UPDATE person_identity SET key_id = (SELECT key_id FROM person_identity WHERE person_id = $1)
        WHERE person_id = $2`,
      [aId, bId],
    );
    const again = await cw.send('post', `/api/persons/${bId}/reveal`, {
      purpose: 'safety_check',
    });
    expect(again.status).toBe(500);
  });

  it('lets a coordinator create a person without any identity', async () => {
    const coord = await h.signIn(coordinator);
    const created = await create({ ageBand: '25_34' }, coord);
    expect(created.status).toBe(201);
    expect(created.body['hasIdentity']).toBe(false);
  });
});
