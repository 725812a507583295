import type { PartnerView, ReferralView } from '@harbour/domain';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/** Referrals with the consent gate, and the partner directory (docs/design.md §3). */
describe('referrals and partners', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  let cw: TestBrowser;
  let coord: TestBrowser;
  let admin: TestBrowser;
  let caseworker: TestUser;
  let partner: PartnerView;
  let person: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Referrals Test Service');
    caseworker = await h.createUser(org, { roles: ['caseworker'] });
    cw = await h.signIn(caseworker);
    coord = await h.signIn(await h.createUser(org, { roles: ['coordinator'] }));
    admin = await h.signIn(await h.createUser(org, { roles: ['admin'] }));
    partner = (
      await admin.send('post', '/api/partners', {
        name: 'Harbour Legal Aid',
        serviceType: 'legal_aid',
        languages: ['thai', 'english'],
        sexWorkerFriendly: true,
        noIdRequired: true,
        immigrationSafe: true,
        free: true,
        contactDetails: '020 7946 0000',
      })
    ).body as unknown as PartnerView;
    person = (await cw.send('post', '/api/persons', {})).body['id'] as string;
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const newReferral = async (): Promise<ReferralView> => {
    const need = await cw.send('post', '/api/needs', { personId: person, category: 'legal' });
    const res = await cw.send('post', '/api/referrals', {
      needId: need.body['id'],
      partnerId: partner.id,
    });
    expect(res.status).toBe(201);
    return res.body as unknown as ReferralView;
  };

  const move = (
    browser: TestBrowser,
    referral: { id: string; version: number },
    body: Record<string, unknown>,
  ) =>
    browser.send('post', `/api/referrals/${referral.id}/transitions`, {
      version: referral.version,
      ...body,
    });

  it('runs draft → consented → sent → accepted → completed with consent, keeping the history', async () => {
    let referral = await newReferral();
    expect(referral).toMatchObject({
      status: 'draft',
      personId: person,
      consent: null,
      version: 1,
    });
    let res = await move(cw, referral, {
      to: 'consented',
      consent: { method: 'verbal', scope: ['name', 'needs', 'needs'] },
    });
    expect(res.status).toBe(200);
    referral = res.body as unknown as ReferralView;
    expect(referral.consent).toMatchObject({ method: 'verbal', scope: ['name', 'needs'] });
    for (const to of ['sent', 'accepted', 'completed'] as const) {
      res = await move(cw, referral, { to });
      expect({ to, status: res.status }).toEqual({ to, status: 200 });
      referral = res.body as unknown as ReferralView;
    }
    expect(referral.status).toBe('completed');
    expect(referral.closedAt).not.toBeNull();
    expect(referral.history.map((e) => [e.from, e.to])).toEqual([
      [null, 'draft'],
      ['draft', 'consented'],
      ['consented', 'sent'],
      ['sent', 'accepted'],
      ['accepted', 'completed'],
    ]);
    expect(referral.history.every((e) => e.actorId === caseworker.id)).toBe(true);
  });

  it('refuses illegal transitions with invalid_transition and changes nothing', async () => {
    const referral = await newReferral();
    for (const to of ['sent', 'completed', 'declined_by_partner', 'draft']) {
      const res = await move(cw, referral, {
        to,
        consent: { method: 'written', scope: ['needs'] },
      });
      expect({ to, status: res.status, code: res.body['code'] }).toEqual({
        to,
        status: 409,
        code: 'invalid_transition',
      });
    }
    const [row] = await db.asSuperuser<{ status: string; version: number }>(
      `SELECT status, version FROM referral WHERE id = $1`,
      [referral.id],
    );
    expect(row).toEqual({ status: 'draft', version: 1 });
  });

  it('holds a referral in draft without consent (422 consent_required); a coordinator may override with a reason, audited', async () => {
    const referral = await newReferral();
    const refused = await move(cw, referral, { to: 'consented' });
    expect(refused.status).toBe(422);
    expect(refused.body['code']).toBe('consent_required');
    const notCoordinator = await move(cw, referral, {
      to: 'consented',
      overrideReason: 'Person is in hospital and asked us to go ahead',
    });
    expect(notCoordinator.status).toBe(403);
    const overridden = await move(coord, referral, {
      to: 'consented',
      overrideReason: 'Person is in hospital and asked us to go ahead',
    });
    expect(overridden.status).toBe(200);
    expect(overridden.body).toMatchObject({
      status: 'consented',
      consent: null,
      consentOverridden: true,
    });
    const [row] = await db.asSuperuser<{ override_reason: Buffer }>(
      `SELECT override_reason FROM referral WHERE id = $1`,
      [referral.id],
    );
    expect(row!.override_reason[0]).toBe(1);
    expect(row!.override_reason.toString('latin1')).not.toContain('hospital');
    const [event] = await db.asSuperuser<{ fields: string[]; event: Buffer }>(
      `SELECT fields, event FROM access_event WHERE action = 'referral.transitioned'
        ORDER BY seq DESC LIMIT 1`,
    );
    expect(event!.fields).toEqual(['consent_override']);
    expect(event!.event.toString('utf8')).not.toContain('hospital');
    // A refusal or withdrawal never needs consent.
    const other = await newReferral();
    expect((await move(cw, other, { to: 'declined_by_client' })).status).toBe(200);
  });

  it('answers a stale version with 409 version_conflict', async () => {
    const referral = await newReferral();
    const stale = await move(cw, { ...referral, version: 7 }, { to: 'withdrawn' });
    expect(stale.status).toBe(409);
    expect(stale.body['code']).toBe('version_conflict');
  });

  it('lists referrals by status and person', async () => {
    const list = (await cw.send('get', `/api/referrals?status=completed&person=${person}`))
      .body as unknown as ReferralView[];
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((r) => r.status === 'completed' && r.personId === person)).toBe(true);
  });

  it('lists each referral with its own history, newest first (read for the whole page at once)', async () => {
    const moved = await newReferral();
    const res = await move(cw, moved, { to: 'withdrawn' });
    expect(res.status).toBe(200);
    const fresh = await newReferral();
    const list = (await cw.send('get', `/api/referrals?person=${person}`))
      .body as unknown as ReferralView[];
    expect(list.length).toBeGreaterThanOrEqual(3);
    expect(list.map((r) => r.id)).toEqual(
      list
        .map((r) => r.id)
        .sort()
        .reverse(),
    );
    expect(list.slice(0, 2).map((r) => [r.id, r.history.map((e) => e.to)])).toEqual([
      [fresh.id, ['draft']],
      [moved.id, ['draft', 'withdrawn']],
    ]);
    // The completed one (first test) keeps its whole history.
    const completed = list.find((r) => r.status === 'completed');
    expect(completed?.history.map((e) => e.to)).toEqual([
      'draft',
      'consented',
      'sent',
      'accepted',
      'completed',
    ]);
  });

  it('lists a referral exactly as a transition shows it: every field, history times to the millisecond', async () => {
    const referral = await newReferral();
    const moved = await move(cw, referral, { to: 'withdrawn' });
    expect(moved.status).toBe(200);
    const list = (await cw.send('get', `/api/referrals?person=${person}&status=withdrawn`))
      .body as unknown as ReferralView[];
    expect(list.find((r) => r.id === referral.id)).toEqual(moved.body);
    expect(list.every((r) => r.status === 'withdrawn' && r.personId === person)).toBe(true);
  });

  it('filters the partner directory by safety attributes; admins edit it, others cannot', async () => {
    await admin.send('post', '/api/partners', {
      name: 'City Clinic',
      serviceType: 'sexual_health',
      languages: ['english'],
    });
    const safe = (await cw.send('get', '/api/partners?sexWorkerFriendly=true&immigrationSafe=true'))
      .body as unknown as PartnerView[];
    expect(safe.map((p) => p.name)).toEqual(['Harbour Legal Aid']);
    const thai = (await cw.send('get', '/api/partners?language=thai'))
      .body as unknown as PartnerView[];
    expect(thai.map((p) => p.name)).toEqual(['Harbour Legal Aid']);
    const all = (await cw.send('get', '/api/partners')).body as unknown as PartnerView[];
    expect(all.map((p) => p.name)).toEqual(['City Clinic', 'Harbour Legal Aid']);
    expect(
      (await cw.send('post', '/api/partners', { name: 'X', serviceType: 'other' })).status,
    ).toBe(403);
    const renamed = await admin.send('patch', `/api/partners/${partner.id}`, {
      version: 1,
      name: 'Harbour Legal Aid Centre',
    });
    expect(renamed.body).toMatchObject({ name: 'Harbour Legal Aid Centre', version: 2 });
    const stale = await admin.send('patch', `/api/partners/${partner.id}`, {
      version: 1,
      free: false,
    });
    expect(stale.status).toBe(409);
    const retired = await admin.send('patch', `/api/partners/${partner.id}`, {
      version: 2,
      active: false,
    });
    expect(retired.body['active']).toBe(false);
    const need = await cw.send('post', '/api/needs', { personId: person, category: 'legal' });
    const toRetired = await cw.send('post', '/api/referrals', {
      needId: need.body['id'],
      partnerId: partner.id,
    });
    expect([toRetired.status, toRetired.body['code']]).toEqual([409, 'partner_inactive']);
  });
});
