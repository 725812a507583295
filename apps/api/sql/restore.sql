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

-- restore.heldIn
COPY reconcile_held (organisation_id, key_id) FROM STDIN (FORMAT binary);

-- restore.heldIndex
CREATE INDEX ON reconcile_held (organisation_id, key_id);

-- restore.heldOut
COPY (SELECT organisation_id, key_id FROM key_material) TO STDOUT (FORMAT binary);

-- restore.heldTable
CREATE TEMPORARY TABLE reconcile_held (organisation_id uuid NOT NULL, key_id integer NOT NULL)
  ON COMMIT DROP;

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

-- restore.markMissing
UPDATE organisation_key k SET status = 'destroyed'
 WHERE k.status <> 'destroyed'
   AND NOT EXISTS (SELECT 1 FROM reconcile_held h
                    WHERE h.organisation_id = k.organisation_id AND h.key_id = k.key_id)
RETURNING k.organisation_id, k.purpose, k.subject_id;

-- restore.unusableOrganisations
SELECT count(*)::int AS n FROM organisation o
 WHERE EXISTS (SELECT 1 FROM organisation_key k
                WHERE k.organisation_id = o.id AND k.status = 'destroyed'
                  AND k.key_id IN (o.current_data_key_id, o.current_kek_id));
