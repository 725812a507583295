import type { JobView, KeysView } from '@harbour/domain';
import { ROTATABLE_FIELDS } from '@harbour/migrations';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { KeyringService } from '../../core/keyring/keyring.service';
import { KeyMaintenance } from './key-maintenance.task';

/**
 * Rotation of the organisation data key while caseworkers keep working (docs/operations.md "Key
 * rotation"): the job runs on the real job runner of the app (pg-boss, polling every second),
 * sliced every second, and every request meanwhile reads back what it wrote.
 */
describe('data key rotation', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  let otherOrg: string;
  let admin: TestUser;
  let caseworker: TestUser;
  let ad: TestBrowser;
  let cw: TestBrowser;

  const base = { channel: 'in_person', locationType: 'drop_in_centre' } as const;
  const day = () => harbour.clock.now().toISOString().slice(0, 10);

  /** Every value of every rotatable field of `organisationId`, with the key id in its header. */
  async function sealedValues(organisationId: string) {
    const rows: { field: string; id: string; key_id: string }[] = [];
    for (const field of ROTATABLE_FIELDS) {
      const [table, column] = field.split('.');
      rows.push(
        ...(await db.asSuperuser<{ field: string; id: string; key_id: string }>(
          `SELECT $2::text AS field, id::text, ciphertext_key_id("${column}")::text AS key_id
             FROM "${table}" WHERE organisation_id = $1 AND "${column}" IS NOT NULL`,
          [organisationId, field],
        )),
      );
    }
    return rows;
  }

  async function waitForJob(id: string, timeoutMs = 90_000): Promise<JobView> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      const res = await ad.send('get', `/api/jobs/${id}`);
      expect(res.status).toBe(200);
      const job = res.body as unknown as JobView;
      if (job.state === 'completed' || job.state === 'failed') return job;
      if (Date.now() > until) throw new Error(`job ${id} still ${job.state}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  }

  async function startRotation(): Promise<JobView> {
    await h.stepUp(ad, admin);
    const res = await ad.send('post', '/api/keys/rotations', { purpose: 'organisation_data' });
    expect(res.status).toBe(202);
    return res.body as unknown as JobView;
  }

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
    h = new AuthHarness(harbour);
    org = await h.createOrganisation('Rotation Test Service');
    otherOrg = await h.createOrganisation('Bystander Service');
    admin = await h.createUser(org, { roles: ['admin'] });
    caseworker = await h.createUser(org, { roles: ['caseworker'] });
    ad = await h.signIn(admin);
    cw = await h.signIn(caseworker);
    await h.signIn(await h.createUser(otherOrg, { roles: ['caseworker'] }));
  }, 60_000);

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  it('refuses a start without step-up, and to anyone but an admin', async () => {
    const fresh = await h.signIn(admin);
    const noStepUp = await fresh.send('post', '/api/keys/rotations', {
      purpose: 'organisation_data',
    });
    expect(noStepUp.status).toBe(403);
    expect(noStepUp.body.code).toBe('step_up_required');
    const byCaseworker = await cw.send('post', '/api/keys/rotations', {
      purpose: 'organisation_data',
    });
    expect(byCaseworker.status).toBe(403);
    await h.stepUp(ad, admin);
    const badPurpose = await ad.send('post', '/api/keys/rotations', { purpose: 'index' });
    expect(badPurpose.status).toBe(400);
    expect(badPurpose.body.code).toBe('validation_failed');
    const [org] = await db.asSuperuser<{ current_data_key_id: number }>(
      `SELECT current_data_key_id FROM organisation WHERE id = $1`,
      [admin.organisationId],
    );
    expect(org!.current_data_key_id).toBe(2);
  });

  it('re-encrypts every value under the new key while caseworkers write and read, and retires the old key', async () => {
    // Values under the data key before: anonymous notes (more than a batch), retry state, TOTP seeds.
    const written = new Map<string, string>();
    for (let i = 0; i < 450; i++) {
      const notes = `Outreach night ${i}: three people, one needs a solicitor`;
      const res = await cw.send(
        'post',
        '/api/contacts',
        { ...base, occurredOn: day(), kind: 'group', headcount: 3, notes },
        i % 50 === 0 ? { headers: { 'Idempotency-Key': `seed-key-${i}-abcdefgh` } } : {},
      );
      expect(res.status).toBe(201);
      written.set(res.body['id'] as string, notes);
    }
    const before = await sealedValues(org);
    expect(before.length).toBeGreaterThan(450);
    expect(new Set(before.map((v) => v.key_id))).toEqual(new Set(['2']));
    const bystander = await sealedValues(otherOrg);

    // Caseworkers keep working: each write is read back at once and again at the end.
    let stop = false;
    let loadRequests = 0;
    const failures: string[] = [];
    const load = (async () => {
      for (let i = 0; !stop; i++) {
        const notes = `During rotation ${i}: asked about a visa appointment`;
        const res = await cw.send('post', '/api/contacts', {
          ...base,
          occurredOn: day(),
          kind: 'group',
          headcount: 2,
          notes,
        });
        loadRequests++;
        if (res.status !== 201) {
          failures.push(`create ${res.status} ${res.body.code}`);
          continue;
        }
        const id = res.body['id'] as string;
        written.set(id, notes);
        const back = await cw.send('get', `/api/contacts/${id}`);
        if (back.body['notes'] !== notes) failures.push(`read back ${back.status}`);
        const older = [...written.keys()][i % 400]!;
        const again = await cw.send('get', `/api/contacts/${older}`);
        if (again.body['notes'] !== written.get(older)) failures.push(`older ${again.status}`);
      }
    })();

    // The load is under way before the rotation starts, and goes on until it has finished.
    while (loadRequests < 3) await new Promise((resolve) => setTimeout(resolve, 20));
    const started = await startRotation();
    const atStart = loadRequests;
    expect(started).toMatchObject({ kind: 'rotate_data_key', state: 'queued', done: 0 });
    const second = await ad.send('post', '/api/keys/rotations', { purpose: 'organisation_data' });
    expect(second.status).toBe(409);
    expect(second.body.code).toBe('conflict');

    const finished = await waitForJob(started.id);
    stop = true;
    await load;
    expect(failures).toEqual([]);
    expect(loadRequests).toBeGreaterThan(atStart);
    expect(finished.state).toBe('completed');
    expect(finished.done).toBeGreaterThanOrEqual(before.length);
    expect(finished.total).toBe(finished.done);

    const keys = (await ad.send('get', '/api/keys')).body as unknown as KeysView;
    const data = keys.keys.filter((k) => k.purpose === 'organisation_data');
    expect(data.map((k) => [k.keyId === 2, k.status])).toEqual([
      [true, 'retired'],
      [false, 'active'],
    ]);
    const newKeyId = data[1]!.keyId;
    expect(newKeyId).toBeGreaterThanOrEqual(1000);
    const retired = data[0]!;
    expect(Date.parse(retired.destroyAfter!) - Date.parse(retired.retiredAt!)).toBe(
      35 * 86_400_000,
    );
    expect(keys.latestRotationJobId).toBe(started.id);
    // Ids, statuses and dates only: no wrapped material, in any encoding.
    const body = JSON.stringify(keys);
    const material = await db.asKeyring<{ wrapped: Buffer }>(
      `SELECT wrapped FROM key_material WHERE organisation_id = $1`,
      [org],
    );
    expect(material.length).toBeGreaterThan(3);
    for (const { wrapped } of material) {
      for (const encoded of [wrapped.toString('base64'), wrapped.toString('hex')]) {
        expect(body.includes(encoded.slice(8, 40))).toBe(false);
      }
    }
    expect(Object.keys(keys.keys[0]!).sort()).toEqual(
      ['createdAt', 'destroyAfter', 'keyId', 'purpose', 'retiredAt', 'status'].sort(),
    );

    // Every value of the organisation names the new key; no other organisation was touched.
    const after = await sealedValues(org);
    expect(after.length).toBeGreaterThanOrEqual(before.length);
    expect(new Set(after.map((v) => v.key_id))).toEqual(new Set([String(newKeyId)]));
    expect(await sealedValues(otherOrg)).toEqual(bystander);

    // …and every one still opens: notes, replayed retry state, and the admin's TOTP seed.
    for (const [id, notes] of written) {
      const res = await cw.send('get', `/api/contacts/${id}`);
      expect(res.body['notes']).toBe(notes);
    }
    const replay = await cw.send(
      'post',
      '/api/contacts',
      {
        ...base,
        occurredOn: day(),
        kind: 'group',
        headcount: 3,
        notes: written.values().next().value,
      },
      { headers: { 'Idempotency-Key': 'seed-key-0-abcdefgh' } },
    );
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotency-replayed']).toBe('true');
    expect(written.has(replay.body['id'] as string)).toBe(true);
    const again = await h.signIn(admin);
    await h.stepUp(again, admin);

    // After the backup window the old key's material is destroyed; the data does not need it.
    harbour.clock.advance(34 * 86_400_000);
    expect(await harbour.app.get(KeyMaintenance).run()).toBe(0);
    harbour.clock.advance(2 * 86_400_000);
    expect(await harbour.app.get(KeyMaintenance).run()).toBe(1);
    const [old] = await db.asSuperuser<{ status: string }>(
      `SELECT status FROM organisation_key WHERE organisation_id = $1 AND key_id = 2`,
      [org],
    );
    expect(old).toEqual({ status: 'destroyed' });
    expect(
      await db.asKeyring(
        `SELECT key_id FROM key_material WHERE organisation_id = $1 AND key_id = 2`,
        [org],
      ),
    ).toEqual([]);
    const cw2 = await h.signIn(caseworker);
    const some = [...written.keys()][7]!;
    expect((await cw2.send('get', `/api/contacts/${some}`)).body['notes']).toBe(written.get(some));
  }, 180_000);

  it('rotates the KEK while people are recorded and read: every key re-wrapped, every name still opens', async () => {
    ad = await h.signIn(admin);
    cw = await h.signIn(caseworker);
    const people = new Map<string, string>();
    const createPerson = async (i: number) => {
      const res = await cw.send('post', '/api/persons', {
        identity: { givenName: `Malee${i}`, familyName: 'Srisuk' },
      });
      expect(res.status).toBe(201);
      const id = res.body['id'] as string;
      const notes = `Visit for person ${i}`;
      const contact = await cw.send('post', '/api/contacts', {
        ...base,
        occurredOn: day(),
        personId: id,
        notes,
      });
      expect(contact.status).toBe(201);
      people.set(contact.body['id'] as string, notes);
    };
    for (let i = 0; i < 60; i++) await createPerson(i);
    const kekBefore = (await ad.send('get', '/api/keys')).body as unknown as KeysView;
    const oldKek = kekBefore.keys.find((k) => k.purpose === 'kek' && k.status === 'active')!;

    let stop = false;
    const failures: string[] = [];
    const load = (async () => {
      for (let i = 1000; !stop; i++) {
        await createPerson(i).catch((error: Error) => failures.push(error.message));
        const [id, notes] = [...people][i % people.size]!;
        const back = await cw.send('get', `/api/contacts/${id}`);
        if (back.body['notes'] !== notes) failures.push(`read ${back.status}`);
      }
    })();
    await h.stepUp(ad, admin);
    const start = await ad.send('post', '/api/keys/rotations', { purpose: 'kek' });
    expect(start.status).toBe(202);
    const job = start.body as unknown as JobView;
    expect(job.kind).toBe('rotate_kek');
    const finished = await waitForJob(job.id);
    stop = true;
    await load;
    expect(failures).toEqual([]);
    expect(finished.state).toBe('completed');

    const keks = await db.asSuperuser<{ key_id: number; status: string }>(
      `SELECT key_id, status FROM organisation_key
        WHERE organisation_id = $1 AND purpose = 'kek' ORDER BY key_id`,
      [org],
    );
    expect(keks.map((k) => [k.key_id === oldKek.keyId, k.status])).toEqual([
      [true, 'retired'],
      [false, 'active'],
    ]);
    const newKek = keks[1]!.key_id;
    const wrappedBy = await db.asKeyring<{ wrapping_key_id: number; n: number }>(
      `SELECT wrapping_key_id, count(*)::int AS n FROM key_material
        WHERE organisation_id = $1 AND purpose <> 'kek'
        GROUP BY wrapping_key_id`,
      [org],
    );
    expect(wrappedBy.map((r) => r.wrapping_key_id)).toEqual([newKek]);
    expect(wrappedBy[0]!.n).toBeGreaterThan(60);
    // Every note under a person key reads back, in a new session (nothing served from a cache).
    harbour.app.get(KeyringService).forget(org);
    for (const [id, notes] of people) {
      expect((await cw.send('get', `/api/contacts/${id}`)).body['notes']).toBe(notes);
    }
    // A lookup confirms candidates by unwrapping their keys: the person is found.
    const found = await cw.send('post', '/api/persons/lookup', { name: 'Srisuk Malee7' });
    expect(found.status).toBe(200);
    // Exactly one exact match (the others named "Malee<n>" may follow as similar names).
    const exact = (found.body as unknown as { matchedOn: string[] }[]).filter((c) =>
      c.matchedOn.includes('name'),
    );
    expect(exact.length).toBe(1);
  }, 180_000);

  it('shows a job to its own organisation only', async () => {
    ad = await h.signIn(admin);
    cw = await h.signIn(caseworker);
    const list = await ad.send('get', '/api/jobs');
    expect(list.status).toBe(200);
    const [job] = list.body as unknown as JobView[];
    const outsider = await h.signIn(await h.createUser(otherOrg, { roles: ['admin'] }));
    const res = await outsider.send('get', `/api/jobs/${job!.id}`);
    expect(res.status).toBe(404);
    expect((await cw.send('get', `/api/jobs/${job!.id}`)).status).toBe(403);
  });
});
