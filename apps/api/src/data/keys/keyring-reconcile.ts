import { Client } from 'pg';
import { statement, valuesOf, type Statement } from '../sql';

/**
 * After a restore, the data database meets a keyring that may be newer than it: keys destroyed
 * since the data backup was taken — erasures, retired keys past their window — have catalogue
 * rows that still say `active` and no material. `reconcileWithKeyring` makes the catalogue say
 * what the keyring holds, and finishes each erasure the keyring already made: the person's
 * identity and blind-index rows (undecryptable now anyway) go, so lookup cannot find them and
 * nothing reports an integrity failure for a person who asked to be forgotten.
 *
 * Runs as the owner of both databases (row-level security bypassed), before the API starts.
 */

const liveKeys = statement<
  { afterOrganisation: string; afterKey: number; limit: number },
  { organisation_id: string; key_id: number; purpose: string; subject_id: string | null }
>(
  'restore.liveKeys',
  `SELECT organisation_id, key_id, purpose, subject_id FROM organisation_key
 WHERE status <> 'destroyed' AND (organisation_id, key_id) > (:afterOrganisation::uuid, :afterKey::int)
 ORDER BY organisation_id, key_id
 LIMIT :limit`,
);

const heldKeys = statement<
  { organisationIds: string[]; keyIds: number[] },
  { organisation_id: string; key_id: number }
>(
  'restore.heldKeys',
  `SELECT k.organisation_id, k.key_id FROM key_material k
  JOIN unnest(:organisationIds::uuid[], :keyIds::int[]) AS v(organisation_id, key_id)
    ON k.organisation_id = v.organisation_id AND k.key_id = v.key_id`,
);

const markDestroyed = statement<{ organisationIds: string[]; keyIds: number[] }>(
  'restore.markDestroyed',
  `UPDATE organisation_key k SET status = 'destroyed'
  FROM unnest(:organisationIds::uuid[], :keyIds::int[]) AS v(organisation_id, key_id)
 WHERE k.organisation_id = v.organisation_id AND k.key_id = v.key_id`,
);

/** People left with no key that opens (every person key destroyed), not yet marked erased. */
const keylessPeople = statement<
  { organisationIds: string[]; personIds: string[] },
  { organisation_id: string; id: string }
>(
  'restore.keylessPeople',
  `SELECT p.organisation_id, p.id FROM person p
  JOIN unnest(:organisationIds::uuid[], :personIds::uuid[]) AS v(organisation_id, id)
    ON p.organisation_id = v.organisation_id AND p.id = v.id
 WHERE NOT EXISTS (SELECT 1 FROM organisation_key k
                    WHERE k.organisation_id = p.organisation_id AND k.purpose = 'person_data'
                      AND k.subject_id = p.id AND k.status <> 'destroyed')`,
);

const finishErasure = statement<
  { organisationIds: string[]; personIds: string[]; now: Date },
  { id: string }
>(
  'restore.finishErasure',
  `WITH v AS (SELECT * FROM unnest(:organisationIds::uuid[], :personIds::uuid[]) AS v(organisation_id, id)),
identity AS (
  DELETE FROM person_identity i USING v
   WHERE i.organisation_id = v.organisation_id AND i.person_id = v.id),
search AS (
  DELETE FROM person_index i USING v
   WHERE i.organisation_id = v.organisation_id AND i.person_id = v.id),
retries AS (
  DELETE FROM idempotency_key r USING v
   WHERE r.organisation_id = v.organisation_id AND v.id = ANY (r.person_ids))
UPDATE person p SET has_identity = false, erased_at = coalesce(p.erased_at, :now)
  FROM v
 WHERE p.organisation_id = v.organisation_id AND p.id = v.id
RETURNING p.id`,
);

/** What reconciling a restored data database with its keyring did. */
export interface ReconcileResult {
  /** Catalogue rows that said a key was live when the keyring holds no material for it. */
  readonly keysMarkedDestroyed: number;
  /** People whose every key the keyring had destroyed (erased since the backup): finished. */
  readonly erasuresCompleted: number;
}

const BATCH = 5000;

async function run<P extends object, R extends object>(
  client: Client,
  stmt: Statement<P, R>,
  params: P,
): Promise<R[]> {
  return (await client.query<R & Record<string, unknown>>(stmt.sql, valuesOf(stmt, params))).rows;
}

export async function reconcileWithKeyring(
  data: Client,
  keyring: Client,
  now: Date,
): Promise<ReconcileResult> {
  let keysMarkedDestroyed = 0;
  let erasuresCompleted = 0;
  let after: { afterOrganisation: string; afterKey: number } = {
    afterOrganisation: '00000000-0000-0000-0000-000000000000',
    afterKey: 0,
  };
  await data.query('BEGIN');
  try {
    for (;;) {
      const live = await run(data, liveKeys, { ...after, limit: BATCH });
      if (live.length === 0) break;
      const held = await run(keyring, heldKeys, {
        organisationIds: live.map((k) => k.organisation_id),
        keyIds: live.map((k) => k.key_id),
      });
      const has = new Set(held.map((k) => `${k.organisation_id}:${k.key_id}`));
      const missing = live.filter((k) => !has.has(`${k.organisation_id}:${k.key_id}`));
      if (missing.length > 0) {
        await run(data, markDestroyed, {
          organisationIds: missing.map((k) => k.organisation_id),
          keyIds: missing.map((k) => k.key_id),
        });
        keysMarkedDestroyed += missing.length;
        const people = missing.filter((k) => k.purpose === 'person_data');
        const keyless = await run(data, keylessPeople, {
          organisationIds: people.map((k) => k.organisation_id),
          personIds: people.map((k) => k.subject_id!),
        });
        if (keyless.length > 0) {
          const done = await run(data, finishErasure, {
            organisationIds: keyless.map((p) => p.organisation_id),
            personIds: keyless.map((p) => p.id),
            now,
          });
          erasuresCompleted += done.length;
        }
      }
      const last = live[live.length - 1]!;
      after = { afterOrganisation: last.organisation_id, afterKey: last.key_id };
    }
    await data.query('COMMIT');
  } catch (error) {
    await data.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  return { keysMarkedDestroyed, erasuresCompleted };
}

const keyCount = statement<Record<string, never>, { n: number }>(
  'restore.keyCount',
  `SELECT CASE WHEN to_regclass('public.key_material') IS NULL THEN 0
            ELSE (SELECT count(*)::int FROM key_material) END AS n`,
);

/** Whether the keyring database at `url` holds any key (false when it has no keyring table). */
export async function keyringHoldsKeys(url: string): Promise<boolean> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const [row] = await run(client, keyCount, {});
    return (row?.n ?? 0) > 0;
  } finally {
    await client.end();
  }
}
