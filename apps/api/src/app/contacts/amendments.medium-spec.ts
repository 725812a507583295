import type { AccessEventPage, ContactDetail, ContactPage, ContactView } from '@harbour/domain';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { checkSealedFields } from '../../core/keyring/field-check';
import { KeyringService } from '../../core/keyring/keyring.service';
import { Db } from '../../infra/database/transaction';
import { CIPHERTEXT_MIN_BYTES, findCanaries } from '../../test/canaries';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/**
 * Corrections without losing history (issue 17): a contact is amended by an appended row with a
 * reason; the contact row keeps its original bytes; readers see the corrected notes and who
 * amended it, when, why and which fields; the access log names the contact and the fields only.
 */
describe('contact amendments', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  let caseworker: TestUser;
  let cw: TestBrowser;
  let other: TestBrowser;
  let auditor: TestBrowser;
  let coordinator: TestUser;
  let person: string;

  const ORIGINAL = 'Met Somchai Jaidee at the clinic; wants a lawyer.';
  const CORRECTED = 'Met Somchai Jaidee at the drop-in; wants a housing adviser.';
  const REASON = 'Notes were about the wrong visit of Somchai Jaidee.';

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    harbour.clock.set(new Date('2026-03-10T12:00:00Z'));
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Amendments Service');
    const otherOrg = await h.createOrganisation('Other Service');
    caseworker = await h.createUser(org, { roles: ['caseworker'] });
    coordinator = await h.createUser(org, { roles: ['coordinator'] });
    cw = await h.signIn(caseworker);
    other = await h.signIn(await h.createUser(otherOrg, { roles: ['caseworker'] }));
    auditor = await h.signIn(await h.createUser(org, { roles: ['auditor'] }));
    person = (await cw.send('post', '/api/persons', { ageBand: '25_34' })).body['id'] as string;
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const logContact = async (body: Record<string, unknown>) => {
    const res = await cw.send('post', '/api/contacts', {
      channel: 'in_person',
      locationType: 'drop_in_centre',
      occurredOn: '2026-03-09',
      ...body,
    });
    expect(res.status).toBe(201);
    return res.body as unknown as ContactView;
  };
  const amend = (id: string, body: unknown, browser = cw) =>
    browser.send('post', `/api/contacts/${id}/amendments`, body);
  const amendmentCount = async () =>
    Number(
      (await db.asSuperuser<{ n: string }>(`SELECT count(*) AS n FROM contact_amendment`))[0]!.n,
    );

  it('appends an amendment: the original bytes stay, readers see the correction and its reason', async () => {
    const contact = await logContact({ personId: person, notes: ORIGINAL });
    const [before] = await db.asSuperuser<{ row: string }>(
      `SELECT to_jsonb(c)::text AS row FROM contact c WHERE id = $1`,
      [contact.id],
    );

    const res = await amend(contact.id, { reason: REASON, notes: CORRECTED });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ id: contact.id, amended: true, hasNotes: true });
    expect(JSON.stringify(res.body)).not.toContain('Somchai');

    // The contact row is untouched, byte for byte (notes, version, everything).
    const [after] = await db.asSuperuser<{ row: string }>(
      `SELECT to_jsonb(c)::text AS row FROM contact c WHERE id = $1`,
      [contact.id],
    );
    expect(after!.row).toBe(before!.row);

    // Reason and corrected notes are sealed under the person's own key, no plaintext at rest.
    const [row] = await db.asSuperuser<{
      reason: Buffer;
      notes: Buffer;
      fields: string[];
      person_key: number;
    }>(
      `SELECT a.reason, a.notes, a.fields,
              (SELECT key_id FROM organisation_key WHERE subject_id = $2) AS person_key
         FROM contact_amendment a WHERE a.contact_id = $1`,
      [contact.id, person],
    );
    expect(row!.fields).toEqual(['notes']);
    for (const sealed of [row!.reason, row!.notes]) {
      expect(sealed[0]).toBe(1);
      expect(sealed.readUInt32BE(2)).toBe(row!.person_key);
      expect(findCanaries(sealed, CIPHERTEXT_MIN_BYTES)).toEqual([]);
      expect(sealed.toString('latin1')).not.toContain('wrong visit');
    }

    const opened = (await cw.send('get', `/api/contacts/${contact.id}`))
      .body as unknown as ContactDetail;
    expect(opened.notes).toBe(CORRECTED);
    expect(opened.amended).toBe(true);
    expect(opened.amendments).toEqual([
      {
        id: expect.any(String),
        createdBy: caseworker.id,
        createdAt: expect.any(String),
        fields: ['notes'],
        reason: REASON,
      },
    ]);
    const [viewed] = await db.asSuperuser<{ fields: string[] }>(
      `SELECT fields FROM access_event WHERE action = 'contact.viewed' ORDER BY seq DESC LIMIT 1`,
    );
    expect(viewed!.fields).toEqual(['notes', 'amendment.reason']);

    const list = (await cw.send('get', `/api/contacts?person=${person}`))
      .body as unknown as ContactPage;
    expect(list.items.find((c) => c.id === contact.id)).toMatchObject({ amended: true });
  });

  it('shows the auditor contact.amended with the contact id and the fields, never the words', async () => {
    const contact = await logContact({ personId: person, notes: ORIGINAL });
    expect((await amend(contact.id, { reason: REASON, notes: CORRECTED })).status).toBe(201);
    const page = (await auditor.send('get', '/api/audit/events?action=contact.amended'))
      .body as unknown as AccessEventPage;
    const event = page.events.find((e) => e.resourceIds.includes(contact.id));
    expect(event).toMatchObject({
      action: 'contact.amended',
      resourceType: 'contact',
      outcome: 'success',
      actorId: caseworker.id,
    });
    expect([...event!.fields].sort()).toEqual(['amendment.reason', 'notes']);
    expect(event!.resourceIds).toContain(contact.id);
    const text = JSON.stringify(page);
    expect(text).not.toContain('Somchai');
    expect(text).not.toContain('wrong visit');
    expect(findCanaries(Buffer.from(text))).toEqual([]);
    // And the auditor cannot read the amendment itself (case content).
    expect((await auditor.send('get', `/api/contacts/${contact.id}`)).status).toBe(403);
  });

  it('withdraws notes with null, keeps every amendment in order, and the last one wins', async () => {
    const contact = await logContact({ personId: person, notes: ORIGINAL });
    expect((await amend(contact.id, { reason: 'Wrong person entirely', notes: null })).status).toBe(
      201,
    );
    let opened = (await cw.send('get', `/api/contacts/${contact.id}`))
      .body as unknown as ContactDetail;
    expect(opened).toMatchObject({ notes: null, hasNotes: false, amended: true });
    expect(
      (await amend(contact.id, { reason: 'Restored after checking', notes: 'Right words.' }))
        .status,
    ).toBe(201);
    opened = (await cw.send('get', `/api/contacts/${contact.id}`)).body as unknown as ContactDetail;
    expect(opened.notes).toBe('Right words.');
    expect(opened.amendments.map((a) => a.reason)).toEqual([
      'Wrong person entirely',
      'Restored after checking',
    ]);
  });

  it('refuses bad input with a precise code and writes nothing', async () => {
    const contact = await logContact({ personId: person, notes: ORIGINAL });
    const anonymous = await logContact({ notes: 'Anonymous visit.' });
    const count = await amendmentCount();
    const cases: [string, unknown, number, string][] = [
      [contact.id, { reason: 'too short', notes: 'x' }, 400, 'validation_failed'],
      [contact.id, { reason: '      short       ', notes: 'x' }, 400, 'validation_failed'],
      [contact.id, { notes: 'x' }, 400, 'validation_failed'],
      [contact.id, { reason: REASON }, 400, 'validation_failed'],
      [contact.id, { reason: REASON, notes: 'x'.repeat(4_001) }, 400, 'validation_failed'],
      [
        contact.id,
        { reason: REASON, notes: 'x', occurredOn: '2026-01-01' },
        400,
        'validation_failed',
      ],
      [anonymous.id, { reason: REASON, notes: 'x' }, 409, 'contact_not_amendable'],
      ['00000000-0000-7000-8000-000000000000', { reason: REASON, notes: 'x' }, 404, 'not_found'],
    ];
    for (const [id, body, status, code] of cases) {
      const res = await amend(id, body);
      expect({ body, status: res.status, code: res.body['code'] }).toEqual({ body, status, code });
    }
    // Another organisation's contact looks like no contact at all.
    const res = await amend(contact.id, { reason: REASON, notes: 'x' }, other);
    expect([res.status, res.body['code']]).toEqual([404, 'not_found']);
    expect(await amendmentCount()).toBe(count);
  });

  it('shreds amendments with the person: after erasure they are refused and read as null', async () => {
    const erased = (await cw.send('post', '/api/persons', {})).body as { id: string };
    const contact = await logContact({ personId: erased.id, notes: ORIGINAL });
    expect((await amend(contact.id, { reason: REASON, notes: CORRECTED })).status).toBe(201);
    const coord = await h.signIn(coordinator);
    await h.stepUp(coord, coordinator);
    const person = (await coord.send('get', `/api/persons/${erased.id}`)).body as {
      version: number;
    };
    expect(
      (await coord.send('post', `/api/persons/${erased.id}/erase`, { version: person.version }))
        .status,
    ).toBe(200);
    const count = await amendmentCount();
    const res = await amend(contact.id, { reason: REASON, notes: 'again' });
    expect([res.status, res.body['code']]).toEqual([409, 'conflict']);
    expect(await amendmentCount()).toBe(count);
    const opened = (await cw.send('get', `/api/contacts/${contact.id}`))
      .body as unknown as ContactDetail;
    expect(opened.notes).toBeNull();
    expect(opened.amendments.map((a) => a.reason)).toEqual([null]);
  });

  it('keeps amendments append-only: the API role can neither rewrite nor delete one', async () => {
    const contact = await logContact({ personId: person, notes: ORIGINAL });
    expect((await amend(contact.id, { reason: REASON, notes: CORRECTED })).status).toBe(201);
    const tenant = `SELECT set_config('app.org_id', '${org}', false)`;
    await expect(
      db.asApp(
        `${tenant}; UPDATE contact_amendment SET notes = NULL WHERE contact_id = '${contact.id}'`,
      ),
    ).rejects.toThrow(/permission denied/);
    await expect(
      db.asApp(`${tenant}; DELETE FROM contact_amendment WHERE contact_id = '${contact.id}'`),
    ).rejects.toThrow(/permission denied/);
    const [row] = await db.asSuperuser<{ n: string }>(
      `SELECT count(*) AS n FROM contact_amendment WHERE contact_id = $1 AND notes IS NOT NULL`,
      [contact.id],
    );
    expect(row!.n).toBe('1');
  });

  it('opens every amendment with its binding in the sealed-field check (a restore proves them)', async () => {
    const contact = await logContact({ personId: person, notes: ORIGINAL });
    expect((await amend(contact.id, { reason: REASON, notes: CORRECTED })).status).toBe(201);
    const result = await checkSealedFields({
      ownerUrl: db.ownerUrl,
      db: harbour.app.get(Db),
      keyring: harbour.app.get(KeyringService),
    });
    // Every amendment opens, except those of the person erased above: their key is gone.
    const [counts] = await db.asSuperuser<{ live: number; erased: number; erased_notes: number }>(
      `SELECT count(*) FILTER (WHERE p.erased_at IS NULL)::int AS live,
              count(*) FILTER (WHERE p.erased_at IS NOT NULL)::int AS erased,
              count(a.notes) FILTER (WHERE p.erased_at IS NOT NULL)::int AS erased_notes
         FROM contact_amendment a JOIN person p ON p.id = a.person_id`,
    );
    expect(counts!.erased).toBeGreaterThan(0);
    expect(result.unknownColumns).toEqual([]);
    expect(result.fields['contact_amendment.reason']).toEqual({
      opened: counts!.live,
      failed: counts!.erased,
    });
    expect(result.fields['contact_amendment.notes']!.failed).toBe(counts!.erased_notes);
    expect(result.fields['contact_amendment.notes']!.opened).toBeGreaterThan(0);
  });
});
