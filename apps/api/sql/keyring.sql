-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- keyring.countWrappedBy
SELECT count(*)::int AS keys FROM key_material
 WHERE organisation_id = :organisationId AND wrapping_key_id = :kekId AND purpose <> 'kek';

-- keyring.destroy
DELETE FROM key_material WHERE organisation_id = :organisationId AND key_id = ANY(:keyIds::int[])
RETURNING key_id;

-- keyring.insert
INSERT INTO key_material (organisation_id, key_id, purpose, subject_id, wrapping_key_id, wrapped_by, wrapped)
SELECT :organisationId, * FROM unnest(:keyIds::int[], :purposes::text[], :subjectIds::uuid[],
                                      :wrappingKeyIds::int[], :wrappedBys::text[], :wrapped::bytea[]);

-- keyring.insertIfMissing
INSERT INTO key_material (organisation_id, key_id, purpose, subject_id, wrapping_key_id, wrapped_by, wrapped)
VALUES (:organisationId, :keyId, :purpose, NULL, :wrappingKeyId, 'kek', :wrapped)
ON CONFLICT DO NOTHING;

-- keyring.keks
SELECT key_id, purpose, subject_id, wrapping_key_id, wrapped_by, wrapped FROM key_material
 WHERE organisation_id = :organisationId AND purpose = 'kek'
 ORDER BY key_id;

-- keyring.material
SELECT key_id, purpose, subject_id, wrapping_key_id, wrapped_by, wrapped FROM key_material
 WHERE organisation_id = :organisationId AND key_id = ANY(:keyIds::int[]);

-- keyring.rewrap
UPDATE key_material k SET wrapped = v.new, wrapping_key_id = :kekId
  FROM unnest(:keyIds::int[], :olds::bytea[], :news::bytea[]) AS v(key_id, old, new)
 WHERE k.organisation_id = :organisationId AND k.key_id = v.key_id AND k.wrapped = v.old
   AND k.purpose <> 'kek'
RETURNING k.key_id;

-- keyring.rewrapKek
UPDATE key_material SET wrapped = :wrapped, wrapped_by = :wrappedBy
 WHERE organisation_id = :organisationId AND key_id = :keyId AND purpose = 'kek'
   AND wrapped = :old
RETURNING key_id;

-- keyring.wrappedBy
SELECT key_id, purpose, subject_id, wrapping_key_id, wrapped_by, wrapped FROM key_material
 WHERE organisation_id = :organisationId AND wrapping_key_id = :kekId AND purpose <> 'kek'
   AND key_id > :after
 ORDER BY key_id
 LIMIT :limit;
