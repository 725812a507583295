-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- retention.bumpVersion
UPDATE retention_policy SET version = :version WHERE organisation_id = :organisationId;

-- retention.closedReferrals
SELECT r.id, r.closed_at AS at
  FROM referral r
 WHERE r.organisation_id = :organisationId AND r.closed_at IS NOT NULL AND r.closed_at < :cutoff
   AND NOT EXISTS (SELECT 1 FROM follow_up f
                    WHERE f.organisation_id = r.organisation_id AND f.referral_id = r.id
                      AND f.status = 'open')
   AND NOT EXISTS (SELECT 1 FROM disclosure_request_person dp
                     JOIN disclosure_request d
                       ON d.organisation_id = dp.organisation_id AND d.id = dp.request_id
                    WHERE dp.organisation_id = r.organisation_id AND dp.person_id = r.person_id
                      AND d.status IN ('recorded', 'under_review', 'approved'))
 ORDER BY r.closed_at, r.id;

-- retention.deleteIdempotencyRecords
DELETE FROM idempotency_key
 WHERE organisation_id = :organisationId AND id = ANY (:ids::uuid[])
   AND created_at < :cutoff AND expires_at <= :now
RETURNING id;

-- retention.deleteSessions
DELETE FROM staff_session
 WHERE organisation_id = :organisationId AND id = ANY (:ids::uuid[]) AND least(idle_expires_at, absolute_expires_at, coalesce(revoked_at, 'infinity'::timestamptz)) < :cutoff
RETURNING id;

-- retention.deleteThrottleRows
DELETE FROM login_throttle
 WHERE key = ANY (:keys::text[]) AND updated_at < :cutoff AND consecutive_failures < :lockAfter
   AND (next_attempt_at IS NULL OR next_attempt_at <= :now)
RETURNING key;

-- retention.endedSessions
SELECT id, least(idle_expires_at, absolute_expires_at, coalesce(revoked_at, 'infinity'::timestamptz)) AS at FROM staff_session
 WHERE organisation_id = :organisationId AND least(idle_expires_at, absolute_expires_at, coalesce(revoked_at, 'infinity'::timestamptz)) < :cutoff
 ORDER BY least(idle_expires_at, absolute_expires_at, coalesce(revoked_at, 'infinity'::timestamptz)), id;

-- retention.idempotencyRecords
SELECT id, created_at AS at FROM idempotency_key
 WHERE organisation_id = :organisationId AND created_at < :cutoff AND expires_at <= :now
 ORDER BY created_at, id;

-- retention.idleThrottleRows
SELECT key AS id, updated_at AS at FROM login_throttle
 WHERE updated_at < :cutoff AND consecutive_failures < :lockAfter
   AND (next_attempt_at IS NULL OR next_attempt_at <= :now)
 ORDER BY updated_at, key;

-- retention.inactivePeople
SELECT p.id, p.code, a.at
  FROM person p
 CROSS JOIN LATERAL (
       SELECT greatest(
                p.created_at, p.updated_at,
                (SELECT ((max(c.occurred_on) + 1)::timestamp AT TIME ZONE 'UTC') FROM contact c
                  WHERE c.organisation_id = p.organisation_id AND c.person_id = p.id),
                (SELECT max(r.closed_at) FROM referral r
                  WHERE r.organisation_id = p.organisation_id AND r.person_id = p.id)) AS at) a
 WHERE p.organisation_id = :organisationId AND p.erased_at IS NULL AND p.merged_into IS NULL
   AND NOT (p.id = ANY (:excluded::uuid[]))
   AND a.at < :cutoff
   AND NOT EXISTS (SELECT 1 FROM referral r
                    WHERE r.organisation_id = p.organisation_id AND r.person_id = p.id
                      AND r.closed_at IS NULL)
   AND NOT EXISTS (SELECT 1 FROM follow_up f
                    WHERE f.organisation_id = p.organisation_id AND f.person_id = p.id
                      AND f.status = 'open')
   AND NOT EXISTS (SELECT 1 FROM disclosure_request_person dp
                     JOIN disclosure_request d
                       ON d.organisation_id = dp.organisation_id AND d.id = dp.request_id
                    WHERE dp.organisation_id = p.organisation_id AND dp.person_id = p.id
                      AND d.status IN ('recorded', 'under_review', 'approved'))
 ORDER BY a.at, p.id;

-- retention.insertRun
INSERT INTO purge_run (organisation_id, id, trigger, started_at, finished_at, counts)
VALUES (:organisationId, :id, :trigger, :startedAt, :finishedAt, :counts::jsonb);

-- retention.lastRunAt
SELECT max(finished_at) AS at FROM purge_run
 WHERE organisation_id = :organisationId AND trigger = :trigger;

-- retention.lockSettings
SELECT pg_advisory_xact_lock(hashtextextended('retention_policy:' || :organisationId, 0));

-- retention.oldContacts
SELECT c.id, (c.occurred_on::timestamp AT TIME ZONE 'UTC') AS at
  FROM contact c
 WHERE c.organisation_id = :organisationId AND c.occurred_on < :cutoffDay::date
   AND NOT EXISTS (
         SELECT 1 FROM support_need n
          WHERE n.organisation_id = c.organisation_id AND n.contact_id = c.id
            AND n.person_id IS NULL
            AND (EXISTS (SELECT 1 FROM referral r
                          WHERE r.organisation_id = n.organisation_id AND r.need_id = n.id)
                 OR EXISTS (SELECT 1 FROM follow_up f
                             WHERE f.organisation_id = n.organisation_id AND f.need_id = n.id)))
   AND NOT EXISTS (SELECT 1 FROM disclosure_request_person dp
                     JOIN disclosure_request d
                       ON d.organisation_id = dp.organisation_id AND d.id = dp.request_id
                    WHERE dp.organisation_id = c.organisation_id AND dp.person_id = c.person_id
                      AND d.status IN ('recorded', 'under_review', 'approved'))
 ORDER BY c.occurred_on, c.id;

-- retention.organisations
SELECT organisation_id FROM retention_organisations();

-- retention.policies
SELECT record_class, keep, version FROM retention_policy
 WHERE organisation_id = :organisationId ORDER BY record_class;

-- retention.purgeContacts
SELECT retention_purge_contacts(:ids::uuid[], :cutoffDay::date) AS removed;

-- retention.purgeReferrals
SELECT retention_purge_referrals(:ids::uuid[], :cutoff) AS removed;

-- retention.recentRuns
SELECT id, trigger, started_at, finished_at, counts FROM purge_run
 WHERE organisation_id = :organisationId
 ORDER BY finished_at DESC, id DESC LIMIT :limit;

-- retention.upsertPolicy
INSERT INTO retention_policy (organisation_id, record_class, keep, version, updated_at, updated_by)
VALUES (:organisationId, :recordClass, :keep, :version, :now, :userId)
ON CONFLICT (organisation_id, record_class) DO UPDATE
   SET keep = EXCLUDED.keep, version = EXCLUDED.version, updated_at = EXCLUDED.updated_at,
       updated_by = EXCLUDED.updated_by
RETURNING record_class;
