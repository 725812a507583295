import { Client } from 'pg';
import { statement, valuesOf, type Statement } from '../sql';

/*
 * Owner-role statements for the development demo data (never in production): run by the start-up
 * that seeds an empty database, with the owner's connection, because the API role may neither
 * see every tenant nor change when a record was entered.
 */

/**
 * When each demo record happened, as the seed planned it (development only). The demo's records
 * are written in one go, so the database dates them all now; reports count each record in the
 * month it was entered (docs/adr/0007), and a caseworker's day reads how long a referral has
 * waited. `backdateDemoRecords` dates each record as planned, never later than now.
 */
export interface DemoTimeline {
  readonly organisationId: string;
  /** A person: first recorded; last changed (their erasure, if erased). */
  readonly people: { id: string; createdAt: Date; updatedAt: Date }[];
  /** The consent to be counted each person gave when first recorded. */
  readonly consents: { personId: string; givenAt: Date }[];
  /** A contact (and the needs noted with it): when it was written down. */
  readonly contacts: { id: string; createdAt: Date }[];
  /** Every step of every referral, its draft included; the referral's dates follow from them. */
  readonly referralEvents: { referralId: string; status: string; at: Date }[];
}

/** An empty timeline for an organisation. */
export function emptyTimeline(organisationId: string): DemoTimeline {
  return { organisationId, people: [], consents: [], contacts: [], referralEvents: [] };
}

const NOT_LATER = `now() - interval '1 minute'`;

/**
 * In this order (the needs follow their contacts, the referrals their events). Run as the owner
 * role (the API role may not change when a record was entered), on the demo organisation only.
 */
const BACKDATE = {
  people: statement<{ organisationId: string; ids: string[]; created: Date[]; updated: Date[] }>(
    'seed.backdatePeople',
    `UPDATE person p SET created_at = least(t.created_at, ${NOT_LATER}),
          updated_at = least(t.updated_at, ${NOT_LATER}),
          erased_at = CASE WHEN p.erased_at IS NULL THEN NULL
                           ELSE least(t.updated_at, ${NOT_LATER}) END
     FROM unnest(:ids::uuid[], :created::timestamptz[], :updated::timestamptz[])
            AS t(id, created_at, updated_at)
    WHERE p.organisation_id = :organisationId AND p.id = t.id`,
  ),
  /** An erasure receipt follows its person's erasure date (its backup window kept). */
  erasures: statement<{ organisationId: string }>(
    'seed.backdateErasures',
    `UPDATE person_erasure e SET erased_at = p.erased_at,
          backups_clear_at = p.erased_at + (e.backups_clear_at - e.erased_at)
     FROM person p
    WHERE e.organisation_id = :organisationId
      AND p.organisation_id = e.organisation_id AND p.id = e.person_id
      AND p.erased_at IS NOT NULL`,
  ),
  consents: statement<{ organisationId: string; personIds: string[]; given: Date[] }>(
    'seed.backdateConsents',
    `UPDATE consent c SET given_at = least(t.given_at, ${NOT_LATER})
     FROM unnest(:personIds::uuid[], :given::timestamptz[]) AS t(person_id, given_at)
    WHERE c.organisation_id = :organisationId AND c.person_id = t.person_id`,
  ),
  contacts: statement<{ organisationId: string; ids: string[]; created: Date[] }>(
    'seed.backdateContacts',
    `UPDATE contact c SET created_at = least(t.created_at, ${NOT_LATER})
     FROM unnest(:ids::uuid[], :created::timestamptz[]) AS t(id, created_at)
    WHERE c.organisation_id = :organisationId AND c.id = t.id`,
  ),
  needs: statement<{ organisationId: string }>(
    'seed.backdateNeeds',
    `UPDATE support_need n SET created_at = c.created_at, updated_at = c.created_at,
           identified_on = c.occurred_on
     FROM contact c
    WHERE n.organisation_id = :organisationId
      AND c.organisation_id = n.organisation_id AND c.id = n.contact_id`,
  ),
  events: statement<{
    organisationId: string;
    referralIds: string[];
    statuses: string[];
    at: Date[];
  }>(
    'seed.backdateReferralEvents',
    `UPDATE referral_event e SET at = least(t.at, ${NOT_LATER})
     FROM unnest(:referralIds::uuid[], :statuses::text[], :at::timestamptz[])
            AS t(referral_id, to_status, at)
    WHERE e.organisation_id = :organisationId
      AND e.referral_id = t.referral_id AND e.to_status = t.to_status`,
  ),
  referrals: statement<{ organisationId: string }>(
    'seed.backdateReferrals',
    `UPDATE referral r SET
          created_at = x.first,
          updated_at = x.last,
          consent_at = CASE WHEN r.consent_at IS NULL THEN NULL ELSE coalesce(x.consented, x.first) END,
          closed_at = CASE WHEN r.closed_at IS NULL THEN NULL ELSE x.last END
     FROM (SELECT referral_id, min(at) AS first, max(at) AS last,
                  min(at) FILTER (WHERE to_status = 'consented') AS consented
             FROM referral_event WHERE organisation_id = :organisationId
            GROUP BY referral_id) x
    WHERE r.organisation_id = :organisationId AND r.id = x.referral_id`,
  ),
};

/** Runs a statement as the owner role (a dedicated connection: the seed's, or a test's). */
export type OwnerQuery = (sql: string, params: unknown[]) => Promise<unknown>;

/** Dates the timeline's records as planned, statement by statement. */
export async function backdateDemoRecords(run: OwnerQuery, timeline: DemoTimeline): Promise<void> {
  const organisationId = timeline.organisationId;
  const { people, consents, contacts, referralEvents } = timeline;
  const go = <P extends object>(stmt: Statement<P, object>, params: P) =>
    run(stmt.sql, valuesOf(stmt, params));
  await go(BACKDATE.people, {
    organisationId,
    ids: people.map((p) => p.id),
    created: people.map((p) => p.createdAt),
    updated: people.map((p) => p.updatedAt),
  });
  await go(BACKDATE.erasures, { organisationId });
  await go(BACKDATE.consents, {
    organisationId,
    personIds: consents.map((c) => c.personId),
    given: consents.map((c) => c.givenAt),
  });
  await go(BACKDATE.contacts, {
    organisationId,
    ids: contacts.map((c) => c.id),
    created: contacts.map((c) => c.createdAt),
  });
  await go(BACKDATE.needs, { organisationId });
  await go(BACKDATE.events, {
    organisationId,
    referralIds: referralEvents.map((e) => e.referralId),
    statuses: referralEvents.map((e) => e.status),
    at: referralEvents.map((e) => e.at),
  });
  await go(BACKDATE.referrals, { organisationId });
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
