import fc from 'fast-check';
import {
  SUBJECT_EXPORT_LANGUAGES,
  type SubjectExportFull,
  type SubjectExportLanguage,
} from '@harbour/domain';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { CANARY_PEOPLE } from '../../test/canaries';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { escapeHtml } from './subject-export.html';
import { SUBJECT_CATALOGUES } from './subject-export.catalogue';

/**
 * A person's own data (issue 18, Done 3): over random people with random records, the export of
 * one person holds every record the database holds for them and nothing of anyone else's, as
 * JSON and as HTML in each console language.
 */

/** What one random person gets; every text carries a unique token so it can be traced. */
interface PersonPlan {
  contacts: { notes: boolean; amendments: number; needs: number }[];
  needs: number;
  referrals: number;
  consents: ('referral_sharing' | 'contact_by_phone' | 'contact_by_text')[];
  followUps: number;
  checkIns: number;
  keyWorker: boolean;
  disclosure: boolean;
}

const planArb: fc.Arbitrary<PersonPlan> = fc.record({
  contacts: fc.array(
    fc.record({
      notes: fc.boolean(),
      amendments: fc.integer({ min: 0, max: 2 }),
      needs: fc.integer({ min: 0, max: 2 }),
    }),
    { maxLength: 3 },
  ),
  needs: fc.integer({ min: 0, max: 2 }),
  referrals: fc.integer({ min: 0, max: 2 }),
  consents: fc.uniqueArray(
    fc.constantFrom<PersonPlan['consents'][number]>(
      'referral_sharing',
      'contact_by_phone',
      'contact_by_text',
    ),
    { maxLength: 3 },
  ),
  followUps: fc.integer({ min: 0, max: 2 }),
  checkIns: fc.integer({ min: 0, max: 1 }),
  keyWorker: fc.boolean(),
  disclosure: fc.boolean(),
});

/** Hostile text around a unique token: HTML and quotes must come out escaped. */
const hostile = (token: string) => `<b onclick="x">${token}</b> & 'q' <script>alert(1)</script>`;

/** Canaries in Latin, Thai and Vietnamese script (every person in a run gets their own). */
const NAMES = [0, 1, 5, 6].map((i) => CANARY_PEOPLE[i]!);

interface Made {
  id: string;
  code: string;
  given: string;
  family: string;
  texts: string[];
}

