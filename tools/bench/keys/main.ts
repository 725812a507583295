import { resolve } from 'node:path';
import { uuidv7 } from '@harbour/domain';
import { Client } from 'pg';
import {
  BackgroundJobs,
  KeyLifecycle,
  FieldRotationRepository,
  KeyRotation,
} from '@harbour/api/internal';
import { formatNumber, machineInfo, textTable } from '../lib/harness';
import { markdownTable, replaceDocsSection, writeJsonAtomically } from '../lib/output';
import { codeProvenance } from '../lib/provenance';
import { repoRoot } from '../crypto/versions';
import { cleanupStack, startEnvironment, type AuditBenchEnvironment } from '../audit/environment';

/**
 * `npm run bench:keys`: re-encrypting an organisation's data under a new data key, at 100,000
 * and 1,000,000 sealed values (anonymous contacts' notes), through the API's own rotation
 * (`KeyRotation.runSlice`, as the job runner runs it: batches locked with SKIP LOCKED through the
 * rotation's database functions, compare-and-swap, progress recorded per batch, the final count
 * and retirement) next to a raw loop over the same number of values in another organisation
 * (SELECT a batch, decrypt and encrypt in Node with the same library, one UPDATE, COMMIT), in
 * the same run. Writes bench-results/keys.json and the "Keys" section of docs/benchmarks.md.
 * Options: `--quick` (10,000 and 50,000), `--no-write`, `--sizes=N[,M…]` (writes nothing).
 * Backup and restore are measured once they exist (issue 16).
 */

const DOCS_HEADING = '## Keys (npm run bench:keys)';
/** The raw side's batch: the API's default (`HARBOUR_KEY_ROTATION_BATCH`). */
const BATCH = 200;
const LOAD_BATCH = 5000;

interface SizeResult {
  readonly values: number;
  readonly apiSeconds: number;
  readonly apiPerSecond: number;
  readonly rawSeconds: number;
  readonly rawPerSecond: number;
  readonly ratio: number;
  readonly leftUnderOldKey: number;
}

const log = (line: string): void => void process.stderr.write(`bench:keys ${line}\n`);

/** `count` anonymous contacts with notes sealed under the organisation's current data key. */
async function load(env: AuditBenchEnvironment, organisationId: string, count: number) {
  const caseworker = uuidv7();
  for (let done = 0; done < count; done += LOAD_BATCH) {
    const n = Math.min(LOAD_BATCH, count - done);
    await env.db.transaction(organisationId, async (tx) => {
      const key = await env.keyring.organisationDataKey(tx, organisationId);
      const ids: string[] = [];
      const notes: Buffer[] = [];
      for (let i = 0; i < n; i++) {
        const id = uuidv7();
        ids.push(id);
        const place = { organisationId, table: 'contact', column: 'notes', rowId: id };
        notes.push(
          Buffer.from(
            env.crypto.encryptField(key, place, `Outreach night ${done + i}: two people`),
          ),
        );
      }
      await env.asSuperuser(
        `INSERT INTO contact (organisation_id, id, kind, headcount, occurred_on, channel,
                              location_type, notes, caseworker_id)
         SELECT $1, id, 'group', 2, '2026-01-15', 'outreach_visit', 'street', notes, $4
           FROM unnest($2::uuid[], $3::bytea[]) AS t(id, notes)`,
        [organisationId, ids, notes, caseworker],
      );
    });
    if ((done / LOAD_BATCH) % 40 === 0)
      log(`  loaded ${formatNumber(done + n)} / ${formatNumber(count)}`);
  }
  await env.asSuperuser(`VACUUM ANALYZE contact`);
}

