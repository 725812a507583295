import type { TestApp } from '../medium/test-app';
import type { AuthHarness, TestBrowser, TestResponse, TestUser } from '../medium/auth-harness';

export interface Walk {
  readonly h: AuthHarness;
  readonly harbour: TestApp;
  readonly org: string;
  /** Real people of the organisation (the second is restricted, then erased). */
  readonly personIds: readonly string[];
  readonly coordinator: TestUser;
  readonly admin: TestUser;
  /** Checks one answer against the contract (a success is expected) and returns its body. */
  readonly expectSuccess: (route: string, res: TestResponse) => Record<string, unknown>;
}

/**
 * The operations random requests rarely get right (sign-in steps, a disclosure's two-person
 * process, reports of a closed quarter, erasure, a staff change a second admin approves, enrolling
 * a second factor, a lockdown and its lift), walked once with valid requests, so their success
 * bodies are checked against the contract as well. The lockdown comes last and is lifted before
 * the walk ends, but it ends every session of the organisation: the caller signs in again.
 */
export async function scriptedWalk({
  h,
  harbour,
  org,
  personIds,
  coordinator,
  admin,
  expectSuccess,
}: Walk): Promise<void> {
  // The sign-in steps, each answer checked, as a new caseworker (the fuzzed ones are throttled).
  const caseworker = await h.createUser(org, { roles: ['caseworker'] });
  harbour.clock.advance(61_000); // past the fuzzed sign-ins' per-address throttle window
  const browser = h.browser();
  expectSuccess(
    'POST /api/auth/login',
    await browser.send('post', '/api/auth/login', {
      email: caseworker.email,
      password: caseworker.password,
    }),
  );
  harbour.clock.advance(30_000);
  expectSuccess(
    'POST /api/auth/mfa/verify',
    await browser.send('post', '/api/auth/mfa/verify', { code: h.code(caseworker) }),
  );
  harbour.clock.advance(30_000);
  expectSuccess(
    'POST /api/auth/step-up',
    await browser.send('post', '/api/auth/step-up', {
      password: caseworker.password,
      code: h.code(caseworker),
    }),
  );

  const [personId, otherId, thirdId] = personIds;
  const person = expectSuccess(
    'GET /api/persons/:id',
    await browser.send('get', `/api/persons/${personId}`),
  );
  const followUp = expectSuccess(
    'POST /api/follow-ups',
    await browser.send('post', '/api/follow-ups', {
      personId,
      text: 'Call back about housing',
      dueOn: '2026-11-30',
    }),
  );
  expectSuccess(
    'PATCH /api/follow-ups/:id',
    await browser.send('patch', `/api/follow-ups/${String(followUp['id'])}`, {
      version: followUp['version'],
      action: 'done',
    }),
  );

  const coord = await h.signIn(coordinator);
  await h.stepUp(coord, coordinator);
  for (const report of [
    'needs',
    'referrals',
    'funnel',
    'time-to-outcome',
    'contacts',
    'outcome-change',
    'disclosures',
  ]) {
    for (const suffix of ['', '/export']) {
      expectSuccess(
        `GET /api/reports/${report}${suffix}`,
        await coord.send('get', `/api/reports/${report}${suffix}?period=2026-Q1`),
      );
    }
  }

  // A disclosure through every step: recorded, reviewed, approved twice, exported, closed.
  const second = await h.createUser(org, { roles: ['coordinator'] });
  const coord2 = await h.signIn(second);
  await h.stepUp(coord2, second);
  const adminBrowser = await h.signIn(admin);
  await h.stepUp(adminBrowser, admin);
  const request = {
    authority: 'police',
    requester: 'DC Example, Central Station',
    legalInstrument: 'Production order 2026/17',
    legalAdvice: 'Counsel: comply narrowly.',
    personCodes: [person['code']],
    fields: ['givenName', 'contacts'],
    periodFrom: '2026-01-01',
    periodTo: '2026-03-31',
  };
  let made = expectSuccess(
    'POST /api/disclosures',
    await coord.send('post', '/api/disclosures', request),
  );
  const id = String(made['id']);
  expectSuccess('GET /api/disclosures/:id', await coord.send('get', `/api/disclosures/${id}`));
  const step = async (b: TestBrowser, name: string): Promise<void> => {
    made = expectSuccess(
      `POST /api/disclosures/:id/${name}`,
      await b.send('post', `/api/disclosures/${id}/${name}`, { version: made['version'] }),
    );
  };
  await step(coord, 'review');
  await step(coord2, 'approve');
  await step(adminBrowser, 'approve');
  await h.stepUp(coord, coordinator);
  await step(coord, 'export');
  expectSuccess(
    'GET /api/disclosures/:id/file',
    await coord.send('get', `/api/disclosures/${id}/file`),
  );
  made = expectSuccess(
    'GET /api/disclosures/:id',
    await coord.send('get', `/api/disclosures/${id}`),
  );
  await step(coord, 'close');
  const refused = expectSuccess(
    'POST /api/disclosures',
    await coord.send('post', '/api/disclosures', request),
  );
  expectSuccess(
    'POST /api/disclosures/:id/refuse',
    await coord2.send('post', `/api/disclosures/${String(refused['id'])}/refuse`, {
      version: refused['version'],
      reason: 'No lawful basis given.',
    }),
  );

  // A restriction, then an erasure and its receipt (as JSON).
  let other = expectSuccess(
    'GET /api/persons/:id',
    await coord.send('get', `/api/persons/${otherId}`),
  );
  other = expectSuccess(
    'POST /api/persons/:id/restriction',
    await coord.send('post', `/api/persons/${otherId}/restriction`, {
      restricted: true,
      version: other['version'],
    }),
  );
  await h.stepUp(coord, coordinator);
  expectSuccess(
    'POST /api/persons/:id/erase',
    await coord.send('post', `/api/persons/${otherId}/erase`, { version: other['version'] }),
  );
  expectSuccess(
    'GET /api/persons/:id/erasure-receipt',
    await coord.send('get', `/api/persons/${otherId}/erasure-receipt?format=json`),
  );

  // A partner renamed, a canary planted and retired, a key worker assigned and handed over.
  const partners = expectSuccess(
    'GET /api/partners',
    await adminBrowser.send('get', '/api/partners'),
  );
  const [partner] = partners as unknown as { id: string; version: number }[];
  if (partner !== undefined)
    expectSuccess(
      'PATCH /api/partners/:id',
      await adminBrowser.send('patch', `/api/partners/${partner.id}`, {
        version: partner.version,
        name: 'Fuzz legal aid, renamed',
      }),
    );
  await h.stepUp(adminBrowser, admin);
  const canary = expectSuccess(
    'POST /api/canaries',
    await adminBrowser.send('post', '/api/canaries', { identity: { givenName: 'Canary' } }),
  );
  expectSuccess(
    'POST /api/canaries/:id/retire',
    await adminBrowser.send('post', `/api/canaries/${String(canary['id'])}/retire`, {}),
  );
  // From the new caseworker to the second coordinator (the fuzzed staff may be deactivated).
  const [fromStaffId, toStaffId] = [caseworker.id, second.id];
  expectSuccess(
    'POST /api/persons/:id/key-workers',
    await coord.send('post', `/api/persons/${thirdId}/key-workers`, { staffId: fromStaffId }),
  );
  expectSuccess(
    'POST /api/key-workers/hand-over',
    await coord.send('post', '/api/key-workers/hand-over', { fromStaffId, toStaffId }),
  );

  // Retention set to its defaults; two new people merged.
  const retention = expectSuccess(
    'GET /api/retention',
    await adminBrowser.send('get', '/api/retention'),
  );
  const policies = retention['policies'] as { class: string; defaultKeep: number }[];
  expectSuccess(
    'PUT /api/retention',
    await adminBrowser.send('put', '/api/retention', {
      version: retention['version'],
      policies: policies.map((p) => ({ class: p.class, keep: p.defaultKeep })),
    }),
  );
  const survivor = expectSuccess(
    'POST /api/persons',
    await coord.send('post', '/api/persons', { identity: { givenName: 'Merge' } }),
  );
  const absorbed = expectSuccess(
    'POST /api/persons',
    await coord.send('post', '/api/persons', { identity: { givenName: 'Merged' } }),
  );
  await h.stepUp(coord, coordinator);
  expectSuccess(
    'POST /api/persons/:id/merge',
    await coord.send('post', `/api/persons/${String(survivor['id'])}/merge`, {
      absorbedId: absorbed['id'],
      survivorVersion: survivor['version'],
      absorbedVersion: absorbed['version'],
    }),
  );

  const jobs = await adminBrowser.send('get', '/api/jobs');
  const [job] = expectSuccess('GET /api/jobs', jobs) as unknown as { id: string }[];
  if (job !== undefined)
    expectSuccess('GET /api/jobs/:id', await adminBrowser.send('get', `/api/jobs/${job.id}`));

  // A caseworker's account, asked for by one admin and made by a second under a fresh step-up;
  // its first sign-in enrols a second factor, confirmed with a code for the new secret.
  const admin2 = await h.createUser(org, { roles: ['admin'] });
  const admin2Browser = await h.signIn(admin2);
  await h.stepUp(adminBrowser, admin);
  const email = 'fuzz.newcomer@example.test';
  const asked = expectSuccess(
    'POST /api/users',
    await adminBrowser.send('post', '/api/users', {
      email,
      displayName: 'Fuzz Newcomer',
      roles: ['caseworker'],
    }),
  );
  const pending = asked['pending'] as { id: string } | null;
  if (pending === null) throw new Error('a caseworker account was made without a second admin');
  await h.stepUp(admin2Browser, admin2);
  const approved = expectSuccess(
    'POST /api/users/approvals/:id/approve',
    await admin2Browser.send('post', `/api/users/approvals/${pending.id}/approve`),
  );
  const newcomer = h.browser();
  const password = String(approved['oneTimePassword']);
  expectSuccess(
    'POST /api/auth/login',
    await newcomer.send('post', '/api/auth/login', { email, password }),
  );
  const enrolment = expectSuccess(
    'POST /api/auth/mfa/enrol',
    await newcomer.send('post', '/api/auth/mfa/enrol'),
  );
  const enrolled: TestUser = {
    organisationId: org,
    id: (approved['user'] as { id: string }).id,
    email,
    password,
    totpSecret: String(enrolment['secret']),
    roles: ['caseworker'],
  };
  harbour.clock.advance(30_000);
  expectSuccess(
    'POST /api/auth/mfa/confirm',
    await newcomer.send('post', '/api/auth/mfa/confirm', { code: h.code(enrolled) }),
  );

  // Last, as it ends every session of the organisation: a lockdown, then its lift by the two
  // admins, who held the role before it began (the first approval alone leaves it in force).
  await h.stepUp(adminBrowser, admin);
  expectSuccess(
    'POST /api/organisation/lockdown',
    await adminBrowser.send('post', '/api/organisation/lockdown'),
  );
  for (const [approver, active] of [
    [admin, true],
    [admin2, false],
  ] as const) {
    const b = await h.signIn(approver);
    await h.stepUp(b, approver);
    const view = expectSuccess(
      'POST /api/organisation/lockdown/lift',
      await b.send('post', '/api/organisation/lockdown/lift'),
    );
    if ((view['lockdown'] as { active: boolean } | undefined)?.active !== active)
      throw new Error(`lockdown after ${active ? 'one approval' : 'two'}: ${JSON.stringify(view)}`);
  }
}