describe('a person’s own data (property over random people)', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let coordinator: TestUser;
  let coord: TestBrowser;
  let cw: TestBrowser;
  let caseworker: TestUser;
  let partnerId: string;
  let serial = 0;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    // Rows are dated by the database (now) and checked against the clock: keep them together.
    harbour.clock.set(new Date());
    h = new AuthHarness(harbour);
    const org = await h.createOrganisation('Own Data Outreach');
    coordinator = await h.createUser(org, { roles: ['coordinator'] });
    coord = await h.signIn(coordinator);
    caseworker = await h.createUser(org, { roles: ['caseworker'] });
    cw = await h.signIn(caseworker);
    const admin = await h.signIn(await h.createUser(org, { roles: ['admin'] }));
    partnerId = (
      await admin.send('post', '/api/partners', { name: 'Partner-XQ7', serviceType: 'legal_aid' })
    ).body['id'] as string;
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const token = (kind: string) => `${kind}-tok${++serial}z`;
  const today = () => harbour.clock.now().toISOString().slice(0, 10);

  async function ok(res: Promise<{ status: number; body: Record<string, unknown> }>) {
    const r = await res;
    if (r.status >= 300) throw new Error(`${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async function makePerson(plan: PersonPlan, index: number): Promise<Made> {
    const name = NAMES[index % NAMES.length]!;
    const texts: string[] = [];
    const person = await ok(
      cw.send('post', '/api/persons', {
        identity: { givenName: name.given, familyName: name.family },
        languageGroup: 'thai',
      }),
    );
    const id = person['id'] as string;
    const needIds: string[] = [];
    for (const c of plan.contacts) {
      const notes = token('note');
      const contact = await ok(
        cw.send('post', '/api/contacts', {
          personId: id,
          occurredOn: today(),
          channel: 'phone',
          locationType: 'online_or_phone',
          ...(c.notes ? { notes: hostile(notes) } : {}),
          needs: Array.from({ length: c.needs }, () => ({ category: 'housing' })),
        }),
      );
      if (c.notes) texts.push(notes);
      for (const n of contact['needs'] as { id: string }[]) needIds.push(n.id);
      for (let a = 0; a < c.amendments; a++) {
        const reason = token('reason');
        const corrected = token('amended');
        texts.push(reason, corrected);
        await ok(
          cw.send('post', `/api/contacts/${contact['id'] as string}/amendments`, {
            reason: hostile(reason),
            notes: hostile(corrected),
          }),
        );
      }
    }
    for (let n = 0; n < plan.needs; n++) {
      needIds.push(
        (await ok(cw.send('post', '/api/needs', { personId: id, category: 'legal' })))[
          'id'
        ] as string,
      );
    }
    for (const needId of needIds.slice(0, plan.referrals)) {
      await ok(cw.send('post', '/api/referrals', { needId, partnerId }));
    }
    for (const purpose of plan.consents) {
      await ok(cw.send('post', `/api/persons/${id}/consents`, { purpose, method: 'verbal' }));
    }
    for (let f = 0; f < plan.followUps; f++) {
      const text = token('follow');
      texts.push(text);
      await ok(
        cw.send('post', '/api/follow-ups', { personId: id, text: hostile(text), dueOn: today() }),
      );
    }
    for (let c = 0; c < plan.checkIns; c++) {
      await ok(
        cw.send('post', `/api/persons/${id}/check-ins`, {
          checkedOn: today(),
          ratings: { safety: 3, housing: 4 },
        }),
      );
    }
    if (plan.keyWorker) {
      await ok(coord.send('post', `/api/persons/${id}/key-workers`, { staffId: caseworker.id }));
    }
    const code = person['code'] as string;
    if (plan.disclosure) {
      const requester = token('requester');
      texts.push(requester);
      await ok(
        coord.send('post', '/api/disclosures', {
          authority: 'police',
          requester: `Officer ${requester}`,
          legalInstrument: 'Production order',
          personCodes: [code],
          fields: ['givenName'],
          periodFrom: '2026-01-01',
          periodTo: today(),
        }),
      );
    }
    return { id, code, given: name.given, family: name.family, texts };
  }

  /** The ids the database holds for the person, table by table (read as the superuser). */
  async function heldIds(personId: string) {
    const ids = async (sql: string) =>
      (await db.asSuperuser<{ id: string }>(sql, [personId])).map((r) => r.id).sort();
    return {
      contacts: await ids(`SELECT id FROM contact WHERE person_id = $1`),
      amendments: await ids(
        `SELECT a.id FROM contact_amendment a JOIN contact c ON c.id = a.contact_id WHERE c.person_id = $1`,
      ),
      needs: await ids(
        `SELECT n.id FROM support_need n LEFT JOIN contact c ON c.id = n.contact_id
          WHERE n.person_id = $1 OR c.person_id = $1`,
      ),
      referrals: await ids(`SELECT id FROM referral WHERE person_id = $1`),
      consents: await ids(`SELECT id FROM consent WHERE person_id = $1`),
      followUps: await ids(`SELECT id FROM follow_up WHERE person_id = $1`),
      checkIns: await ids(`SELECT id FROM outcome_check_in WHERE person_id = $1`),
      disclosures: (
        await db.asSuperuser<{ id: string }>(
          `SELECT request_id AS id FROM disclosure_request_person WHERE person_id = $1`,
          [personId],
        )
      )
        .map((r) => r.id)
        .sort(),
      keyWorkers: (
        await db.asSuperuser<{ n: number }>(
          `SELECT count(*)::int AS n FROM person_key_worker WHERE person_id = $1`,
          [personId],
        )
      )[0]!.n,
    };
  }

  /** Every id of every row any person holds (to prove none of someone else's leaks). */
  async function allIdsOf(personId: string): Promise<string[]> {
    const held = await heldIds(personId);
    return [
      personId,
      ...held.contacts,
      ...held.amendments,
      ...held.needs,
      ...held.referrals,
      ...held.consents,
      ...held.followUps,
      ...held.checkIns,
      ...held.disclosures,
    ];
  }

  async function exportAs(
    personId: string,
    language: SubjectExportLanguage,
    format: 'json' | 'html',
  ) {
    await h.stepUp(coord, coordinator);
    return coord.send('post', `/api/persons/${personId}/subject-export`, {
      language,
      format,
      purpose: 'The person asked for a copy of their data.',
    });
  }

  it('holds every record of the person and none of anyone else’s, in every language', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(planArb, { minLength: 2, maxLength: 3 }),
        fc.nat(),
        async (plans, pick) => {
          const people: Made[] = [];
          for (const [i, plan] of plans.entries()) people.push(await makePerson(plan, i));
          const me = people[pick % people.length]!;
          const others = people.filter((p) => p !== me);
          const held = await heldIds(me.id);
          const eventsBefore = (
            await db.asSuperuser<{ n: number }>(
              `SELECT count(*)::int AS n FROM access_event
                WHERE resource_ids && ARRAY[$1::text, $2::text]`,
              [me.id, me.code],
            )
          )[0]!.n;

          const res = await exportAs(me.id, 'en', 'json');
          expect(res.status).toBe(200);
          expect(res.headers['content-disposition']).toBe(
            `attachment; filename="harbour-${me.code}-own-data.json"`,
          );
          expect(res.headers['cache-control']).toContain('no-store');
          const doc = res.body as unknown as SubjectExportFull;
          const ids = (items: readonly { id: string }[]) => items.map((i) => i.id).sort();
          expect(doc.erased).toBe(false);
          expect(doc.code).toBe(me.code);
          expect(doc.identity).toEqual({ givenName: me.given, familyName: me.family });
          expect(ids(doc.contacts)).toEqual(held.contacts);
          expect(ids(doc.contacts.flatMap((c) => c.amendments))).toEqual(held.amendments);
          expect(ids(doc.needs)).toEqual(held.needs);
          expect(ids(doc.referrals)).toEqual(held.referrals);
          expect(ids(doc.consents)).toEqual(held.consents);
          expect(ids(doc.followUps)).toEqual(held.followUps);
          expect(ids(doc.outcomeCheckIns)).toEqual(held.checkIns);
          expect(doc.disclosures.map((d) => d.requestId).sort()).toEqual(held.disclosures);
          expect(doc.keyWorkers).toHaveLength(held.keyWorkers);
          for (const k of doc.keyWorkers) expect(k.roles).toEqual(['caseworker']);
          expect(doc.accessHistory).toHaveLength(eventsBefore);
          for (const r of doc.referrals) expect(r.steps.length).toBeGreaterThan(0);
          // Their words, decrypted; every one present (a request's own words stay with it).
          for (const t of me.texts.filter((t) => !t.startsWith('requester-')))
            expect(res.text).toContain(t);
          for (const t of me.texts.filter((t) => t.startsWith('requester-')))
            expect(res.text).not.toContain(t);

          // Nothing of anyone else's: ids, codes, names, words.
          for (const other of others) {
            for (const id of await allIdsOf(other.id)) expect(res.text).not.toContain(id);
            expect(res.text).not.toContain(other.code);
            for (const t of other.texts) expect(res.text).not.toContain(t);
            if (other.given !== me.given) expect(res.text).not.toContain(other.given);
            if (other.family !== me.family) expect(res.text).not.toContain(other.family);
          }
          // No staff member is named or identified, ever.
          expect(res.text).not.toContain(caseworker.id);
          expect(res.text).not.toContain(coordinator.id);
          expect(res.text).not.toContain(caseworker.email);

          for (const language of SUBJECT_EXPORT_LANGUAGES) {
            const page = await exportAs(me.id, language, 'html');
            expect(page.status).toBe(200);
            expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
            const html = page.text;
            expect(html).toContain(`<html lang="${language}">`);
            expect(html).not.toMatch(/<script/i);
            expect(html).not.toContain('<b onclick');
            // Their own values, escaped.
            for (const t of me.texts.filter((t) => !t.startsWith('requester-')))
              expect(html).toContain(escapeHtml(hostile(t)));
            expect(html).toContain(escapeHtml(me.family));
            expect(html).toContain(me.code);
            // Every label in the chosen language: no English label in another language.
            const words = SUBJECT_CATALOGUES[language].labels;
            expect(html).toContain(escapeHtml(words['title']!));
            if (language !== 'en') {
              for (const english of Object.values(SUBJECT_CATALOGUES.en.labels))
                expect(html).not.toContain(escapeHtml(english));
            }
            for (const other of others) {
              expect(html).not.toContain(other.code);
              for (const t of other.texts) expect(html).not.toContain(t);
            }
          }
        },
      ),
      { numRuns: 10, seed: 18, endOnFailure: true },
    );
  }, 600_000);
});
