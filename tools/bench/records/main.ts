import { randomBytes } from 'node:crypto';
import { Agent, request as httpRequest } from 'node:http';
import { resolve } from 'node:path';
import { uuidv7, XSRF_COOKIE, XSRF_HEADER } from '@harbour/domain';
import { Client } from 'pg';
import { formatNumber, machineInfo, median, round3, textTable } from '../lib/harness';
import { markdownTable, replaceDocsSection, writeJsonAtomically } from '../lib/output';
import { codeProvenance } from '../lib/provenance';
import {
  benchLog,
  optionOf,
  runBenchmark,
  serveApi,
  signedInStaff,
  withCleanup,
} from '../lib/served';
import { repoRoot } from '../crypto/versions';
import {
  AuthHarness,
  PersonsService,
  actingAs,
  actingPrincipal,
  livePostmasterPid,
  wellFormedEvent,
} from '@harbour/api/internal';
import { PLAIN_INSERT_SQL, plainInsertValues } from '../audit/append';
import { startEnvironment, type AuditBenchEnvironment } from '../audit/environment';
import { PLAIN_LOOKUP_SQL, PLAIN_TABLE_SQL, writePopulation, type Population } from './people';
import { profiled, reportProfile } from '../load/profile';
import { serverCpu, type ServerCpu } from '../lib/process-cpu';
import { measureBreakdown, type LookupBreakdown } from './breakdown';

/** The id the timed lookups are made as (no such staff row is needed: nothing is served). */
const BENCH_READER_ID = '00000000-0000-7000-8000-00000000beef';

/**
 * `npm run bench:records`: case records at scale, on a throw-away embedded PostgreSQL through
 * the real application. (1) Lookup of a returning person by name at 100,000 and 1,000,000
 * people — `PersonsService.lookup` (blind index, candidates confirmed by decryption) next to a
 * plaintext B-tree equality lookup over the same names — p50 and p99. (2) Contact creation over
 * HTTP (`POST /api/contacts`: session, CSRF, validation, encryption of notes, a need, the access
 * event) next to raw `pg` writes of the same rows. Writes bench-results/records.json and the
 * "Case records" section of docs/benchmarks.md. Options: `--quick` (10,000 and 50,000 people,
 * fewer requests; still writes unless `--no-write`), `--no-write`, `--concurrency=N` (creates
 * N at a time on both sides; default 1), and for iterating `--sizes=N[,M…]`, `--creates=N` and
 * `--profile=FILE` (one more round of HTTP creates, and warm lookups of each kind at the largest
 * size, under V8's CPU profiler: the .cpuprofiles, flame graphs, and where the time went) (a run
 * with any of them prints its figures and writes nothing).
 */

const DOCS_HEADING = '## Case records (npm run bench:records)';
const LOOKUPS = 400;

/**
 * Untimed lookups of each kind before the warm pass, cycling through its names. V8 optimises the
 * encrypted lookup's code (name folding, hashing, the wider rows parsed, decryption) over the
 * first few thousand calls: measured on this machine, its Node CPU fell from 0.95 ms to about
 * 0.45 ms per lookup over the first 4,000, while the plaintext `SELECT`'s, far less code, is
 * warm within a few hundred. A server that serves lookups all day runs the optimised code, so the
 * target is read in that steady state; the cold pass keeps a short warm-up of its own.
 */
const STEADY_STATE_WARM_UP = 4_000;
/** Untimed lookups of each kind before the cold pass (plans and prepared statements only). */
const COLD_WARM_UP = 20;

/**
 * PostgreSQL's buffer cache for this run, large enough for the whole database at 1,000,000
 * people (about 1.6 GB), as a server with memory for its working set is configured.
 */
const BENCH_SETTINGS = { shared_buffers: '3GB' } as const;

/** The tables (with their indexes) both lookups read, loaded into the buffer cache for "warm". */
const LOOKUP_TABLES = [
  'person',
  'person_identity',
  'person_index',
  'organisation_key',
  'organisation',
  'bench_plain_person',
];

/** Creates per side before timing starts (both sides alike). */
const WARM_UP_CREATES = 200;

