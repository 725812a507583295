import { Agent, request as httpRequest } from 'node:http';
import { resolve } from 'node:path';
import {
  periodBounds,
  type ContactsReport,
  type FunnelReport,
  type NeedsReport,
  type ReferralsReport,
  type OutcomeChangeReport,
  type DisclosuresReport,
  type ReportName,
  type ReportQuery,
  type ReportTable,
  type TimeToOutcomeReport,
} from '@harbour/domain';
import { formatNumber, machineInfo, median, rotatingRounds, textTable } from '../lib/harness';
import { markdownTable, replaceDocsSection, writeJsonAtomically } from '../lib/output';
import { codeProvenance } from '../lib/provenance';
import { benchLog, optionOf, runBenchmark, serveApi, withCleanup } from '../lib/served';
import { repoRoot } from '../crypto/versions';
import {
  AuthHarness,
  Db,
  ReportsRepository,
  ReportsService,
  tenantScope,
  type TenantScope,
  type TestApp,
} from '@harbour/api/internal';
import { startEnvironment, type AuditBenchEnvironment } from '../audit/environment';
import { LAST_DAY, volumesFor, writeRecords, type Volumes } from './data';
import { subjects, type HandRow } from './subjects';

/**
 * `npm run bench:reports`: reports (docs/design.md §8) on 100,000 and 1,000,000 contacts (with 30 %
 * as many needs and 20 % as many referrals, entered over 24 months), on a throw-away embedded
 * PostgreSQL, in the two costs the published-quarters design has (docs/adr/0006):
 *
 * 1. **Publishing a quarter**: the one-time cost when a closed quarter is first asked for — for
 *    each family of figures (needs, referrals, contacts, outcome times) the SQL for the
 *    unfiltered table and every filter attribute, disclosure control of every slice on both
 *    tiers, and storing the JSON — through `ReportsService` in a request transaction, the
 *    stored row deleted (as the database owner) before each round. Where the time goes is
 *    measured in the same rounds: the repository's SQL, the store, and the rest (protection).
 * 2. **Serving a year** from its four stored quarters: each report, one filtered variant each
 *    and each at the external tier, over HTTP as the coordinator's browser asks for it and
 *    through the service, next to the hand-written SQL for the same figures. Every number a
 *    report publishes is checked against the hand SQL's; the run fails on any difference.
 *
 * Writes bench-results/reports.json and the "Reports" section of docs/benchmarks.md. Options:
 * `--quick` (10,000 and 100,000 contacts, fewer rounds; still writes unless `--no-write`),
 * `--no-write`, and for iterating `--sizes=N[,M…]`, `--rounds=N`, `--publish-rounds=N` and
 * `--only=<id>[,…]` (serving subjects or publishing families; a run with any of them prints its
 * figures and writes nothing).
 */

const DOCS_HEADING = '## Reports (npm run bench:reports)';

/** Buffer cache large enough for the whole database at 1,000,000 contacts. */
const BENCH_SETTINGS = { shared_buffers: '2GB' } as const;
const REPORT_TABLES = ['contact', 'support_need', 'referral', 'person', 'partner'];
const WARM_UP_RUNS = 2;

/**
 * The application's clock: after every record was entered (referrals up to 20 days after the
 * last contact), so 2025 and its four quarters have closed.
 */
const NOW = new Date('2026-12-10T09:00:00Z');
/** The year served (every quarter of it closed and full of records; data spans 24 months). */
const YEAR = '2025';
/** The quarter whose publication is timed. */
const QUARTER = '2025-Q4';

const log = benchLog('reports');
const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;
const round2 = (v: number): number => Math.round(v * 100) / 100;
const thousands = (n: number): string => n.toLocaleString('en-GB');

/** What is published and timed: one family's figures for one period. */
interface Publication {
  readonly id: string;
  readonly label: string;
  readonly family: 'needs' | 'referrals' | 'contacts' | 'outcomes';
  /** The report whose first request publishes it. */
  readonly report: ReportName;
  readonly period: string;
}

