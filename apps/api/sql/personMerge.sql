-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- personMerge.closeClashingConsents
UPDATE consent a SET revoked_at = :now, revoked_by = :userId, version = a.version + 1
 WHERE a.organisation_id = :organisationId AND a.person_id = :absorbedId AND a.revoked_at IS NULL
   AND EXISTS (SELECT 1 FROM consent s
                WHERE s.organisation_id = a.organisation_id AND s.person_id = :survivorId
                  AND s.purpose = a.purpose AND s.revoked_at IS NULL)
RETURNING a.id::text AS id;

-- personMerge.consentMove
WITH moved AS (
  UPDATE "consent" SET "person_id" = :survivorId
   WHERE organisation_id = :organisationId AND "person_id" = :absorbedId
  RETURNING 1)
SELECT count(*)::int AS moved FROM moved;

-- personMerge.contactAmendmentLockSealed
SELECT id::text AS id, "notes" AS sealed FROM "contact_amendment"
 WHERE organisation_id = :organisationId AND "person_id" = :absorbedId AND "notes" IS NOT NULL
 ORDER BY id;

-- personMerge.contactAmendmentReasonLockSealed
SELECT id::text AS id, "reason" AS sealed FROM "contact_amendment"
 WHERE organisation_id = :organisationId AND "person_id" = :absorbedId AND "reason" IS NOT NULL
 ORDER BY id;

-- personMerge.contactLockSealed
SELECT id::text AS id, "notes" AS sealed FROM "contact"
 WHERE organisation_id = :organisationId AND "person_id" = :absorbedId AND "notes" IS NOT NULL
 ORDER BY id;

-- personMerge.countsOf
SELECT (SELECT count(*)::int FROM contact WHERE organisation_id = :organisationId AND person_id = :personId) AS contacts,
       (SELECT count(*)::int FROM support_need WHERE organisation_id = :organisationId AND person_id = :personId) AS needs,
       (SELECT count(*)::int FROM referral WHERE organisation_id = :organisationId AND person_id = :personId) AS referrals,
       (SELECT to_char(max(occurred_on), 'YYYY-MM-DD') FROM contact
         WHERE organisation_id = :organisationId AND person_id = :personId) AS last_seen_on;

-- personMerge.disclosureRequestPersonDropClashes
WITH gone AS (
  DELETE FROM "disclosure_request_person" a
   WHERE a.organisation_id = :organisationId AND a."person_id" = :absorbedId
     AND EXISTS (SELECT 1 FROM "disclosure_request_person" s
                  WHERE s.organisation_id = a.organisation_id AND s."person_id" = :survivorId
                    AND s."request_id" IS NOT DISTINCT FROM a."request_id")
  RETURNING 1)
SELECT count(*)::int AS n FROM gone;

-- personMerge.disclosureRequestPersonMove
WITH moved AS (
  UPDATE "disclosure_request_person" SET "person_id" = :survivorId
   WHERE organisation_id = :organisationId AND "person_id" = :absorbedId
  RETURNING 1)
SELECT count(*)::int AS moved FROM moved;

-- personMerge.followUpLockSealed
SELECT id::text AS id, "text" AS sealed FROM "follow_up"
 WHERE organisation_id = :organisationId AND "person_id" = :absorbedId AND "text" IS NOT NULL
 ORDER BY id
   FOR UPDATE;

-- personMerge.followUpMove
WITH moved AS (
  UPDATE "follow_up" SET "person_id" = :survivorId
   WHERE organisation_id = :organisationId AND "person_id" = :absorbedId
  RETURNING 1)
SELECT count(*)::int AS moved FROM moved;

-- personMerge.followUpReseal
UPDATE "follow_up" t SET "text" = v.new
  FROM unnest(:ids::uuid[], :olds::bytea[], :news::bytea[]) AS v(id, old, new)
 WHERE t.organisation_id = :organisationId AND t.id = v.id AND t."text" = v.old
RETURNING t.id::text AS id;

-- personMerge.lastSeen
SELECT person_id::text AS person_id, to_char(max(occurred_on), 'YYYY-MM-DD') AS last_seen_on
  FROM contact
 WHERE organisation_id = :organisationId AND person_id = ANY(:ids::uuid[])
 GROUP BY person_id;

-- personMerge.markMerged
UPDATE person SET merged_into = :survivorId, erased_at = :now, has_identity = false,
       version = version + 1, updated_at = :now
 WHERE organisation_id = :organisationId AND id = :absorbedId AND merged_into IS NULL
RETURNING id::text AS id;

-- personMerge.moveInsertOnly
SELECT person_merge_move(:table, :absorbedId, :survivorId, :ids::uuid[], :olds::bytea[], :news::bytea[]) AS moved;

-- personMerge.outcomeCheckInMove
WITH moved AS (
  UPDATE "outcome_check_in" SET "person_id" = :survivorId
   WHERE organisation_id = :organisationId AND "person_id" = :absorbedId
  RETURNING 1)
SELECT count(*)::int AS moved FROM moved;

-- personMerge.personKeyIds
SELECT key_id FROM organisation_key
 WHERE organisation_id = :organisationId AND purpose = 'person_data' AND subject_id = :personId
   AND status <> 'destroyed'
 ORDER BY key_id;

-- personMerge.personKeyWorkerDropClashes
WITH gone AS (
  DELETE FROM "person_key_worker" a
   WHERE a.organisation_id = :organisationId AND a."person_id" = :absorbedId
     AND EXISTS (SELECT 1 FROM "person_key_worker" s
                  WHERE s.organisation_id = a.organisation_id AND s."person_id" = :survivorId
                    AND s."staff_id" IS NOT DISTINCT FROM a."staff_id")
  RETURNING 1)
SELECT count(*)::int AS n FROM gone;

-- personMerge.personKeyWorkerMove
WITH moved AS (
  UPDATE "person_key_worker" SET "person_id" = :survivorId
   WHERE organisation_id = :organisationId AND "person_id" = :absorbedId
  RETURNING 1)
SELECT count(*)::int AS moved FROM moved;

-- personMerge.referralLockSealed
SELECT id::text AS id, "override_reason" AS sealed FROM "referral"
 WHERE organisation_id = :organisationId AND "person_id" = :absorbedId AND "override_reason" IS NOT NULL
 ORDER BY id
   FOR UPDATE;

-- personMerge.referralMove
WITH moved AS (
  UPDATE "referral" SET "person_id" = :survivorId
   WHERE organisation_id = :organisationId AND "person_id" = :absorbedId
  RETURNING 1)
SELECT count(*)::int AS moved FROM moved;

-- personMerge.referralReseal
UPDATE "referral" t SET "override_reason" = v.new
  FROM unnest(:ids::uuid[], :olds::bytea[], :news::bytea[]) AS v(id, old, new)
 WHERE t.organisation_id = :organisationId AND t.id = v.id AND t."override_reason" = v.old
RETURNING t.id::text AS id;

-- personMerge.revealDetailLockSealed
SELECT id::text AS id, "detail" AS sealed FROM "reveal_detail"
 WHERE organisation_id = :organisationId AND "person_id" = :absorbedId AND "detail" IS NOT NULL
 ORDER BY id;

-- personMerge.supportNeedMove
WITH moved AS (
  UPDATE "support_need" SET "person_id" = :survivorId
   WHERE organisation_id = :organisationId AND "person_id" = :absorbedId
  RETURNING 1)
SELECT count(*)::int AS moved FROM moved;
