import type { DisclosureRequestView, PersonView } from '@harbour/domain';
import { CANARY_PEOPLE } from '../canaries';
import { AuthHarness, type TestBrowser, type TestResponse, type TestUser } from './auth-harness';
import { createTestApp, type TestApp } from './test-app';
import { createTestDatabase, type TestDatabase } from './test-database';

/**
 * The world of the disclosure specs: one organisation with two coordinators (one records), a
 * third coordinator, two admins and a caseworker; three people with canary names and contacts
 * inside and outside the period 2026-02-01 … 2026-03-31 (clock: 2026-03-10); another
 * organisation with a coordinator and a person.
 */
export class DisclosureWorld {
  db!: TestDatabase;
  harbour!: TestApp;
  h!: AuthHarness;
  org!: string;
  users!: Record<
    'recorder' | 'coord' | 'coord2' | 'admin' | 'admin2' | 'cw' | 'outsider',
    TestUser
  >;
  as!: Record<keyof DisclosureWorld['users'], TestBrowser>;
  /** Asked about: `asked[0]`, `asked[1]`; never asked about: `other`. */
  asked!: PersonView[];
  other!: PersonView;
  foreign!: PersonView;

  async build(): Promise<void> {
    this.db = await createTestDatabase();
    this.harbour = await createTestApp(this.db);
    this.harbour.clock.set(new Date('2026-03-10T12:00:00Z'));
    const h = (this.h = new AuthHarness(this.harbour));
    this.org = await h.createOrganisation('Disclosure Service');
    const otherOrg = await h.createOrganisation('Other Disclosure Service');
    const mk = (org: string, role: 'coordinator' | 'admin' | 'caseworker') =>
      h.createUser(org, { roles: [role] });
    this.users = {
      recorder: await mk(this.org, 'coordinator'),
      coord: await mk(this.org, 'coordinator'),
      coord2: await mk(this.org, 'coordinator'),
      admin: await mk(this.org, 'admin'),
      admin2: await mk(this.org, 'admin'),
      cw: await mk(this.org, 'caseworker'),
      outsider: await mk(otherOrg, 'coordinator'),
    };
    const as = {} as Record<keyof DisclosureWorld['users'], TestBrowser>;
    for (const [name, user] of Object.entries(this.users)) {
      as[name as keyof typeof as] = await h.signIn(user);
    }
    this.as = as;
    const person = async (i: number, browser = as.cw) => {
      const c = CANARY_PEOPLE[i]!;
      const res = await browser.send('post', '/api/persons', {
        identity: { givenName: c.given, familyName: c.family, alias: c.alias },
      });
      if (res.status !== 201) throw new Error(`person: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body as unknown as PersonView;
    };
    this.asked = [await person(0), await person(1)];
    this.other = await person(2);
    this.foreign = await person(3, as.outsider);
    const contact = async (personId: string, occurredOn: string, notes: string) => {
      const res = await as.cw.send('post', '/api/contacts', {
        channel: 'in_person',
        locationType: 'drop_in_centre',
        circumstances: ['post_raid'],
        personId,
        occurredOn,
        notes,
        needs: [{ category: 'legal' }],
      });
      if (res.status !== 201) throw new Error(`contact: ${res.status} ${JSON.stringify(res.body)}`);
    };
    await contact(this.asked[0]!.id, '2026-02-10', 'IN-PERIOD-NOTE-ONE');
    await contact(this.asked[0]!.id, '2026-01-05', 'OUT-OF-PERIOD-NOTE');
    await contact(this.asked[1]!.id, '2026-03-09', 'IN-PERIOD-NOTE-TWO');
    await contact(this.other.id, '2026-02-11', 'OTHER-PERSON-NOTE');
  }

  /** Fresh sessions for everyone (after the clock moved past idle timeouts). */
  async refresh(): Promise<void> {
    for (const [name, user] of Object.entries(this.users)) {
      this.as[name as keyof typeof this.as] = await this.h.signIn(user);
    }
  }

  async close(): Promise<void> {
    await this.harbour.close();
    await this.db.drop();
  }

  /** A new request by the recorder about the two people asked about. */
  async record(body: Record<string, unknown> = {}): Promise<DisclosureRequestView> {
    const res = await this.as.recorder.send('post', '/api/disclosures', {
      authority: 'police',
      requester: 'DC Example, Central Station',
      legalInstrument: 'Production order 2026/17',
      legalAdvice: 'Counsel: comply narrowly.',
      personCodes: this.asked.map((p) => p.code),
      fields: ['givenName', 'familyName', 'contacts', 'contactNotes'],
      periodFrom: '2026-02-01',
      periodTo: '2026-03-31',
      ...body,
    });
    if (res.status !== 201) throw new Error(`record: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as unknown as DisclosureRequestView;
  }

  /** POST a step as `who` (after a fresh step-up when `stepUp`). */
  async step(
    who: keyof DisclosureWorld['users'],
    id: string,
    step: 'review' | 'approve' | 'refuse' | 'export' | 'close',
    body: Record<string, unknown>,
    stepUp = false,
  ): Promise<TestResponse> {
    if (stepUp) await this.h.stepUp(this.as[who], this.users[who]);
    return this.as[who].send('post', `/api/disclosures/${id}/${step}`, body);
  }

  /** The current version of a request. */
  async version(id: string): Promise<number> {
    const [row] = await this.db.asSuperuser<{ version: number }>(
      `SELECT version FROM disclosure_request WHERE id = $1`,
      [id],
    );
    return row!.version;
  }

  /** Review, then approve as a coordinator and an admin: an approved request. */
  async approved(body: Record<string, unknown> = {}): Promise<DisclosureRequestView> {
    const made = await this.record(body);
    await this.step('recorder', made.id, 'review', { version: made.version });
    await this.step('coord', made.id, 'approve', { version: await this.version(made.id) }, true);
    const res = await this.step(
      'admin',
      made.id,
      'approve',
      { version: await this.version(made.id) },
      true,
    );
    if (res.status !== 201 && res.status !== 200) {
      throw new Error(`approve: ${res.status} ${JSON.stringify(res.body)}`);
    }
    return res.body as unknown as DisclosureRequestView;
  }

  /** Access events of the organisation, oldest first. */
  async events(): Promise<
    { seq: number; action: string; outcome: string; resource_ids: string[]; fields: string[] }[]
  > {
    return this.db.asSuperuser(
      `SELECT seq, action, outcome, resource_ids, fields FROM access_event
        WHERE organisation_id = $1 ORDER BY seq`,
      [this.org],
    );
  }

  /** Runs `call` and returns its response and the access events it wrote. */
  async traced(call: () => Promise<TestResponse>) {
    const before = (await this.events()).length;
    const res = await call();
    const written = (await this.events()).slice(before);
    return { res, written };
  }
}
