import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import { PARTNER_SERVICE_TYPES, XSRF_COOKIE, XSRF_HEADER } from '@harbour/domain';
import autocannon from 'autocannon';
import type { HarbourCrypto } from '@harbour/crypto';
import {
  AuthHarness,
  createTestApp,
  Db,
  HARBOUR_CRYPTO,
  KeyringService,
} from '@harbour/api/internal';
import { formatNumber, machineInfo, median, textTable } from '../lib/harness';
import { markdownTable, replaceDocsSection, writeJsonAtomically } from '../lib/output';
import { codeProvenance } from '../lib/provenance';
import { repoRoot } from '../crypto/versions';
import { mulberry32 } from '../audit/events';
import { cleanupStack, startEnvironment } from '../audit/environment';
import { PLAIN_TABLE_SQL, writePopulation } from '../records/people';
import { CONTROL_TABLES_SQL, startControlServer } from './control';
import { profiled, summarise as summariseProfile, writeProfile } from './profile';

/**
 * `npm run bench:load`: the caseworker mix under load, over loopback, against the real API
 * (the Nest application of `createTestApp` listening on a private port, on a throw-away
 * embedded PostgreSQL, as `bench:records` runs it) and, in the same run and interleaved, against
 * a plaintext control (./control.ts: the same rows by hand-written SQL over a `pg` pool behind a
 * bare `node:http` server). Each connection of autocannon loops over the mix — log a contact
 * (with a need), look up a returning person by name, open a person's page, list referrals —
 * as its own signed-in caseworker (its own session and XSRF token). At concurrency 1, 8 and 32:
 * throughput and p50/p99 latency of each side, and their ratios. Writes bench-results/load.json
 * and the "Load" section of docs/benchmarks.md. Options: `--quick` (shorter rounds; still
 * writes unless `--no-write`), `--no-write`, `--seconds=N` (per round; a run with it writes
 * nothing).
 */

const DOCS_HEADING = '## Load: the caseworker mix (npm run bench:load)';
const CONCURRENCIES = [1, 8, 32] as const;
/** People in the organisation (encrypted, with their plaintext twins for the control). */
const DEFAULT_PEOPLE = 20_000;
/** Referrals both sides list (the API's made through the API, copied to the control's table). */
const REFERRALS = 30;
/** Rounds per side and concurrency, alternating which side goes first. */
const ROUNDS = 3;
const POOL_SIZE = 10;

const log = (line: string): void => void process.stderr.write(`bench:load ${line}\n`);

interface Side {
  readonly requestsPerSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly requests: number;
  readonly errors: number;
  readonly non2xx: number;
  readonly perRound: number[];
}

interface Row {
  readonly concurrency: number;
  readonly api: Side;
  readonly control: Side;
  readonly throughputRatio: number;
  readonly p99Ratio: number;
}

type Request = autocannon.Request;
type TestBrowser = Awaited<ReturnType<AuthHarness['signIn']>>;

/** The mix, for one connection. `auth` adds the caseworker's cookie and XSRF header. */
function mix(
  people: readonly { id: string; given: string; family: string }[],
  seed: number,
  paths: { contacts: string; lookup: string; person: (id: string) => string; referrals: string },
  auth: Record<string, string>,
): Request[] {
  const random = mulberry32(seed);
  const pick = () => people[Math.floor(random() * people.length)]!;
  const json = { 'content-type': 'application/json', ...auth };
  return [
    {
      method: 'POST',
      path: paths.contacts,
      headers: json,
      setupRequest: (req) => ({
        ...req,
        body: JSON.stringify({
          personId: pick().id,
          occurredOn: '2026-01-15',
          channel: 'drop_in',
          locationType: 'drop_in_centre',
          circumstances: ['post_raid'],
          notes: 'Synthetic load-test note about a follow-up appointment next week.',
          needs: [{ category: 'legal' }],
        }),
      }),
    },
    {
      method: 'POST',
      path: paths.lookup,
      headers: json,
      setupRequest: (req) => {
        const p = pick();
        return { ...req, body: JSON.stringify({ name: `${p.family} ${p.given}` }) };
      },
    },
    {
      method: 'GET',
      path: paths.person(people[0]!.id),
      headers: auth,
      setupRequest: (req) => ({ ...req, path: paths.person(pick().id) }),
    },
    { method: 'GET', path: paths.referrals, headers: auth },
  ];
}

