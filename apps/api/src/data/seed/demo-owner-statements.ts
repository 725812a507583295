import { Client } from 'pg';
import { statement, valuesOf } from '../sql';

/*
 * Owner-role statements for the development demo data (never in production): run by the start-up
 * that seeds an empty database, with the owner's connection, because the API role may neither
 * see every tenant nor change when a record was entered.
 */

/**
 * The demo's records are written in one go, so the database dates them all now; reports count
 * each record in the month it was entered (docs/adr/0007). These date each as if it had been
 * entered on the day it happened (a referral some days after its need, its steps a couple of
 * days apart), never later than now, in this order (each step reads the one before). Run as the
 * owner role (the API role may not change when a record was entered), on the demo
 * organisations only.
 */
const BACKDATE = [
  statement<{ names: string[] }>(
    'seed.backdateContacts',
    `UPDATE contact SET created_at = least(
          occurred_on + time '08:00' + (abs(hashtext(id::text)) % 36000) * interval '1 second',
          now() - interval '1 minute')
    WHERE organisation_id IN (SELECT id FROM organisation WHERE name = ANY(:names::text[]))`,
  ),
  statement<{ names: string[] }>(
    'seed.backdateNeeds',
    `UPDATE support_need n SET created_at = coalesce(
          (SELECT c.created_at FROM contact c
            WHERE c.organisation_id = n.organisation_id AND c.id = n.contact_id),
          least(n.identified_on + time '12:00', now() - interval '1 minute'))
    WHERE n.organisation_id IN (SELECT id FROM organisation WHERE name = ANY(:names::text[]))`,
  ),
  statement<{ names: string[] }>(
    'seed.backdateReferrals',
    `UPDATE referral r SET created_at = least(
          n.created_at + (abs(hashtext(r.id::text)) % 14) * interval '1 day' + interval '2 hours',
          now() - interval '1 hour')
     FROM support_need n
    WHERE n.organisation_id = r.organisation_id AND n.id = r.need_id
      AND r.organisation_id IN (SELECT id FROM organisation WHERE name = ANY(:names::text[]))`,
  ),
  statement<{ names: string[] }>(
    'seed.backdateReferralEvents',
    `UPDATE referral_event e SET at = least(r.created_at + s.step * interval '2 days',
                                           now() - interval '1 minute')
     FROM (SELECT organisation_id, id,
                  row_number() OVER (PARTITION BY organisation_id, referral_id ORDER BY at, id) - 1
                    AS step
             FROM referral_event) s,
          referral r
    WHERE s.organisation_id = e.organisation_id AND s.id = e.id
      AND r.organisation_id = e.organisation_id AND r.id = e.referral_id
      AND e.organisation_id IN (SELECT id FROM organisation WHERE name = ANY(:names::text[]))`,
  ),
  statement<{ names: string[] }>(
    'seed.backdateReferralClosing',
    `UPDATE referral r SET
          closed_at = CASE WHEN r.closed_at IS NULL THEN NULL ELSE x.last END,
          updated_at = greatest(r.created_at, x.last)
     FROM (SELECT organisation_id, referral_id, max(at) AS last FROM referral_event
            GROUP BY organisation_id, referral_id) x
    WHERE x.organisation_id = r.organisation_id AND x.referral_id = r.id
      AND r.organisation_id IN (SELECT id FROM organisation WHERE name = ANY(:names::text[]))`,
  ),
];

/** Runs a statement as the owner role (a dedicated connection: the seed's, or a test's). */
export type OwnerQuery = (sql: string, params: unknown[]) => Promise<unknown>;

/** Backdates the records of the organisations named, statement by statement. */
export async function backdateDemoRecords(
  run: OwnerQuery,
  organisationNames: readonly string[],
): Promise<void> {
  for (const stmt of BACKDATE) {
    await run(stmt.sql, valuesOf(stmt, { names: [...organisationNames] }));
  }
}

const ownerBypassesRls = statement<Record<string, never>, { rolbypassrls: boolean }>(
  'seed.ownerBypassesRls',
  'SELECT rolbypassrls FROM pg_roles WHERE rolname = current_user',
);
const lockSeeding = statement(
  'seed.lock',
  `SELECT pg_advisory_lock(hashtext('harbour.demo-seed'))`,
);
const unlockSeeding = statement(
  'seed.unlock',
  `SELECT pg_advisory_unlock(hashtext('harbour.demo-seed'))`,
);
const countOrganisations = statement<Record<string, never>, { count: string }>(
  'seed.countOrganisations',
  'SELECT count(*) FROM organisation',
);

/**
 * How many organisations exist, read as the owner role (which may see every tenant), holding
 * an advisory lock so two starts on one database cannot both seed. Returns a release function.
 */
export async function lockAndCountOrganisations(ownerUrl: string): Promise<{
  count: number;
  /** A statement as the owner role, while the lock is held. */
  query: OwnerQuery;
  release: () => Promise<void>;
}> {
  const client = new Client({ connectionString: ownerUrl, application_name: 'harbour-seed' });
  await client.connect();
  try {
    const role = await client.query<{ rolbypassrls: boolean }>(ownerBypassesRls.sql);
    if (role.rows[0]?.rolbypassrls !== true) {
      // Without it the owner sees no tenant rows and would re-seed on every start.
      throw new Error(
        'demo seeding needs an owner role with BYPASSRLS (the embedded database has one)',
      );
    }
    await client.query(lockSeeding.sql);
    const { rows } = await client.query<{ count: string }>(countOrganisations.sql);
    return {
      count: Number(rows[0]?.count ?? 0),
      query: (sql, params) => client.query(sql, params),
      release: async () => {
        await client.query(unlockSeeding.sql).catch(() => undefined);
        await client.end();
      },
    };
  } catch (error) {
    await client.end();
    throw error;
  }
}
