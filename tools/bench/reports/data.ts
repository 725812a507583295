import {
  CIRCUMSTANCES,
  CONTACT_CHANNELS,
  FINAL_REFERRAL_STATUSES,
  LANGUAGE_GROUPS,
  LOCATION_TYPES,
  MAX_GROUP_HEADCOUNT,
  NEED_CATEGORIES,
  NEED_STATUSES,
  PARTNER_SERVICE_TYPES,
  REFERRAL_STATUSES,
  REGIONS_OF_ORIGIN,
} from '@harbour/domain';
import { Client } from 'pg';

/**
 * The records the reports benchmark counts, written straight into the tables with
 * `INSERT … SELECT FROM generate_series` as the superuser (the reports read class C columns
 * only, so nothing here is encrypted). Every value satisfies the tables' CHECK constraints;
 * the random stream is seeded (`setseed`) and ids are derived from the record's number, so a
 * run writes the same data each time. Distributions are skewed, as an outreach service's are:
 * a few languages, partners and need categories carry most records and the long tail gives the
 * small cells that disclosure control must hide. Every record has the time it was entered
 * (`created_at`, which the reports count by): a contact on the day it happened, 8 to 20 hours
 * into it (UTC); its needs within the half hour after; a referral up to 20 days after its need.
 */

export interface Volumes {
  readonly contacts: number;
  readonly needs: number;
  readonly referrals: number;
  readonly partners: number;
  /** People with a record (contacts are about five per person). */
  readonly people: number;
}

/** The bench's scale: 1,000,000 contacts → 300,000 needs and 200,000 referrals (the issue's). */
export function volumesFor(contacts: number): Volumes {
  return {
    contacts,
    needs: Math.round(contacts * 0.3),
    referrals: Math.round(contacts * 0.2),
    partners: 24,
    people: Math.round(contacts / 5),
  };
}

/** The last day contacts happen on; they spread over the 730 days before it. */
export const LAST_DAY = '2026-11-15';

/**
 * `arr[1 + floor(random()^2 · n)]`: early entries are picked most often (entry i about
 * (√((i+1)/n) − √(i/n)) of the time), the last ones rarely.
 */
const skewed = (param: string) =>
  `(${param})[1 + floor(power(random(), 2) * cardinality(${param}))::int]`;

/** Probability of each circumstance tag on a contact, in CIRCUMSTANCES order (cycled). */
const TAG_RATES = [0.08, 0.03, 0.02, 0.04, 0.05, 0.01, 0.015, 0.005];

/** Referral statuses, weighted so most referrals have reached an outcome. */
const REFERRAL_WEIGHTS: Readonly<Record<(typeof REFERRAL_STATUSES)[number], number>> = {
  draft: 4,
  consented: 4,
  sent: 8,
  accepted: 14,
  completed: 38,
  declined_by_partner: 10,
  declined_by_client: 8,
  withdrawn: 6,
  lost_contact: 8,
};

/** Uuid of record `i` of `kind`, derived (md5) so later rows can point at earlier ones. */
const uuidOf = (kind: string, i: string) => `md5($1::uuid::text || '${kind}' || ${i})::uuid`;

/**
 * Writes partners, people, contacts, needs and referrals for `organisationId`, created by
 * `userId`. `i * 7919 mod n` (7919 is prime, so coprime with every volume used here) spreads
 * needs over contacts and referrals over needs, each record used once.
 */