const PUBLICATIONS: readonly Publication[] = [
  {
    id: 'needs-quarter',
    label: 'needs (category × status × month; by language, channel, region, each circumstance)',
    family: 'needs',
    report: 'needs',
    period: QUARTER,
  },
  {
    id: 'referrals-quarter',
    label:
      'referrals (partner × status × month; by language, channel, region, category, each circumstance)',
    family: 'referrals',
    report: 'referrals',
    period: QUARTER,
  },
  {
    id: 'contacts-quarter',
    label: 'contacts (channel × kind × language × location; by region, each circumstance)',
    family: 'contacts',
    report: 'contacts',
    period: QUARTER,
  },
  {
    id: 'outcomes-quarter',
    label: 'outcome times (quartiles per category and partner, every filter value)',
    family: 'outcomes',
    report: 'time-to-outcome',
    period: QUARTER,
  },
  {
    id: 'outcomes-year',
    label: `outcome times of a year (published once the whole year has closed)`,
    family: 'outcomes',
    report: 'time-to-outcome',
    period: YEAR,
  },
];

/** Where a publication's time goes, milliseconds (medians over the rounds). */
interface Phases {
  /** The repository's counting SQL (`counts`, `tagCounts`, `outcomes`). */
  readonly sql: number;
  /** `publish`: the JSON and its INSERT. */
  readonly store: number;
  /** The organisation, which periods are stored, and reading the request's slice back. */
  readonly read: number;
  /** The rest: disclosure control of every slice on both tiers, and assembling the tables. */
  readonly protect: number;
}

interface PublicationResult {
  readonly id: string;
  readonly label: string;
  readonly period: string;
  readonly totalMs: number;
  readonly phasesMs: Phases;
  readonly perRound: { readonly total: number[]; readonly phases: Phases[] };
  /** Slices stored per tier (the unfiltered report and one per filter value). */
  readonly slicesPerTier: number;
  /** The stored row's `content` as PostgreSQL keeps it (compressed), and as JSON text. */
  readonly storedBytes: number;
  readonly jsonBytes: number;
}

interface ServingResult {
  readonly id: string;
  readonly label: string;
  readonly path: string;
  /** Medians over the rounds, milliseconds. */
  readonly httpMs: number;
  readonly serviceMs: number;
  readonly sqlMs: number;
  readonly perRound: {
    readonly http: number[];
    readonly service: number[];
    readonly sql: number[];
  };
  /** Published numbers compared with the hand SQL's (all equal, or the run fails). */
  readonly compared: number;
  /** Suppressed entries in the report (cells, totals, rates, quartiles shown as "< k"). */
  readonly suppressed: number;
  readonly responseBytes: number;
}

interface SizeResult {
  readonly volumes: Volumes;
  readonly populateSeconds: number;
  /** Records entered in the timed quarter, and referrals closed in it and in the year. */
  readonly quarterRecords: {
    readonly contacts: number;
    readonly needs: number;
    readonly referrals: number;
    readonly closedReferrals: number;
    readonly closedReferralsInYear: number;
  };
  readonly publishing: PublicationResult[];
  /** The first requests for the year: every quarter of it not yet stored, published. */
  readonly publishYearSeconds: number;
  /** Every stored publication of the organisation, bytes as stored (compressed) and as JSON. */
  readonly storedTotal: {
    readonly rows: number;
    readonly storedBytes: number;
    readonly jsonBytes: number;
  };
  readonly serving: ServingResult[];
}

/** A coordinator's browser: GETs over one kept-alive connection with the session cookies. */
function browserClient(port: number, cookies: ReadonlyMap<string, string>) {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const cookie = [...cookies].map(([k, v]) => `${k}=${v}`).join('; ');
  return {
    get: (path: string) =>
      new Promise<{ status: number; body: string }>((done, fail) => {
        const req = httpRequest(
          {
            host: '127.0.0.1',
            port,
            path,
            method: 'GET',
            agent,
            headers: { cookie, accept: 'application/json' },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () =>
              done({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }),
            );
            res.on('error', fail);
          },
        );
        req.on('error', fail);
        req.end();
      }),
    close: () => agent.destroy(),
  };
}

function reportPath(report: ReportName, query: ReportQuery): string {
  const params = new URLSearchParams(
    Object.entries(query).filter((e): e is [string, string] => typeof e[1] === 'string'),
  );
  return `/api/reports/${report}?${params.toString()}`;
}

