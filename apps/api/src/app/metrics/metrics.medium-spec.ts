import { randomUUID } from 'node:crypto';
import { JOB_QUEUES } from '@harbour/migrations';
import request from 'supertest';
import { CANARY_PEOPLE, findCanaries } from '../../test/canaries';
import { AuthHarness, type TestBrowser, type TestUser } from '../../test/medium/auth-harness';
import { createTestApp, type TestApp } from '../../test/medium/test-app';
import { createTestDatabase, type TestDatabase } from '../../test/medium/test-database';
import { METRIC } from '../../infra/metrics/metrics';

const TOKEN = `metrics-${'0123456789abcdef'.repeat(3)}`;
const ORGANISATION = 'Metricsprobe Outreach Collective';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

interface Sample {
  readonly name: string;
  readonly labels: Readonly<Record<string, string>>;
  readonly value: number;
}

/** The Prometheus text format (0.0.4): `name{label="value",...} number` per sample line. */
function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (match === null) throw new Error(`not an exposition line: ${line}`);
    const labels: Record<string, string> = {};
    for (const pair of (match[2] ?? '').matchAll(/([a-zA-Z_]\w*)="((?:[^"\\]|\\.)*)"/g)) {
      labels[pair[1]!] = pair[2]!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    }
    samples.push({ name: match[1]!, labels, value: Number(match[3]) });
  }
  return samples;
}

