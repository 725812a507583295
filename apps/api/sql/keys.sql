-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- keys.currentPersonKeyId
SELECT (SELECT k.key_id FROM organisation_key k
          WHERE k.organisation_id = p.organisation_id AND k.purpose = 'person_data'
            AND k.subject_id = p.id AND k.status = 'active'
          ORDER BY k.key_id DESC LIMIT 1) AS key_id
  FROM (SELECT :organisationId::uuid AS organisation_id, :personId::uuid AS id) AS p;

-- keys.destroyPersonKeys
UPDATE organisation_key SET status = 'destroyed', wrapped = NULL
 WHERE organisation_id = :organisationId AND purpose = 'person_data' AND subject_id = :personId
   AND status <> 'destroyed'
RETURNING key_id;

-- keys.insertIfMissing
INSERT INTO organisation_key (organisation_id, key_id, purpose, subject_id, status, wrapped,
                              wrapping_key_id, wrapped_by)
VALUES (:organisationId, :keyId, :purpose, NULL, 'active', :wrapped, :wrappingKeyId, 'kek')
ON CONFLICT DO NOTHING;

-- keys.insertPersonKeys
INSERT INTO organisation_key (organisation_id, key_id, purpose, subject_id, status, wrapped,
                              wrapping_key_id, wrapped_by)
SELECT :organisationId, key_id, 'person_data', subject_id, 'active', wrapped, :wrappingKeyId, 'kek'
  FROM unnest(:keyIds::int[], :personIds::uuid[], :wrapped::bytea[]) AS k(key_id, subject_id, wrapped);

-- keys.lockdownState
SELECT lockdown_at FROM organisation WHERE id = :organisationId;

-- keys.nextPersonKeyIds
SELECT nextval('person_key_id_seq')::int AS id FROM generate_series(1, :count);
