import type { DisclosureRequestView, PersonView, RetentionDryRun } from '@harbour/domain';
import { AuthHarness, type TestBrowser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

const DAY = 86_400_000;
const MONTH = 31 * DAY;

/**
 * Legal hold: a person named in a disclosure request still being decided is listed by no
 * retention class — not the person, not their contacts, not their referrals — so a purge is
 * never the quiet answer to a request. Once the request is settled, the rules apply again.
 */
describe('retention under a disclosure request (legal hold)', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let coordinator: TestBrowser;
  let admin: TestBrowser;
  let org: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    const h = new AuthHarness(harbour);
    org = await h.createOrganisation('Retention Hold Service');
    coordinator = await h.signIn(await h.createUser(org, { roles: ['caseworker', 'coordinator'] }));
    admin = await h.signIn(await h.createUser(org, { roles: ['admin'] }));
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const ago = (ms: number) => new Date(harbour.clock.now().getTime() - ms);

  /** A person untouched for 30 months with one contact 70 months ago (both past the defaults). */
  async function oldPerson(): Promise<{ person: PersonView; contactId: string }> {
    const res = await coordinator.send('post', '/api/persons', {});
    expect(res.status).toBe(201);
    const person = res.body as unknown as PersonView;
    const contact = await coordinator.send('post', '/api/contacts', {
      personId: person.id,
      occurredOn: harbour.clock.now().toISOString().slice(0, 10),
      channel: 'phone',
      locationType: 'online_or_phone',
    });
    expect(contact.status).toBe(201);
    const contactId = contact.body['id'] as string;
    await db.asSuperuser(`UPDATE contact SET occurred_on = $2::date WHERE id = $1`, [
      contactId,
      ago(70 * MONTH)
        .toISOString()
        .slice(0, 10),
    ]);
    await db.asSuperuser(`UPDATE person SET created_at = $2, updated_at = $2 WHERE id = $1`, [
      person.id,
      ago(70 * MONTH),
    ]);
    return { person, contactId };
  }

  async function dryRun(): Promise<{ codes: string[]; contacts: number }> {
    const res = await admin.send('post', '/api/retention/dry-run');
    expect(res.status).toBe(200);
    const classes = (res.body as unknown as RetentionDryRun).classes;
    const people = classes.find((c) => c.class === 'inactive_people')!;
    const contacts = classes.find((c) => c.class === 'contacts')!;
    return { codes: [...(people.codes ?? [])], contacts: contacts.count };
  }

  it('holds a person named in an open request, and lets the rules apply once it is settled', async () => {
    const held = await oldPerson();
    const free = await oldPerson();
    const recorded = await coordinator.send('post', '/api/disclosures', {
      authority: 'immigration',
      requester: 'Immigration enforcement, north team',
      legalInstrument: 'Letter of request',
      personCodes: [held.person.code],
      fields: ['contacts'],
      periodFrom: '2020-01-01',
      periodTo: '2026-12-31',
    });
    expect(recorded.status).toBe(201);
    const request = recorded.body as unknown as DisclosureRequestView;

    const during = await dryRun();
    expect(during.codes).toContain(free.person.code);
    expect(during.codes).not.toContain(held.person.code);
    expect(during.contacts).toBe(1);

    // The organisation says no and closes the request: the hold ends.
    await db.asSuperuser(
      `UPDATE disclosure_request SET status = 'closed', closed_at = now() WHERE id = $1`,
      [request.id],
    );
    const after = await dryRun();
    expect(after.codes).toEqual(expect.arrayContaining([free.person.code, held.person.code]));
    expect(after.contacts).toBe(2);
  });
});
