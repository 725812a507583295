import { randomBytes } from 'node:crypto';
import { measureGroup, median, type RoundStats, type Subject, type Timing } from '../lib/harness';
import { eventBytes } from '@harbour/api/internal';
import type { AuditBenchEnvironment } from './environment';
import { EventSource } from './events';

/**
 * Append throughput over loopback: the real writer two ways — `AccessLog.appendSeparately`
 * (group commit, docs/adr/0017: appends waiting for the organisation's head are written together,
 * one transaction and one lock of `audit_log_state` per batch) and `AccessLog.append` inside a
 * `Db.transaction` of its own (one head lock per event, held until commit: what a request's
 * transaction does, so its rate at many writers is the per-organisation ceiling of unbatched
 * appends) — both with canonical bytes, leaf hash, HMAC, frontier and a signed checkpoint every
 * 1,000 events, against a "plain insert" of the same row (with its canonical bytes, which the
 * `access_event_bytes` constraint checks) in its own transaction with the tenant set, with dummy
 * 32-byte leaf/MAC values and `seq` from a counter: what logging would cost without the lock,
 * Merkle, MAC and checkpoint work. Each path writes to its own organisation, so the logs never
 * mix.
 */

/**
 * A plain INSERT of one access event, without the writer's lock, Merkle, MAC or checkpoint work:
 * the baseline the benchmarks compare the writer with (here, and the records benchmark's raw
 * contact creation). The stored bytes are the event's canonical bytes, as the
 * `access_event_bytes` constraint requires; leaf hash and MAC are what the caller passes.
 */
export const PLAIN_INSERT_SQL = `INSERT INTO access_event (organisation_id, seq, occurred_at, actor_id, actor_roles, action, resource_type,
                             resource_ids, fields, purpose, outcome, request_id, event, leaf_hash, mac)
   VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`;

/** The parameters of `PLAIN_INSERT_SQL` for `event`. */
export function plainInsertValues(
  event: Parameters<typeof eventBytes>[0],
  leaf: Buffer,
  mac: Buffer,
): unknown[] {
  const bytes = eventBytes(event);
  return [
    event.organisationId,
    event.seq,
    event.occurredAt,
    event.actorId,
    [...event.actorRoles],
    event.action,
    event.resourceType,
    [...event.resourceIds],
    [...event.fields],
    event.purpose,
    event.outcome,
    event.requestId,
    Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength),
    leaf,
    mac,
  ];
}

export interface AppendOrganisations {
  /** Logged through `AccessLog.appendSeparately` (group commit). */
  readonly accessLog: string;
  /** Logged through `AccessLog.append` in a transaction per event. */
  readonly requestTx: string;
  /** Plain inserts. */
  readonly plainInsert: string;
}

export interface ConcurrentStats {
  readonly writers: number;
  readonly eventsPerRound: number;
  /** Events per second of each round (wall clock of the round), in the order they ran. */
  readonly perRound: number[];
  readonly median: number;
  readonly min: number;
  readonly max: number;
}

export const APPEND_PATHS = ['accessLog', 'requestTx', 'plainInsert'] as const;
export type AppendPathId = (typeof APPEND_PATHS)[number];

export interface AppendResults {
  readonly sequential: { readonly timing: Timing } & Record<AppendPathId, RoundStats>;
  /** One entry per number of concurrent writers. */
  readonly concurrent: Record<AppendPathId, ConcurrentStats>[];
  /** Events appended to each organisation in all (warm-up included). */
  readonly eventsWritten: Record<AppendPathId, number>;
}

export interface AppendOptions {
  readonly sequentialRounds: number;
  /** Events per sequential round (each round spans at least one checkpoint at 1,000). */
  readonly eventsPerRound: number;
  readonly concurrentRounds: number;
  readonly concurrentEventsPerRound: number;
  /** Numbers of concurrent writers, each measured on every path. */
  readonly writers: readonly number[];
}

function stats(perRound: number[], writers: number, eventsPerRound: number): ConcurrentStats {
  return {
    writers,
    eventsPerRound,
    perRound,
    median: median(perRound),
    min: Math.min(...perRound),
    max: Math.max(...perRound),
  };
}

