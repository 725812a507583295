-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- keys.currentPersonKeyId
SELECT (SELECT k.key_id FROM organisation_key k
          WHERE k.organisation_id = p.organisation_id AND k.purpose = 'person_data'
            AND k.subject_id = p.id AND k.status = 'active'
          ORDER BY k.key_id DESC LIMIT 1) AS key_id
  FROM (SELECT :organisationId::uuid AS organisation_id, :personId::uuid AS id) AS p;

-- keys.destroyPersonKeys
UPDATE organisation_key SET status = 'destroyed'
 WHERE organisation_id = :organisationId AND purpose = 'person_data' AND subject_id = :personId
   AND status <> 'destroyed'
RETURNING key_id;

-- keys.destroyRetiredKeys
UPDATE organisation_key SET status = 'destroyed'
 WHERE organisation_id = :organisationId AND status = 'retired' AND destroy_after <= :now
RETURNING key_id;

-- keys.fieldsUnderKey
SELECT ((SELECT count(*) FROM canary
            WHERE organisation_id = :organisationId AND ciphertext_key_id(sealed) = :keyId)
       + (SELECT count(*) FROM contact
            WHERE organisation_id = :organisationId AND ciphertext_key_id(notes) = :keyId)
       + (SELECT count(*) FROM idempotency_key
            WHERE organisation_id = :organisationId AND ciphertext_key_id(response) = :keyId)
       + (SELECT count(*) FROM referral
            WHERE organisation_id = :organisationId AND ciphertext_key_id(override_reason) = :keyId)
       + (SELECT count(*) FROM staff_user
            WHERE organisation_id = :organisationId AND ciphertext_key_id(totp_pending) = :keyId)
       + (SELECT count(*) FROM staff_user
            WHERE organisation_id = :organisationId AND ciphertext_key_id(totp_secret) = :keyId)
       + (SELECT count(*) FROM disclosure_request
            WHERE organisation_id = :organisationId AND ciphertext_key_id(requester) = :keyId)
       + (SELECT count(*) FROM disclosure_request
            WHERE organisation_id = :organisationId AND ciphertext_key_id(legal_instrument) = :keyId)
       + (SELECT count(*) FROM disclosure_request
            WHERE organisation_id = :organisationId AND ciphertext_key_id(legal_advice) = :keyId)
       + (SELECT count(*) FROM disclosure_request
            WHERE organisation_id = :organisationId AND ciphertext_key_id(refusal_reason) = :keyId)
       )::int AS fields;

-- keys.insertIfMissing
INSERT INTO organisation_key (organisation_id, key_id, purpose, subject_id, status)
VALUES (:organisationId, :keyId, :purpose, NULL, 'active')
ON CONFLICT DO NOTHING;

-- keys.insertPersonKeys
INSERT INTO organisation_key (organisation_id, key_id, purpose, subject_id, status)
SELECT :organisationId, key_id, 'person_data', subject_id, 'active'
  FROM unnest(:keyIds::int[], :personIds::uuid[]) AS k(key_id, subject_id);

-- keys.keks
SELECT key_id, status FROM organisation_key
 WHERE organisation_id = :organisationId AND purpose = 'kek'
 ORDER BY key_id
   FOR UPDATE;

-- keys.nextPersonKeyIds
SELECT nextval('person_key_id_seq')::int AS id FROM generate_series(1, :count);

-- keys.organisationDataKeyIds
SELECT key_id FROM organisation_key
 WHERE organisation_id = :organisationId AND purpose = 'organisation_data'
   AND status IN ('active', 'decrypt_only')
 ORDER BY key_id;

-- keys.organisationKeys
SELECT key_id, purpose, status, created_at, retired_at, destroy_after FROM organisation_key
 WHERE organisation_id = :organisationId AND purpose <> 'person_data'
 ORDER BY key_id;

-- keys.personKeyCounts
SELECT status, count(*)::int AS keys FROM organisation_key
 WHERE organisation_id = :organisationId AND purpose = 'person_data'
 GROUP BY status ORDER BY status;

-- keys.retiredKeysDue
SELECT organisation_id FROM retired_keys_due(:now);

-- keys.retireKey
UPDATE organisation_key SET status = 'retired', retired_at = :now, destroy_after = :destroyAfter
 WHERE organisation_id = :organisationId AND key_id = :keyId
   AND purpose = :purpose AND status = 'decrypt_only'
RETURNING key_id;

-- keys.rotationApply
SELECT key_rotation_apply(:field, :ids::uuid[], :olds::bytea[], :news::bytea[]) AS moved;

-- keys.rotationBatch
SELECT id, ciphertext FROM key_rotation_batch(:field, :keyId, :after::uuid, :limit);

-- keys.switchDataKey
WITH old AS (
  UPDATE organisation_key SET status = 'decrypt_only'
   WHERE organisation_id = :organisationId AND key_id = :fromKeyId
     AND purpose = 'organisation_data' AND status = 'active'
  RETURNING key_id)
UPDATE organisation SET current_data_key_id = :toKeyId
 WHERE id = :organisationId AND current_data_key_id = :fromKeyId AND EXISTS (SELECT 1 FROM old)
RETURNING id;

-- keys.switchKek
WITH old AS (
  UPDATE organisation_key SET status = 'decrypt_only'
   WHERE organisation_id = :organisationId AND key_id = :fromKeyId
     AND purpose = 'kek' AND status = 'active'
  RETURNING key_id)
UPDATE organisation SET current_kek_id = :toKeyId
 WHERE id = :organisationId AND current_kek_id = :fromKeyId AND EXISTS (SELECT 1 FROM old)
RETURNING id;

-- keys.transactionState
SELECT o.lockdown_at, o.current_data_key_id, o.current_kek_id, o.person_index_bits,
       pg_advisory_xact_lock_shared(1212304210, hashtext(o.id::text)) IS NULL AS locked
  FROM organisation o
 WHERE o.id = :organisationId;

-- keys.tryRetireLock
SELECT pg_try_advisory_xact_lock(1212304210, hashtext(:organisationId::text)) AS locked;