/** How the figures come about, and what bounds them (round trips counted in the code paths). */
const BOUNDS = [
  "Lookup: both the encrypted lookup and the plaintext reference run the API's request path — `START TRANSACTION` with the tenant (`set_config`, per transaction as docs/security.md T11 requires) in one message (the encrypted lookup's, as the lookup route's, also reads the keyring's state there), the query, `COMMIT`: three round trips each (the encrypted lookup's query leaves out, by a test on each covering row, a restricted person the caller is neither a coordinator for nor a key worker of, docs/adr/0023; the benchmark's people are not restricted). The encrypted lookup's query reads the covering rows of the name-pair blind index (docs/adr/0020: one row per pair of a person's folded name tokens, with the person's code, restricted flag, key id, name envelopes and token values; a bucket holds the people sharing that pair and a few collisions, where a single common token's bucket held hundreds): two primary-key probes, the pair's bucket and the marker bucket of names too long for pairs, keeping the rows whose token values hold every token of the query, at the index width read with the keyring's state; each candidate is confirmed by decrypting the names under the person's key (held unwrapped after the warm-up; a key not held is read with its catalogue row and unwrapped). The plaintext one is a B-tree equality `SELECT`. Named statements keep one generic plan per connection (`plan_cache_mode=force_generic_plan`): planning the lookup's query had cost 0.4 ms, four times its execution. Against a bare `SELECT` with no transaction (one round trip), two of the three round trips are the per-request transaction and tenant that row-level security needs; every Harbour request pays them, and we keep them. Where the time goes is measured in every run (\"Where the lookup's time goes\" above): the candidate query's own transaction against the plaintext one's (two probes of the covering rows, against one B-tree probe), and Node's CPU per lookup (folding and hashing the query, the wider rows parsed, decrypting and comparing the names). Reading the data cold or warm changes little (the table shows both): the gap is the work per lookup, not the cache.",
  "Contact creation: one HTTP create for a returning person makes 3 database round trips — the message that opens the request's transaction (`START TRANSACTION`; the session check, `auth_session_resume`, which finds the tenant from the token hash, sets it for the transaction, reads the session and moves its idle deadline (docs/adr/0021); and the keyring's state — lockdown, current keys, the data-key lock — read for that tenant); the contact and its needs in one statement that also checks the person, that they are not erased and that the key their notes were sealed under is still their current one — the API remembers the key id from their earlier contact, and reads person and key first when it has not seen them; the event written and the log head checked and moved in one statement, on the head this instance last wrote (docs/adr/0018), sent with `COMMIT` in one message (docs/adr/0019) — against the raw side's 8 (one statement per row, as raw INSERTs are written, plus `BEGIN`, the tenant and `COMMIT`), and on top of them HTTP parsing, the CSRF and access checks, validation, the notes' encryption and the event's canonical bytes, hash and MAC, in the one Node process that also runs the client. Each round trip costs the Node process a loopback `writev` of 0.02–0.2 ms on this virtual machine, besides the wait. Because the session check is part of the request's transaction on these routes, the session row stays locked until it commits: a browser's parallel creates on one session queue behind each other for a few milliseconds (other routes check the session in a statement of their own).",
].join('\n\n');

const log = benchLog('records');
const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface LookupResult extends LookupTimes {
  readonly people: number;
  readonly bits: number;
  readonly indexRows: number;
  readonly populateSeconds: number;
  /** The same lookups right after loading and vacuuming, before the buffer cache was warmed. */
  readonly cold: LookupTimes;
  /** Where the encrypted lookup's extra time goes (warm). */
  readonly breakdown: LookupBreakdown;
}

/** One pass of lookups: the encrypted lookup and the two plaintext references. */
interface LookupTimes {
  readonly lookups: number;
  readonly encrypted: { p50: number; p99: number; found: number };
  /** One bare SELECT on a connection whose tenant was set once (no transaction). */
  readonly plaintext: { p50: number; p99: number; found: number };
  /** The same SELECT through the API's request path: a transaction that sets the tenant (T11). */
  readonly plaintextInTransaction: { p50: number; p99: number; found: number };
}

/**
 * The encrypted lookup's transaction is opened as the lookup route opens it (`@ReadsKeysFirst`):
 * the keyring's state is read in the message that starts it.
 */
const LOOKUP_ROUTE = { openingReads: true } as const;

/** The caseworker the lookups run as (no session: the scope's notes go nowhere). */
function benchReader(organisationId: string): ReturnType<typeof actingPrincipal> {
  return actingPrincipal(
    organisationId,
    {
      id: BENCH_READER_ID,
      email: 'reader@bench.invalid',
      displayName: 'reader',
      roles: ['caseworker'],
    },
    new Date(),
  );
}

type Query = Population['sample'][number];

/**
 * The two lookups of one name through the request path (`Db.transaction`), written once for the
 * timed runs, their warm-up and `--profile`: the encrypted lookup as the lookup route opens its
 * transaction, and the plaintext `SELECT` as a prepared statement. Each resolves with the number
 * of rows found.
 */
function requestPathLookups(env: AuditBenchEnvironment, population: Population) {
  const persons = env.app.get(PersonsService);
  const reader = benchReader(population.organisationId);
  const organisationId = population.organisationId;
  return {
    encrypted: async (q: Query): Promise<number> =>
      (
        await env.db.transaction(
          organisationId,
          (tx) => persons.lookup(actingAs(tx, reader), { name: `${q.family} ${q.given}` }),
          LOOKUP_ROUTE,
        )
      ).length,
    plainInTransaction: async (q: Query): Promise<number> =>
      (
        await env.db.transaction(organisationId, (tx) =>
          tx.prepared<{ id: string }>('bench_plain_lookup', PLAIN_LOOKUP_SQL, [
            organisationId,
            q.family,
            q.given,
          ]),
        )
      ).length,
  };
}

