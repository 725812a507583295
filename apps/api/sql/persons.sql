-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- persons.codesOf
SELECT id, code FROM person
 WHERE organisation_id = :organisationId AND id = ANY(:ids::uuid[])
 ORDER BY id;

-- persons.countNotes
SELECT count(*)::int AS n FROM contact
    WHERE organisation_id = :organisationId AND person_id = :personId AND notes IS NOT NULL;

-- persons.deleteRetryRecords
DELETE FROM idempotency_key
    WHERE organisation_id = :organisationId AND :personId::uuid = ANY (person_ids);

-- persons.insertIndexRows
INSERT INTO person_index (organisation_id, kind, bits, value, person_id)
   SELECT o.id, r.kind, o.person_index_bits, r.value >> (32 - o.person_index_bits), :personId
     FROM organisation o, unnest(:kinds::text[], :values::bigint[]) AS r(kind, value)
    WHERE o.id = :organisationId
   ON CONFLICT DO NOTHING;

-- persons.lockOverrideReasons
SELECT id, override_reason FROM referral
    WHERE organisation_id = :organisationId AND person_id = :personId
      AND override_reason IS NOT NULL
      FOR UPDATE;

-- persons.lookupByIndex
WITH wanted AS (
  SELECT DISTINCT o.person_index_bits AS bits, v >> (32 - o.person_index_bits) AS value
    FROM organisation o, unnest(:values::bigint[]) AS v
   WHERE o.id = :organisationId),
candidate AS (
  SELECT i.person_id
    FROM person_index i JOIN wanted w ON i.bits = w.bits AND i.value = w.value
   WHERE i.organisation_id = :organisationId AND i.kind = :kind
   GROUP BY i.person_id
  HAVING count(DISTINCT i.value) = (SELECT count(*) FROM wanted)
   LIMIT :limit)
SELECT c.person_id, p.code, pi.key_id,
       pi.given_name, pi.family_name, pi.alias, pi.date_of_birth, pi.sex, pi.phone,
       k.purpose AS key_purpose, k.subject_id AS key_subject_id, k.status AS key_status
  FROM candidate c
  JOIN person p ON p.organisation_id = :organisationId AND p.id = c.person_id
  LEFT JOIN person_key_worker w
         ON p.restricted AND w.organisation_id = :organisationId AND w.person_id = c.person_id
        AND w.staff_id = :readerId::uuid
  LEFT JOIN person_identity pi
         ON pi.organisation_id = :organisationId AND pi.person_id = c.person_id
  LEFT JOIN organisation_key k ON k.organisation_id = :organisationId AND k.key_id = pi.key_id
 WHERE NOT (p.restricted AND :readerId::uuid IS NOT NULL AND w.staff_id IS NULL);

-- persons.lookupByNamePairs
(SELECT l.person_id, l.code, l.key_id, l.given_name, l.family_name FROM person_name_lookup l
  WHERE l.organisation_id = :organisationId AND l.kind = 'name_pair' AND l.bits = :bits
    AND l.value = :seed::bigint AND l.token_values @> :tokens::bigint[] AND (NOT l.restricted OR :readerId::uuid IS NULL OR :readerId::uuid = ANY (l.key_workers)))
UNION ALL
(SELECT l.person_id, l.code, l.key_id, l.given_name, l.family_name FROM person_name_lookup l
  WHERE l.organisation_id = :organisationId AND l.kind = 'name_unpaired' AND l.bits = :bits
    AND l.value = 0 AND l.token_values @> :tokens::bigint[] AND (NOT l.restricted OR :readerId::uuid IS NULL OR :readerId::uuid = ANY (l.key_workers)))
LIMIT :limit;

-- persons.lookupBySimilarName
WITH matched AS (
  SELECT i.person_id, q.pair
    FROM organisation o
   CROSS JOIN unnest(:pairValues::bigint[], :aValues::bigint[], :bValues::bigint[]) AS q(pair, a, b)
    JOIN person_index i
      ON i.organisation_id = :organisationId AND i.kind = 'name_phonetic_pair'
     AND i.bits = o.person_index_bits AND i.value = q.pair >> (32 - o.person_index_bits)
   WHERE o.id = :organisationId
     AND EXISTS (SELECT 1 FROM person_index j
                  WHERE j.organisation_id = :organisationId AND j.kind = 'name_phonetic'
                    AND j.bits = o.person_index_bits
                    AND j.value = q.a >> (32 - o.person_index_bits) AND j.person_id = i.person_id)
     AND EXISTS (SELECT 1 FROM person_index j
                  WHERE j.organisation_id = :organisationId AND j.kind = 'name_phonetic'
                    AND j.bits = o.person_index_bits
                    AND j.value = q.b >> (32 - o.person_index_bits) AND j.person_id = i.person_id)),
