import type { ContactDetail, MergeReceipt, PartnerView, PersonView } from '@harbour/domain';
import { PERSON_REFERENCES } from '../../data/persons/person-merge.repository';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { CANARY_PEOPLE, canaryForms } from '../../test/canaries';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { AuditVerifier } from '../audit/audit-verifier.service';

/**
 * Merging two records of the same person (issue 17): everything moves to the survivor, values
 * under the absorbed person's key are re-encrypted, the absorbed key is shredded, and nothing
 * readable of the absorbed identity is left — or, when anything fails, nothing changes.
 */
describe('merging two people', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  let coordinator: TestUser;
  let coord: TestBrowser;
  let cw: TestBrowser;
  let caseworker: TestUser;
  let other: TestBrowser;
  let partner: PartnerView;
  const kept = CANARY_PEOPLE[7]!;
  const gone = CANARY_PEOPLE[6]!;
  /** The two people's names found in `haystack`, in any form the canary fixture lists. */
  const namesIn = (haystack: string | Buffer): string[] => {
    const buffer = typeof haystack === 'string' ? Buffer.from(haystack, 'utf8') : haystack;
    return [kept, gone]
      .flatMap((p) => [p.given, p.family, p.alias])
      .filter((v) => canaryForms(v).some((form) => buffer.includes(form)));
  };
  const NOTE = 'Asked about the clinic on Friday.';
  const DETAIL = 'Checking the spelling with the person.';
  const AMENDED_NOTE = 'Asked about the clinic on Thursday.';
  const FOLLOW_UP = 'Call back about the clinic appointment.';

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Merge Test Service');
    const otherOrg = await h.createOrganisation('Other Service');
    coordinator = await h.createUser(org, { roles: ['coordinator'] });
    coord = await h.signIn(coordinator);
    caseworker = await h.createUser(org, { roles: ['caseworker'] });
    cw = await h.signIn(caseworker);
    const admin = await h.signIn(await h.createUser(org, { roles: ['admin'] }));
    partner = (
      await admin.send('post', '/api/partners', { name: 'Clinic', serviceType: 'sexual_health' })
    ).body as unknown as PartnerView;
    const outsider = await h.createUser(otherOrg, { roles: ['coordinator'] });
    other = await h.signIn(outsider);
    await h.stepUp(other, outsider);
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const person = async (identity: Record<string, string>): Promise<PersonView> => {
    const res = await cw.send('post', '/api/persons', { identity });
    expect(res.status).toBe(201);
    return res.body as unknown as PersonView;
  };

  /** A survivor, and an absorbed record with a contact (notes), a need, a referral with an
   * override reason, two consents (one clashing) and a reveal with words kept. */
  async function twoRecords(n: number) {
    const survivor = await person({
      givenName: kept.given,
      familyName: kept.family,
      dateOfBirth: `1990-0${n}-11`,
      sex: 'female',
    });
    const absorbed = await person({
      givenName: gone.given,
      familyName: gone.family,
      alias: gone.alias,
      phone: `+61 400 000 00${n}`,
    });
    const contact = await cw.send('post', '/api/contacts', {
      personId: absorbed.id,
      occurredOn: '2026-01-16',
      channel: 'phone',
      locationType: 'online_or_phone',
      notes: NOTE,
    });
    expect(contact.status).toBe(201);
    const need = await cw.send('post', '/api/needs', {
      personId: absorbed.id,
      category: 'sexual_health',
    });
    expect(need.status).toBe(201);
    const referral = await cw.send('post', '/api/referrals', {
      needId: need.body['id'],
      partnerId: partner.id,
    });
    expect(referral.status).toBe(201);
    const overridden = await coord.send(
      'post',
      `/api/referrals/${referral.body['id'] as string}/transitions`,
      { version: referral.body['version'], to: 'consented', overrideReason: 'Urgent, at court.' },
    );
    expect(overridden.status).toBe(200);
    for (const [who, purpose] of [
      [absorbed.id, 'contact_by_phone'],
      [absorbed.id, 'referral_sharing'],
      [survivor.id, 'referral_sharing'],
    ] as const) {
      const res = await cw.send('post', `/api/persons/${who}/consents`, {
        purpose,
        method: 'verbal',
      });
      expect(res.status).toBe(201);
    }
    const revealed = await cw.send('post', `/api/persons/${absorbed.id}/reveal`, {
      purpose: 'correction_of_details',
      detail: DETAIL,
    });
    expect(revealed.status).toBe(200);
    const fresh = async (id: string) =>
      (await cw.send('get', `/api/persons/${id}`)).body as unknown as PersonView;
    return {
      survivor: await fresh(survivor.id),
      absorbed: await fresh(absorbed.id),
      contactId: contact.body['id'] as string,
      referralId: referral.body['id'] as string,
    };
  }

  const merge = (
    survivor: PersonView,
    absorbed: PersonView,
    extra: Record<string, unknown> = {},
    browser = coord,
  ) =>
    browser.send('post', `/api/persons/${survivor.id}/merge`, {
      absorbedId: absorbed.id,
      survivorVersion: survivor.version,
      absorbedVersion: absorbed.version,
      ...extra,
    });

  const rowsOf = (personId: string) =>
    db.asSuperuser<{ t: string; n: number }>(
      PERSON_REFERENCES.map(
        (r) =>
          `SELECT '${r.table}' AS t, count(*)::int AS n FROM "${r.table}" WHERE "${r.column}" = $1`,
      ).join(' UNION ALL '),
      [personId],
    );

  const keyMaterial = async (personId: string) =>
    (
      await db.asKeyring<{ n: number }>(
        `SELECT count(*)::int AS n FROM key_material WHERE subject_id = $1`,
        [personId],
      )
    )[0]!.n;

  it('refuses precisely: caseworker, no step-up, same person, other organisation, stale version', async () => {
    const { survivor, absorbed } = await twoRecords(1);
    const before = await rowsOf(absorbed.id);
    type Answer = Promise<{ status: number; body: Record<string, unknown> }>;
    const refused = async (p: Answer, status: number, code: string) => {
      const res = await p;
      expect({ status: res.status, code: res.body['code'] }).toEqual({ status, code });
    };
    await refused(merge(survivor, absorbed, {}, cw), 403, 'forbidden');
    await refused(merge(survivor, absorbed), 403, 'step_up_required');
    await h.stepUp(coord, coordinator);
    await refused(merge(survivor, survivor), 422, 'merge_same_person');
    await refused(merge(survivor, absorbed, {}, other), 404, 'not_found');
    await refused(merge(survivor, absorbed, { absorbedVersion: 99 }), 409, 'version_conflict');
    const both = { identity: { givenName: 'both' } };
    await refused(merge(survivor, absorbed, both), 400, 'validation_failed');
    expect(await rowsOf(absorbed.id)).toEqual(before);
    expect(await keyMaterial(absorbed.id)).toBe(1);
  });

  it('refuses an erased person with person_erased', async () => {
    const { survivor, absorbed } = await twoRecords(2);
    await h.stepUp(coord, coordinator);
    const erased = await coord.send('post', `/api/persons/${absorbed.id}/erase`, {
      version: absorbed.version,
    });
    expect(erased.status).toBe(200);
    const after = (await cw.send('get', `/api/persons/${absorbed.id}`))
      .body as unknown as PersonView;
    const res = await merge(survivor, after);
    expect({ status: res.status, code: res.body['code'] }).toEqual({
      status: 409,
      code: 'person_erased',
    });
  });

  it('moves everything to the survivor, re-encrypted under its key, and shreds the absorbed key', async () => {
    const records = await twoRecords(3);
    const { contactId, referralId } = records;
    // The later parts of a person's record: a correction of the contact (reason and notes under
    // the absorbed key), a follow-up (text under it), a check-in, and the same key worker on
    // both records; and the absorbed record is restricted.
    const day = (days: number) =>
      new Date(harbour.clock.now().getTime() + days * 86_400_000).toISOString().slice(0, 10);
    const today = day(0);
    const created = async (p: Promise<{ status: number }>, status = 201) =>
      expect((await p).status).toBe(status);
    const absorbedId = records.absorbed.id;
    await created(
      cw.send('post', `/api/contacts/${contactId}/amendments`, {
        reason: 'The clinic day was wrong in the first note.',
        notes: AMENDED_NOTE,
      }),
    );
    await created(
      cw.send('post', '/api/follow-ups', { personId: absorbedId, text: FOLLOW_UP, dueOn: day(7) }),
    );
    await created(
      cw.send('post', `/api/persons/${absorbedId}/check-ins`, {
        checkedOn: today,
        ratings: { safety: 2, housing: 3 },
      }),
    );
    for (const p of [records.survivor.id, absorbedId])
      await created(
        cw.send('post', `/api/persons/${p}/key-workers`, { staffId: caseworker.id }),
        200,
      );
    const version = (await cw.send('get', `/api/persons/${absorbedId}`)).body['version'];
    await created(
      coord.send('post', `/api/persons/${absorbedId}/restriction`, { restricted: true, version }),
      200,
    );
    const fresh = async (id: string) =>
      (await cw.send('get', `/api/persons/${id}`)).body as unknown as PersonView;
    const survivor = await fresh(records.survivor.id);
    const absorbed = await fresh(records.absorbed.id);
    const moving = (await rowsOf(absorbed.id)).reduce((a, r) => a + r.n, 0);
    const staying = (await rowsOf(survivor.id)).reduce((a, r) => a + r.n, 0);
    await h.stepUp(coord, coordinator);
    const res = await merge(survivor, absorbed, {
      identity: { phone: 'absorbed', givenName: 'survivor' },
      categories: { consentToReporting: 'survivor' },
    });
    expect(res.status).toBe(200);
    const receipt = res.body as unknown as MergeReceipt;
    expect(receipt).toMatchObject({
      absorbedId: absorbed.id,
      absorbedCode: absorbed.code,
      keysDestroyed: 1,
      // the note, the override reason, the words kept with the reveal, the amendment's reason
      // and notes, the follow-up's text
      reencrypted: 6,
      identityFields: ['alias', 'phone'],
    });
    expect(namesIn(JSON.stringify(receipt))).toEqual([]);

    // Every row is the survivor's now (one clashing consent closed, not lost; the key worker both
    // records had is listed once).
    expect((await rowsOf(absorbed.id)).every((r) => r.n === 0)).toBe(true);
    expect((await rowsOf(survivor.id)).reduce((a, r) => a + r.n, 0)).toBe(moving + staying - 1);
    // A restriction of either record stays with the merged person.
    expect((await fresh(survivor.id)).restricted).toBe(true);
    // The correction, the follow-up and the check-in read back through the survivor.
    const corrected = (await cw.send('get', `/api/contacts/${contactId}`))
      .body as unknown as ContactDetail;
    expect(corrected.notes).toBe(AMENDED_NOTE);
    const followUps = await cw.send('get', `/api/follow-ups?person=${survivor.id}`);
    expect(JSON.stringify(followUps.body)).toContain(FOLLOW_UP);
    const checkIns = await cw.send('get', `/api/persons/${survivor.id}/check-ins`);
    expect(JSON.stringify(checkIns.body)).toContain(today);
    const inForce = await db.asSuperuser<{ purpose: string }>(
      `SELECT purpose FROM consent WHERE person_id = $1 AND revoked_at IS NULL ORDER BY purpose`,
      [survivor.id],
    );
    expect(inForce.map((r) => r.purpose)).toEqual(['contact_by_phone', 'referral_sharing']);

    // The contact written under the absorbed key reads back through the survivor.
    expect(corrected.personId).toBe(survivor.id);
    // Every sealed value that moved is under the survivor's key now.
    const keys = await db.asSuperuser<{ k: number }>(
      `SELECT ciphertext_key_id(notes) AS k FROM contact WHERE id = $1
       UNION ALL SELECT ciphertext_key_id(override_reason) FROM referral WHERE id = $2
       UNION ALL SELECT ciphertext_key_id(detail) FROM reveal_detail WHERE person_id = $3`,
      [contactId, referralId, survivor.id],
    );
    const survivorKeys = await db.asSuperuser<{ key_id: number }>(
      `SELECT key_id FROM organisation_key WHERE subject_id = $1 AND status = 'active'`,
      [survivor.id],
    );
    expect(survivorKeys).toHaveLength(1);
    expect(keys.map((r) => Number(r.k))).toEqual([
      survivorKeys[0]!.key_id,
      survivorKeys[0]!.key_id,
      survivorKeys[0]!.key_id,
    ]);

    // The absorbed key is gone from the keyring database, and marked destroyed.
    expect(await keyMaterial(absorbed.id)).toBe(0);
    const [state] = await db.asSuperuser<{ identity: number; index: number; live: number }>(
      `SELECT (SELECT count(*)::int FROM person_identity WHERE person_id = $1) AS identity,
              (SELECT count(*)::int FROM person_index WHERE person_id = $1) AS index,
              (SELECT count(*)::int FROM organisation_key
                WHERE subject_id = $1 AND status <> 'destroyed') AS live`,
      [absorbed.id],
    );
    expect(state).toEqual({ identity: 0, index: 0, live: 0 });

    // The identity chosen field by field is the survivor's, and found by lookup.
    const revealed = await cw.send('post', `/api/persons/${survivor.id}/reveal`, {
      purpose: 'other',
    });
    expect(revealed.body['identity']).toEqual({
      givenName: kept.given,
      familyName: kept.family,
      dateOfBirth: '1990-03-11',
      sex: 'female',
      alias: gone.alias, // the survivor had none: kept from the absorbed record
      phone: '+61 400 000 003',
    });
    const byPhone = await cw.send('post', '/api/persons/lookup', { phone: '+61 400 000 003' });
    expect((byPhone.body as unknown as { id: string }[]).map((c) => c.id)).toEqual([survivor.id]);
    // The absorbed name was not chosen: a lookup by it finds neither record (only the
    // unmerged records of the other tests, which carry the same name).
    const byName = await cw.send('post', '/api/persons/lookup', {
      name: `${gone.given} ${gone.family}`,
    });
    const ids = (byName.body as unknown as { id: string }[]).map((c) => c.id);
    expect(ids).not.toContain(absorbed.id);
    expect(ids).not.toContain(survivor.id);

    // Old links answer with a pointer; the merged record can no longer change or be read.
    const old = (await cw.send('get', `/api/persons/${absorbed.id}`)).body as unknown as PersonView;
    expect(old).toMatchObject({
      mergedInto: { id: survivor.id, code: survivor.code },
      hasIdentity: false,
      identityFields: [],
    });
    const reveal = await cw.send('post', `/api/persons/${absorbed.id}/reveal`, {
      purpose: 'other',
    });
    expect({ status: reveal.status, code: reveal.body['code'] }).toEqual({
      status: 410,
      code: 'person_merged',
    });
    const patch = await cw.send('patch', `/api/persons/${absorbed.id}`, {
      version: old.version,
      ageBand: '25_34',
    });
    expect({ status: patch.status, code: patch.body['code'] }).toEqual({
      status: 410,
      code: 'person_merged',
    });
    const logged = await cw.send('post', '/api/contacts', {
      personId: absorbed.id,
      occurredOn: '2026-01-17',
      channel: 'phone',
      locationType: 'online_or_phone',
      notes: 'x',
    });
    expect(logged.status).toBe(400);
    const current = (await cw.send('get', `/api/persons/${survivor.id}`))
      .body as unknown as PersonView;
    const again = await merge(current, old);
    expect({ status: again.status, code: again.body['code'] }).toEqual({
      status: 410,
      code: 'person_merged',
    });
  });

  it('writes exactly one merge event naming both codes, and the log verifies', async () => {
    const rows = await db.asSuperuser<{
      resource_ids: string[];
      outcome: string;
      event: Buffer;
    }>(
      `SELECT resource_ids, outcome, event FROM access_event
        WHERE action = 'person.merged' AND outcome = 'success' ORDER BY seq`,
    );
    expect(rows).toHaveLength(1);
    const [merged] = await db.asSuperuser<{ survivor: string; absorbed: string }>(
      `SELECT s.code AS survivor, m.absorbed_code AS absorbed FROM person_merge m
         JOIN person s ON s.organisation_id = m.organisation_id AND s.id = m.survivor_id`,
    );
    expect(rows[0]!.resource_ids).toEqual(
      expect.arrayContaining([merged!.survivor, merged!.absorbed]),
    );
    const all = await db.asSuperuser<{ event: Buffer }>(`SELECT event FROM access_event`);
    expect(namesIn(Buffer.concat(all.map((r) => r.event)))).toEqual([]);
    expect(await harbour.app.get(AuditVerifier).verify(org)).toMatchObject({ status: 'verified' });
  });

  it('leaves no canary name in either database (every table, as text)', async () => {
    const dump = async (run: TestDatabase['asSuperuser']) => {
      const tables = await run<{ t: string }>(
        `SELECT quote_ident(table_name) AS t FROM information_schema.tables
          WHERE table_schema = 'public' AND table_type = 'BASE TABLE'`,
      );
      const parts: string[] = [];
      for (const { t } of tables) {
        const rows = await run<{ r: string }>(`SELECT x::text AS r FROM ${t} x`);
        parts.push(...rows.map((r) => r.r));
      }
      return parts.join('\n');
    };
    const data = await dump((sql, params) => db.asSuperuser(sql, params));
    const keyring = await dump((sql, params) => db.asKeyring(sql, params));
    expect(data.length).toBeGreaterThan(0);
    expect(namesIn(data)).toEqual([]);
    expect(namesIn(keyring)).toEqual([]);
  });

  it('leaves both people intact when a step fails midway', async () => {
    const { survivor, absorbed, contactId } = await twoRecords(4);
    const before = { survivor: await rowsOf(survivor.id), absorbed: await rowsOf(absorbed.id) };
    // A failure after the rows moved and the values were re-encrypted, before the key goes.
    await db.asSuperuser(`
      CREATE FUNCTION merge_test_fail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN RAISE EXCEPTION 'injected failure'; END $$`);
    await db.asSuperuser(
      `CREATE TRIGGER merge_test_fail BEFORE INSERT ON person_merge
         FOR EACH ROW EXECUTE FUNCTION merge_test_fail()`,
    );
    try {
      await h.stepUp(coord, coordinator);
      const res = await merge(survivor, absorbed, { identity: { givenName: 'absorbed' } });
      expect({ status: res.status, code: res.body['code'] }).toEqual({
        status: 500,
        code: 'internal_error',
      });
      // It was the injected failure (raise_exception), not another fault.
      const errors = harbour.logs.filter((l) => l['msg'] === 'unhandled error');
      expect((errors.at(-1)?.['err'] as { code?: string }).code).toBe('P0001');
    } finally {
      await db.asSuperuser(`DROP TRIGGER merge_test_fail ON person_merge`);
      await db.asSuperuser(`DROP FUNCTION merge_test_fail()`);
    }
    expect({ survivor: await rowsOf(survivor.id), absorbed: await rowsOf(absorbed.id) }).toEqual(
      before,
    );
    expect(await keyMaterial(absorbed.id)).toBe(1);
    const contact = (await cw.send('get', `/api/contacts/${contactId}`))
      .body as unknown as ContactDetail;
    expect(contact).toMatchObject({ notes: NOTE, personId: absorbed.id });
    for (const [p, given] of [
      [absorbed, gone.given],
      [survivor, kept.given],
    ] as const) {
      const revealed = await cw.send('post', `/api/persons/${p.id}/reveal`, { purpose: 'other' });
      expect((revealed.body['identity'] as { givenName: string }).givenName).toBe(given);
      const view = (await cw.send('get', `/api/persons/${p.id}`)).body as unknown as PersonView;
      expect(view).toMatchObject({ version: p.version, mergedInto: null, erasedAt: null });
    }
    // The failed attempt is on the record as a failure; no merge succeeded for this pair.
    const events = await db.asSuperuser<{ outcome: string }>(
      `SELECT outcome FROM access_event WHERE action = 'person.merged' AND $1 = ANY(resource_ids)`,
      [absorbed.code],
    );
    expect(events.map((e) => e.outcome)).toEqual(['failure']);
  });

  it('never lets a contact logged during the merge land on the merged record', async () => {
    const { survivor, absorbed } = await twoRecords(5);
    // The merge holds both people locked for a moment before it commits (a slow step).
    await db.asSuperuser(`
      CREATE FUNCTION merge_test_slow() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN PERFORM pg_sleep(1.5); RETURN NEW; END $$`);
    await db.asSuperuser(
      `CREATE TRIGGER merge_test_slow BEFORE INSERT ON person_merge
         FOR EACH ROW EXECUTE FUNCTION merge_test_slow()`,
    );
    try {
      await h.stepUp(coord, coordinator);
      const merging = merge(survivor, absorbed);
      await new Promise((resolve) => setTimeout(resolve, 600));
      // This instance knows the absorbed person's key: the write is one statement.
      const logging = cw.send('post', '/api/contacts', {
        personId: absorbed.id,
        occurredOn: '2026-01-18',
        channel: 'phone',
        locationType: 'online_or_phone',
        notes: NOTE,
      });
      const [merged, logged] = await Promise.all([merging, logging]);
      expect(merged.status).toBe(200);
      expect(logged.status).toBe(400);
      expect(logged.body['fields']).toEqual([{ path: 'personId', reason: 'erased' }]);
    } finally {
      await db.asSuperuser(`DROP TRIGGER merge_test_slow ON person_merge`);
      await db.asSuperuser(`DROP FUNCTION merge_test_slow()`);
    }
    expect((await rowsOf(absorbed.id)).every((r) => r.n === 0)).toBe(true);
  });
});
