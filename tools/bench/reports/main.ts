import { Agent, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resolve } from 'node:path';
import type {
  ContactsReport,
  FunnelReport,
  NeedsReport,
  ReferralsReport,
  ReportName,
  ReportQuery,
  ReportTable,
  TimeToOutcomeReport,
} from '@harbour/domain';
import { formatNumber, machineInfo, median, textTable } from '../lib/harness';
import { markdownTable, replaceDocsSection, writeJsonAtomically } from '../lib/output';
import { codeProvenance } from '../lib/provenance';
import { repoRoot } from '../crypto/versions';
import { AuthHarness, createTestApp, Db, ReportsService, type TestApp } from '../audit/api';
import { cleanupStack, startEnvironment, type AuditBenchEnvironment } from '../audit/environment';
import { LAST_DAY, volumesFor, writeRecords, type Volumes } from './data';
import { subjects, type HandRow } from './subjects';

/**
 * `npm run bench:reports`: each report (DESIGN.md §8) on 100,000 and 1,000,000 contacts (with
 * 30 % as many needs and 20 % as many referrals), timed three ways in the same run on a
 * throw-away embedded PostgreSQL: over HTTP as the coordinator's browser asks for it (session,
 * permission, validation, SQL, disclosure control, the access event, JSON); through
 * `ReportsService` in a request transaction (SQL and disclosure control only); and the hand-written
 * SQL for the same numbers, through the same request transaction. Every run checks that each
 * number the report publishes equals the hand SQL's. Writes bench-results/reports.json and the
 * "Reports" section of docs/benchmarks.md. Options: `--quick` (10,000 and 100,000 contacts, 5
 * rounds; still writes unless `--no-write`), `--no-write`, and for iterating `--sizes=N[,M…]`
 * `--rounds=N` and `--only=<id>[,…]` (a run with any of them prints its figures and writes nothing).
 */

const DOCS_HEADING = '## Reports (npm run bench:reports)';

/** Buffer cache large enough for the whole database at 1,000,000 contacts. */
const BENCH_SETTINGS = { shared_buffers: '2GB' } as const;
const REPORT_TABLES = ['contact', 'support_need', 'referral', 'person', 'partner'];
const WARM_UP_RUNS = 2;
/** The reports cover the twelve months up to the last records (data spans 24). */
const MONTHS = { from: '2025-12', to: '2026-11' } as const;

const log = (line: string): void => void process.stderr.write(`bench:reports ${line}\n`);
const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;
const round2 = (v: number): number => Math.round(v * 100) / 100;

interface SubjectResult {
  readonly id: string;
  readonly label: string;
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
  readonly subjects: SubjectResult[];
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

/** The first and the day after the last of the report's months (as the service computes). */
const BOUNDS = [`${MONTHS.from}-01`, '2026-12-01'] as const;

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
      return table(r.byMonth) + table(r.byStatus);
    }
    case 'referrals': {
      const r = body as ReferralsReport;
      return (
        table(r.byMonth) +
        table(r.byStatus) +
        nulls(r.rates.flatMap((x) => [x.acceptance, x.completion]))
      );
    }
    case 'funnel':
      // Stages are not parts of a whole: the funnel has no column totals to suppress.
      return table((body as FunnelReport).byMonth, false);
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
  }
}

