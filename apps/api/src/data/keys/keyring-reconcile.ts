import { pipeline } from 'node:stream/promises';
import { Client } from 'pg';
import { from as copyFrom, to as copyTo } from 'pg-copy-streams';
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

const heldTable = statement(
  'restore.heldTable',
  `CREATE TEMPORARY TABLE reconcile_held (organisation_id uuid NOT NULL, key_id integer NOT NULL)
  ON COMMIT DROP`,
);

const heldOut = statement(
  'restore.heldOut',
  `COPY (SELECT organisation_id, key_id FROM key_material) TO STDOUT (FORMAT binary)`,
);

const heldIn = statement(
  'restore.heldIn',
  `COPY reconcile_held (organisation_id, key_id) FROM STDIN (FORMAT binary)`,
);

const heldIndex = statement(
  'restore.heldIndex',
  `CREATE INDEX ON reconcile_held (organisation_id, key_id)`,
);

const markMissing = statement<
  Record<string, never>,
  { organisation_id: string; purpose: string; subject_id: string | null }
>(
  'restore.markMissing',
  `UPDATE organisation_key k SET status = 'destroyed'
 WHERE k.status <> 'destroyed'
   AND NOT EXISTS (SELECT 1 FROM reconcile_held h
                    WHERE h.organisation_id = k.organisation_id AND h.key_id = k.key_id)
RETURNING k.organisation_id, k.purpose, k.subject_id`,
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

const unusable = statement<Record<string, never>, { n: number }>(
  'restore.unusableOrganisations',
  `SELECT count(*)::int AS n FROM organisation o
 WHERE EXISTS (SELECT 1 FROM organisation_key k
                WHERE k.organisation_id = o.id AND k.status = 'destroyed'
                  AND k.key_id IN (o.current_data_key_id, o.current_kek_id))`,
);

/** What reconciling a restored data database with its keyring did. */
export interface ReconcileResult {
  /** Catalogue rows that said a key was live when the keyring holds no material for it. */
  readonly keysMarkedDestroyed: number;
  /** People whose every key the keyring had destroyed (erased since the backup): finished. */
  readonly erasuresCompleted: number;
  /**
   * Organisations whose current data key or KEK the keyring no longer holds (a data backup older
   * than a rotation and its backup window): they cannot work until restored with a keyring that
   * holds them. Zero after any sound restore.
   */
  readonly organisationsWithoutCurrentKeys: number;
}

async function run<P extends object, R extends object>(
  client: Client,
  stmt: Statement<P, R>,
  params: P,
): Promise<R[]> {
  return (await client.query<R & Record<string, unknown>>(stmt.sql, valuesOf(stmt, params))).rows;
}

/**
 * One pass, whatever the size: the keyring's key ids are streamed into a temporary table of the
 * data database (COPY out, COPY in), and one statement marks every catalogue row without
 * material destroyed; then the people left without a key are erased. One data transaction.
 */
export async function reconcileWithKeyring(
  data: Client,
  keyring: Client,
  now: Date,
): Promise<ReconcileResult> {
  await data.query('BEGIN');
  try {
    await run(data, heldTable, {});
    await pipeline(keyring.query(copyTo(heldOut.sql)), data.query(copyFrom(heldIn.sql)));
    await run(data, heldIndex, {});
    await data.query('ANALYZE reconcile_held');
    const missing = await run(data, markMissing, {});
    const people = missing.filter((k) => k.purpose === 'person_data');
    let erasuresCompleted = 0;
    if (people.length > 0) {
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
        erasuresCompleted = done.length;
      }
    }
    const [broken] = await run(data, unusable, {});
    await data.query('COMMIT');
    return {
      keysMarkedDestroyed: missing.length,
      erasuresCompleted,
      organisationsWithoutCurrentKeys: broken?.n ?? 0,
    };
  } catch (error) {
    await data.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
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
