import type {
  AuditAnomaly,
  CanaryView,
  ErasureReceipt,
  ErasureReceiptRecord,
  PersonView,
  SubjectExportErased,
} from '@harbour/domain';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { CANARY_PEOPLE, findCanaries } from '../../test/canaries';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/**
 * Who may export a person's own data or download an erasure receipt, and what each leaves in
 * the access log: coordinators only, with step-up; another organisation's person is not found;
 * lockdown refuses; one access event per file, naming no value.
 */
describe('a person’s own data: access, erasure receipts', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  let coordinator: TestUser;
  let coord: TestBrowser;
  let cw: TestBrowser;
  let outsiderUser: TestUser;
  let outsider: TestBrowser;
  const canary = CANARY_PEOPLE[1]!;
  const purpose = 'The person asked for a copy of everything held.';

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    harbour.clock.set(new Date());
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Own Data Access');
    coordinator = await h.createUser(org, { roles: ['coordinator'] });
    coord = await h.signIn(coordinator);
    cw = await h.signIn(await h.createUser(org, { roles: ['caseworker'] }));
    const otherOrg = await h.createOrganisation('Elsewhere');
    outsiderUser = await h.createUser(otherOrg, { roles: ['coordinator'] });
    outsider = await h.signIn(outsiderUser);
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  async function newPerson(): Promise<PersonView> {
    const res = await cw.send('post', '/api/persons', {
      identity: { givenName: canary.given, familyName: canary.family },
    });
    expect(res.status).toBe(201);
    const person = res.body as unknown as PersonView;
    await cw.send('post', '/api/contacts', {
      personId: person.id,
      occurredOn: harbour.clock.now().toISOString().slice(0, 10),
      channel: 'phone',
      locationType: 'online_or_phone',
      notes: `Notes about ${canary.alias}`,
    });
    return person;
  }

  const exportOf = (id: string, browser = coord, body: Record<string, unknown> = {}) =>
    browser.send('post', `/api/persons/${id}/subject-export`, {
      language: 'th',
      format: 'json',
      purpose,
      ...body,
    });

  const events = (action: string) =>
    db.asSuperuser<{
      resource_ids: string[];
      fields: string[];
      purpose: string | null;
      outcome: string;
      event: Buffer;
    }>(
      `SELECT resource_ids, fields, purpose, outcome, event FROM access_event
        WHERE action = $1 ORDER BY seq`,
      [action],
    );

  it('refuses caseworkers, coordinators without step-up, and another organisation', async () => {
    const person = await newPerson();
    const before = (await events('person.subject_exported')).length;
    const byCaseworker = await exportOf(person.id, cw);
    expect(byCaseworker.status).toBe(403);
    const noStepUp = await exportOf(person.id);
    expect(noStepUp.status).toBe(403);
    expect(noStepUp.body.code).toBe('step_up_required');
    await h.stepUp(outsider, outsiderUser);
    const crossOrg = await exportOf(person.id, outsider);
    expect(crossOrg.status).toBe(404);
    expect(JSON.stringify(crossOrg.body)).not.toContain(canary.given);
    // Every refusal is itself one access event (a 404 is a failure), and nothing was exported.
    const after = await events('person.subject_exported');
    expect(
      after
        .slice(before)
        .map((e) => e.outcome)
        .sort(),
    ).toEqual(['denied', 'denied', 'failure']);
    const receipt = await coord.send('get', `/api/persons/${person.id}/erasure-receipt`);
    expect(receipt.body.code).toBe('step_up_required');
  });

  it('refuses a purpose too short, an unknown language or format, and writes nothing', async () => {
    const person = await newPerson();
    await h.stepUp(coord, coordinator);
    const details = () =>
      db.asSuperuser<{ n: number }>(
        `SELECT count(*)::int AS n FROM reveal_detail WHERE person_id = $1`,
        [person.id],
      );
    const held = (await details())[0]!.n;
    for (const body of [{ purpose: ' too short ' }, { language: 'fr' }, { format: 'pdf' }]) {
      const res = await exportOf(person.id, coord, body);
      expect(res.status).toBe(400);
      expect(res.body.code).toBe('validation_failed');
    }
    expect((await details())[0]!.n).toBe(held);
  });

  it('writes exactly one access event per export, naming the person and sections only', async () => {
    const person = await newPerson();
    await h.stepUp(coord, coordinator);
    const before = (await events('person.subject_exported')).length;
    const res = await exportOf(person.id);
    expect(res.status).toBe(200);
    expect(res.text).toContain(canary.given);
    const after = await events('person.subject_exported');
    expect(after).toHaveLength(before + 1);
    const event = after.at(-1)!;
    expect(event.outcome).toBe('success');
    expect([...event.resource_ids].sort()).toEqual([person.code, person.id].sort());
    expect(event.fields).toEqual(
      expect.arrayContaining(['person', 'identity', 'contacts', 'givenName', 'familyName']),
    );
    expect(event.purpose).toBeNull();
    const logged = JSON.stringify(event) + event.event.toString('utf8');
    expect(findCanaries(logged)).toEqual([]);
    expect(logged).not.toContain('copy of everything');
    // The purpose is kept, sealed under the person's key: no plaintext of it anywhere.
    const sealed = await db.asSuperuser<{ detail: Buffer }>(
      `SELECT detail FROM reveal_detail WHERE person_id = $1`,
      [person.id],
    );
    expect(sealed).toHaveLength(1);
    expect(sealed[0]!.detail.toString('utf8')).not.toContain('copy of everything');
  });

  it('keeps a name typed into the purpose out of every table and every log line', async () => {
    const person = await newPerson();
    await h.stepUp(coord, coordinator);
    const typed = CANARY_PEOPLE[6]!;
    const res = await exportOf(person.id, coord, {
      purpose: `Asked by ${typed.given} ${typed.family} for a copy`,
    });
    expect(res.status).toBe(200);
    const tables = await db.asSuperuser<{ t: string }>(
      `SELECT tablename AS t FROM pg_tables WHERE schemaname = 'public'`,
    );
    for (const { t } of tables) {
      const [row] = await db.asSuperuser<{ text: string | null }>(
        `SELECT string_agg(x::text, '') AS text FROM "${t}" x`,
      );
      for (const part of [typed.given, typed.family])
        expect([t, row?.text?.includes(part) ?? false]).toEqual([t, false]);
    }
    const logs = JSON.stringify(harbour.logs);
    for (const part of [typed.given, typed.family]) expect(logs).not.toContain(part);
  });

  it('refuses during a lockdown', async () => {
    const person = await newPerson();
    await h.stepUp(coord, coordinator);
    await db.asSuperuser(`UPDATE organisation SET lockdown_at = now() WHERE id = $1`, [org]);
    try {
      const res = await exportOf(person.id);
      expect(res.status).toBe(403);
      expect(res.body.code).toBe('lockdown_active');
      expect(res.text).not.toContain(canary.given);
    } finally {
      await db.asSuperuser(`UPDATE organisation SET lockdown_at = NULL WHERE id = $1`, [org]);
    }
  });

  it('gives an erased person’s receipt only, and downloads it again the same way', async () => {
    const person = await newPerson();
    await h.stepUp(coord, coordinator);
    const erased = await coord.send('post', `/api/persons/${person.id}/erase`, {
      version: person.version,
    });
    expect(erased.status).toBe(200);
    const receipt = erased.body as unknown as ErasureReceipt;

    const res = await exportOf(person.id);
    expect(res.status).toBe(200);
    const doc = res.body as unknown as SubjectExportErased;
    expect(Object.keys(doc).sort()).toEqual(
      [
        'code',
        'erased',
        'erasure',
        'format',
        'generatedAt',
        'language',
        'personId',
        'version',
      ].sort(),
    );
    expect(doc.erasure).toEqual(receipt);
    for (const part of [canary.given, canary.family, canary.alias])
      expect(res.text).not.toContain(part);

    const before = (await events('person.erasure_receipt_downloaded')).length;
    const json = await coord.send('get', `/api/persons/${person.id}/erasure-receipt`);
    expect(json.status).toBe(200);
    expect(json.headers['content-disposition']).toBe(
      `attachment; filename="harbour-${person.code}-erasure-receipt.json"`,
    );
    expect(json.headers['cache-control']).toContain('no-store');
    expect(json.body as unknown as ErasureReceiptRecord).toEqual(receipt);
    const html = await coord.send(
      'get',
      `/api/persons/${person.id}/erasure-receipt?format=html&language=ko`,
    );
    expect(html.status).toBe(200);
    expect(html.text).toContain('<html lang="ko">');
    expect(html.text).toContain('삭제 확인서');
    expect(html.text).toContain(person.code);
    for (const part of [canary.given, canary.family, canary.alias])
      expect(html.text).not.toContain(part);
    const after = await events('person.erasure_receipt_downloaded');
    expect(after.slice(before).map((e) => e.outcome)).toEqual(['success', 'success']);
    for (const e of after.slice(before)) expect(e.resource_ids).toContain(person.code);

    // Someone not erased has no receipt; another organisation's person is not found.
    const living = await newPerson();
    expect((await coord.send('get', `/api/persons/${living.id}/erasure-receipt`)).status).toBe(404);
    await h.stepUp(outsider, outsiderUser);
    expect((await outsider.send('get', `/api/persons/${person.id}/erasure-receipt`)).status).toBe(
      404,
    );
  });

  it('raises the canary flag when a decoy person is exported', async () => {
    const admin = await h.createUser(org, { roles: ['admin'] });
    const ad = await h.signIn(admin);
    await h.stepUp(ad, admin);
    const planted = await ad.send('post', '/api/canaries', {
      identity: { givenName: 'Kanokwan', familyName: 'Srisawat' },
    });
    expect(planted.status).toBe(201);
    const decoy = planted.body as unknown as CanaryView;
    await h.stepUp(coord, coordinator);
    expect((await exportOf(decoy.personId)).status).toBe(200);
    const auditor = await h.signIn(await h.createUser(org, { roles: ['auditor'] }));
    const flags = (await auditor.send('get', '/api/audit/anomalies'))
      .body as unknown as AuditAnomaly[];
    const flag = flags.find((a) => a.kind === 'canary_access' && a.actorId === coordinator.id);
    expect(flag?.id).toContain(decoy.code);
  });

  it('answers 410 for a record merged into another', async () => {
    const survivor = await newPerson();
    const absorbed = await newPerson();
    await h.stepUp(coord, coordinator);
    const merged = await coord.send('post', `/api/persons/${survivor.id}/merge`, {
      absorbedId: absorbed.id,
      survivorVersion: survivor.version,
      absorbedVersion: absorbed.version,
    });
    expect(merged.status).toBe(200);
    const res = await exportOf(absorbed.id);
    expect(res.status).toBe(410);
    expect(res.body.code).toBe('person_merged');
  });
});