export async function writeRecords(
  superuserUrl: string,
  organisationId: string,
  userId: string,
  volumes: Volumes,
  seed: number,
  log: (line: string) => void,
): Promise<{ seconds: number }> {
  const started = process.hrtime.bigint();
  const client = new Client({ connectionString: superuserUrl });
  await client.connect();
  try {
    // setseed() drives random() for the rest of this session (no statement here runs parallel).
    await client.query(`SET TimeZone = 'UTC'`);
    await client.query('SELECT setseed($1)', [seed]);
    const statuses = REFERRAL_STATUSES.flatMap((s) =>
      Array.from({ length: REFERRAL_WEIGHTS[s] }, () => s),
    );
    await client.query(
      `INSERT INTO partner (organisation_id, id, name, service_type, languages)
       SELECT $1, ${uuidOf('partner', 'g')}, 'Partner ' || g,
              ($2::text[])[1 + (g - 1) % cardinality($2::text[])], ARRAY['english']
         FROM generate_series(1, $3) g`,
      [organisationId, PARTNER_SERVICE_TYPES, volumes.partners],
    );
    log(`partners: ${volumes.partners}`);
    await client.query(
      `INSERT INTO person (organisation_id, id, code, region_of_origin, language_group, consent_to_reporting)
       SELECT $1, ${uuidOf('person', 'g')},
              'HB-' || substr(code, 1, 4) || '-' || substr(code, 5, 4),
              ${skewed('$2::text[]')},
              CASE WHEN random() < 0.1 THEN NULL ELSE ${skewed('$3::text[]')} END,
              random() < 0.7
         FROM (SELECT g, (SELECT string_agg(substr('0123456789ABCDEFGHJKMNPQRSTVWXYZ',
                                                   ((g::bigint >> (5 * k)) & 31)::int + 1, 1), '' ORDER BY k DESC)
                            FROM generate_series(0, 7) k) AS code
                 FROM generate_series(1, $4) g) numbered`,
      [organisationId, REGIONS_OF_ORIGIN, LANGUAGE_GROUPS, volumes.people],
    );
    log(`people: ${volumes.people.toLocaleString('en-GB')}`);
    // 80 % individual with a person, 10 % anonymous individual, 10 % group of 2–40.
    await client.query(
      `INSERT INTO contact (organisation_id, id, kind, person_id, headcount, occurred_on, channel,
                            location_type, language_group, circumstances, caseworker_id, created_at)
       SELECT $1, ${uuidOf('contact', 'g')},
              CASE WHEN u < 0.9 THEN 'individual' ELSE 'group' END,
              CASE WHEN u < 0.8 THEN ${uuidOf('person', '(1 + floor(random() * $8)::int)')} END,
              CASE WHEN u < 0.9 THEN 1 ELSE least($9, 2 + floor(power(random(), 3) * 39)::int) END,
              day,
              ${skewed('$3::text[]')},
              ${skewed('$4::text[]')},
              CASE WHEN random() < 0.08 THEN NULL ELSE ${skewed('$5::text[]')} END,
              ARRAY(SELECT t FROM unnest($6::text[], $7::float8[]) AS x(t, p) WHERE random() < p + g * 0),
              $11,
              day + interval '8 hours' + random() * interval '12 hours'
         FROM (SELECT g, random() AS u, $10::date - floor(random() * 730)::int AS day
                 FROM generate_series(1, $2) g) numbered`,
      [
        organisationId,
        volumes.contacts,
        CONTACT_CHANNELS,
        LOCATION_TYPES,
        LANGUAGE_GROUPS,
        CIRCUMSTANCES,
        CIRCUMSTANCES.map((_, i) => TAG_RATES[i % TAG_RATES.length]!),
        volumes.people,
        MAX_GROUP_HEADCOUNT,
        LAST_DAY,
        userId,
      ],
    );
    log(`contacts: ${volumes.contacts.toLocaleString('en-GB')}`);
    await client.query(
      `INSERT INTO support_need (organisation_id, id, person_id, contact_id, category, status,
                                 identified_on, closed_on, created_by, created_at)
       SELECT $1, ${uuidOf('need', 'g')}, c.person_id, c.id, category, status, c.occurred_on,
              CASE WHEN status IN ('identified', 'in_progress') THEN NULL
                   ELSE least($6::date, c.occurred_on + floor(random() * 60)::int) END,
              $5,
              c.created_at + random() * interval '30 minutes'
         FROM (SELECT g, ${skewed('$3::text[]')} AS category, ${skewed('$4::text[]')} AS status
                 FROM generate_series(1, $2) g) numbered
         JOIN contact c ON c.organisation_id = $1
                       AND c.id = ${uuidOf('contact', '(1 + (g::bigint * 7919) % $7)')}`,
      [
        organisationId,
        volumes.needs,
        NEED_CATEGORIES,
        NEED_STATUSES,
        userId,
        LAST_DAY,
        volumes.contacts,
      ],
    );
    log(`needs: ${volumes.needs.toLocaleString('en-GB')}`);
    await client.query(
      `INSERT INTO referral (organisation_id, id, need_id, person_id, partner_id, status,
                             consent_method, consent_at, consent_by, created_at, closed_at, created_by)
       SELECT $1, ${uuidOf('referral', 'g')}, n.id, n.person_id,
              ${uuidOf('partner', `(1 + floor(power(random(), 2) * $4)::int)`)},
              numbered.status,
              CASE WHEN numbered.status <> 'draft' THEN 'verbal' END,
              CASE WHEN numbered.status <> 'draft' THEN made END,
              CASE WHEN numbered.status <> 'draft' THEN $5::uuid END,
              made,
              CASE WHEN numbered.status = ANY($6::text[]) THEN made + random() * interval '90 days' END,
              $5
         FROM (SELECT g, ($3::text[])[1 + floor(random() * cardinality($3::text[]))::int] AS status
                 FROM generate_series(1, $2) g) numbered
         JOIN support_need n ON n.organisation_id = $1
                            AND n.id = ${uuidOf('need', '(1 + (g::bigint * 7919) % $7)')}
         CROSS JOIN LATERAL (SELECT n.created_at + random() * interval '20 days' AS made) m`,
      [
        organisationId,
        volumes.referrals,
        statuses,
        volumes.partners,
        userId,
        FINAL_REFERRAL_STATUSES,
        volumes.needs,
      ],
    );
    log(`referrals: ${volumes.referrals.toLocaleString('en-GB')}`);
  } finally {
    await client.end();
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9 };
}