/** The API's rotation, slice after slice until the job has finished. */
async function apiRotation(env: AuditBenchEnvironment, organisationId: string) {
  const jobs = env.app.get(BackgroundJobs);
  const rotation = env.app.get(KeyRotation);
  const started = performance.now();
  const jobId = await env.db.transaction(organisationId, async (tx) => {
    const keys = await env.app.get(KeyLifecycle).rotate(tx, organisationId);
    if (keys === null) throw new Error('a rotation is already under way');
    return jobs.start(tx, organisationId, {
      kind: 'rotate_data_key',
      queue: 'key-rotation',
      detail: { ...keys, field: 0, after: null, pass: 1, unreadable: 0 },
      createdBy: null,
    });
  });
  while ((await rotation.runSlice({ organisationId, jobId })) !== 'finished');
  const seconds = (performance.now() - started) / 1000;
  const view = await env.db.transaction(organisationId, (tx) =>
    jobs.view(tx, organisationId, jobId),
  );
  if (view?.state !== 'completed') throw new Error(`rotation ended ${view?.state}`);
  return { seconds, moved: view.done };
}

/** The reference: batches read, re-encrypted in Node and written back, nothing else. */
async function rawRotation(env: AuditBenchEnvironment, organisationId: string) {
  const from = await env.db.transaction(organisationId, (tx) =>
    env.keyring.organisationDataKey(tx, organisationId),
  );
  const to = env.crypto.generateKey(from.id + 1);
  const client = new Client({ connectionString: env.database.superuserUrl });
  await client.connect();
  let moved = 0;
  const started = performance.now();
  try {
    let after = '00000000-0000-0000-0000-000000000000';
    for (;;) {
      await client.query('BEGIN');
      const { rows } = await client.query<{ id: string; notes: Buffer }>(
        `SELECT id, notes FROM contact WHERE organisation_id = $1 AND id > $2 ORDER BY id LIMIT $3`,
        [organisationId, after, BATCH],
      );
      if (rows.length === 0) {
        await client.query('COMMIT');
        break;
      }
      const news = rows.map((r) =>
        Buffer.from(
          env.crypto.reencryptField(
            from,
            to,
            { organisationId, table: 'contact', column: 'notes', rowId: r.id },
            new Uint8Array(r.notes),
          ),
        ),
      );
      const updated = await client.query(
        `UPDATE contact SET notes = v.notes FROM unnest($2::uuid[], $3::bytea[]) AS v(id, notes)
          WHERE contact.organisation_id = $1 AND contact.id = v.id`,
        [organisationId, rows.map((r) => r.id), news],
      );
      await client.query('COMMIT');
      moved += updated.rowCount ?? 0;
      after = rows[rows.length - 1]!.id;
    }
  } finally {
    await client.end();
    to.destroy();
  }
  return { seconds: (performance.now() - started) / 1000, moved };
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const quick = args.includes('--quick');
  const sizesOption = args.find((a) => a.startsWith('--sizes='))?.slice('--sizes='.length);
  const sizes =
    sizesOption !== undefined
      ? sizesOption.split(',').map((n) => Number(n.replace(/_/g, '')))
      : quick
        ? [10_000, 50_000]
        : [100_000, 1_000_000];
  if (sizes.length === 0 || sizes.some((n) => !Number.isInteger(n) || n < 1_000)) {
    throw new Error('--sizes=N[,M…] (each ≥ 1000)');
  }
  const write = !args.includes('--no-write') && sizesOption === undefined;
  const began = Date.now();
  const code = [
    'apps/api/src/app/keys',
    'apps/api/src/core/keyring',
    'apps/api/src/data/keys',
    'migrations',
    'libs/crypto/src',
  ].map((d) => codeProvenance(repoRoot, d));
  const cleanup = cleanupStack(log);
  const onSignal = (): void => void cleanup.run().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    const env = await startEnvironment(log, cleanup);
    const provision = env.organisations;
    const results: SizeResult[] = [];
    for (const size of sizes) {
      const api = await provision.create(`Rotation ${size}`);
      const raw = await provision.create(`Raw ${size}`);
      log(`loading ${formatNumber(size)} sealed values into each of two organisations`);
      await load(env, api, size);
      await load(env, raw, size);
      log(`rotating ${formatNumber(size)} values: the API's job`);
      const a = await apiRotation(env, api);
      log(`rotating ${formatNumber(size)} values: raw reference`);
      const r = await rawRotation(env, raw);
      const [left] = await env.db.transaction(api, async (tx) => [
        await env.app.get(FieldRotationRepository).fieldsUnderKey(tx, api, 2),
      ]);
      if (a.moved !== size || r.moved !== size) {
        throw new Error(`moved ${a.moved} (API) and ${r.moved} (raw) of ${size}`);
      }
      results.push({
        values: size,
        apiSeconds: Number(a.seconds.toFixed(2)),
        apiPerSecond: Math.round(size / a.seconds),
        rawSeconds: Number(r.seconds.toFixed(2)),
        rawPerSecond: Math.round(size / r.seconds),
        ratio: Number((r.seconds / a.seconds).toFixed(3)),
        leftUnderOldKey: left,
      });
    }
    const m = machineInfo();
    const postgres = env.postgresVersion;
    const header = [
      'Sealed values',
      'API rotation (s)',
      'API values/s',
      'raw re-encrypt + UPDATE (s)',
      'raw values/s',
      'ratio (API / raw)',
      'left under the old key',
    ];
    const rows = results.map((r) => [
      formatNumber(r.values),
      r.apiSeconds.toFixed(2),
      formatNumber(r.apiPerSecond),
      r.rawSeconds.toFixed(2),
      formatNumber(r.rawPerSecond),
      `${r.ratio}×`,
      String(r.leftUnderOldKey),
    ]);
    const largest = results[results.length - 1]!;
    const targets = [
      [
        `re-encryption throughput of the rotation ≥ 0.5× raw decrypt+encrypt+UPDATE at ${formatNumber(largest.values)} values`,
        `${largest.ratio}×`,
        largest.ratio >= 0.5 ? 'yes' : '**no**',
      ],
    ];
    process.stdout.write(
      `\n${textTable(header, rows)}\n\n${textTable(['Target', 'ratio', 'met'], targets)}\n`,
    );
    const durationSeconds = Math.round((Date.now() - began) / 1000);
    if (write) {
      writeJsonAtomically(resolve(repoRoot, 'bench-results/keys.json'), {
        date: new Date().toISOString(),
        machine: m,
        postgres,
        durationSeconds,
        quick,
        batch: BATCH,
        results,
        code,
      });
      await replaceDocsSection(
        resolve(repoRoot, 'docs/benchmarks.md'),
        DOCS_HEADING,
        [
          `Produced by \`npm run bench:keys${quick ? ' -- --quick' : ''}\` on ${new Date().toISOString().slice(0, 10)}${quick ? ' (reduced run: indicative only)' : ''}: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, Node ${m.node}; PostgreSQL ${postgres} (durability off, as in medium tests), over loopback. Whole run ${durationSeconds} s. Raw figures: \`bench-results/keys.json\`.`,
          '### Targets (reported, not asserted)',
          markdownTable(['Target', 'Measured', 'Met'], targets),
          '### Re-encrypting an organisation under a new data key',
          markdownTable(header, rows),
          `Each size in two fresh organisations of one database, each with that many anonymous contacts whose notes are sealed under its data key (as \`POST /api/contacts\` seals them). The API side is the rotation as the job runner runs it: \`KeyLifecycle.rotate\` and \`BackgroundJobs.start\` (the switch and the job, one transaction), then \`KeyRotation.runSlice\` until the job has finished — per batch of ${BATCH} one transaction that locks the job's row, reads the batch through \`key_rotation_batch\` (\`FOR UPDATE SKIP LOCKED\`, in id order), re-encrypts in Node, writes through \`key_rotation_apply\` (checks on every value, compare-and-swap on the old ciphertext) and records progress; then a pass over the other rotatable fields, the full count under the data-key lock, and the old key's retirement. The raw side, in the same run over the same number of values, is what re-encryption costs at the least: per batch of ${BATCH}, \`BEGIN\`, one \`SELECT\` in id order, the same library's decrypt and encrypt in Node, one \`UPDATE … FROM unnest\`, \`COMMIT\`, as the superuser (no row-level security, locks, checks, progress or count). "Left under the old key" is the API side's count afterwards. Backup and restore are measured here once they exist.`,
        ].join('\n\n'),
      );
      log('wrote bench-results/keys.json and docs/benchmarks.md');
    }
  } finally {
    await cleanup.run();
  }
}

void main().catch((error: unknown) => {
  process.stderr.write(
    `bench:keys failed: ${String(error instanceof Error ? error.stack : error)}\n`,
  );
  process.exitCode = 1;
});
