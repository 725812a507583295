import type { DisclosureRequestView, JobView, PersonView } from '@harbour/domain';
import { AuthHarness } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/**
 * A disclosure request's words are sealed under the organisation's data key, so a rotation of
 * that key must re-seal them (they are in the rotation's field list): after it, every value is
 * under the new key and the request still reads back — once the old key is destroyed, nothing
 * would open otherwise.
 */
describe('disclosure requests and data key rotation', () => {
  let db: TestDatabase;
  let harbour: TestApp;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db, {
      workJobs: true,
      env: {
        HARBOUR_JOBS_POLL_SECONDS: '1',
        HARBOUR_JOBS_SLICE_SECONDS: '1',
        HARBOUR_JOBS_EXPIRE_SECONDS: '5',
        HARBOUR_JOBS_MAINTENANCE_SECONDS: '1',
      },
    });
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  it('re-seals the requester, instrument, advice and refusal reason under the new key', async () => {
    const h = new AuthHarness(harbour);
    const org = await h.createOrganisation('Rotating Disclosure Service');
    const admin = await h.createUser(org, { roles: ['admin'] });
    const coordinator = await h.createUser(org, { roles: ['coordinator'] });
    const ad = await h.signIn(admin);
    const co = await h.signIn(coordinator);
    const person = (await co.send('post', '/api/persons', {})).body as unknown as PersonView;
    const made = (
      await co.send('post', '/api/disclosures', {
        authority: 'immigration',
        requester: 'Officer Example, Border Unit',
        legalInstrument: 'Letter of request 44',
        legalAdvice: 'No obligation to answer.',
        personCodes: [person.code],
        fields: ['categories'],
        periodFrom: '2026-01-01',
        periodTo: '2026-06-30',
      })
    ).body as unknown as DisclosureRequestView;
    await co.send('post', `/api/disclosures/${made.id}/review`, { version: made.version });
    await h.stepUp(ad, admin);
    const refused = await ad.send('post', `/api/disclosures/${made.id}/refuse`, {
      version: made.version + 1,
      reason: 'No legal basis was shown.',
    });
    expect(refused.status).toBe(200);

    const keyIds = async () =>
      db.asSuperuser<{ k: string }>(
        `SELECT ciphertext_key_id(v)::text AS k FROM disclosure_request r,
           unnest(ARRAY[r.requester, r.legal_instrument, r.legal_advice, r.refusal_reason]) v
          WHERE r.organisation_id = $1`,
        [org],
      );
    expect((await keyIds()).map((r) => r.k)).toEqual(['2', '2', '2', '2']);

    await h.stepUp(ad, admin);
    const started = await ad.send('post', '/api/keys/rotations', { purpose: 'organisation_data' });
    expect(started.status).toBe(202);
    const id = (started.body as unknown as JobView).id;
    const until = Date.now() + 90_000;
    let job: JobView;
    for (;;) {
      job = (await ad.send('get', `/api/jobs/${id}`)).body as unknown as JobView;
      if (job.state === 'completed' || job.state === 'failed') break;
      if (Date.now() > until) throw new Error(`job still ${job.state}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(job.state).toBe('completed');

    const after = (await keyIds()).map((r) => r.k);
    expect(after).toHaveLength(4);
    expect(new Set(after).size).toBe(1);
    expect(after[0]).not.toBe('2');
    const read = await co.send('get', `/api/disclosures/${made.id}`);
    expect(read.body).toMatchObject({
      requester: 'Officer Example, Border Unit',
      legalInstrument: 'Letter of request 44',
      legalAdvice: 'No obligation to answer.',
      refusalReason: 'No legal basis was shown.',
    });
  }, 120_000);
});
