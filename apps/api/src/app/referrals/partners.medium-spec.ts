import type { NeedView, PartnerView, ReferralView } from '@harbour/domain';
import { AuthHarness, type TestBrowser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';

/**
 * Partners kept by admins (issue 17): edited with their version, deactivated and reactivated;
 * a deactivated partner receives no new referral (409 `partner_inactive`, nothing written),
 * while the referrals it already has keep pointing to it and the directory still names it.
 */
describe('partner edit and deactivation', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let cw: TestBrowser;
  let coord: TestBrowser;
  let admin: TestBrowser;
  let partner: PartnerView;
  let person: string;

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db);
    h = new AuthHarness(harbour);
    const org = await h.createOrganisation('Partners Service');
    cw = await h.signIn(await h.createUser(org, { roles: ['caseworker'] }));
    coord = await h.signIn(await h.createUser(org, { roles: ['coordinator'] }));
    admin = await h.signIn(await h.createUser(org, { roles: ['admin'] }));
    partner = (
      await admin.send('post', '/api/partners', {
        name: 'Riverside Clinic',
        serviceType: 'sexual_health',
        languages: ['thai'],
      })
    ).body as unknown as PartnerView;
    person = (await cw.send('post', '/api/persons', {})).body['id'] as string;
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  const newNeed = async () =>
    (await cw.send('post', '/api/needs', { personId: person, category: 'health' }))
      .body as unknown as NeedView;
  const referralCount = async () =>
    Number((await db.asSuperuser<{ n: string }>(`SELECT count(*) AS n FROM referral`))[0]!.n);

  it('lets only admins edit a partner, with its version', async () => {
    for (const browser of [cw, coord]) {
      const res = await browser.send('patch', `/api/partners/${partner.id}`, {
        version: partner.version,
        name: 'Taken over',
      });
      expect([res.status, res.body['code']]).toEqual([403, 'forbidden']);
    }
    const edited = await admin.send('patch', `/api/partners/${partner.id}`, {
      version: partner.version,
      name: 'Riverside Sexual Health Clinic',
      serviceType: 'health',
      languages: ['thai', 'vietnamese'],
      free: true,
      contactDetails: 'Reception, ground floor',
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      name: 'Riverside Sexual Health Clinic',
      serviceType: 'health',
      languages: ['thai', 'vietnamese'],
      free: true,
      version: partner.version + 1,
    });
    const stale = await admin.send('patch', `/api/partners/${partner.id}`, {
      version: partner.version,
      name: 'Stale',
    });
    expect([stale.status, stale.body['code']]).toEqual([409, 'version_conflict']);
    partner = edited.body as unknown as PartnerView;
    const [row] = await db.asSuperuser<{ name: string }>(`SELECT name FROM partner WHERE id = $1`, [
      partner.id,
    ]);
    expect(row!.name).toBe('Riverside Sexual Health Clinic');
  });

  it('refuses new referrals to a deactivated partner and keeps the existing ones', async () => {
    const existing = (
      await cw.send('post', '/api/referrals', {
        needId: (await newNeed()).id,
        partnerId: partner.id,
      })
    ).body as unknown as ReferralView;
    expect(existing.partnerId).toBe(partner.id);

    const off = await admin.send('patch', `/api/partners/${partner.id}`, {
      version: partner.version,
      active: false,
    });
    expect(off.body).toMatchObject({ active: false });
    partner = off.body as unknown as PartnerView;

    const need = await newNeed();
    const count = await referralCount();
    const refused = await cw.send('post', '/api/referrals', {
      needId: need.id,
      partnerId: partner.id,
    });
    expect([refused.status, refused.body['code']]).toEqual([409, 'partner_inactive']);
    expect(await referralCount()).toBe(count);

    // The referral it already had still points to it, and the directory still names it for
    // those who ask for inactive partners too (the person page does).
    const referrals = (await cw.send('get', `/api/referrals?person=${person}`))
      .body as unknown as ReferralView[];
    expect(referrals.find((r) => r.id === existing.id)?.partnerId).toBe(partner.id);
    const active = (await cw.send('get', '/api/partners')).body as unknown as PartnerView[];
    expect(active.map((p) => p.id)).not.toContain(partner.id);
    const all = (await cw.send('get', '/api/partners?includeInactive=true'))
      .body as unknown as PartnerView[];
    expect(all.find((p) => p.id === partner.id)).toMatchObject({ active: false });

    const on = await admin.send('patch', `/api/partners/${partner.id}`, {
      version: partner.version,
      active: true,
    });
    expect(on.body).toMatchObject({ active: true });
    const accepted = await cw.send('post', '/api/referrals', {
      needId: need.id,
      partnerId: partner.id,
    });
    expect(accepted.status).toBe(201);
  });
});