/** Entries a report publishes as suppressed ("< k"): null counts, rates, quartiles. */
function countSuppressed(report: ReportName, body: unknown): number {
  const nulls = (values: readonly unknown[]): number => values.filter((v) => v === null).length;
  const table = (t: ReportTable, columnTotals = true): number =>
    t.cells.reduce((n, row) => n + nulls(row), 0) +
    nulls(t.rowTotals) +
    (columnTotals ? nulls(t.columnTotals) + nulls([t.total]) : 0);
  switch (report) {
    case 'needs': {
      const r = body as NeedsReport;
      return table(r.byMonth) + table(r.byStatus) + table(r.byQuarter);
    }
    case 'referrals': {
      const r = body as ReferralsReport;
      return (
        table(r.byMonth) +
        table(r.byStatus) +
        table(r.byQuarter) +
        nulls(r.rates.flatMap((x) => [x.acceptance, x.completion]))
      );
    }
    case 'funnel': {
      // Stages are not parts of a whole: the funnel has no column totals to suppress.
      const r = body as FunnelReport;
      return table(r.byMonth, false) + table(r.byQuarter, false);
    }
    case 'time-to-outcome': {
      const r = body as TimeToOutcomeReport;
      return nulls([...r.byCategory, ...r.byPartner].map((g) => g.days));
    }
    case 'contacts': {
      const r = body as ContactsReport;
      return (
        table(r.byChannel) +
        table(r.byLocation) +
        table(r.byLanguage) +
        nulls(r.byCircumstance.map((c) => c.people))
      );
    }
    case 'outcome-change': {
      const r = body as OutcomeChangeReport;
      return (
        table(r.byChange) +
        table(r.byMonth) +
        table(r.byQuarter) +
        nulls(r.shares.flatMap((x) => [x.improved, x.worsened]))
      );
    }
    case 'disclosures': {
      const r = body as DisclosuresReport;
      return table(r.byOutcome) + table(r.byMonth) + table(r.byQuarter);
    }
  }
}

function runReport(
  service: ReportsService,
  scope: TenantScope,
  request: Awaited<ReturnType<ReportsService['request']>>,
): Promise<unknown> {
  switch (request.report) {
    case 'needs':
      return service.needs(scope, request);
    case 'referrals':
      return service.referrals(scope, request);
    case 'funnel':
      return service.funnel(scope, request);
    case 'time-to-outcome':
      return service.timeToOutcome(scope, request);
    case 'contacts':
      return service.contacts(scope, request);
    case 'outcome-change':
      // Built by its own service over the check-ins, not among the benchmarked reports.
      throw new Error('the reports bench does not run the outcome change report');
    case 'disclosures':
      // Built by its own service over the disclosure requests, not among the benchmarked reports.
      throw new Error('the reports bench does not run the disclosures report');
  }
}

/**
 * Times the repository's methods as the service calls them (the same instance), so a
 * publication's rounds say how much of their time was SQL, storing and reading back; `restore`
 * puts the methods back.
 */
function instrument(repository: ReportsRepository) {
  const spent = { sql: 0, store: 0, read: 0 };
  const phaseOf: Readonly<Record<string, keyof typeof spent>> = {
    counts: 'sql',
    tagCounts: 'sql',
    outcomes: 'sql',
    publish: 'store',
    organisation: 'read',
    publishedPeriods: 'read',
    slices: 'read',
  };
  const target = repository as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const originals = new Map<string, (...args: unknown[]) => Promise<unknown>>();
  for (const [name, phase] of Object.entries(phaseOf)) {
    const original = target[name]!;
    originals.set(name, original);
    target[name] = async (...args: unknown[]) => {
      const start = process.hrtime.bigint();
      try {
        return await original.apply(repository, args);
      } finally {
        spent[phase] += ms(start);
      }
    };
  }
  return {
    reset: () => {
      spent.sql = 0;
      spent.store = 0;
      spent.read = 0;
    },
    phases: (total: number): Phases => ({
      sql: round2(spent.sql),
      store: round2(spent.store),
      read: round2(spent.read),
      protect: round2(total - spent.sql - spent.store - spent.read),
    }),
    restore: () => {
      for (const [name, original] of originals) target[name] = original;
    },
  };
}