async function measureLookups(
  env: AuditBenchEnvironment,
  population: Population,
  warmUp: number,
): Promise<LookupTimes> {
  const queries = population.sample.slice(0, LOOKUPS);
  const plain = new Client({ connectionString: env.database.appUrl });
  await plain.connect();
  const encryptedMs: number[] = [];
  const plainMs: number[] = [];
  const plainTxMs: number[] = [];
  let foundPlainTx = 0;
  let foundEncrypted = 0;
  let foundPlain = 0;
  // The three lookups of one name, written once: the untimed warm-up and the timed runs call
  // the same code. Each resolves with the number of rows found.
  const lookups = {
    ...requestPathLookups(env, population),
    plain: async (q: Query): Promise<number> =>
      (await plain.query(PLAIN_LOOKUP_SQL, [population.organisationId, q.family, q.given])).rows
        .length,
  };
  try {
    await plain.query(`SELECT set_config('app.org_id', $1, false)`, [population.organisationId]);
    // Warm-up, not timed: `warmUp` of each kind, cycling through the names.
    for (let w = 0; w < warmUp; w++) {
      const q = queries[w % queries.length]!;
      await lookups.encrypted(q);
      await lookups.plain(q);
      await lookups.plainInTransaction(q);
    }
    const timed =
      (lookup: (q: Query) => Promise<number>, times: number[], q: Query) => async () => {
        const start = process.hrtime.bigint();
        const found = await lookup(q);
        times.push(ms(start));
        return found > 0 ? 1 : 0;
      };
    for (const [i, q] of queries.entries()) {
      const runEncrypted = async () => {
        foundEncrypted += await timed(lookups.encrypted, encryptedMs, q)();
      };
      const runPlain = async () => {
        foundPlain += await timed(lookups.plain, plainMs, q)();
      };
      const runPlainInTransaction = async () => {
        foundPlainTx += await timed(lookups.plainInTransaction, plainTxMs, q)();
      };
      // Rotate which runs first, so drift hits all three alike.
      const order = [runEncrypted, runPlain, runPlainInTransaction];
      for (let k = 0; k < order.length; k++) await order[(i + k) % order.length]!();
    }
  } finally {
    await plain.end();
  }
  return {
    lookups: queries.length,
    encrypted: {
      p50: round3(percentile(encryptedMs, 50)),
      p99: round3(percentile(encryptedMs, 99)),
      found: foundEncrypted,
    },
    plaintext: {
      p50: round3(percentile(plainMs, 50)),
      p99: round3(percentile(plainMs, 99)),
      found: foundPlain,
    },
    plaintextInTransaction: {
      p50: round3(percentile(plainTxMs, 50)),
      p99: round3(percentile(plainTxMs, 99)),
      found: foundPlainTx,
    },
  };
}

/**
 * `--profile=FILE`: encrypted lookups (warm, after the timed ones) and then the plaintext
 * `SELECT` through the same request path, each under V8's CPU profiler, written next to FILE as
 * `.lookup.cpuprofile` and `.plain.cpuprofile`, with where the time went printed.
 */
async function profileLookups(
  env: AuditBenchEnvironment,
  population: Population,
  profileFile: string,
): Promise<void> {
  const queries = population.sample.slice(0, LOOKUPS);
  const rounds = 4 * queries.length;
  const { encrypted, plainInTransaction } = requestPathLookups(env, population);
  const kinds = { lookup: encrypted, plain: plainInTransaction };
  for (const [kind, run] of Object.entries(kinds)) {
    const profile = await profiled(async () => {
      for (let i = 0; i < rounds; i++) await run(queries[i % queries.length]!);
    });
    reportProfile(
      profileFile.replace(/(\.cpuprofile)?$/, `.${kind}.cpuprofile`),
      profile,
      repoRoot,
      `${rounds} ${kind === 'lookup' ? 'encrypted lookups' : 'plaintext SELECTs in a transaction'} at ${population.people.toLocaleString('en-GB')} people, one at a time`,
    );
  }
}

/** What one create of a side cost, averaged over its timed rounds. */
interface CreateCost {
  /** Wall time per create (ms): the inverse of the side's throughput over all its rounds. */
  readonly wallMs: number;
  /** This process's CPU per create (ms): the API and its HTTP client, or the raw `pg` client. */
  readonly nodeCpuMs: number;
  /** PostgreSQL's CPU per create (ms), all its processes; null where `/proc` cannot be read. */
  readonly postgresCpuMs: number | null;
}

interface CreateResult {
  readonly requests: number;
  readonly concurrency: number;
  readonly httpPerSecond: number;
  readonly rawPerSecond: number;
  readonly ratio: number;
  /** Where each side's time per create goes. */
  readonly cost: { readonly http: CreateCost; readonly raw: CreateCost };
}

/**
 * A signed-in browser's POST over one kept-alive connection (as a browser reuses its
 * connection), with the session cookie and the XSRF header. Resolves with the status.
 */
function keepAliveClient(
  port: number,
  cookies: ReadonlyMap<string, string>,
): { post(path: string, body: unknown): Promise<number>; close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  const xsrf = cookies.get(XSRF_COOKIE);
  if (xsrf === undefined) throw new Error('no XSRF cookie after sign-in');
  return {
    post: (path, body) =>
      new Promise<number>((resolvePost, reject) => {
        const payload = Buffer.from(JSON.stringify(body));
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            path,
            method: 'POST',
            agent,
            headers: {
              'content-type': 'application/json',
              'content-length': payload.length,
              cookie,
              [XSRF_HEADER]: xsrf,
            },
          },
          (res) => {
            res.resume();
            res.on('end', () => resolvePost(res.statusCode ?? 0));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      }),
    close: () => agent.destroy(),
  };
}