/** The sum of the samples named `name` whose labels include `labels`. */
function total(samples: readonly Sample[], name: string, labels: Record<string, string> = {}) {
  return samples
    .filter((s) => s.name === name)
    .filter((s) => Object.entries(labels).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

describe('GET /metrics', () => {
  let db: TestDatabase;
  let harbour: TestApp;
  let h: AuthHarness;
  let org: string;
  let caseworker: TestUser;
  let browser: TestBrowser;

  const scrape = (authorization: string | null = `Bearer ${TOKEN}`) => {
    const req = request(harbour.app.getHttpServer()).get('/metrics');
    return authorization === null ? req : req.set('Authorization', authorization);
  };
  const samples = async (): Promise<{ text: string; samples: Sample[] }> => {
    const res = await scrape();
    expect(res.status).toBe(200);
    return { text: res.text, samples: parseExposition(res.text) };
  };

  beforeAll(async () => {
    db = await createTestDatabase();
    harbour = await createTestApp(db, { env: { HARBOUR_METRICS_TOKEN: TOKEN } });
    h = new AuthHarness(harbour);
    org = await h.createOrganisation(ORGANISATION);
    caseworker = await h.createUser(org, {
      roles: ['caseworker'],
      email: 'metrics.caseworker@probe.test',
    });
    browser = await h.signIn(caseworker);
  });

  afterAll(async () => {
    await harbour.close();
    await db.drop();
  });

  it('asks for the token: none, another scheme or a wrong one is 401; a staff session is not enough', async () => {
    for (const authorization of [
      null,
      `Basic ${Buffer.from(`x:${TOKEN}`).toString('base64')}`,
      `Bearer ${TOKEN.slice(0, -1)}x`,
      `Bearer ${TOKEN}${TOKEN}`,
      'Bearer ',
    ]) {
      const res = await scrape(authorization);
      expect({ authorization, status: res.status, code: res.body.code }).toEqual({
        authorization,
        status: 401,
        code: 'unauthenticated',
      });
      expect(res.text).not.toContain('harbour_');
    }
    const signedIn = await browser.send('get', '/metrics');
    expect({ status: signedIn.status, code: signedIn.body.code }).toEqual({
      status: 401,
      code: 'unauthenticated',
    });
    const res = await scrape();
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/plain;/);
    expect(res.headers['content-type']).toContain('version=0.0.4');
  });

  it('is off (404) without a configured token', async () => {
    const off = await createTestApp(db);
    try {
      const res = await request(off.app.getHttpServer())
        .get('/metrics')
        .set('Authorization', `Bearer ${TOKEN}`);
      expect({ status: res.status, code: res.body.code }).toEqual({
        status: 404,
        code: 'not_found',
      });
    } finally {
      await off.close();
    }
  });

  it('moves with traffic, and its labels name no person, organisation, id or address', async () => {
    const before = (await samples()).samples;
    const canary = CANARY_PEOPLE[0]!;

    const created = await browser.send('post', '/api/persons', {
      identity: { givenName: canary.given, familyName: canary.family, alias: canary.alias },
    });
    expect(created.status).toBe(201);
    const id = created.body['id'] as string;
    expect((await browser.send('get', `/api/persons/${id}`)).status).toBe(200);
    const lookup = await browser.send('post', '/api/persons/lookup', {
      name: `${canary.given} ${canary.family}`,
    });
    expect(lookup.status).toBe(200);
    expect((await browser.send('get', `/api/persons/${randomUUID()}`)).status).toBe(404);
    expect((await browser.send('get', `/api/persons/${id}/${canary.given}`)).status).toBe(404);
    expect(
      (await browser.send('get', `/api/nowhere/${encodeURIComponent(caseworker.email)}`)).status,
    ).toBe(404);
    expect((await browser.send('post', '/api/persons', { ageBand: 'ancient' })).status).toBe(400);
    // A job waiting, and the organisation in lockdown (straight in the database: the figures
    // are read at scrape time).
    await db.asSuperuser(`INSERT INTO pgboss.job (name, data) VALUES ($1, '{}'::jsonb)`, [
      JOB_QUEUES[0].name,
    ]);
    await db.asSuperuser(`UPDATE organisation SET lockdown_at = now() WHERE id = $1`, [org]);

    const events = async () =>
      Number(
        (
          await db.asSuperuser<{ n: string }>(
            'SELECT count(*) AS n FROM access_event WHERE organisation_id = $1',
            [org],
          )
        )[0]!.n,
      );
    const eventsBefore = await events();
    const { text, samples: after } = await samples();
    expect(await events()).toBe(eventsBefore); // a scrape is no access to anyone's records

    const moved = (name: string, labels: Record<string, string> = {}) =>
      total(after, name, labels) - total(before, name, labels);
    const count = `${METRIC.requestDuration}_count`;
    const figures = {
      personShown: moved(count, { method: 'GET', route: '/api/persons/:id', status: '200' }),
      personCreated: moved(count, { method: 'POST', route: '/api/persons', status: '201' }),
      unmatched: moved(count, { route: '(unmatched)', status: '404' }),
      notFound: moved(METRIC.errors, { code: 'not_found' }),
      invalid: moved(METRIC.errors, { code: 'validation_failed' }),
      decrypts: moved(METRIC.decrypts),
      appends: moved(`${METRIC.accessLogAppend}_count`, { mode: 'in_transaction' }),
      poolTotal: total(after, METRIC.dbPool, { pool: 'main', state: 'total' }),
      keyringPool: after.some((s) => s.name === METRIC.dbPool && s.labels['pool'] === 'keyring'),
      queued: total(after, METRIC.jobQueue, { queue: JOB_QUEUES[0].name, state: 'created' }),
      lockdowns: total(after, METRIC.lockdown),
      sourceErrors: total(after, METRIC.scrapeErrors),
      eventLoop: after.some((s) => s.name === 'harbour_nodejs_eventloop_lag_seconds'),
    };
    // eslint-disable-next-line no-console -- the figures the test checked, for the report
    console.log(`metrics moved: ${JSON.stringify(figures)}`);
    expect(figures).toEqual({
      personShown: 1,
      personCreated: 1,
      unmatched: 2,
      notFound: 3,
      invalid: 1,
      decrypts: expect.any(Number),
      appends: expect.any(Number),
      poolTotal: expect.any(Number),
      keyringPool: true,
      queued: 1,
      lockdowns: 1,
      sourceErrors: 0,
      eventLoop: true,
    });
    expect(figures.decrypts).toBeGreaterThanOrEqual(2); // the person shown, the lookup's match
    expect(figures.appends).toBeGreaterThanOrEqual(3); // create, show, lookup each log an event
    expect(figures.poolTotal).toBeGreaterThan(0);

    const values = after.flatMap((s) => Object.values(s.labels));
    expect(values.filter((v) => UUID.test(v) || v.includes('@'))).toEqual([]);
    expect(findCanaries(text)).toEqual([]);
    for (const forbidden of [
      id,
      org,
      caseworker.id,
      caseworker.email,
      ORGANISATION,
      'Metricsprobe',
    ]) {
      expect(text).not.toContain(forbidden);
    }
    // Routes are templates or the two placeholders, never a path as sent.
    const routes = new Set(
      after.filter((s) => s.labels['route'] !== undefined).map((s) => s.labels['route']!),
    );
    expect(
      [...routes].filter((r) => !/^(\/[\w\-/:.]*|\(unmatched\)|\(console\))$/.test(r)),
    ).toEqual([]);
    expect([...routes].filter((r) => r.includes(canary.given))).toEqual([]);
  });
});