async function measureSize(
  env: AuditBenchEnvironment,
  harbour: TestApp,
  port: number,
  contacts: number,
  rounds: { serving: number; publishing: number },
  seed: number,
  only: readonly string[] | null,
): Promise<SizeResult> {
  const h = new AuthHarness(harbour);
  const organisationId = await h.createOrganisation(`Bench reports ${contacts}`);
  const coordinator = await h.createUser(organisationId, { roles: ['coordinator'] });
  const volumes = volumesFor(contacts);
  log(
    `writing ${thousands(contacts)} contacts, ${thousands(volumes.needs)} needs, ${thousands(volumes.referrals)} referrals`,
  );
  const { seconds } = await writeRecords(
    env.database.superuserUrl,
    organisationId,
    coordinator.id,
    volumes,
    seed,
    log,
  );
  await env.asSuperuser('VACUUM (ANALYZE)');
  await env.asSuperuser('CREATE EXTENSION IF NOT EXISTS pg_prewarm');
  // The tables and their indexes (the reports read a quarter through the created_at indexes).
  await env.asSuperuser(
    `SELECT pg_prewarm(c.oid) FROM pg_class c
      WHERE c.relnamespace = 'public'::regnamespace
        AND (c.relname = ANY($1)
             OR c.oid IN (SELECT i.indexrelid FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid
                           WHERE t.relname = ANY($1)))`,
    [REPORT_TABLES],
  );
  const { start: quarterStart, end: quarterEnd } = periodBounds(QUARTER);
  const { start: yearStart, end: yearEnd } = periodBounds(YEAR);
  const [records] = await env.asSuperuser<SizeResult['quarterRecords']>(
    `SELECT (SELECT count(*) FROM contact WHERE organisation_id = $1 AND created_at >= $2 AND created_at < $3)::int AS contacts,
            (SELECT count(*) FROM support_need WHERE organisation_id = $1 AND created_at >= $2 AND created_at < $3)::int AS needs,
            (SELECT count(*) FROM referral WHERE organisation_id = $1 AND created_at >= $2 AND created_at < $3)::int AS referrals,
            (SELECT count(*) FROM referral WHERE organisation_id = $1 AND closed_at >= $2 AND closed_at < $3)::int AS "closedReferrals",
            (SELECT count(*) FROM referral WHERE organisation_id = $1 AND closed_at >= $4 AND closed_at < $5)::int AS "closedReferralsInYear"`,
    [organisationId, quarterStart, quarterEnd, yearStart, yearEnd],
  );
  log(
    `${QUARTER}: ${thousands(records!.contacts)} contacts, ${thousands(records!.needs)} needs, ${thousands(records!.referrals)} referrals entered`,
  );
  const service = harbour.app.get(ReportsService);
  const db = harbour.app.get(Db);
  const inTransaction = (report: ReportName, query: ReportQuery) =>
    db.transaction(organisationId, async (tx) => {
      const scope = tenantScope(tx);
      const request = await service.request(scope, report, query);
      return runReport(service, scope, request);
    });
  const stored = (family: string, period: string) =>
    env.asSuperuser<{ stored: number; json: number; slices: number }>(
      `SELECT pg_column_size(content)::int AS stored, octet_length(content::text)::int AS json,
              (SELECT count(*) FROM jsonb_object_keys(content -> 'tiers' -> 'internal'))::int AS slices
         FROM report_publication WHERE organisation_id = $1 AND family = $2 AND period = $3`,
      [organisationId, family, period],
    );

  // 1. Publishing a quarter (and the year's outcome times), one family at a time.
  const publishing: PublicationResult[] = [];
  const clock = instrument(harbour.app.get(ReportsRepository));
  try {
    for (const publication of PUBLICATIONS.filter((p) => only === null || only.includes(p.id))) {
      const unpublish = () =>
        env.asSuperuser(
          'DELETE FROM report_publication WHERE organisation_id = $1 AND family = $2 AND period = $3',
          [organisationId, publication.family, publication.period],
        );
      const total: number[] = [];
      const phases: Phases[] = [];
      // One untimed publication first, as the serving side's warm-up.
      for (let r = -1; r < rounds.publishing; r++) {
        await unpublish();
        clock.reset();
        const start = process.hrtime.bigint();
        await inTransaction(publication.report, { period: publication.period });
        const elapsed = ms(start);
        if (r < 0) continue;
        total.push(round2(elapsed));
        phases.push(clock.phases(elapsed));
      }
      const [row] = await stored(publication.family, publication.period);
      if (row === undefined) throw new Error(`${publication.id}: nothing was stored`);
      const medianOf = (key: keyof Phases) => round2(median(phases.map((p) => p[key])));
      const result: PublicationResult = {
        id: publication.id,
        label: publication.label,
        period: publication.period,
        totalMs: round2(median(total)),
        phasesMs: {
          sql: medianOf('sql'),
          store: medianOf('store'),
          read: medianOf('read'),
          protect: medianOf('protect'),
        },
        perRound: { total, phases },
        slicesPerTier: row.slices,
        storedBytes: row.stored,
        jsonBytes: row.json,
      };
      log(
        `${thousands(contacts)} · publishing ${publication.id} ${publication.period}: ${result.totalMs} ms (SQL ${result.phasesMs.sql}, protection ${result.phasesMs.protect}, storing ${result.phasesMs.store}, reading ${result.phasesMs.read}); ${row.slices} slices per tier, ${thousands(row.stored)} bytes stored (${thousands(row.json)} as JSON)`,
      );
      publishing.push(result);
    }
  } finally {
    clock.restore();
  }

  // 2. Serving the year from its stored quarters.
  const servingSubjects = subjects().filter((s) => only === null || only.includes(s.id));
  const yearStarted = process.hrtime.bigint();
  for (const report of new Set(servingSubjects.map((s) => s.report))) {
    await inTransaction(report, { period: YEAR });
  }
  const publishYearSeconds = round2(ms(yearStarted) / 1000);
  log(`${thousands(contacts)} · first requests for ${YEAR}: ${publishYearSeconds} s`);
  const [storedTotal] = await env.asSuperuser<SizeResult['storedTotal']>(
    `SELECT count(*)::int AS rows, coalesce(sum(pg_column_size(content)), 0)::int AS "storedBytes",
            coalesce(sum(octet_length(content::text)), 0)::int AS "jsonBytes"
       FROM report_publication WHERE organisation_id = $1`,
    [organisationId],
  );

  const browser = await h.signIn(coordinator);
  // The external tier needs a recent step-up; the application's clock stands still meanwhile.
  await h.stepUp(browser, coordinator);
  const client = browserClient(port, browser.cookies);
  const bounds = [yearStart.toISOString(), yearEnd.toISOString()];
  const serving: ServingResult[] = [];
  try {
    for (const subject of servingSubjects) {
      const query: ReportQuery = { period: YEAR, ...subject.query };
      const path = reportPath(subject.report, query);
      let lastBody = '';
      const http = async () => {
        const res = await client.get(path);
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${res.body}`);
        lastBody = res.body;
      };
      const viaService = () => inTransaction(subject.report, query);
      let handRows: HandRow[] = [];
      const sql = async () => {
        handRows = await db.transaction(organisationId, (tx) =>
          tx.manager.query<HandRow[]>(subject.sql, [organisationId, ...bounds, ...subject.params]),
        );
      };
      const sides = { http, service: viaService, sql } as const;
      for (let i = 0; i < WARM_UP_RUNS; i++) for (const run of Object.values(sides)) await run();
      const body: unknown = JSON.parse(lastBody);
      const compared = subject.check(body, handRows);
      // The service answers what HTTP serves.
      if (JSON.stringify(await viaService()) !== lastBody) {
        throw new Error(`${subject.id}: the service and HTTP answers differ`);
      }
      const perRound = { http: [] as number[], service: [] as number[], sql: [] as number[] };
      // Rotate which side runs first, so drift hits all three alike.
      await rotatingRounds(rounds.serving, ['http', 'service', 'sql'] as const, async (side) => {
        const start = process.hrtime.bigint();
        await sides[side]();
        perRound[side].push(round2(ms(start)));
      });
      const result: ServingResult = {
        id: subject.id,
        label: subject.label,
        path,
        httpMs: round2(median(perRound.http)),
        serviceMs: round2(median(perRound.service)),
        sqlMs: round2(median(perRound.sql)),
        perRound,
        compared,
        suppressed: countSuppressed(subject.report, body),
        responseBytes: Buffer.byteLength(lastBody),
      };
      log(
        `${thousands(contacts)} · serving ${subject.id}: HTTP ${result.httpMs} ms, service ${result.serviceMs} ms, hand SQL ${result.sqlMs} ms (${compared} numbers equal, ${result.suppressed} suppressed)`,
      );
      serving.push(result);
    }
  } finally {
    client.close();
  }
  return {
    volumes,
    populateSeconds: Math.round(seconds),
    quarterRecords: records!,
    publishing,
    publishYearSeconds,
    storedTotal: storedTotal!,
    serving,
  };
}

/** Removes one size's records, so the next size's queries scan only their own. */
async function removeRecords(env: AuditBenchEnvironment): Promise<void> {
  await env.asSuperuser(
    'TRUNCATE referral_event, referral, support_need, contact, person, partner CASCADE',
  );
  await env.asSuperuser('VACUUM (ANALYZE)');
}

const PUBLISH_TARGET_MS = 60_000;
const SERVE_TARGET_RATIO = 1.5;

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const option = optionOf(args);
  const sizesOption = option('sizes');
  const sizes =
    sizesOption !== undefined
      ? sizesOption.split(',').map((n) => Number(n.replace(/_/g, '')))
      : quick
        ? [10_000, 100_000]
        : [100_000, 1_000_000];
  const rounds = {
    serving: Number(option('rounds') ?? (quick ? 5 : 15)),
    publishing: Number(option('publish-rounds') ?? (quick ? 3 : 5)),
  };
  if (
    sizes.length === 0 ||
    sizes.some((n) => !Number.isInteger(n) || n < 1_000) ||
    Object.values(rounds).some((n) => !Number.isInteger(n) || n < 1)
  ) {
    throw new Error('--sizes=N[,M…] (each ≥ 1000), --rounds=N, --publish-rounds=N (≥ 1)');
  }
  const onlyOption = option('only');
  const only = onlyOption === undefined ? null : onlyOption.split(',');
  const custom =
    sizesOption !== undefined ||
    option('rounds') !== undefined ||
    option('publish-rounds') !== undefined ||
    only !== null;
  const write = !args.includes('--no-write') && !custom;
  const started = Date.now();
  const code = ['apps/api/src/app/reports', 'apps/api/src/data/reports', 'libs/domain/src/lib'].map(
    (d) => codeProvenance(repoRoot, d),
  );
  await withCleanup(log, async (cleanup) => {
    const env = await startEnvironment(log, cleanup, { settings: BENCH_SETTINGS });
    const { app: harbour, port } = await serveApi(env.database);
    cleanup.add(() => harbour.close());
    harbour.clock.set(NOW);
    const settings = await env.asSuperuser<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings
        WHERE name IN ('shared_buffers', 'work_mem', 'max_parallel_workers_per_gather', 'jit')`,
    );
    const bySize: SizeResult[] = [];
    for (const [i, contacts] of sizes.entries()) {
      if (i > 0) await removeRecords(env);
      bySize.push(await measureSize(env, harbour, port, contacts, rounds, 0.1 + i / 10, only));
    }
    const large = bySize.at(-1)!;
    const largeContacts = thousands(large.volumes.contacts);
    const targets = [
      ...large.publishing.map((p) => ({
        description: `publishing ${p.label.replace(/ \(.*/, '')}, ${p.period}, at ${largeContacts} contacts ≤ ${PUBLISH_TARGET_MS / 1000} s`,
        measured: `${(p.totalMs / 1000).toFixed(2)} s`,
        pass: p.totalMs <= PUBLISH_TARGET_MS,
      })),
      ...large.serving.map((s) => ({
        description: `serving ${s.label} for ${YEAR} at ${largeContacts} contacts ≤ ${SERVE_TARGET_RATIO}× the hand SQL (over HTTP / through the service)`,
        measured: `${(s.httpMs / s.sqlMs).toFixed(3)}× / ${(s.serviceMs / s.sqlMs).toFixed(3)}×`,
        pass: Math.max(s.httpMs, s.serviceMs) <= SERVE_TARGET_RATIO * s.sqlMs,
      })),
    ];
    const results = {
      benchmark: 'reports',
      date: new Date().toISOString(),
      quick,
      machine: machineInfo(),
      durationSeconds: Math.round((Date.now() - started) / 1000),
      postgres: env.postgresVersion,
      postgresSettings: Object.fromEntries(
        settings.map((s) => [s.name, `${s.setting}${s.unit === null ? '' : ` × ${s.unit}`}`]),
      ),
      applicationClock: NOW.toISOString(),
      year: YEAR,
      publishedQuarter: QUARTER,
      lastContactDay: LAST_DAY,
      rounds,
      code,
      sizes: bySize,
      targets,
    };
    const kb = (bytes: number) => formatNumber(bytes / 1024);
    const publishHeader = [
      'Contacts',
      'Publication',
      'records',
      'slices per tier',
      'total (ms)',
      'SQL (ms)',
      'protection (ms)',
      'storing (ms)',
      'reading (ms)',
      'stored (KiB)',
      'as JSON (KiB)',
    ];
    const publishRows = bySize.flatMap((size) =>
      size.publishing.map((p) => [
        thousands(size.volumes.contacts),
        `${p.label.replace(/ \(.*/, '')}, ${p.period}`,
        thousands(
          p.id === 'needs-quarter'
            ? size.quarterRecords.needs
            : p.id === 'referrals-quarter'
              ? size.quarterRecords.referrals
              : p.id === 'contacts-quarter'
                ? size.quarterRecords.contacts
                : p.id === 'outcomes-quarter'
                  ? size.quarterRecords.closedReferrals
                  : size.quarterRecords.closedReferralsInYear,
        ),
        String(p.slicesPerTier),
        formatNumber(p.totalMs),
        formatNumber(p.phasesMs.sql),
        formatNumber(p.phasesMs.protect),
        formatNumber(p.phasesMs.store),
        formatNumber(p.phasesMs.read),
        kb(p.storedBytes),
        kb(p.jsonBytes),
      ]),
    );
    const servingHeader = [
      'Contacts',
      'Report',
      'over HTTP (ms)',
      'service (ms)',
      'hand SQL (ms)',
      'HTTP ÷ SQL',
      'service ÷ SQL',
      'numbers checked',
      'suppressed',
    ];
    const servingRows = bySize.flatMap((size) =>
      size.serving.map((s) => [
        thousands(size.volumes.contacts),
        s.label,
        s.httpMs.toFixed(1),
        s.serviceMs.toFixed(1),
        s.sqlMs.toFixed(1),
        `${(s.httpMs / s.sqlMs).toFixed(3)}×`,
        `${(s.serviceMs / s.sqlMs).toFixed(3)}×`,
        String(s.compared),
        String(s.suppressed),
      ]),
    );
    const targetRows = targets.map((t) => [t.description, t.measured, t.pass ? 'yes' : '**no**']);
    process.stdout.write(
      `\n${textTable(publishHeader, publishRows)}\n\n${textTable(servingHeader, servingRows)}\n\n${textTable(['Target', 'measured', 'met'], targetRows)}\n`,
    );
    if (write) {
      writeJsonAtomically(resolve(repoRoot, 'bench-results/reports.json'), results);
      const m = results.machine;
      await replaceDocsSection(
        resolve(repoRoot, 'docs/benchmarks.md'),
        DOCS_HEADING,
        [
          `Produced by \`npm run bench:reports${quick ? ' -- --quick' : ''}\` on ${results.date.slice(0, 10)}${quick ? ' (reduced run: indicative only)' : ''}: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}; PostgreSQL ${results.postgres} (durability off, as in medium tests; ${Object.entries(
            results.postgresSettings,
          )
            .map(([k, v]) => `${k} ${v}`)
            .join(
              ', ',
            )}), over loopback. Whole run ${results.durationSeconds} s. Raw figures, every round: \`bench-results/reports.json\`.`,
          '### Targets (reported, not asserted)',
          markdownTable(['Target', 'Measured', 'Met'], targetRows),
          `### Publishing a quarter (once per closed quarter, on its first request)`,
          markdownTable(publishHeader, publishRows),
          `### Serving ${YEAR} from its stored quarters, next to the hand-written SQL`,
          markdownTable(servingHeader, servingRows),
          how(bySize),
        ].join('\n\n'),
      );
      log('wrote bench-results/reports.json and docs/benchmarks.md');
    }
  });
}