async function measureSize(
  env: AuditBenchEnvironment,
  harbour: TestApp,
  port: number,
  contacts: number,
  rounds: number,
  seed: number,
  only: readonly string[] | null,
): Promise<SizeResult> {
  const h = new AuthHarness(harbour);
  const organisationId = await h.createOrganisation(`Bench reports ${contacts}`);
  const coordinator = await h.createUser(organisationId, { roles: ['coordinator'] });
  const volumes = volumesFor(contacts);
  log(
    `writing ${contacts.toLocaleString('en-GB')} contacts, ${volumes.needs.toLocaleString('en-GB')} needs, ${volumes.referrals.toLocaleString('en-GB')} referrals`,
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
  await env.asSuperuser(
    `SELECT pg_prewarm(c.oid) FROM pg_class c
      WHERE c.relnamespace = 'public'::regnamespace AND c.relkind = 'r' AND c.relname = ANY($1)`,
    [REPORT_TABLES],
  );
  const browser = await h.signIn(coordinator);
  const client = browserClient(port, browser.cookies);
  const service = harbour.app.get(ReportsService);
  const db = harbour.app.get(Db);
  const results: SubjectResult[] = [];
  try {
    for (const subject of subjects(MONTHS).filter((s) => only === null || only.includes(s.id))) {
      const path = reportPath(subject.report, subject.query);
      let lastBody = '';
      const http = async () => {
        const res = await client.get(path);
        if (res.status !== 200) throw new Error(`${path} answered ${res.status}: ${res.body}`);
        lastBody = res.body;
      };
      const viaService = () =>
        db.transaction(organisationId, async () => {
          const request = await service.request(organisationId, subject.report, subject.query);
          return runReport(service, organisationId, request);
        });
      let handRows: HandRow[] = [];
      const sql = async () => {
        handRows = await db.transaction(organisationId, (tx) =>
          tx.manager.query<HandRow[]>(subject.sql, [organisationId, ...BOUNDS, ...subject.params]),
        );
      };
      const sides = { http, service: viaService, sql } as const;
      for (let i = 0; i < WARM_UP_RUNS; i++) for (const run of Object.values(sides)) await run();
      const body: unknown = JSON.parse(lastBody);
      const compared = subject.check(body, handRows);
      const perRound = { http: [] as number[], service: [] as number[], sql: [] as number[] };
      const order = ['http', 'service', 'sql'] as const;
      for (let r = 0; r < rounds; r++) {
        // Rotate which side runs first, so drift hits all three alike.
        for (let k = 0; k < order.length; k++) {
          const side = order[(r + k) % order.length]!;
          const start = process.hrtime.bigint();
          await sides[side]();
          perRound[side].push(round2(ms(start)));
        }
      }
      const result: SubjectResult = {
        id: subject.id,
        label: subject.label,
        httpMs: round2(median(perRound.http)),
        serviceMs: round2(median(perRound.service)),
        sqlMs: round2(median(perRound.sql)),
        perRound,
        compared,
        suppressed: countSuppressed(subject.report, body),
        responseBytes: Buffer.byteLength(lastBody),
      };
      log(
        `${contacts.toLocaleString('en-GB')} · ${subject.id}: HTTP ${result.httpMs} ms, service ${result.serviceMs} ms, hand SQL ${result.sqlMs} ms (${compared} numbers equal, ${result.suppressed} suppressed)`,
      );
      results.push(result);
    }
  } finally {
    client.close();
  }
  return { volumes, populateSeconds: Math.round(seconds), subjects: results };
}

function runReport(
  service: ReportsService,
  organisationId: string,
  request: Awaited<ReturnType<ReportsService['request']>>,
): Promise<unknown> {
  switch (request.report) {
    case 'needs':
      return service.needs(organisationId, request);
    case 'referrals':
      return service.referrals(organisationId, request);
    case 'funnel':
      return service.funnel(organisationId, request);
    case 'time-to-outcome':
      return service.timeToOutcome(organisationId, request);
    case 'contacts':
      return service.contacts(organisationId, request);
  }
}

/** Removes one size's records, so the next size's queries scan only their own. */
async function removeRecords(env: AuditBenchEnvironment): Promise<void> {
  await env.asSuperuser(
    'TRUNCATE referral_event, referral, support_need, contact, person, partner CASCADE',
  );
  await env.asSuperuser('VACUUM (ANALYZE)');
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const option = (name: string): string | undefined =>
    args.find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
  const sizesOption = option('sizes');
  const sizes =
    sizesOption !== undefined
      ? sizesOption.split(',').map((n) => Number(n.replace(/_/g, '')))
      : quick
        ? [10_000, 100_000]
        : [100_000, 1_000_000];
  const rounds = Number(option('rounds') ?? (quick ? 5 : 15));
  if (
    sizes.length === 0 ||
    sizes.some((n) => !Number.isInteger(n) || n < 1_000) ||
    !Number.isInteger(rounds) ||
    rounds < 1
  ) {
    throw new Error('--sizes=N[,M…] (each ≥ 1000), --rounds=N (≥ 1)');
  }
  const onlyOption = option('only');
  const only = onlyOption === undefined ? null : onlyOption.split(',');
  const custom = sizesOption !== undefined || option('rounds') !== undefined || only !== null;
  const write = !args.includes('--no-write') && !custom;
  const started = Date.now();
  const code = ['apps/api/src/app/reports', 'libs/domain/src/lib'].map((d) =>
    codeProvenance(repoRoot, d),
  );
  const cleanup = cleanupStack(log);
  const onSignal = (): void => {
    void cleanup.run().then(() => process.exit(130));
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const env = await startEnvironment(log, cleanup, { settings: BENCH_SETTINGS });
    const harbour = await createTestApp(env.database, { env: { LOG_LEVEL: 'warn' } });
    cleanup.add(() => harbour.close());
    await harbour.app.listen(0, '127.0.0.1');
    const port = (harbour.app.getHttpServer().address() as AddressInfo).port;
    const settings = await env.asSuperuser<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings
        WHERE name IN ('shared_buffers', 'work_mem', 'max_parallel_workers_per_gather', 'jit')`,
    );
    const bySize: SizeResult[] = [];
    for (const [i, contacts] of sizes.entries()) {
      if (i > 0) await removeRecords(env);
      bySize.push(await measureSize(env, harbour, port, contacts, rounds, 0.1 + i / 10, only));
    }
    const small = bySize[0]!;
    const large = bySize.at(-1)!;
    const targets = [
      ...large.subjects.map((s) => ({
        description: `${s.label} at ${large.volumes.contacts.toLocaleString('en-GB')} contacts: report ≤ 1.5× the hand SQL (over HTTP / through the service)`,
        ratio: round2(s.httpMs / s.sqlMs),
        serviceRatio: round2(s.serviceMs / s.sqlMs),
        threshold: 1.5,
        pass: s.httpMs <= 1.5 * s.sqlMs,
      })),
      ...(bySize.length < 2
        ? []
        : large.subjects.map((s) => {
            const before = small.subjects.find((x) => x.id === s.id)!;
            const growth = large.volumes.contacts / small.volumes.contacts;
            return {
              description: `${s.label}: over HTTP at ${large.volumes.contacts.toLocaleString('en-GB')} ≤ ${Math.round(growth * 1.2)}× at ${small.volumes.contacts.toLocaleString('en-GB')}`,
              ratio: round2(s.httpMs / before.httpMs),
              serviceRatio: null,
              threshold: growth * 1.2,
              pass: s.httpMs <= growth * 1.2 * before.httpMs,
            };
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
      months: MONTHS,
      lastRecordDay: LAST_DAY,
      rounds,
      code,
      sizes: bySize,
      targets,
    };
    const header = [
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
    const rows = bySize.flatMap((size) =>
      size.subjects.map((s) => [
        formatNumber(size.volumes.contacts),
        s.label,
        s.httpMs.toFixed(1),
        s.serviceMs.toFixed(1),
        s.sqlMs.toFixed(1),
        `${(s.httpMs / s.sqlMs).toFixed(2)}×`,
        `${(s.serviceMs / s.sqlMs).toFixed(2)}×`,
        String(s.compared),
        String(s.suppressed),
      ]),
    );
    const targetRows = targets.map((t) => [
      t.description,
      t.serviceRatio === null ? `${t.ratio}×` : `${t.ratio}× / ${t.serviceRatio}×`,
      t.pass ? 'yes' : '**no**',
    ]);
    process.stdout.write(
      `\n${textTable(header, rows)}\n\n${textTable(['Target', 'ratio', 'met'], targetRows)}\n`,
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
          markdownTable(['Target', 'Measured (HTTP / service)', 'Met'], targetRows),
          '### Each report next to the hand-written SQL',
          markdownTable(header, rows),
          HOW,
        ].join('\n\n'),
      );
      log('wrote bench-results/reports.json and docs/benchmarks.md');
    }
  } finally {
    await cleanup.run();
  }
}

const HOW = `Each size is its own organisation's records, the previous size's removed first, so every query scans only what it counts: N contacts (80 % individual with a person, 10 % anonymous, 10 % groups of 2–40 counted by headcount; skewed channels, locations, languages; circumstance tags on a few per cent), 0.3 N needs (one per sampled contact, skewed categories and statuses), 0.2 N referrals (one per sampled need, 24 partners, skewed, most with an outcome), N/5 people of whom 70 % consented to reporting; 24 months of records, written in SQL from a fixed seed (\`tools/bench/reports/data.ts\`). Every report covers the twelve months ${MONTHS.from} to ${MONTHS.to} at the internal tier (k = 5). Three ways, in the same run, rotating which goes first: **over HTTP** — the demo coordinator's browser (session cookie, one kept-alive connection) asks \`GET /api/reports/<name>\`: session check, permission, validation, the report's SQL, disclosure control, the access event (hashed, MAC'd, appended to the log) and the JSON; **service** — \`ReportsService\` in a request transaction with the tenant set: the report's SQL and disclosure control only; **hand SQL** — one statement an analyst would write for the same figures with no disclosure control (each table's cells and totals as \`GROUPING SETS\`, rates with \`FILTER\`, \`percentile_cont\` quartiles, the circumstance tags through \`unnest\`), with the same consent rule and date range, through the same request transaction. After ${WARM_UP_RUNS} untimed runs of each, every number the report publishes is compared with the hand SQL's — all equal, or the benchmark fails ("numbers checked"); "suppressed" counts what the report hides. The figure is the median of the rounds; the tables were loaded into PostgreSQL's buffer cache (\`pg_prewarm\`) first. Two filtered runs are included because a filter adds a dimension to the table disclosure control protects (the filtered table is protected with the unfiltered one as its fixed margin): they are the expensive case. On this shared two-core virtual machine a figure moves by up to ±15 % from run to run (the medians of 15 rounds are steadier than single runs, not exact): read a ratio close to its threshold as borderline.`;

void main().catch((error: unknown) => {
  process.stderr.write(
    `bench:reports failed: ${String(error instanceof Error ? error.stack : error)}\n`,
  );
  process.exitCode = 1;
});