/** Runs `total` calls of `fn`, `concurrency` at a time (each worker keeps its own client). */
async function inParallel(
  concurrency: number,
  total: number,
  fn: (worker: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      while (next < total) {
        next++;
        await fn(worker);
      }
    }),
  );
}

/**
 * Adds up one side's timed rounds: wall time, this process's CPU and PostgreSQL's CPU, each per
 * create. `start` before a round; the function it returns records the round's wall time and
 * creates.
 */
function costMeter(postgres: ServerCpu | null) {
  let wall = 0;
  let node = 0;
  let server = 0;
  let creates = 0;
  return {
    start: () => {
      // Reading `/proc` costs this process CPU: the server is read outside this process's count.
      const serverAtStart = postgres?.seconds() ?? 0;
      const nodeAtStart = process.cpuUsage();
      return (elapsedMs: number, count: number): void => {
        const used = process.cpuUsage(nodeAtStart);
        node += (used.user + used.system) / 1000;
        server += ((postgres?.seconds() ?? 0) - serverAtStart) * 1000;
        wall += elapsedMs;
        creates += count;
      };
    },
    result: (): CreateCost => ({
      wallMs: round3(wall / creates),
      nodeCpuMs: round3(node / creates),
      postgresCpuMs: postgres === null ? null : round3(server / creates),
    }),
  };
}

async function measureCreates(
  env: AuditBenchEnvironment,
  requests: number,
  concurrency: number,
  profileFile: string | undefined,
): Promise<CreateResult> {
  const { app, port } = await serveApi(env.database);
  try {
    const h = new AuthHarness(app);
    // The HTTP side and the raw side each write into an organisation of their own, so each has
    // its own access log (sequence numbers, log head) and neither corrupts the other's chain.
    const signedIn = async (name: string) => {
      const organisationId = await h.createOrganisation(name);
      const staff = await signedInStaff(h, organisationId, concurrency, ['caseworker']);
      const users = staff.map((s) => s.user);
      const browsers = staff.map((s) => s.browser);
      const created = (await browsers[0]!.send('post', '/api/persons', {})).body;
      return {
        organisationId,
        users,
        browsers,
        person: created['id'] as string,
        personCode: String(created['code']),
      };
    };
    const httpSide = await signedIn('Bench contacts over HTTP');
    const rawSide = await signedIn('Bench contacts raw');
    const body = {
      personId: httpSide.person,
      occurredOn: '2026-01-15',
      channel: 'drop_in',
      locationType: 'drop_in_centre',
      circumstances: ['post_raid'],
      notes: 'Synthetic benchmark note about a follow-up appointment next week.',
      needs: [{ category: 'legal' }],
    };
    const clients = httpSide.browsers.map((b) => keepAliveClient(port, b.cookies));
    const post = async (worker: number): Promise<void> => {
      const status = await clients[worker]!.post('/api/contacts', body);
      if (status !== 201) throw new Error(`create answered ${status}`);
    };
    // Warm-up, not timed: JIT, prepared statements and plans on every pooled connection.
    await inParallel(concurrency, WARM_UP_CREATES, post);

    // The raw side writes the rows one API create writes (contact, need, access event, the
    // log head, the session's idle refresh), one statement each, in one transaction per create.
    const raws = await Promise.all(
      rawSide.users.map(async () => {
        const c = new Client({ connectionString: env.database.appUrl });
        await c.connect();
        return c;
      }),
    );
    const sessionIds = await Promise.all(
      rawSide.browsers.map(async (b) => {
        const [row] = await env.asSuperuser<{ id: string }>(
          `SELECT id FROM staff_session WHERE token_hash = sha256(convert_to($1, 'UTF8'))`,
          [b.sessionToken],
        );
        if (row === undefined) throw new Error('raw side: no session row');
        return row.id;
      }),
    );
    const notes = randomBytes(120);
    notes[0] = 1;
    const frontier = Array.from({ length: 12 }, () => randomBytes(32));
    let seq = 0;
    const rawCreate = async (worker: number): Promise<void> => {
      const raw = raws[worker]!;
      const organisationId = rawSide.organisationId;
      const contactId = uuidv7();
      const occurredAt = new Date();
      await raw.query('BEGIN');
      await raw.query(`SELECT set_config('app.org_id', $1, true)`, [organisationId]);
      await raw.query(
        `INSERT INTO contact (organisation_id, id, kind, person_id, headcount, occurred_on, channel,
                              location_type, circumstances, notes, caseworker_id)
         VALUES ($1, $2, 'individual', $3, 1, '2026-01-15', 'drop_in', 'drop_in_centre', '{post_raid}', $4, $5)`,
        [organisationId, contactId, rawSide.person, notes, rawSide.users[worker]!.id],
      );
      await raw.query(
        `INSERT INTO support_need (organisation_id, id, person_id, contact_id, category, identified_on, created_by)
         VALUES ($1, $2, $3, $4, 'legal', '2026-01-15', $5)`,
        [organisationId, uuidv7(), rawSide.person, contactId, rawSide.users[worker]!.id],
      );
      // Sequence numbers are taken in order (one process), so concurrent raw writers, like the
      // API's, never collide; the row must satisfy the event-bytes CHECK, so it is well formed.
      const s = seq++;
      const event = wellFormedEvent({
        organisationId,
        actorId: rawSide.users[worker]!.id,
        actorRoles: ['caseworker'],
        action: 'contact.created',
        resourceType: 'contact',
        resourceIds: [contactId, rawSide.personCode],
        fields: [],
        purpose: null,
        outcome: 'success',
        requestId: uuidv7(),
        seq: s,
        occurredAt,
      });
      await raw.query(PLAIN_INSERT_SQL, plainInsertValues(event, frontier[0]!, frontier[1]!));
      await raw.query(
        `UPDATE audit_log_state SET tree_size = GREATEST(tree_size, $2), frontier = $3 WHERE organisation_id = $1`,
        [organisationId, s + 1, frontier],
      );
      await raw.query(
        `UPDATE staff_session SET last_seen_at = $2, idle_expires_at = $3 WHERE id = $1`,
        [sessionIds[worker], occurredAt, new Date(occurredAt.getTime() + 15 * 60_000)],
      );
      await raw.query('COMMIT');
    };
    const [{ tree_size: start } = { tree_size: '0' }] = await env.asSuperuser<{
      tree_size: string;
    }>(`SELECT tree_size FROM audit_log_state WHERE organisation_id = $1`, [
      rawSide.organisationId,
    ]);
    seq = Number(start);
    const httpRounds: number[] = [];
    const rawRounds: number[] = [];
    const per = Math.floor(requests / 3);
    const postgres = serverCpu(livePostmasterPid(env.postgresDataDir));
    const costs = { http: costMeter(postgres), raw: costMeter(postgres) };
    const timedRound = async (
      side: keyof typeof costs,
      fn: (worker: number) => Promise<void>,
    ): Promise<number> => {
      const stop = costs[side].start();
      const started = process.hrtime.bigint();
      await inParallel(concurrency, per, fn);
      const elapsed = ms(started);
      stop(elapsed, per);
      return per / (elapsed / 1000);
    };
    try {
      await inParallel(concurrency, WARM_UP_CREATES, rawCreate);
      for (let round = 0; round < 3; round++) {
        httpRounds.push(await timedRound('http', post));
        rawRounds.push(await timedRound('raw', rawCreate));
      }
      if (profileFile !== undefined) {
        // One more round of HTTP creates under V8's CPU profiler (this process: the API and
        // its HTTP client), after the measurement, so the figures are not the profiler's.
        const profile = await profiled(() =>
          inParallel(concurrency, Math.floor(requests / 3), post),
        );
        reportProfile(
          profileFile,
          profile,
          repoRoot,
          `HTTP contact creation, ${concurrency} at a time`,
        );
      }
    } finally {
      await Promise.all(raws.map((c) => c.end()));
      clients.forEach((c) => c.close());
    }
    const http = median(httpRounds);
    const rawRate = median(rawRounds);
    return {
      requests,
      concurrency,
      httpPerSecond: Math.round(http),
      rawPerSecond: Math.round(rawRate),
      ratio: round3(http / rawRate),
      cost: { http: costs.http.result(), raw: costs.raw.result() },
    };
  } finally {
    await app.close();
  }
}