export async function measureAppends(
  env: AuditBenchEnvironment,
  orgs: AppendOrganisations,
  options: AppendOptions,
  log: (line: string) => void,
): Promise<AppendResults> {
  const source = new EventSource(0xa11ce);
  const dummyLeaf = randomBytes(32);
  const dummyMac = randomBytes(32);
  let plainSeq = 0;
  const written = { accessLog: 0, requestTx: 0, plainInsert: 0 };

  const appendReal = async (): Promise<void> => {
    written.accessLog++;
    await env.accessLog.appendSeparately(source.nextFor(orgs.accessLog));
  };
  const appendInTransaction = async (): Promise<void> => {
    written.requestTx++;
    const input = source.nextFor(orgs.requestTx);
    // As a request ends: its event is the transaction's last work and carries its COMMIT.
    await env.db.transaction(orgs.requestTx, (tx) => env.accessLog.appendAndCommit(tx, input));
  };
  const appendPlain = async (): Promise<void> => {
    const input = source.next();
    const seq = plainSeq++;
    const occurredAt = new Date();
    // The stored event bytes must match the columns (the access_event_bytes constraint).
    const event = { ...input, organisationId: orgs.plainInsert, seq, occurredAt };
    const values = plainInsertValues(event, dummyLeaf, dummyMac);
    written.plainInsert++;
    await env.db.transaction(orgs.plainInsert, (tx) => tx.manager.query(PLAIN_INSERT_SQL, values));
  };

  const subjects: Subject[] = [
    { id: 'accessLog', label: 'AccessLog.appendSeparately', run: appendReal, async: true },
    {
      id: 'requestTx',
      label: 'AccessLog.append in a transaction',
      run: appendInTransaction,
      async: true,
    },
    { id: 'plainInsert', label: 'plain INSERT (own transaction)', run: appendPlain, async: true },
  ];
  // roundMs 0: a round is exactly `eventsPerRound` appends (batches are about 2 ms, 1–3 events).
  const timing: Timing = {
    rounds: options.sequentialRounds,
    roundMs: 0,
    warmupMs: 500,
    minOpsPerRound: options.eventsPerRound,
  };
  log(
    `append, sequential: ${options.sequentialRounds} rounds × ${options.eventsPerRound} events per path`,
  );
  const sequential = await measureGroup(subjects, timing, (m) => log(`append, sequential: ${m}`));

  // Concurrent writers: `writers` loops share one counter until the round's events are written.
  const concurrentRound = async (writers: number, run: () => Promise<void>): Promise<number> => {
    let remaining = options.concurrentEventsPerRound;
    const start = process.hrtime.bigint();
    await Promise.all(
      Array.from({ length: writers }, async () => {
        while (remaining > 0) {
          remaining--;
          await run();
        }
      }),
    );
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    return options.concurrentEventsPerRound / seconds;
  };
  const runs: Record<AppendPathId, () => Promise<void>> = {
    accessLog: appendReal,
    requestTx: appendInTransaction,
    plainInsert: appendPlain,
  };
  const concurrent: Record<AppendPathId, ConcurrentStats>[] = [];
  for (const writers of options.writers) {
    const perRound: Record<AppendPathId, number[]> = {
      accessLog: [],
      requestTx: [],
      plainInsert: [],
    };
    for (let round = 0; round < options.concurrentRounds; round++) {
      log(`append, ${writers} concurrent writers: round ${round + 1}/${options.concurrentRounds}`);
      for (let k = 0; k < APPEND_PATHS.length; k++) {
        const id = APPEND_PATHS[(round + k) % APPEND_PATHS.length]!;
        perRound[id].push(await concurrentRound(writers, runs[id]));
      }
    }
    concurrent.push({
      accessLog: stats(perRound.accessLog, writers, options.concurrentEventsPerRound),
      requestTx: stats(perRound.requestTx, writers, options.concurrentEventsPerRound),
      plainInsert: stats(perRound.plainInsert, writers, options.concurrentEventsPerRound),
    });
  }

  return {
    sequential: {
      timing,
      accessLog: sequential.get('accessLog')!,
      requestTx: sequential.get('requestTx')!,
      plainInsert: sequential.get('plainInsert')!,
    },
    concurrent,
    eventsWritten: written,
  };
}
