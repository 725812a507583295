import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { uuidv7 } from '@harbour/domain';
import { Client } from 'pg';
import { formatNumber, machineInfo, median, textTable } from '../lib/harness';
import { replaceDocsSection, writeJsonAtomically } from '../lib/output';
import { codeProvenance } from '../lib/provenance';
import { repoRoot } from '../crypto/versions';
import { AuthHarness, createTestApp, PersonsService } from '../audit/api';
import { cleanupStack, startEnvironment, type AuditBenchEnvironment } from '../audit/environment';
import { PLAIN_TABLE_SQL, writePopulation, type Population } from './people';

/**
 * `npm run bench:records`: case records at scale, on a throw-away embedded PostgreSQL through
 * the real application. (1) Lookup of a returning person by name at 100,000 and 1,000,000
 * people — `PersonsService.lookup` (blind index, candidates confirmed by decryption) next to a
 * plaintext B-tree equality lookup over the same names — p50 and p99. (2) Contact creation over
 * HTTP (`POST /api/contacts`: session, CSRF, validation, encryption of notes, a need, the access
 * event) next to raw `pg` INSERTs of equivalent rows. Writes bench-results/records.json and the
 * "Case records" section of docs/benchmarks.md. Options: `--quick` (10,000 and 50,000 people,
 * fewer requests; still writes unless `--no-write`), `--no-write`.
 */

const DOCS_HEADING = '## Case records (npm run bench:records)';
const LOOKUPS = 400;

const log = (line: string): void => void process.stderr.write(`bench:records ${line}\n`);
const ms = (start: bigint): number => Number(process.hrtime.bigint() - start) / 1e6;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

interface LookupResult {
  readonly people: number;
  readonly bits: number;
  readonly indexRows: number;
  readonly populateSeconds: number;
  readonly lookups: number;
  readonly encrypted: { p50: number; p99: number; found: number };
  readonly plaintext: { p50: number; p99: number; found: number };
}

async function measureLookups(
  env: AuditBenchEnvironment,
  population: Population,
): Promise<LookupResult> {
  const persons = env.app.get(PersonsService);
  const queries = population.sample.slice(0, LOOKUPS);
  const plain = new Client({ connectionString: env.database.appUrl });
  await plain.connect();
  const encryptedMs: number[] = [];
  const plainMs: number[] = [];
  let foundEncrypted = 0;
  let foundPlain = 0;
  try {
    await plain.query(`SELECT set_config('app.org_id', $1, false)`, [population.organisationId]);
    // Warm-up: a few of each, not timed.
    for (const q of queries.slice(0, 20)) {
      await env.db.transaction(population.organisationId, () =>
        persons.lookup(population.organisationId, { name: `${q.family} ${q.given}` }),
      );
    }
    for (const [i, q] of queries.entries()) {
      // Alternate which runs first, so drift hits both alike.
      const runEncrypted = async () => {
        const start = process.hrtime.bigint();
        const found = await env.db.transaction(population.organisationId, () =>
          persons.lookup(population.organisationId, { name: `${q.family} ${q.given}` }),
        );
        encryptedMs.push(ms(start));
        if (found.length > 0) foundEncrypted++;
      };
      const runPlain = async () => {
        const start = process.hrtime.bigint();
        const { rows } = await plain.query(
          `SELECT id FROM bench_plain_person WHERE organisation_id = $1 AND family_name = $2 AND given_name = $3`,
          [population.organisationId, q.family, q.given],
        );
        plainMs.push(ms(start));
        if (rows.length > 0) foundPlain++;
      };
      if (i % 2 === 0) {
        await runEncrypted();
        await runPlain();
      } else {
        await runPlain();
        await runEncrypted();
      }
    }
  } finally {
    await plain.end();
  }
  const round = (v: number): number => Math.round(v * 1000) / 1000;
  return {
    people: population.people,
    bits: population.bits,
    indexRows: population.indexRows,
    populateSeconds: Math.round(population.seconds),
    lookups: queries.length,
    encrypted: {
      p50: round(percentile(encryptedMs, 50)),
      p99: round(percentile(encryptedMs, 99)),
      found: foundEncrypted,
    },
    plaintext: {
      p50: round(percentile(plainMs, 50)),
      p99: round(percentile(plainMs, 99)),
      found: foundPlain,
    },
  };
}

interface CreateResult {
  readonly requests: number;
  readonly httpPerSecond: number;
  readonly rawPerSecond: number;
  readonly ratio: number;
}