/** Loads every page of the lookup tables and their indexes into PostgreSQL's buffer cache. */
async function warmBufferCache(env: AuditBenchEnvironment): Promise<void> {
  await env.asSuperuser('CREATE EXTENSION IF NOT EXISTS pg_prewarm');
  await env.asSuperuser(
    `SELECT pg_prewarm(c.oid)
       FROM pg_class c
      WHERE c.relnamespace = 'public'::regnamespace
        AND (c.relname = ANY($1)
             OR c.oid IN (SELECT i.indexrelid FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
                           WHERE t.relname = ANY($1)))`,
    [LOOKUP_TABLES],
  );
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const option = optionOf(args);
  const sizesOption = option('sizes');
  const sizes =
    sizesOption !== undefined
      ? sizesOption.split(',').map((n) => Number(n.replace(/_/g, '')))
      : quick
        ? [10_000, 50_000]
        : [100_000, 1_000_000];
  const creates = Number(option('creates') ?? (quick ? 300 : 3000));
  const concurrency = Number(option('concurrency') ?? 1);
  // `--profile=FILE`: one more round of HTTP creates, and warm lookups at the largest size,
  // under V8's CPU profiler; writes the .cpuprofiles (flame graphs) and prints where time went.
  const profileFile = option('profile');
  if (
    sizes.length === 0 ||
    sizes.some((n) => !Number.isInteger(n) || n < 1_000) ||
    !Number.isInteger(creates) ||
    creates < 3 ||
    !Number.isInteger(concurrency) ||
    concurrency < 1
  ) {
    throw new Error('--sizes=N[,M…] (each ≥ 1000), --creates=N (≥ 3), --concurrency=N (≥ 1)');
  }
  // Only the default and the --quick shapes write results; a custom shape is for iterating.
  const custom =
    sizesOption !== undefined || option('creates') !== undefined || profileFile !== undefined;
  const write = !args.includes('--no-write') && !custom;
  const started = Date.now();
  const code = [
    'apps/api/src/app/persons',
    'apps/api/src/app/contacts',
    'apps/api/src/core/records',
    'apps/api/src/core/keyring',
    'apps/api/src/data/persons',
    'apps/api/src/data/contacts',
    'libs/crypto/src',
  ].map((d) => codeProvenance(repoRoot, d));
  await withCleanup(log, async (cleanup) => {
    const env = await startEnvironment(log, cleanup, { settings: BENCH_SETTINGS });
    await env.asSuperuser(PLAIN_TABLE_SQL);
    await env.asSuperuser(`GRANT SELECT, INSERT ON bench_plain_person TO harbour_api`);
    const lookups: LookupResult[] = [];
    for (const [i, size] of sizes.entries()) {
      const organisationId = await env.organisations.create(`Bench people ${size}`);
      // The planner's width for ~2 name rows per person (docs/design.md §5): 2 ≤ rows / 2^bits.
      const bits = Math.max(8, Math.floor(Math.log2((size * 2) / 2)));
      log(`writing ${size.toLocaleString('en-GB')} people (index width ${bits} bits)`);
      const population = await writePopulation(env, organisationId, size, bits, 0x5eed + i, log);
      await env.asSuperuser('VACUUM (ANALYZE)');
      log(`lookups at ${size.toLocaleString('en-GB')}, cold`);
      const cold = await measureLookups(env, population, COLD_WARM_UP);
      await warmBufferCache(env);
      log(`lookups at ${size.toLocaleString('en-GB')}, warm`);
      const warm = await measureLookups(env, population, STEADY_STATE_WARM_UP);
      log(`lookups at ${size.toLocaleString('en-GB')}, where the time goes`);
      const breakdown = await measureBreakdown(
        env,
        population,
        population.sample.slice(0, LOOKUPS),
        benchReader(population.organisationId),
        LOOKUP_ROUTE,
      );
      if (profileFile !== undefined && i === sizes.length - 1) {
        await profileLookups(env, population, profileFile);
      }
      lookups.push({
        people: population.people,
        bits: population.bits,
        indexRows: population.indexRows,
        populateSeconds: Math.round(population.seconds),
        ...warm,
        cold,
        breakdown,
      });
    }
    log('contact creation over HTTP and raw inserts');
    const createResult = await measureCreates(env, creates, concurrency, profileFile);
    const small = lookups[0]!;
    const large = lookups.at(-1)!;
    const targets = [
      {
        description: `encrypted lookup p50 ≤ 2× plaintext B-tree lookup at ${large.people.toLocaleString('en-GB')} people, both through the request path (a transaction that sets the tenant, T11), buffer cache warm`,
        ratio: Math.round((large.encrypted.p50 / large.plaintextInTransaction.p50) * 100) / 100,
        threshold: 2,
        pass: large.encrypted.p50 <= 2 * large.plaintextInTransaction.p50,
      },
      {
        description: `issue 20: encrypted lookup p50 ≤ 1.5× plaintext B-tree lookup at ${large.people.toLocaleString('en-GB')} people, both through the request path, buffer cache warm`,
        ratio: Math.round((large.encrypted.p50 / large.plaintextInTransaction.p50) * 100) / 100,
        threshold: 1.5,
        pass: large.encrypted.p50 <= 1.5 * large.plaintextInTransaction.p50,
      },
      {
        description: `stricter reading: encrypted lookup p50 ≤ 2× a bare plaintext SELECT (no transaction, tenant set once per connection) at ${large.people.toLocaleString('en-GB')} people`,
        ratio: Math.round((large.encrypted.p50 / large.plaintext.p50) * 100) / 100,
        threshold: 2,
        pass: large.encrypted.p50 <= 2 * large.plaintext.p50,
      },
      ...(lookups.length < 2
        ? []
        : [
            {
              description: `encrypted lookup p50 at ${large.people.toLocaleString('en-GB')} ≤ 2× at ${small.people.toLocaleString('en-GB')}`,
              ratio: Math.round((large.encrypted.p50 / small.encrypted.p50) * 100) / 100,
              threshold: 2,
              pass: large.encrypted.p50 <= 2 * small.encrypted.p50,
            },
          ]),
      {
        description: 'contact creation over HTTP ≥ 0.5× raw pg writes of the same rows',
        ratio: createResult.ratio,
        threshold: 0.5,
        pass: createResult.ratio >= 0.5,
      },
      {
        description: 'issue 20: contact creation over HTTP ≥ 0.6× raw pg writes of the same rows',
        ratio: createResult.ratio,
        threshold: 0.6,
        pass: createResult.ratio >= 0.6,
      },
    ];
    const results = {
      benchmark: 'records',
      date: new Date().toISOString(),
      quick,
      machine: machineInfo(),
      durationSeconds: Math.round((Date.now() - started) / 1000),
      postgres: env.postgresVersion,
      code,
      lookups,
      creates: createResult,
      targets,
    };
    const lookupRows = lookups.map((l) => [
      formatNumber(l.people),
      String(l.bits),
      formatNumber(l.indexRows),
      `${l.encrypted.p50.toFixed(2)} / ${l.encrypted.p99.toFixed(2)}`,
      `${l.plaintextInTransaction.p50.toFixed(2)} / ${l.plaintextInTransaction.p99.toFixed(2)}`,
      `${(l.encrypted.p50 / l.plaintextInTransaction.p50).toFixed(1)}×`,
      `${l.plaintext.p50.toFixed(2)} / ${l.plaintext.p99.toFixed(2)}`,
      `${(l.encrypted.p50 / l.plaintext.p50).toFixed(1)}×`,
      `${l.cold.encrypted.p50.toFixed(2)} / ${l.cold.plaintextInTransaction.p50.toFixed(2)} (${(l.cold.encrypted.p50 / l.cold.plaintextInTransaction.p50).toFixed(1)}×)`,
      `${l.encrypted.found} / ${l.lookups}`,
    ]);
    const lookupHeader = [
      'People',
      'index bits',
      'index rows',
      'encrypted lookup p50 / p99 (ms)',
      'plaintext B-tree, same request path p50 / p99 (ms)',
      'p50 ratio',
      'bare plaintext SELECT p50 / p99 (ms)',
      'p50 ratio (bare)',
      'cold cache: encrypted / plaintext p50 (ms)',
      'found',
    ];
    const breakdownHeader = [
      'People',
      'own transaction, p50 (ms): candidate query / plaintext SELECT',
      "the query's round trip alone, p50 (ms): candidate / plaintext",
      'Node CPU per lookup (ms): encrypted lookup / plaintext SELECT',
      'lookup p50 gap (ms)',
    ];
    const breakdownRows = lookups.map((l) => {
      const b = l.breakdown;
      return [
        formatNumber(l.people),
        `${b.roundTrips.candidateQuery.transaction.toFixed(3)} / ${b.roundTrips.plaintext.transaction.toFixed(3)} (+${(b.roundTrips.candidateQuery.transaction - b.roundTrips.plaintext.transaction).toFixed(3)})`,
        `${b.roundTrips.candidateQuery.query.toFixed(3)} / ${b.roundTrips.plaintext.query.toFixed(3)}`,
        `${b.nodeCpuMs.encrypted.toFixed(3)} / ${b.nodeCpuMs.plaintext.toFixed(3)} (+${(b.nodeCpuMs.encrypted - b.nodeCpuMs.plaintext).toFixed(3)})`,
        `${(l.encrypted.p50 - l.plaintextInTransaction.p50).toFixed(3)}`,
      ];
    });
    const costHeader = [
      'Side',
      'wall per create (ms)',
      'Node CPU per create (ms)',
      'PostgreSQL CPU per create (ms)',
    ];
    const costRow = (side: string, c: CreateCost): string[] => [
      side,
      c.wallMs.toFixed(3),
      c.nodeCpuMs.toFixed(3),
      c.postgresCpuMs === null ? 'not measured (no /proc)' : c.postgresCpuMs.toFixed(3),
    ];
    const costRows = [
      costRow('HTTP: the API and its client (one Node process)', createResult.cost.http),
      costRow('raw pg writes', createResult.cost.raw),
    ];
    const targetRows = targets.map((t) => [
      t.description,
      `${t.ratio}×`,
      t.pass ? 'yes' : '**no**',
    ]);
    process.stdout.write(
      `\n${textTable(lookupHeader, lookupRows)}\n\nWhere the lookup's time goes (warm)\n${textTable(breakdownHeader, breakdownRows)}\n\nContact creation: HTTP ${createResult.httpPerSecond}/s, raw writes ${createResult.rawPerSecond}/s (${createResult.ratio}×), ${createResult.concurrency} at a time\n${textTable(costHeader, costRows)}\n\n${textTable(['Target', 'ratio', 'met'], targetRows)}\n`,
    );
    if (write) {
      writeJsonAtomically(resolve(repoRoot, 'bench-results/records.json'), results);
      const m = results.machine;
      await replaceDocsSection(
        resolve(repoRoot, 'docs/benchmarks.md'),
        DOCS_HEADING,
        [
          `Produced by \`npm run bench:records${quick ? ' -- --quick' : ''}\` on ${results.date.slice(0, 10)}${quick ? ' (reduced run: indicative only)' : ''}: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}; PostgreSQL ${results.postgres} (durability off, as in medium tests), over loopback. Whole run ${results.durationSeconds} s. Raw figures: \`bench-results/records.json\`.`,
          '### Targets (reported, not asserted)',
          markdownTable(['Target', 'Measured', 'Met'], targetRows),
          '### Lookup of a returning person by name',
          markdownTable(lookupHeader, lookupRows),
          `Up to ${LOOKUPS} lookups per size (about 500 names drawn evenly from the population) (family name first, as a caseworker might type them), measured twice: "cold", right after loading and vacuuming, and then, as the target is read, with the data in PostgreSQL's buffer cache (\`pg_prewarm\` of the person, identity, index, keyring and plaintext tables and their indexes into ${BENCH_SETTINGS.shared_buffers} of \`shared_buffers\`, as a server with memory for its working set runs; a cold lookup reads about ten pages from the operating system — index leaves, the identity, keyring and person rows — against the plaintext one's one or two). The warm pass follows ${STEADY_STATE_WARM_UP.toLocaleString('en-GB')} untimed lookups of each kind, cycling through the same names, so that both run V8's optimised code as a server serving lookups all day does (the encrypted lookup's Node CPU falls by about half over its first few thousand calls; the plaintext \`SELECT\`, far less code, is warm within a few hundred); the cold pass has ${COLD_WARM_UP} of each. Each is timed from Node: \`PersonsService.lookup\` in its own transaction with the tenant set (blind-index candidates, each confirmed by unwrapping the person's key and decrypting the names) against one \`SELECT\` on a plaintext table of the same names with a B-tree index on (organisation, family name, given name), as the application role, timed two ways: through the same request path (\`Db.transaction\`: a transaction that sets the tenant, as docs/security.md T11 requires of every request, and a prepared statement, as the lookup's query is) and bare (its own connection with the tenant set once, no transaction). The target is read against the first, which differs from the encrypted lookup only in how people are found and confirmed; the second is shown for the stricter reading. The three rotate, so drift hits all alike. People are written as \`PersonsService.create\` writes them (per-person keys through \`KeyringService.createPersonKeys\`, names encrypted in place, name token and name-pair index rows), in bulk transactions; "found" counts lookups that returned the person.`,
          "### Where the lookup's time goes",
          markdownTable(breakdownHeader, breakdownRows),
          `Measured after the warm lookups, on the same ${LOOKUPS} names. The database side: the name-pair candidate query exactly as the lookup sends it (its values computed under the organisation's index key) against the plaintext \`SELECT\`, each in its own transaction with the tenant set (\`START TRANSACTION\` and \`set_config\` in one message, the query as a named prepared statement with one generic plan, \`COMMIT\`), 3 rounds, alternating, on one plain \`pg\` connection as the application role, so no application code runs between the round trips. The Node side: this process's CPU time (\`process.cpuUsage\`, user and system) per lookup over 2 alternating passes of each, the whole \`PersonsService.lookup\` through \`Db.transaction\` against the plaintext \`SELECT\` through the same \`Db.transaction\`. The two "+" figures together roughly make the "lookup p50 gap" (the encrypted lookup's p50 less the plaintext one's on the same request path, from the table above); the target asks that gap to be at most half the plaintext lookup.`,
          '### Contact creation',
          markdownTable(
            ['Path', 'per second'],
            [
              [
                'POST /api/contacts over HTTP (session, CSRF, validation, notes encrypted, one need, access event)',
                formatNumber(createResult.httpPerSecond),
              ],
              [
                'raw pg: BEGIN, tenant set, INSERT contact, INSERT need, INSERT access event, UPDATE log head, UPDATE session, COMMIT',
                formatNumber(createResult.rawPerSecond),
              ],
              ['ratio', `${createResult.ratio}×`],
            ],
          ),
          `${createResult.requests} creates per path after ${WARM_UP_CREATES} untimed ones on each side, in 3 alternating rounds (median of rounds), ${createResult.concurrency === 1 ? 'one at a time on each side: one HTTP client against one database connection' : `${createResult.concurrency} at a time on each side: ${createResult.concurrency} HTTP clients (each its own user and session) against ${createResult.concurrency} database connections`} (\`--concurrency=N\` sets both), over loopback. Each HTTP client keeps its connection alive, as a browser does, as the raw side keeps its database connection. "Equivalent rows" are the rows one API create writes: the contact, its need, the access event (a well-formed event whose bytes satisfy the table's CHECK, with the hash and MAC columns filled but not computed), the access log head (\`audit_log_state\`) and the session's idle refresh; one statement each, in one transaction, nothing read, nothing encrypted, hashed or signed. The HTTP side sends no \`Idempotency-Key\` (optional on creates), so neither side writes an idempotency row; with a key the API adds an advisory lock, a read and an insert. HTTP and raw sides write into separate organisations, so each has a log of its own.`,
          "### Where contact creation's time goes",
          markdownTable(costHeader, costRows),
          `Over the same timed rounds, per create: the wall time (the inverse of the side's throughput over all its rounds), this process's CPU time (\`process.cpuUsage\`, user and system, all its threads) — on the HTTP side the API and the HTTP client that calls it, which share the process, on the raw side the \`pg\` client — and PostgreSQL's CPU time, all its processes (backends, WAL writer, checkpointer, autovacuum), read from Linux's \`/proc\` for the postmaster and its children. One at a time, the Node process and PostgreSQL mostly take turns, so where the two CPU figures come near the wall time the side is bound by CPU rather than by waiting. The ratio above is the raw side's wall time over the HTTP side's: it moves with whichever side's figures the machine moves more.`,
          '### How the figures come about',
          BOUNDS,
        ].join('\n\n'),
      );
      log('wrote bench-results/records.json and docs/benchmarks.md');
    }
  });
}

runBenchmark('records', main);
