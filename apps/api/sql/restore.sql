-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- restore.finishErasure
WITH v AS (SELECT * FROM unnest(:organisationIds::uuid[], :personIds::uuid[]) AS v(organisation_id, id)),
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
RETURNING p.id;

-- restore.heldKeys
SELECT k.organisation_id, k.key_id FROM key_material k
  JOIN unnest(:organisationIds::uuid[], :keyIds::int[]) AS v(organisation_id, key_id)
    ON k.organisation_id = v.organisation_id AND k.key_id = v.key_id;

-- restore.keyCount
SELECT CASE WHEN to_regclass('public.key_material') IS NULL THEN 0
            ELSE (SELECT count(*)::int FROM key_material) END AS n;

-- restore.keylessPeople
SELECT p.organisation_id, p.id FROM person p
  JOIN unnest(:organisationIds::uuid[], :personIds::uuid[]) AS v(organisation_id, id)
    ON p.organisation_id = v.organisation_id AND p.id = v.id
 WHERE NOT EXISTS (SELECT 1 FROM organisation_key k
                    WHERE k.organisation_id = p.organisation_id AND k.purpose = 'person_data'
                      AND k.subject_id = p.id AND k.status <> 'destroyed');

-- restore.liveKeys
SELECT organisation_id, key_id, purpose, subject_id FROM organisation_key
 WHERE status <> 'destroyed' AND (organisation_id, key_id) > (:afterOrganisation::uuid, :afterKey::int)
 ORDER BY organisation_id, key_id
 LIMIT :limit;

-- restore.markDestroyed
UPDATE organisation_key k SET status = 'destroyed'
  FROM unnest(:organisationIds::uuid[], :keyIds::int[]) AS v(organisation_id, key_id)
 WHERE k.organisation_id = v.organisation_id AND k.key_id = v.key_id;