candidate AS (
  SELECT m.person_id
    FROM matched m, organisation o
   WHERE o.id = :organisationId
   GROUP BY m.person_id, o.person_index_bits
   ORDER BY count(DISTINCT m.pair) DESC,
            (SELECT count(*) FROM person_index t
              WHERE t.organisation_id = :organisationId AND t.kind = 'name'
                AND t.bits = o.person_index_bits AND t.person_id = m.person_id
                AND t.value = ANY (SELECT v >> (32 - o.person_index_bits)
                                     FROM unnest(:tokenValues::bigint[]) AS v)) DESC,
            (SELECT count(*) FROM person_index k
              WHERE k.organisation_id = :organisationId AND k.kind = 'name_phonetic'
                AND k.bits = o.person_index_bits AND k.person_id = m.person_id
                AND k.value = ANY (SELECT v >> (32 - o.person_index_bits)
                                     FROM unnest(:keyValues::bigint[]) AS v)) DESC,
            m.person_id
   LIMIT :limit)
SELECT c.person_id, p.code, pi.key_id,
       pi.given_name, pi.family_name, pi.alias, pi.date_of_birth, pi.sex, pi.phone,
       k.purpose AS key_purpose, k.subject_id AS key_subject_id, k.status AS key_status
  FROM candidate c
  JOIN person p ON p.organisation_id = :organisationId AND p.id = c.person_id
  LEFT JOIN person_key_worker w
         ON p.restricted AND w.organisation_id = :organisationId AND w.person_id = c.person_id
        AND w.staff_id = :readerId::uuid
  LEFT JOIN person_identity pi
         ON pi.organisation_id = :organisationId AND pi.person_id = c.person_id
  LEFT JOIN organisation_key k ON k.organisation_id = :organisationId AND k.key_id = pi.key_id
 WHERE NOT (p.restricted AND :readerId::uuid IS NOT NULL AND w.staff_id IS NULL);

-- persons.lookupKeyRows
SELECT key_id, purpose, subject_id, status FROM organisation_key
  WHERE organisation_id = :organisationId AND key_id = ANY (:keyIds::integer[]);

-- persons.page
SELECT p.id, p.code, p.version, p.age_band, p.region_of_origin, p.language_group,
       p.gender_identity, p.consent_to_reporting, p.has_identity, p.erased_at, p.restricted,
       p.merged_into, s.code AS survivor_code, p.created_at, p.updated_at,
       array_remove(ARRAY[
         CASE WHEN pi.given_name IS NOT NULL THEN 'given_name' END,
         CASE WHEN pi.family_name IS NOT NULL THEN 'family_name' END,
         CASE WHEN pi.alias IS NOT NULL THEN 'alias' END,
         CASE WHEN pi.date_of_birth IS NOT NULL THEN 'date_of_birth' END,
         CASE WHEN pi.sex IS NOT NULL THEN 'sex' END,
         CASE WHEN pi.phone IS NOT NULL THEN 'phone' END
       ]::text[], NULL) AS held_columns
  FROM person p
  LEFT JOIN person_identity pi
         ON p.has_identity AND pi.organisation_id = p.organisation_id AND pi.person_id = p.id
  LEFT JOIN person s ON s.organisation_id = p.organisation_id AND s.id = p.merged_into
 WHERE p.organisation_id = :organisationId AND p.id = :id;

-- persons.setOverrideReason
UPDATE referral SET override_reason = :reason
    WHERE organisation_id = :organisationId AND id = :id;

-- persons.withoutSimilarName
SELECT pi.person_id
     FROM person_identity pi
    WHERE pi.organisation_id = :organisationId AND pi.person_id > :after::uuid
      AND (pi.given_name IS NOT NULL OR pi.family_name IS NOT NULL)
      AND NOT EXISTS (SELECT 1 FROM person_index i
                       WHERE i.organisation_id = :organisationId AND i.person_id = pi.person_id
                         AND i.kind IN ('name_phonetic', 'name_phonetic_pair'))
    ORDER BY pi.person_id
    LIMIT :limit;