/** How it was measured, in plain words. */
function how(sizes: readonly SizeResult[]): string {
  const stored = sizes
    .map(
      (s) =>
        `${thousands(s.storedTotal.rows)} publications, ${formatNumber(s.storedTotal.storedBytes / 2 ** 20)} MiB stored (${formatNumber(s.storedTotal.jsonBytes / 2 ** 20)} MiB as JSON) at ${thousands(s.volumes.contacts)} contacts`,
    )
    .join('; ');
  return `**Data.** Each size is its own organisation's records, the previous size's removed first, so every query reads only what it counts: N contacts (80 % individual with a person, 10 % anonymous, 10 % groups of 2–40 counted by headcount; skewed channels, locations, languages; circumstance tags on a few per cent), 0.3 N needs (one per sampled contact, skewed categories and statuses), 0.2 N referrals (one per sampled need, 24 partners, skewed, most with an outcome), N/5 people of whom 70 % consented to reporting; written in SQL from a fixed seed (\`tools/bench/reports/data.ts\`). Records count in the month they were entered (\`created_at\`, UTC): contacts happen on the 730 days up to ${LAST_DAY} and are entered 8 to 20 hours into their day, their needs within the next half hour, referrals up to 20 days after their need, so a quarter holds about an eighth of the contacts ("records" in the table: what the timed quarter counts; for outcome times, referrals closed in it). The application's clock stands at ${NOW.toISOString().slice(0, 16).replace('T', ' ')} UTC, so every quarter of ${YEAR} has closed. The tables and their indexes were loaded into PostgreSQL's buffer cache (\`pg_prewarm\`) first; the organisation's k is 5.

**Publishing a quarter** is the one-time cost of the first request for a closed quarter: for one family of figures (needs, referrals, contacts, or outcome times) the counting SQL for the unfiltered table and for every filter attribute (one statement per attribute, one for all circumstance tags), disclosure control of the unfiltered table and of every filter's table with it as the margin, the external tier coarsened from the internal one, every slice's tables assembled, and the JSON stored in \`report_publication\`. It is timed through \`ReportsService\` in a request transaction (the tenant set), asking for ${QUARTER} with the family's row deleted by the database owner before each round (the API role may not delete a publication), after one untimed publication; the figure is the median of the rounds. The same rounds time the repository's methods where the service calls them: "SQL" is the counting statements, "storing" the JSON and its INSERT, "reading" the organisation, which quarters are stored and the request's slice read back, and "protection" the rest of the request (disclosure control and assembling the slices' tables). Outcome times have no tables to protect (quartiles of groups of k or more): their time is SQL, one statement per filter attribute. A year's outcome times are their own publication (quartiles of a year are not made of its quarters'). "stored" is the row's \`content\` as PostgreSQL keeps it (compressed), "as JSON" its text; ${stored}.

**Serving ${YEAR}** reads the four stored quarters: the request's slice of each (\`content -> 'tiers' -> tier -> slice\`) and adds them up. Each report is served unfiltered at the internal tier, with one filter, and at the external tier (k = 11, rounded to 5; the coordinator's session has stepped up). Three ways, in the same run, rotating which goes first: **over HTTP** — the coordinator's browser (session cookie, one kept-alive connection) asks \`GET /api/reports/<name>?period=${YEAR}…\`: session check, permission, validation, reading the stored slices, the access event (hashed, MAC'd, appended to the log) and the JSON; **service** — \`ReportsService\` in a request transaction; **hand SQL** — one statement an analyst would write for the same figures with no disclosure control: the same consent rule, records entered in ${YEAR}, each table's cells and totals as \`GROUPING SETS\` with the quarter in every set (the report shows quarter columns, and a year is the sum of its quarters), rates with \`FILTER\`, \`percentile_cont\` quartiles of referrals closed in ${YEAR}, the circumstance tags through \`unnest\`, through the same request transaction. After ${WARM_UP_RUNS} untimed runs of each (the first request publishes the year's other quarters; "first requests" in the raw figures), every number the report publishes is compared with the hand SQL's — for the external tier, the sum of each quarter's count rounded to 5 — all equal, or the benchmark fails ("numbers checked"); "suppressed" counts what the report hides: a year's entry is published only where each of its quarters publishes its part, so a year hides at least what its quarters hide, and the external tier, coarsened from the internal one, hides more. The figure is the median of the rounds.

On this virtual machine the two cores are shared with other engineers' builds and tests while the benchmark runs: a figure can move by ±15 % or more from run to run (medians of several rounds are steadier than single runs, not exact). Read a figure close to its threshold as borderline.`;
}

runBenchmark('reports', main);
