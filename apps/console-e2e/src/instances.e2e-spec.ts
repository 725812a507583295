import { createHash, randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import { checkHistory, HistoryRecorder, type Outcome } from './support/histories';
import { ApiClient, type ApiResponse } from './support/api-client';
import { readDemoLogins, type DemoLogin } from './support/demo-logins';
import { startCluster, type Cluster } from './support/instances';
import { freshTotp } from './support/totp';

/**
 * Several API instances on one database (ARCHITECTURE.md "Runtime: several instances"): one embedded PostgreSQL,
 * three processes of the built API behind a round-robin proxy (request i to instance i mod 3).
 * Everything an instance could keep to itself is shared: sessions, throttles, jobs, idempotency
 * and the access log; and concurrent clients' histories of contacts and needs, checked like
 * Jepsen's, show no lost, duplicated or reordered acknowledged writes. Prints what it checked.
 */
const INSTANCES = 3;

describe('several instances behind a round-robin proxy', () => {
  let cluster: Cluster;
  let db: Client;
  let logins: DemoLogin[];
  let organisationId: string;
  let admin: ApiClient;
  /** Signed in by the first test, used by the later ones. */
  let caseworker: ApiClient;
  const figures: Record<string, unknown> = {};

  const login = (email: string): DemoLogin => {
    const found = logins.find((l) => l.email === email);
    if (found === undefined) throw new Error(`no demo login ${email}`);
    return found;
  };
  const client = (address?: string): ApiClient => new ApiClient(cluster.proxy.url, address);
  const rows = async <T>(sql: string, params: unknown[] = []): Promise<T[]> =>
    (await db.query(sql, params)).rows as T[];

  beforeAll(async () => {
    cluster = await startCluster(INSTANCES);
    logins = readDemoLogins(cluster.dataDir);
    db = new Client({ connectionString: cluster.ownerUrl });
    await db.connect();
    const [org] = await rows<{ organisation_id: string }>(
      `SELECT organisation_id FROM staff_user WHERE email = $1`,
      ['caseworker@demo.harbour.test'],
    );
    organisationId = org!.organisation_id;
    // Signed in now, so the step-up later finds a fresh code without waiting.
    admin = client();
    await admin.signIn(login('admin@demo.harbour.test'));
  }, 240_000);

  afterAll(async () => {
    await db?.end();
    await cluster?.stop();
    process.stdout.write(`\nseveral instances: ${JSON.stringify(figures, null, 2)}\n`);
  }, 60_000);

  it('shares sessions: password on one instance, code on the next, use on the third', async () => {
    caseworker = client();
    const {
      login: first,
      mfa,
      code,
    } = await caseworker.signIn(login('caseworker@demo.harbour.test'));
    const session = await caseworker.send('GET', '/api/auth/session');
    expect(session.status).toBe(200);
    expect(new Set([first.instance, mfa.instance, session.instance]).size).toBe(3);

    // A code accepted on one instance is refused on another (the used step is shared).
    const replay = client();
    await replay.send('POST', '/api/auth/login', {
      email: login('caseworker@demo.harbour.test').email,
      password: login('caseworker@demo.harbour.test').password,
    });
    const reused = await replay.send('POST', '/api/auth/mfa/verify', { code });
    expect(reused.status).toBe(401);

    // Signing out on one instance ends the session on every other one.
    const other = client();
    await other.signIn(login('coordinator2@demo.harbour.test'));
    const out = await other.send('POST', '/api/auth/logout');
    expect(out.status).toBeLessThan(300);
    const cookies = new Map(other.cookies);
    const after: ApiResponse[] = [];
    for (let i = 0; i < INSTANCES; i++) {
      // Replays the signed-out session's cookies, as a stolen copy would.
      const copy = client();
      for (const [k, v] of cookies) copy.cookies.set(k, v);
      after.push(await copy.send('GET', '/api/auth/session'));
    }
    expect(after.map((r) => r.status)).toEqual([401, 401, 401]);
    figures['sessions'] = {
      signInInstances: [first.instance, mfa.instance, session.instance],
      codeReplayStatus: reused.status,
      afterLogoutStatuses: after.map((r) => `${r.instance}:${r.status}`),
    };
  });

  it('counts sign-in attempts across instances (per address and per account)', async () => {
    // 21 attempts from one address, each with a different unknown e-mail (no account backoff).
    const address = '198.51.100.7';
    const statuses: number[] = [];
    const perInstance = new Map<number, number>();
    for (let i = 0; i < 21; i++) {
      const res = await client(address).send('POST', '/api/auth/login', {
        email: `nobody-${i}-${randomBytes(4).toString('hex')}@example.test`,
        password: 'not the password at all',
      });
      statuses.push(res.status);
      perInstance.set(res.instance, (perInstance.get(res.instance) ?? 0) + 1);
    }
    expect(statuses.slice(0, 20).every((s) => s === 401)).toBe(true);
    expect(statuses[20]).toBe(429);
    // No instance saw more than 7 of them: only a shared count reaches 21.
    expect(Math.max(...perInstance.values())).toBeLessThanOrEqual(7);

    // Five wrong passwords for one account from five addresses, spread over the instances.
    const peer = login('peer@demo.harbour.test');
    const failures: number[] = [];
    for (let i = 0; i < 5; i++) {
      const res = await client(`198.51.100.${20 + i}`).send('POST', '/api/auth/login', {
        email: peer.email,
        password: `wrong password number ${i}`,
      });
      failures.push(res.instance);
      expect(res.status).toBe(401);
    }
    const accountKey = `account:${createHash('sha256').update(peer.email.toLowerCase()).digest('hex')}`;
    const [row] = await rows<{ consecutive_failures: number; next_attempt_at: Date | null }>(
      `SELECT consecutive_failures, next_attempt_at FROM login_throttle WHERE key = $1`,
      [accountKey],
    );
    expect(row?.consecutive_failures).toBe(5);
    expect(row?.next_attempt_at).not.toBeNull();
    figures['throttles'] = {
      addressAttempts: statuses.length,
      addressAttemptsPerInstance: Object.fromEntries(perInstance),
      twentyFirstStatus: statuses[20],
      accountFailuresOnInstances: failures,
      accountFailuresCounted: row?.consecutive_failures,
    };
  });

  it('applies a create once whichever instances its retries reach, with the same answer', async () => {
    const person = await caseworker.send('POST', '/api/persons', {});
    expect(person.status).toBe(201);
    const personId = person.body['id'] as string;
    const contact = {
      personId,
      occurredOn: new Date().toISOString().slice(0, 10),
      channel: 'in_person',
      locationType: 'drop_in_centre',
      needs: [{ category: 'housing' }],
    };

    const key = randomBytes(16).toString('hex');
    const one = await caseworker.send('POST', '/api/contacts', contact, { 'Idempotency-Key': key });
    const two = await caseworker.send('POST', '/api/contacts', contact, { 'Idempotency-Key': key });
    expect([one.status, two.status]).toEqual([201, 201]);
    expect(one.instance).not.toBe(two.instance);
    expect(two.body).toEqual(one.body);
    expect(two.headers.get('idempotency-replayed')).toBe('true');

    // The same key at the same moment on every instance: one record, one answer.
    const key2 = randomBytes(16).toString('hex');
    const together = await Promise.all(
      Array.from({ length: INSTANCES * 2 }, () =>
        caseworker.send('POST', '/api/contacts', contact, { 'Idempotency-Key': key2 }),
      ),
    );
    expect(together.map((r) => r.status)).toEqual(together.map(() => 201));
    expect(new Set(together.map((r) => r.body['id'])).size).toBe(1);
    expect(new Set(together.map((r) => r.instance)).size).toBe(INSTANCES);

    // The key with a different request, on yet another instance: refused.
    const reused = await caseworker.send(
      'POST',
      '/api/contacts',
      { ...contact, channel: 'phone' },
      { 'Idempotency-Key': key },
    );
    expect(reused.status).toBe(409);

    const [count] = await rows<{ contacts: string; needs: string }>(
      `SELECT (SELECT count(*) FROM contact WHERE person_id = $1) AS contacts,
              (SELECT count(*) FROM support_need WHERE person_id = $1) AS needs`,
      [personId],
    );
    expect(Number(count!.contacts)).toBe(2);
    expect(Number(count!.needs)).toBe(2);
    figures['idempotency'] = {
      sequentialInstances: [one.instance, two.instance],
      concurrentRequests: together.length,
      concurrentInstances: [...new Set(together.map((r) => r.instance))].sort(),
      replayed: together.filter((r) => r.headers.get('idempotency-replayed') === 'true').length,
      recordsWritten: Number(count!.contacts),
    };
  });

  it('keeps one access log: every event once, gap-free, verified, checkpoints made once', async () => {
    const testStarted = new Date();
    const REQUESTS = 600;
    const CONCURRENCY = 24;
    const ids = Array.from({ length: REQUESTS }, () => randomBytes(16).toString('hex'));
    const statuses: number[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < ids.length) {
          const id = ids[next++]!;
          const res = await caseworker.send('GET', '/api/contacts?limit=1', undefined, {
            'X-Correlation-Id': id,
          });
          statuses.push(res.status);
        }
      }),
    );
    expect(statuses.filter((s) => s !== 200)).toEqual([]);

    const perRequest = await rows<{ request_id: string; events: string }>(
      `SELECT request_id, count(*) AS events FROM access_event
        WHERE organisation_id = $1 AND request_id = ANY($2) GROUP BY request_id`,
      [organisationId, ids],
    );
    const lost = ids.length - perRequest.length;
    const duplicated = perRequest.filter((r) => Number(r.events) !== 1).length;
    expect({ lost, duplicated }).toEqual({ lost: 0, duplicated: 0 });

    const [shape] = await rows<{ events: string; max_seq: string; tree_size: string }>(
      `SELECT (SELECT count(*) FROM access_event WHERE organisation_id = $1) AS events,
              (SELECT max(seq) FROM access_event WHERE organisation_id = $1) AS max_seq,
              (SELECT tree_size FROM audit_log_state WHERE organisation_id = $1) AS tree_size`,
      [organisationId],
    );
    expect(Number(shape!.events)).toBe(Number(shape!.max_seq) + 1);

    const auditor = client();
    await auditor.signIn(login('auditor@demo.harbour.test'));
    const verified = await auditor.send('GET', '/api/audit/verify');
    expect(verified.status).toBe(200);
    expect(verified.body['status']).toBe('verified');

    // Checkpoints: the periodic task (on whichever instance takes its lock) covers the burst
    // within 60 s (docs/security.md T27), and every checkpoint is exported once, though every
    // instance may export.
    const burstSize = Number(shape!.tree_size);
    let checkpoints: {
      organisation_id: string;
      tree_size: string;
      signed_at: Date;
      witnessed_at: Date | null;
    }[] = [];
    const covered = (): boolean =>
      checkpoints.some(
        (c) => c.organisation_id === organisationId && Number(c.tree_size) >= burstSize,
      ) && checkpoints.every((c) => c.witnessed_at !== null);
    const deadline = Date.now() + 90_000;
    do {
      await new Promise((r) => setTimeout(r, 1000));
      checkpoints = await rows(
        `SELECT organisation_id, tree_size, signed_at, witnessed_at FROM audit_checkpoint
          ORDER BY organisation_id, tree_size`,
      );
    } while (!covered() && Date.now() < deadline);
    expect(covered()).toBe(true);
    expect(checkpoints.filter((c) => c.witnessed_at === null)).toEqual([]);
    const exports = new Map<string, number>();
    for (const post of cluster.witness.posts) {
      const name = `${post.organisationId}/${post.treeSize}`;
      exports.set(name, (exports.get(name) ?? 0) + 1);
    }
    const exportedTwice = [...exports].filter(([, n]) => n > 1).map(([name]) => name);
    expect(exportedTwice).toEqual([]);
    expect(exports.size).toBe(checkpoints.length);
    const files = readdirSync(join(cluster.witnessDir, organisationId)).length;
    const ours = checkpoints.filter((c) => c.organisation_id === organisationId);
    expect(files).toBe(ours.length);

    // Made once: besides the writer's checkpoint every 1,000 events (or more, if appends are
    // batched), the periodic task (on whichever instance takes its lock) adds one only when the
    // last is 40 s old; two instances checkpointing the same tail would leave two close ones.
    const recent = ours.filter((c) => c.signed_at >= testStarted);
    expect(recent.length).toBeGreaterThan(0);
    const tooClose = recent.slice(1).filter((c, i) => {
      const previous = recent[i]!;
      const bySize = Number(c.tree_size) - Number(previous.tree_size) >= 1000;
      const byTime = c.signed_at.getTime() - previous.signed_at.getTime() >= 39_000;
      return !bySize && !byTime;
    });
    expect(tooClose).toEqual([]);
    figures['accessLog'] = {
      requests: REQUESTS,
      concurrency: CONCURRENCY,
      requestsPerInstance: [...cluster.proxy.counts],
      eventsForRequests: perRequest.length,
      lost,
      duplicated,
      treeSize: Number(shape!.tree_size),
      gapFree: Number(shape!.events) === Number(shape!.max_seq) + 1,
      verified: verified.body['status'],
      checkpointsInDatabase: checkpoints.length,
      checkpointsDuringBurst: recent.map((c) => Number(c.tree_size)),
      witnessPosts: cluster.witness.posts.length,
      exportedTwice: exportedTwice.length,
      witnessFiles: files,
    };
  }, 180_000);

  it('keeps concurrent histories of contacts and needs: nothing lost, duplicated or reordered', async () => {
    // The caseworker signed in once (a TOTP code is accepted once: a second sign-in of the
    // same user within 30 s would wait for the next code); the coordinator signs in here.
    const writers = [caseworker, client()];
    await writers[1]!.signIn(login('coordinator@demo.harbour.test'));
    const people: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await writers[0]!.send('POST', '/api/persons', {});
      expect(res.status).toBe(201);
      people.push(res.body['id'] as string);
    }
    const today = new Date().toISOString().slice(0, 10);
    const history = new HistoryRecorder();
    const outcomeOf = (res: ApiResponse): Outcome =>
      res.status < 300 ? 'ok' : res.status < 500 ? 'fail' : 'info';
    let seed = 20261206;
    const random = (): number => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed / 2 ** 31;
    };

    const CLIENTS = 8;
    const OPS_PER_CLIENT = 30;
    await Promise.all(
      Array.from({ length: CLIENTS }, async (_, c) => {
        const api = writers[c % writers.length]!;
        for (let n = 0; n < OPS_PER_CLIENT; n++) {
          const person = people[Math.floor(random() * people.length)]!;
          const roll = random();
          if (roll < 0.35) {
            const key = randomBytes(16).toString('hex');
            const body = {
              personId: person,
              occurredOn: today,
              channel: 'outreach_visit',
              locationType: 'street',
              needs: [{ category: 'health' }],
            };
            const send = async (): Promise<{ outcome: Outcome; value?: string }> => {
              const res = await api.send('POST', '/api/contacts', body, { 'Idempotency-Key': key });
              return { outcome: outcomeOf(res), value: res.body['id'] as string | undefined };
            };
            // One in four is retried at once (a lost answer), reaching another instance.
            const retried = random() < 0.25;
            await Promise.all([
              history.append(`contacts:${person}`, c, send),
              retried ? history.append(`contacts:${person}`, c, send) : Promise.resolve(),
            ]);
          } else if (roll < 0.5) {
            await history.append(`needs:${person}`, c, async () => {
              const res = await api.send('POST', '/api/needs', {
                personId: person,
                category: 'legal',
              });
              return { outcome: outcomeOf(res), value: res.body['id'] as string | undefined };
            });
          } else if (roll < 0.8) {
            await history.read(`contacts:${person}`, c, async () => {
              const res = await api.send('GET', `/api/contacts?person=${person}&limit=200`);
              const items = (res.body['items'] ?? []) as { id: string }[];
              return { outcome: outcomeOf(res), values: items.map((i) => i.id) };
            });
          } else {
            await history.read(`needs:${person}`, c, async () => {
              const res = await api.send('GET', `/api/needs?person=${person}`);
              const items = (Array.isArray(res.body) ? res.body : []) as unknown as {
                id: string;
              }[];
              return { outcome: outcomeOf(res), values: items.map((i) => i.id) };
            });
          }
        }
      }),
    );
    // A final read of every list, after every operation completed.
    for (const person of people) {
      await history.read(`contacts:${person}`, CLIENTS, async () => {
        const res = await writers[0]!.send('GET', `/api/contacts?person=${person}&limit=200`);
        const items = (res.body['items'] ?? []) as { id: string }[];
        return { outcome: outcomeOf(res), values: items.map((i) => i.id) };
      });
      await history.read(`needs:${person}`, CLIENTS, async () => {
        const res = await writers[0]!.send('GET', `/api/needs?person=${person}`);
        const items = (Array.isArray(res.body) ? res.body : []) as unknown as { id: string }[];
        return { outcome: outcomeOf(res), values: items.map((i) => i.id) };
      });
    }

    const report = checkHistory(history.ops, (key) =>
      key.startsWith('contacts:') ? 'newest-first' : 'oldest-first',
    );
    figures['histories'] = {
      clients: CLIENTS,
      operations: history.ops.length,
      appends: report.appends,
      reads: report.reads,
      visibilityChecks: report.visibilityChecks,
      orderChecks: report.orderChecks,
      anomalies: report.anomalies.length,
    };
    expect(report.anomalies).toEqual([]);
    expect(report.appends.ok).toBeGreaterThan(50);
    expect(report.appends.fail + report.appends.info).toBe(0);
    expect(report.visibilityChecks).toBeGreaterThan(100);
    expect(report.orderChecks).toBeGreaterThan(100);
  }, 180_000);

  it('runs each job once: key rotations worked in slices by whichever instance is free', async () => {
    const adminLogin = login('admin@demo.harbour.test');
    const stepUp = await admin.send('POST', '/api/auth/step-up', {
      password: adminLogin.password,
      code: await freshTotp(adminLogin.totpSecret),
    });
    expect(stepUp.status).toBe(200);
    // The data key (re-encrypts values) and the KEK (re-wraps every person's key): many slices.
    const jobIds: string[] = [];
    for (const purpose of ['organisation_data', 'kek']) {
      const started = await admin.send('POST', '/api/keys/rotations', { purpose });
      expect(started.status).toBe(202);
      jobIds.push(started.body['id'] as string);
    }

    const finished: ApiResponse[] = [];
    for (const jobId of jobIds) {
      let job: ApiResponse | undefined;
      const deadline = Date.now() + 120_000;
      while (Date.now() < deadline) {
        job = await admin.send('GET', `/api/jobs/${jobId}`);
        if (job.body['state'] === 'completed' || job.body['state'] === 'failed') break;
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(job?.body['state']).toBe('completed');
      expect(job?.body['done']).toBe(job?.body['total']);
      finished.push(job!);
    }

    const slices = await rows<{ id: string; state: string; retry_count: number }>(
      `SELECT id, state, retry_count FROM pgboss.job
        WHERE name = 'key-rotation' AND data->>'jobId' = ANY($1)`,
      [jobIds],
    );
    // At least one slice per job (more when a rotation outlasts a 1 s slice: how many depends
    // on the machine's speed, so it is reported, not asserted).
    expect(slices.length).toBeGreaterThanOrEqual(jobIds.length);
    expect(slices.filter((s) => s.state !== 'completed' || s.retry_count !== 0)).toEqual([]);
    // Each slice was started exactly once, on exactly one instance.
    const startedOn = new Map<string, number[]>();
    cluster.instances.forEach((instance, index) => {
      for (const entry of instance.logs) {
        const match = /^job started (\{.*\})$/.exec(String(entry['msg']));
        if (match === null) continue;
        const { job: id } = JSON.parse(match[1]!) as { job: string };
        startedOn.set(id, [...(startedOn.get(id) ?? []), index]);
      }
    });
    const startedTwice = slices.filter((s) => (startedOn.get(s.id)?.length ?? 0) > 1).length;
    const neverStarted = slices.filter((s) => startedOn.get(s.id) === undefined).length;
    expect({ startedTwice, neverStarted }).toEqual({ startedTwice: 0, neverStarted: 0 });
    const perInstance = cluster.instances.map(
      (_, index) => slices.filter((s) => startedOn.get(s.id)?.[0] === index).length,
    );
    figures['jobs'] = {
      jobs: finished.map((j) => ({ kind: j.body['kind'], done: j.body['done'] })),
      slices: slices.length,
      slicesPerInstance: perInstance,
      startedTwice,
    };
  }, 240_000);

  it('answered no request with a server error on any instance', () => {
    const errors = cluster.instances.map(
      (instance) =>
        instance.logs.filter(
          (l) => l['msg'] === 'request' && Number((l['res'] as { status?: number })?.status) >= 500,
        ).length,
    );
    figures['serverErrors'] = errors;
    figures['requestsPerInstance'] = [...cluster.proxy.counts];
    expect(errors).toEqual(cluster.instances.map(() => 0));
  });
});
