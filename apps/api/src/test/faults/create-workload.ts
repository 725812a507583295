import { randomUUID } from 'node:crypto';
import type { FaultClient, FaultResponse } from './http-client';
import type { PostgresProcess } from './postgres-process';
import { sleep } from './postgres-process';

/** What a run of creates saw, for the checks and the printed figures. */
export interface WorkloadResult {
  readonly total: number;
  /** Idempotency-Key → contact id, for every create that was acknowledged (201). */
  readonly acknowledged: ReadonlyMap<string, string>;
  /** Attempts answered with something other than 201 (503, or no answer at all), by kind. */
  readonly failedAttempts: Readonly<Record<string, number>>;
  /** Acknowledgements that were replays of an earlier commit (`Idempotency-Replayed`). */
  readonly replayed: number;
  /** Attempts that got a status no fault should cause (a 4xx, a 500). */
  readonly unexpected: readonly string[];
  readonly ms: number;
}

/**
 * `total` contact creates from `clients` signed-in clients, `concurrency` in flight at a time,
 * each with its own `Idempotency-Key`. A create that fails (503, a cut or refused connection)
 * is retried with the same key until it is acknowledged or `deadlineMs` passes, as the
 * console's outbox does. `onAck` sees the running count of acknowledgements and of requests in
 * flight (fault injectors use it to strike at chosen points, mid-request).
 */
export async function runCreates(options: {
  clients: readonly FaultClient[];
  personId: string;
  total: number;
  concurrency: number;
  deadlineMs: number;
  onAck?: (acknowledged: number, inFlight: number) => void;
}): Promise<WorkloadResult> {
  const { clients, personId, total, concurrency } = options;
  const keys = Array.from({ length: total }, () => randomUUID());
  const acknowledged = new Map<string, string>();
  const failedAttempts: Record<string, number> = {};
  const unexpected: string[] = [];
  let replayed = 0;
  let next = 0;
  let inFlight = 0;
  const started = Date.now();
  const deadline = started + options.deadlineMs;

  const body = (i: number) => ({
    personId,
    occurredOn: '2026-01-15',
    channel: 'drop_in',
    locationType: 'drop_in_centre',
    circumstances: ['post_raid'],
    notes: `Fault test note ${i}.`,
    needs: [{ category: 'legal' }],
  });

  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      const client = clients[worker % clients.length]!;
      while (next < total) {
        const i = next++;
        const key = keys[i]!;
        for (let attempt = 0; ; attempt++) {
          inFlight++;
          const res = await client.send('POST', '/api/contacts', body(i), {
            'Idempotency-Key': key,
          });
          inFlight--;
          if (res.status === 201 && typeof res.body?.['id'] === 'string') {
            acknowledged.set(key, res.body['id']);
            if (res.headers['idempotency-replayed'] === 'true') replayed++;
            options.onAck?.(acknowledged.size, inFlight);
            break;
          }
          const kind = failureKind(res);
          failedAttempts[kind] = (failedAttempts[kind] ?? 0) + 1;
          if (!kind.startsWith('503') && kind !== 'no answer') {
            unexpected.push(`${kind}: ${res.text.slice(0, 200)}`);
          }
          if (Date.now() > deadline) break;
          await sleep(Math.min(1000, 50 * 2 ** Math.min(attempt, 5)));
        }
      }
    }),
  );
  return {
    total,
    acknowledged,
    failedAttempts,
    replayed,
    unexpected,
    ms: Date.now() - started,
  };
}

function failureKind(res: FaultResponse): string {
  if (res.status === 0) return 'no answer';
  const code = res.body?.['code'];
  return `${res.status} ${typeof code === 'string' ? code : ''}`.trim();
}

/** What the database holds after the run, checked against what was acknowledged. */
export interface DurabilityCheck {
  /** Contacts of the person in the database. */
  readonly stored: number;
  /** Acknowledged contacts missing from the database (must be 0). */
  readonly lost: readonly string[];
  /** Contacts in the database that no acknowledgement named (duplicates or orphans; 0). */
  readonly unacknowledged: readonly string[];
  /** Contacts without their `contact.created` success event in the access log (must be 0). */
  readonly withoutEvent: readonly string[];
}

/** Reads the person's contacts and their access events as the superuser (no RLS, no API). */
export async function checkDurability(
  postgres: PostgresProcess,
  personId: string,
  result: WorkloadResult,
): Promise<DurabilityCheck> {
  const rows = await postgres.query<{ id: string; has_event: boolean }>(
    `SELECT c.id::text AS id,
            EXISTS (SELECT 1 FROM access_event e
                     WHERE e.organisation_id = c.organisation_id
                       AND e.action = 'contact.created' AND e.outcome = 'success'
                       AND e.resource_ids @> ARRAY[c.id::text]) AS has_event
       FROM contact c WHERE c.person_id = $1`,
    [personId],
  );
  const stored = new Set(rows.map((r) => r.id));
  const acked = new Set(result.acknowledged.values());
  return {
    stored: rows.length,
    lost: [...acked].filter((id) => !stored.has(id)),
    unacknowledged: [...stored].filter((id) => !acked.has(id)),
    withoutEvent: rows.filter((r) => !r.has_event).map((r) => r.id),
  };
}

/** A small seeded generator (mulberry32), so a failing run can be repeated with its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The run's seed: `HARBOUR_FAULTS_SEED` to repeat one, otherwise fresh each run. */
export function faultSeed(): number {
  const fixed = Number(process.env['HARBOUR_FAULTS_SEED']);
  return Number.isInteger(fixed) && fixed > 0 ? fixed : Math.floor(Math.random() * 2 ** 31) + 1;
}
