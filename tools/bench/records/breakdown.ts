import { Client } from 'pg';
import { median, round3 } from '../lib/harness';
import {
  PersonAccess,
  PersonIndexer,
  PersonsService,
  actingAs,
  namePairsQuery,
} from '@harbour/api/internal';
import type { AuditBenchEnvironment } from '../audit/environment';
import { PLAIN_LOOKUP_SQL, type Population } from './people';

/**
 * Where the encrypted lookup's extra time goes, measured in the same run as the lookups (warm
 * cache): the database side — the name-pair candidate query against the plaintext `SELECT`, each
 * in its own transaction with the tenant set (`START TRANSACTION` and `set_config` in one
 * message, the query as a prepared statement with one generic plan, `COMMIT`), on one plain `pg`
 * connection as the application role, so no application code runs between the round trips — and
 * the Node side: CPU time of this process (`process.cpuUsage`, user and system) per lookup, the
 * whole encrypted lookup through `PersonsService.lookup` against the plaintext `SELECT` through
 * the same request path (`Db.transaction`). The same names as the timed lookups; the two kinds
 * alternate, so drift hits both alike.
 */
export interface LookupBreakdown {
  readonly lookups: number;
  /** Own transaction, three round trips, p50 (ms): the candidate query, the plaintext SELECT. */
  readonly roundTrips: { candidateQuery: Split; plaintext: Split };
  /** Node CPU per lookup (ms, mean over the pass). */
  readonly nodeCpuMs: { encrypted: number; plaintext: number };
}

interface Split {
  /** The whole transaction. */
  readonly transaction: number;
  /** The query's round trip alone. */
  readonly query: number;
}

const ms = (from: bigint, to: bigint): number => Number(to - from) / 1e6;

export async function measureBreakdown(
  env: AuditBenchEnvironment,
  population: Population,
  queries: readonly { given: string; family: string }[],
  reader: Parameters<typeof actingAs>[1],
  route: { openingReads: true },
): Promise<LookupBreakdown> {
  const org = population.organisationId;
  const persons = env.app.get(PersonsService);
  const indexer = env.app.get(PersonIndexer);
  const access = env.app.get(PersonAccess);
  // Each name's candidate query exactly as the lookup sends it (index values under the
  // organisation's index key).
  const candidate: { name: string; sql: string; values: unknown[] }[] = [];
  for (const q of queries) {
    const [name, restricted] = await env.db.transaction(
      org,
      async (tx) =>
        [
          (await indexer.queries(tx, org, { name: `${q.family} ${q.given}` }))[0],
          access.restrictedReader(actingAs(tx, reader)),
        ] as const,
      route,
    );
    if (name?.pairs === undefined) throw new Error('a two-token name without pair values');
    candidate.push(namePairsQuery(org, restricted, name.bits, name.pairs, name.values));
  }

  const client = new Client({ connectionString: env.database.appUrl });
  await client.connect();
  const times = {
    candidate: { transaction: [] as number[], query: [] as number[] },
    plaintext: { transaction: [] as number[], query: [] as number[] },
  };
  try {
    // As the API's pool runs named statements (data-source.ts): one generic plan each.
    await client.query(`SET plan_cache_mode = force_generic_plan`);
    const inTransaction = async (
      into: { transaction: number[]; query: number[] },
      config: { name: string; text: string; values: unknown[] },
    ): Promise<void> => {
      const t0 = process.hrtime.bigint();
      await client.query(`START TRANSACTION; SELECT set_config('app.org_id', '${org}', true)`);
      const t1 = process.hrtime.bigint();
      await client.query(config);
      const t2 = process.hrtime.bigint();
      await client.query('COMMIT');
      const t3 = process.hrtime.bigint();
      into.transaction.push(ms(t0, t3));
      into.query.push(ms(t1, t2));
    };
    for (let round = 0; round < 3; round++) {
      for (const [i, q] of queries.entries()) {
        const c = candidate[i]!;
        const runCandidate = () =>
          inTransaction(times.candidate, { name: c.name, text: c.sql, values: c.values });
        const runPlain = () =>
          inTransaction(times.plaintext, {
            name: 'bench_plain_lookup',
            text: PLAIN_LOOKUP_SQL,
            values: [org, q.family, q.given],
          });
        if ((i + round) % 2 === 0) {
          await runCandidate();
          await runPlain();
        } else {
          await runPlain();
          await runCandidate();
        }
      }
    }
  } finally {
    await client.end();
  }

  // Node CPU per lookup: passes of each kind, alternating, summed per kind.
  const cpu = { encrypted: 0, plaintext: 0 };
  const passes = 2;
  for (let pass = 0; pass < passes; pass++) {
    for (const kind of pass % 2 === 0
      ? (['encrypted', 'plaintext'] as const)
      : (['plaintext', 'encrypted'] as const)) {
      const before = process.cpuUsage();
      for (const q of queries) {
        if (kind === 'encrypted') {
          await env.db.transaction(
            org,
            (tx) => persons.lookup(actingAs(tx, reader), { name: `${q.family} ${q.given}` }),
            route,
          );
        } else {
          await env.db.transaction(org, (tx) =>
            tx.prepared('bench_plain_lookup', PLAIN_LOOKUP_SQL, [org, q.family, q.given]),
          );
        }
      }
      const used = process.cpuUsage(before);
      cpu[kind] += (used.user + used.system) / 1000;
    }
  }
  const each = queries.length * passes;
  return {
    lookups: queries.length,
    roundTrips: {
      candidateQuery: {
        transaction: round3(median(times.candidate.transaction)),
        query: round3(median(times.candidate.query)),
      },
      plaintext: {
        transaction: round3(median(times.plaintext.transaction)),
        query: round3(median(times.plaintext.query)),
      },
    },
    nodeCpuMs: {
      encrypted: round3(cpu.encrypted / each),
      plaintext: round3(cpu.plaintext / each),
    },
  };
}