async function measureCreates(env: AuditBenchEnvironment, requests: number): Promise<CreateResult> {
  const app = await createTestApp(env.database, { env: { LOG_LEVEL: 'warn' } });
  try {
    await app.app.listen(0, '127.0.0.1');
    const h = new AuthHarness(app);
    const organisationId = await h.createOrganisation('Bench contacts');
    const user = await h.createUser(organisationId, { roles: ['caseworker'] });
    const browser = await h.signIn(user);
    const person = (await browser.send('post', '/api/persons', {})).body['id'] as string;
    const body = {
      personId: person,
      occurredOn: '2026-01-15',
      channel: 'drop_in',
      locationType: 'drop_in_centre',
      circumstances: ['post_raid'],
      notes: 'Synthetic benchmark note about a follow-up appointment next week.',
      needs: [{ category: 'legal' }],
    };
    for (let i = 0; i < 20; i++) await browser.send('post', '/api/contacts', body);
    const httpRounds: number[] = [];
    const rawRounds: number[] = [];
    const raw = new Client({ connectionString: env.database.appUrl });
    await raw.connect();
    const notes = randomBytes(120);
    notes[0] = 1;
    try {
      for (let round = 0; round < 3; round++) {
        const per = Math.floor(requests / 3);
        let start = process.hrtime.bigint();
        for (let i = 0; i < per; i++) {
          const res = await browser.send('post', '/api/contacts', body);
          if (res.status !== 201) throw new Error(`create answered ${res.status}`);
        }
        httpRounds.push(per / (ms(start) / 1000));
        start = process.hrtime.bigint();
        for (let i = 0; i < per; i++) {
          const contactId = uuidv7();
          await raw.query('BEGIN');
          await raw.query(`SELECT set_config('app.org_id', $1, true)`, [organisationId]);
          await raw.query(
            `INSERT INTO contact (organisation_id, id, kind, person_id, headcount, occurred_on, channel,
                                  location_type, circumstances, notes, caseworker_id)
             VALUES ($1, $2, 'individual', $3, 1, '2026-01-15', 'drop_in', 'drop_in_centre', '{post_raid}', $4, $5)`,
            [organisationId, contactId, person, notes, user.id],
          );
          await raw.query(
            `INSERT INTO support_need (organisation_id, id, person_id, contact_id, category, identified_on, created_by)
             VALUES ($1, $2, $3, $4, 'legal', '2026-01-15', $5)`,
            [organisationId, uuidv7(), person, contactId, user.id],
          );
          await raw.query('COMMIT');
        }
        rawRounds.push(per / (ms(start) / 1000));
      }
    } finally {
      await raw.end();
    }
    const http = median(httpRounds);
    const rawRate = median(rawRounds);
    return {
      requests,
      httpPerSecond: Math.round(http),
      rawPerSecond: Math.round(rawRate),
      ratio: Math.round((http / rawRate) * 1000) / 1000,
    };
  } finally {
    await app.close();
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const write = !args.includes('--no-write');
  const sizes = quick ? [10_000, 50_000] : [100_000, 1_000_000];
  const started = Date.now();
  const code = ['apps/api/src/app/persons', 'apps/api/src/app/contacts', 'libs/crypto/src'].map(
    (d) => codeProvenance(repoRoot, d),
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
    const lookups: LookupResult[] = [];
    for (const [i, size] of sizes.entries()) {
      const organisationId = await env.organisations.create(`Bench people ${size}`);
      // The planner's width for ~2 name rows per person (DESIGN.md §5): 2 ≤ rows / 2^bits.
      const bits = Math.max(8, Math.floor(Math.log2((size * 2) / 2)));
      log(`writing ${size.toLocaleString('en-GB')} people (index width ${bits} bits)`);
      const population = await writePopulation(env, organisationId, size, bits, 0x5eed + i, log);
      await env.asSuperuser('VACUUM (ANALYZE)');
      log(`lookups at ${size.toLocaleString('en-GB')}`);
      lookups.push(await measureLookups(env, population));
    }
    log('contact creation over HTTP and raw inserts');
    const creates = await measureCreates(env, quick ? 150 : 600);
    const [small, large] = lookups as [LookupResult, LookupResult];
    const targets = [
      {
        description: `encrypted lookup p50 ≤ 2× plaintext B-tree lookup at ${large.people.toLocaleString('en-GB')} people`,
        ratio: Math.round((large.encrypted.p50 / large.plaintext.p50) * 100) / 100,
        threshold: 2,
        pass: large.encrypted.p50 <= 2 * large.plaintext.p50,
      },
      {
        description: `encrypted lookup p50 at ${large.people.toLocaleString('en-GB')} ≤ 2× at ${small.people.toLocaleString('en-GB')}`,
        ratio: Math.round((large.encrypted.p50 / small.encrypted.p50) * 100) / 100,
        threshold: 2,
        pass: large.encrypted.p50 <= 2 * small.encrypted.p50,
      },
      {
        description: 'contact creation over HTTP ≥ 0.5× raw pg inserts of equivalent rows',
        ratio: creates.ratio,
        threshold: 0.5,
        pass: creates.ratio >= 0.5,
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
      creates,
      targets,
    };
    const lookupRows = lookups.map((l) => [
      formatNumber(l.people),
      String(l.bits),
      formatNumber(l.indexRows),
      `${l.encrypted.p50.toFixed(2)} / ${l.encrypted.p99.toFixed(2)}`,
      `${l.plaintext.p50.toFixed(2)} / ${l.plaintext.p99.toFixed(2)}`,
      `${(l.encrypted.p50 / l.plaintext.p50).toFixed(1)}×`,
      `${l.encrypted.found} / ${l.lookups}`,
    ]);
    const lookupHeader = [
      'People',
      'index bits',
      'index rows',
      'encrypted lookup p50 / p99 (ms)',
      'plaintext B-tree p50 / p99 (ms)',
      'p50 ratio',
      'found',
    ];
    const targetRows = targets.map((t) => [
      t.description,
      `${t.ratio}×`,
      t.pass ? 'yes' : '**no**',
    ]);
    process.stdout.write(
      `\n${textTable(lookupHeader, lookupRows)}\n\nContact creation: HTTP ${creates.httpPerSecond}/s, raw inserts ${creates.rawPerSecond}/s (${creates.ratio}×)\n\n${textTable(['Target', 'ratio', 'met'], targetRows)}\n`,
    );
    if (write) {
      writeJsonAtomically(resolve(repoRoot, 'bench-results/records.json'), results);
      const md = (header: string[], rows: string[][]) =>
        [header, header.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
      const m = results.machine;
      await replaceDocsSection(
        resolve(repoRoot, 'docs/benchmarks.md'),
        DOCS_HEADING,
        [
          `Produced by \`npm run bench:records${quick ? ' -- --quick' : ''}\` on ${results.date.slice(0, 10)}${quick ? ' (reduced run: indicative only)' : ''}: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}; PostgreSQL ${results.postgres} (durability off, as in medium tests), over loopback. Whole run ${results.durationSeconds} s. Raw figures: \`bench-results/records.json\`.`,
          '### Targets (reported, not asserted)',
          md(['Target', 'Measured', 'Met'], targetRows),
          '### Lookup of a returning person by name',
          md(lookupHeader, lookupRows),
          `Up to ${LOOKUPS} lookups per size (about 500 names drawn evenly from the population) (family name first, as a caseworker might type them), each timed from Node: \`PersonsService.lookup\` in its own transaction with the tenant set (blind-index candidates, each confirmed by unwrapping the person's key and decrypting the names) against one \`SELECT\` on a plaintext table of the same names with a B-tree index on (organisation, family name, given name), on its own connection as the application role. The two alternate, so drift hits both alike. People are written as \`PersonsService.create\` writes them (per-person keys through \`KeyringService.createPersonKeys\`, names encrypted in place, name index rows), in bulk transactions; "found" counts lookups that returned the person.`,
          '### Contact creation',
          md(
            ['Path', 'per second'],
            [
              [
                'POST /api/contacts over HTTP (session, CSRF, validation, notes encrypted, one need, access event)',
                formatNumber(creates.httpPerSecond),
              ],
              [
                'raw pg: BEGIN, tenant set, INSERT contact, INSERT need, COMMIT',
                formatNumber(creates.rawPerSecond),
              ],
              ['ratio', `${creates.ratio}×`],
            ],
          ),
          `${creates.requests} creates per path, in 3 alternating rounds (median of rounds), one at a time, over loopback (supertest, a new connection per request).`,
        ].join('\n\n'),
      );
      log('wrote bench-results/records.json and docs/benchmarks.md');
    }
  } finally {
    await cleanup.run();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `bench:records failed: ${String(error instanceof Error ? error.stack : error)}\n`,
  );
  process.exitCode = 1;
});
