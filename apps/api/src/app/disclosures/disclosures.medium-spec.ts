import { randomUUID } from 'node:crypto';
import type { DisclosureRequestView, PersonDisclosureView } from '@harbour/domain';
import { findCanaries } from '../../test/canaries';
import { DisclosureWorld } from '../../test/medium/disclosure-world';

/**
 * Disclosure requests (issue 18): the two-person process, step-up, one access event per step,
 * sealed text, tenancy, and the person page's list.
 */
describe('disclosure requests', () => {
  const w = new DisclosureWorld();

  beforeAll(() => w.build(), 120_000);
  afterAll(() => w.close());

  it('records a request with its text sealed, its people by id, and one access event naming only ids', async () => {
    const { res, written } = await w.traced(() =>
      w.as.recorder.send('post', '/api/disclosures', {
        authority: 'police',
        requester: 'DC Example, Central Station',
        legalInstrument: 'Production order 2026/17',
        legalAdvice: 'Counsel: comply narrowly.',
        personCodes: [w.asked[0]!.code.toLowerCase(), w.asked[1]!.code],
        fields: ['givenName', 'contacts'],
        periodFrom: '2026-02-01',
        periodTo: '2026-03-31',
      }),
    );
    expect(res.status).toBe(201);
    const made = res.body as unknown as DisclosureRequestView;
    expect(made).toMatchObject({
      status: 'recorded',
      authority: 'police',
      requester: 'DC Example, Central Station',
      legalInstrument: 'Production order 2026/17',
      legalAdvice: 'Counsel: comply narrowly.',
      personCodes: [w.asked[0]!.code, w.asked[1]!.code].sort(),
      fields: ['givenName', 'contacts'],
      approvals: [],
      recordedBy: w.users.recorder.id,
    });
    expect(written).toHaveLength(1);
    expect(written[0]).toMatchObject({ action: 'disclosure.recorded', outcome: 'success' });
    expect([...written[0]!.resource_ids].sort()).toEqual(
      [made.id, w.asked[0]!.id, w.asked[1]!.id].sort(),
    );
    const [row] = await w.db.asSuperuser<{ sealed: Buffer }>(
      `SELECT requester || legal_instrument || legal_advice AS sealed FROM disclosure_request
        WHERE id = $1`,
      [made.id],
    );
    for (const word of ['Central Station', 'Production order', 'Counsel']) {
      expect(row!.sealed.toString('latin1')).not.toContain(word);
    }
    const events = await w.db.asSuperuser<{ body: string }>(
      `SELECT row_to_json(e)::text AS body FROM access_event e WHERE organisation_id = $1`,
      [w.org],
    );
    const log = events.map((e) => e.body).join('\n');
    expect(log).not.toContain('Central Station');
    expect(findCanaries(log)).toEqual([]);
  });

  it('refuses a code that is not a person of the organisation, writing nothing', async () => {
    const count = async () => (await w.db.asSuperuser(`SELECT 1 FROM disclosure_request`)).length;
    const before = await count();
    for (const codes of [[w.asked[0]!.code, w.foreign.code], ['HB-0000-0000']]) {
      const res = await w.as.recorder.send('post', '/api/disclosures', {
        authority: 'immigration',
        requester: 'Officer',
        legalInstrument: 'Letter',
        personCodes: codes,
        fields: ['givenName'],
        periodFrom: '2026-01-01',
        periodTo: '2026-01-31',
      });
      expect(res.status).toBe(422);
      expect(res.body.code).toBe('disclosure_unknown_person');
    }
    const backwards = await w.as.recorder.send('post', '/api/disclosures', {
      authority: 'court',
      requester: 'Clerk',
      legalInstrument: 'Order',
      personCodes: [w.asked[0]!.code],
      fields: ['givenName'],
      periodFrom: '2026-02-01',
      periodTo: '2026-01-01',
    });
    expect(backwards.status).toBe(400);
    expect(await count()).toBe(before);
  });

  it('needs review, two approvers (a coordinator and an admin, neither the recorder) and step-up before anything goes out', async () => {
    const made = await w.record();
    const v = () => w.version(made.id);
    const expectStep = async (
      who: keyof DisclosureWorld['users'],
      step: 'review' | 'approve' | 'export' | 'close',
      stepUp: boolean,
      status: number,
      code?: string,
    ) => {
      if (stepUp) await w.h.stepUp(w.as[who], w.users[who]);
      const version = await v();
      const { res, written } = await w.traced(() => w.step(who, made.id, step, { version }));
      expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
      const action = `disclosure.${{ review: 'reviewed', approve: 'approved', export: 'exported', close: 'closed' }[step]}`;
      expect(written.map((e) => [e.action, e.outcome])).toEqual([
        [action, status < 300 ? 'success' : expect.any(String)],
      ]);
      // (A refusal by the access guard — no step-up — names no resource.)
      if (code !== 'step_up_required') expect(written[0]!.resource_ids).toContain(made.id);
      return res;
    };

    // Not before review.
    await expectStep('coord', 'approve', true, 409, 'disclosure_status');
    await expectStep('recorder', 'review', false, 200);
    // The recorder cannot approve their own request.
    await expectStep('recorder', 'approve', true, 403, 'disclosure_self_approval');
    // Without a fresh step-up: refused.
    await w.refresh(); // fresh sessions: no step-up yet
    await expectStep('coord', 'approve', false, 403, 'step_up_required');
    const first = await expectStep('coord', 'approve', true, 200);
    expect(first.body).toMatchObject({ status: 'under_review' });
    expect((first.body as unknown as DisclosureRequestView).approvals).toEqual([
      expect.objectContaining({ approverId: w.users.coord.id, asRole: 'coordinator' }),
    ]);
    // The same person twice, or a second coordinator: the role is counted already.
    for (const who of ['coord', 'coord2'] as const) {
      await expectStep(who, 'approve', true, 409, 'disclosure_already_approved');
    }
    // One approver: no export.
    await expectStep('recorder', 'export', true, 409, 'disclosure_status');
    expect(
      await w.db.asSuperuser(`SELECT 1 FROM disclosure_file WHERE request_id = $1`, [made.id]),
    ).toEqual([]);
    // The admin's view: the request, no person's data.
    const seen = await w.as.admin.send('get', `/api/disclosures/${made.id}`);
    expect(seen.status).toBe(200);
    expect(findCanaries(JSON.stringify(seen.body))).toEqual([]);
    expect((await w.as.admin.send('get', `/api/persons/${w.asked[0]!.id}`)).status).toBe(403);

    const second = await expectStep('admin', 'approve', true, 200);
    expect(second.body).toMatchObject({ status: 'approved' });
    // A second admin cannot add a third approval.
    await expectStep('admin2', 'approve', true, 409, 'disclosure_status');
    // The admin cannot produce the file; a coordinator needs step-up.
    expect((await w.step('admin', made.id, 'export', { version: await v() }, true)).status).toBe(
      403,
    );
    await w.refresh(); // fresh sessions: no step-up yet
    await expectStep('recorder', 'export', false, 403, 'step_up_required');
    const exported = await expectStep('recorder', 'export', true, 200);
    const { passphrase } = exported.body as { passphrase: string };
    expect(passphrase.length).toBeGreaterThanOrEqual(24);
    // Once only.
    await expectStep('recorder', 'export', true, 409, 'disclosure_status');
    const { res: file, written } = await w.traced(() =>
      w.as.coord.send('get', `/api/disclosures/${made.id}/file`),
    );
    expect(file.status).toBe(200);
    expect(written.map((e) => e.action)).toEqual(['disclosure.downloaded']);
    expect(file.headers['content-type']).toBe('application/zip');
    expect(file.headers['content-disposition']).toBe(
      `attachment; filename="disclosure-${made.id}.zip"`,
    );
    expect((await w.as.admin.send('get', `/api/disclosures/${made.id}/file`)).status).toBe(403);
    await expectStep('recorder', 'close', false, 200);

    // The passphrase is stored and logged nowhere.
    const dump = await w.db.asSuperuser<{ body: string }>(
      `SELECT row_to_json(e)::text AS body FROM access_event e
       UNION ALL SELECT row_to_json(r)::text FROM disclosure_request r
       UNION ALL SELECT row_to_json(k)::text FROM idempotency_key k`,
    );
    expect(dump.map((d) => d.body).join('\n')).not.toContain(passphrase);
    expect(w.harbour.rawLogs()).not.toContain(passphrase);

    // The person page shows that a disclosure happened (and nothing for anyone else).
    const about = await w.as.cw.send('get', `/api/persons/${w.asked[0]!.id}/disclosures`);
    expect(about.status).toBe(200);
    expect(about.body as unknown as PersonDisclosureView[]).toContainEqual({
      requestId: made.id,
      authority: 'police',
      status: 'closed',
      disclosedAt: expect.any(String),
    });
    const none = await w.as.cw.send('get', `/api/persons/${w.other.id}/disclosures`);
    expect(none.body).toEqual([]);
  });

  it('lets a coordinator or an admin refuse (step-up), and a refused request never exports', async () => {
    await w.refresh();
    const made = await w.record();
    await w.step('recorder', made.id, 'review', { version: made.version });
    const short = await w.step(
      'admin',
      made.id,
      'refuse',
      { version: made.version + 1, reason: 'no' },
      true,
    );
    expect(short.status).toBe(400);
    await w.refresh(); // fresh sessions: no step-up yet
    const noStepUp = await w.step('admin', made.id, 'refuse', {
      version: made.version + 1,
      reason: 'The order does not name these people.',
    });
    expect(noStepUp.body.code).toBe('step_up_required');
    const { res, written } = await w.traced(() =>
      w.step(
        'admin',
        made.id,
        'refuse',
        {
          version: made.version + 1,
          reason: 'The order does not name these people.',
        },
        true,
      ),
    );
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      status: 'refused',
      refusalReason: 'The order does not name these people.',
    });
    expect(written.filter((e) => e.action.startsWith('disclosure.'))).toHaveLength(1);
    const exported = await w.step(
      'recorder',
      made.id,
      'export',
      { version: await w.version(made.id) },
      true,
    );
    expect(exported.body.code).toBe('disclosure_status');
    const file = await w.as.recorder.send('get', `/api/disclosures/${made.id}/file`);
    expect(file.body.code).toBe('disclosure_status');
    const closed = await w.step('recorder', made.id, 'close', {
      version: await w.version(made.id),
    });
    expect(closed.body).toMatchObject({ status: 'closed', refusalReason: expect.any(String) });
  });

  it('answers 404 for another organisation’s request and person, and lists only its own', async () => {
    await w.refresh();
    const made = await w.record();
    const out = w.as.outsider;
    expect((await out.send('get', `/api/disclosures/${made.id}`)).status).toBe(404);
    await w.h.stepUp(out, w.users.outsider);
    for (const step of ['review', 'approve', 'refuse', 'export', 'close']) {
      const res = await out.send('post', `/api/disclosures/${made.id}/${step}`, {
        version: made.version,
        ...(step === 'refuse' ? { reason: 'Not ours to refuse, surely.' } : {}),
      });
      expect({ step, status: res.status }).toEqual({ step, status: 404 });
    }
    expect((await out.send('get', `/api/disclosures/${made.id}/file`)).status).toBe(404);
    expect((await out.send('get', `/api/disclosures`)).body).toEqual([]);
    const person = await w.as.cw.send('get', `/api/persons/${w.foreign.id}/disclosures`);
    expect(person.status).toBe(404);
    // The database refuses what the service would: the recorder as approver.
    await expect(
      w.db.asSuperuser(
        `INSERT INTO disclosure_approval (organisation_id, request_id, approver_id, as_role, approved_at)
         VALUES ($1, $2, $3, 'coordinator', now())`,
        [w.org, made.id, w.users.recorder.id],
      ),
    ).rejects.toThrow(/recorder/);
  });

  it('records a retried request once: the same Idempotency-Key answers the first result', async () => {
    const count = async () => (await w.db.asSuperuser(`SELECT 1 FROM disclosure_request`)).length;
    const before = await count();
    const body = {
      authority: 'court',
      requester: 'Clerk of the court',
      legalInstrument: 'Witness summons',
      personCodes: [w.asked[1]!.code],
      fields: ['needs'],
      periodFrom: '2026-01-01',
      periodTo: '2026-06-30',
    };
    const headers = { 'Idempotency-Key': randomUUID() };
    const first = await w.as.recorder.send('post', '/api/disclosures', body, { headers });
    const again = await w.as.recorder.send('post', '/api/disclosures', body, { headers });
    expect(first.status).toBe(201);
    expect(again.status).toBe(201);
    expect(again.body['id']).toBe(first.body['id']);
    expect(await count()).toBe(before + 1);
  });

  it('stops exports in a lockdown: nothing is produced', async () => {
    await w.refresh();
    const made = await w.approved();
    expect((await w.as.recorder.send('get', `/api/disclosures/${made.id}`)).status).toBe(200);
    await w.h.stepUp(w.as.admin2, w.users.admin2);
    const lock = await w.as.admin2.send('post', '/api/organisation/lockdown', {});
    expect(lock.status).toBe(200);
    const res = await w.step('recorder', made.id, 'export', { version: await w.version(made.id) });
    expect([401, 403]).toContain(res.status);
    const [row] = await w.db.asSuperuser<{ status: string }>(
      `SELECT status FROM disclosure_request WHERE id = $1`,
      [made.id],
    );
    expect(row!.status).toBe('approved');
    expect(
      await w.db.asSuperuser(`SELECT 1 FROM disclosure_file WHERE request_id = $1`, [made.id]),
    ).toEqual([]);
  });
});