async function fire(
  port: number,
  connections: number,
  seconds: number,
  requestsFor: (client: number) => Request[],
): Promise<autocannon.Result> {
  let next = 0;
  return autocannon({
    url: `http://127.0.0.1:${port}`,
    connections,
    duration: seconds,
    pipelining: 1,
    timeout: 30,
    // Each connection (a client) gets its own caseworker and its own random stream.
    setupClient: (client) => client.setRequests(requestsFor(next++ % connections)),
    requests: requestsFor(0),
  });
}

function summarise(results: autocannon.Result[]): Side {
  const rates = results.map((r) => r.requests.total / (r.duration || 1));
  return {
    requestsPerSecond: Math.round(median(rates) * 10) / 10,
    p50: median(results.map((r) => r.latency.p50)),
    p99: median(results.map((r) => r.latency.p99)),
    requests: results.reduce((n, r) => n + r.requests.total, 0),
    errors: results.reduce((n, r) => n + r.errors + r.timeouts, 0),
    non2xx: results.reduce((n, r) => n + r.non2xx, 0),
    perRound: rates.map((v) => Math.round(v * 10) / 10),
  };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const secondsOption = args.find((a) => a.startsWith('--seconds='))?.slice('--seconds='.length);
  const seconds = Number(secondsOption ?? (quick ? 3 : 8));
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 60)
    throw new Error('--seconds=N (1–60)');
  const peopleOption = args.find((a) => a.startsWith('--people='))?.slice('--people='.length);
  const PEOPLE = Number(peopleOption ?? DEFAULT_PEOPLE);
  if (!Number.isInteger(PEOPLE) || PEOPLE < 2_000) throw new Error('--people=N (≥ 2000)');
  // `--profile=FILE`: after the measurement, one more API run (8 connections) under V8's CPU
  // profiler; writes the .cpuprofile (for a flame graph) and prints where the time went.
  const profileFile = args.find((a) => a.startsWith('--profile='))?.slice('--profile='.length);
  const write =
    !args.includes('--no-write') && secondsOption === undefined && peopleOption === undefined;
  const started = Date.now();
  const code = ['apps/api/src', 'libs/crypto/src', 'libs/domain/src'].map((d) =>
    codeProvenance(repoRoot, d),
  );
  const cleanup = cleanupStack(log);
  const onSignal = (): void => {
    void cleanup.run().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const env = await startEnvironment(log, cleanup);
    await env.asSuperuser(PLAIN_TABLE_SQL);
    await env.asSuperuser(`GRANT SELECT, INSERT ON bench_plain_person TO harbour_api`);
    await env.asSuperuser(CONTROL_TABLES_SQL);
    const app = await createTestApp(env.database, {
      env: { LOG_LEVEL: 'warn' },
    });
    cleanup.add(() => app.close());
    await app.app.listen(0, '127.0.0.1');
    const apiPort = (app.app.getHttpServer().address() as AddressInfo).port;
    const h = new AuthHarness(app);
    // The organisation and its people are made through the served application's own services
    // (its keyring and master key), so the requests can read them.
    const organisationId = await h.createOrganisation('Bench load');
    const bits = Math.max(8, Math.floor(Math.log2(PEOPLE)));
    log(`writing ${PEOPLE.toLocaleString('en-GB')} people`);
    const served = {
      ...env,
      db: app.app.get(Db),
      keyring: app.app.get(KeyringService),
      crypto: app.app.get<HarbourCrypto>(HARBOUR_CRYPTO),
    };
    await writePopulation(served, organisationId, PEOPLE, bits, 0x10ad, log);
    await env.asSuperuser('VACUUM (ANALYZE)');
    const people = (
      await env.asSuperuser<{ id: string; given_name: string; family_name: string }>(
        `SELECT id, given_name, family_name FROM bench_plain_person
          WHERE organisation_id = $1 ORDER BY id LIMIT 2000`,
        [organisationId],
      )
    ).map((r) => ({ id: r.id, given: r.given_name, family: r.family_name }));
    log(`signing in ${Math.max(...CONCURRENCIES)} caseworkers and making ${REFERRALS} referrals`);
    const browsers: TestBrowser[] = [];
    for (let i = 0; i < Math.max(...CONCURRENCIES); i++) {
      browsers.push(await h.signIn(await h.createUser(organisationId, { roles: ['caseworker'] })));
      // signIn moves the app's clock a TOTP step (30 s): touch every session now and then, or
      // 30 sign-ins would idle out the first (15 minutes). The clock then stands still.
      if (i % 10 === 9) for (const b of browsers) await b.send('get', '/api/referrals');
    }
    const admin = await h.signIn(await h.createUser(organisationId, { roles: ['admin'] }));
    for (const b of browsers) await b.send('get', '/api/referrals');
    const partner = await admin.send('post', '/api/partners', {
      name: 'Bench legal clinic',
      serviceType: PARTNER_SERVICE_TYPES[0],
    });
    if (partner.status !== 201) throw new Error(`partner: ${partner.status}`);
    for (let i = 0; i < REFERRALS; i++) {
      const contact = await browsers[0]!.send('post', '/api/contacts', {
        personId: people[i]!.id,
        occurredOn: '2026-01-14',
        channel: 'drop_in',
        locationType: 'drop_in_centre',
        circumstances: [],
        needs: [{ category: 'legal' }],
      });
      const needs = contact.body['needs'] as { id: string }[] | undefined;
      if (contact.status !== 201 || needs === undefined)
        throw new Error(`seed contact: ${contact.status} ${JSON.stringify(contact.body)}`);
      const referral = await browsers[0]!.send('post', '/api/referrals', {
        needId: needs[0]!.id,
        partnerId: partner.body['id'],
      });
      if (referral.status !== 201) throw new Error(`referral: ${referral.status}`);
      await env.asSuperuser(
        `INSERT INTO bench_load_referral (organisation_id, id, need_id, partner_id, person_id, status)
         VALUES ($1, $2, $3, $4, $5, $6)`,
        [
          organisationId,
          referral.body['id'],
          needs[0]!.id,
          partner.body['id'],
          people[i]!.id,
          referral.body['status'],
        ],
      );
    }
    const control = await startControlServer(env.database.appUrl, organisationId, POOL_SIZE);
    cleanup.add(() => control.close());

    const apiRequests = (client: number): Request[] => {
      const b = browsers[client]!;
      const xsrf = b.cookies.get(XSRF_COOKIE);
      if (xsrf === undefined) throw new Error('no XSRF cookie after sign-in');
      const cookie = [...b.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
      return mix(
        people,
        0x5eed + client,
        {
          contacts: '/api/contacts',
          lookup: '/api/persons/lookup',
          person: (id) => `/api/persons/${id}`,
          referrals: '/api/referrals',
        },
        { cookie, [XSRF_HEADER]: xsrf },
      );
    };
    const controlRequests = (client: number): Request[] =>
      mix(
        people,
        0x5eed + client,
        {
          contacts: '/contacts',
          lookup: '/lookup',
          person: (id) => `/persons/${id}`,
          referrals: '/referrals',
        },
        {},
      );

    // Warm-up, not timed: JIT, prepared statements and plans on the pooled connections.
    log('warm-up');
    await fire(apiPort, 8, Math.min(seconds, 3), apiRequests);
    await fire(control.port, 8, Math.min(seconds, 3), controlRequests);

    const rows: Row[] = [];
    for (const connections of CONCURRENCIES) {
      const api: autocannon.Result[] = [];
      const plain: autocannon.Result[] = [];
      for (let round = 0; round < ROUNDS; round++) {
        log(`concurrency ${connections}, round ${round + 1}/${ROUNDS}`);
        const runApi = async () =>
          void api.push(await fire(apiPort, connections, seconds, apiRequests));
        const runControl = async () =>
          void plain.push(await fire(control.port, connections, seconds, controlRequests));
        if (round % 2 === 0) {
          await runApi();
          await runControl();
        } else {
          await runControl();
          await runApi();
        }
      }
      const a = summarise(api);
      const c = summarise(plain);
      rows.push({
        concurrency: connections,
        api: a,
        control: c,
        throughputRatio: Math.round((a.requestsPerSecond / c.requestsPerSecond) * 1000) / 1000,
        p99Ratio: Math.round((a.p99 / c.p99) * 100) / 100,
      });
    }
    // Each request of the mix alone, one at a time on each side: where the mix's time goes.
    const MIX_NAMES = [
      'log a contact',
      'look up a person',
      "open a person's page",
      'list referrals',
    ];
    const breakdown: { request: string; api: Side; control: Side; p50Ratio: number }[] = [];
    for (const [k, name] of MIX_NAMES.entries()) {
      log(`alone: ${name}`);
      const only = (all: (c: number) => Request[]) => (c: number) => [all(c)[k]!];
      const api = summarise([await fire(apiPort, 1, seconds, only(apiRequests))]);
      const plain = summarise([await fire(control.port, 1, seconds, only(controlRequests))]);
      breakdown.push({
        request: name,
        api,
        control: plain,
        p50Ratio: Math.round((api.p50 / Math.max(plain.p50, 0.001)) * 10) / 10,
      });
    }
    if (profileFile !== undefined) {
      log(`profiling the API side, 8 connections, ${seconds} s`);
      const profile = await profiled(async () => {
        await fire(apiPort, 8, seconds, apiRequests);
      });
      writeProfile(profileFile, profile);
      const summary = summariseProfile(profile, repoRoot, 30);
      process.stdout.write(
        `\nCPU profile of the API side (${summary.totalMs} ms sampled, idle excluded; ${profileFile})\n\n${textTable(
          ['self time by place', 'ms', '%'],
          summary.places.map((p) => [p.place, String(p.ms), String(p.pct)]),
        )}\n\n${textTable(
          ['self time by function', 'ms', '%'],
          summary.frames.map((f) => [f.frame, String(f.ms), String(f.pct)]),
        )}\n`,
      );
    }
    const failures = [...rows, ...breakdown]
      .flatMap((r) => [r.api, r.control])
      .reduce((n, s) => n + s.errors + s.non2xx, 0);
    const [{ events } = { events: '0' }] = await env.asSuperuser<{ events: string }>(
      `SELECT count(*) AS events FROM access_event WHERE organisation_id = $1`,
      [organisationId],
    );
    const targets = rows.flatMap((r) => [
      {
        description: `throughput at concurrency ${r.concurrency} ≥ 0.5× the plaintext control`,
        ratio: r.throughputRatio,
        threshold: 0.5,
        pass: r.throughputRatio >= 0.5,
      },
      {
        description: `p99 latency at concurrency ${r.concurrency} ≤ 3× the plaintext control`,
        ratio: r.p99Ratio,
        threshold: 3,
        pass: r.p99Ratio <= 3,
      },
    ]);
    const results = {
      benchmark: 'load',
      date: new Date().toISOString(),
      quick,
      machine: machineInfo(),
      durationSeconds: Math.round((Date.now() - started) / 1000),
      postgres: env.postgresVersion,
      code,
      secondsPerRound: seconds,
      rounds: ROUNDS,
      people: PEOPLE,
      referrals: REFERRALS,
      accessEvents: Number(events),
      rows,
      breakdown,
      targets,
    };
    const header = [
      'Concurrency',
      'API req/s',
      'control req/s',
      'throughput ratio',
      'API p50 / p99 (ms)',
      'control p50 / p99 (ms)',
      'p99 ratio',
      'failed (API / control)',
    ];
    const tableRows = rows.map((r) => [
      String(r.concurrency),
      formatNumber(r.api.requestsPerSecond),
      formatNumber(r.control.requestsPerSecond),
      `${r.throughputRatio}×`,
      `${r.api.p50} / ${r.api.p99}`,
      `${r.control.p50} / ${r.control.p99}`,
      `${r.p99Ratio}×`,
      `${r.api.errors + r.api.non2xx} / ${r.control.errors + r.control.non2xx}`,
    ]);
    const breakdownHeader = [
      'Request (alone, one at a time)',
      'API req/s',
      'control req/s',
      'API p50 / p99 (ms)',
      'control p50 / p99 (ms)',
      'p50 ratio',
    ];
    const breakdownRows = breakdown.map((b) => [
      b.request,
      formatNumber(b.api.requestsPerSecond),
      formatNumber(b.control.requestsPerSecond),
      `${b.api.p50} / ${b.api.p99}`,
      `${b.control.p50} / ${b.control.p99}`,
      `${b.p50Ratio}×`,
    ]);
    const targetRows = targets.map((t) => [
      t.description,
      `${t.ratio}×`,
      t.pass ? 'yes' : '**no**',
    ]);
    process.stdout.write(
      `\n${textTable(header, tableRows)}\n\n${textTable(breakdownHeader, breakdownRows)}\n\n${textTable(['Target', 'ratio', 'met'], targetRows)}\n\naccess events written by the API side: ${events}\n`,
    );
    if (failures > 0) throw new Error(`${failures} requests failed or were refused: figures void`);
    if (write) {
      writeJsonAtomically(resolve(repoRoot, 'bench-results/load.json'), results);
      const m = results.machine;
      await replaceDocsSection(
        resolve(repoRoot, 'docs/benchmarks.md'),
        DOCS_HEADING,
        [
          `Produced by \`npm run bench:load${quick ? ' -- --quick' : ''}\` on ${results.date.slice(0, 10)}${quick ? ' (reduced run: indicative only)' : ''}: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}; PostgreSQL ${results.postgres} (durability off, as in medium tests), over loopback; autocannon 8 in the same Node process as the API (both sides pay for it alike). Whole run ${results.durationSeconds} s. Raw figures: \`bench-results/load.json\`.`,
          '### Targets (reported, not asserted)',
          markdownTable(['Target', 'Measured', 'Met'], targetRows),
          '### Throughput and latency',
          markdownTable(header, tableRows),
          '### Each request of the mix alone (one at a time, one round each)',
          markdownTable(breakdownHeader, breakdownRows),
          `Each connection loops over the caseworker mix: \`POST /api/contacts\` (a contact with notes and one need, for a random person), \`POST /api/persons/lookup\` (a returning person by family and given name), \`GET /api/persons/:id\` (a person's page) and \`GET /api/referrals\` (the organisation's ${REFERRALS} referrals). On the API each connection is its own caseworker with its own session and XSRF token, and every request goes through the whole request path (session, CSRF, validation, tenant transaction under row-level security, encryption and decryption, the access event). The control serves the same four requests from a \`node:http\` server with a \`pg\` pool of ${POOL_SIZE} connections (as the API's), by hand-written SQL on plaintext tables in the same database: the contact and its need in one transaction, a B-tree equality lookup of the name, the person's row, the referral rows; no session, no encryption, no access log. ${formatNumber(PEOPLE)} people (encrypted with their blind-index rows on the API side, the same names in plaintext on the control side). ${ROUNDS} rounds of ${seconds} s per side and concurrency, the sides alternating which goes first; throughput is the median round, p50 and p99 the median of the rounds' percentiles, over all four requests of the mix. The API side wrote ${formatNumber(results.accessEvents)} access events in the run.`,
        ].join('\n\n'),
      );
      log('wrote bench-results/load.json and docs/benchmarks.md');
    }
  } finally {
    await cleanup.run();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `bench:load failed: ${String(error instanceof Error ? error.stack : error)}\n`,
  );
  process.exitCode = 1;
});
