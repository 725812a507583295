-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- sealedFields.canarySealed
SELECT "id"::text AS row_id, NULL::text AS person_id,
       "sealed" AS ciphertext
  FROM "canary"
 WHERE organisation_id = :organisationId AND "sealed" IS NOT NULL AND "id" > :after::uuid
 ORDER BY "id"
 LIMIT :limit;

-- sealedFields.contactAmendmentNotes
SELECT "id"::text AS row_id, "person_id"::text AS person_id,
       "notes" AS ciphertext
  FROM "contact_amendment"
 WHERE organisation_id = :organisationId AND "notes" IS NOT NULL AND "id" > :after::uuid
 ORDER BY "id"
 LIMIT :limit;

-- sealedFields.contactAmendmentReason
SELECT "id"::text AS row_id, "person_id"::text AS person_id,
       "reason" AS ciphertext
  FROM "contact_amendment"
 WHERE organisation_id = :organisationId AND "reason" IS NOT NULL AND "id" > :after::uuid
 ORDER BY "id"
 LIMIT :limit;

-- sealedFields.contactNotes
SELECT "id"::text AS row_id, "person_id"::text AS person_id,
       "notes" AS ciphertext
  FROM "contact"
 WHERE organisation_id = :organisationId AND "notes" IS NOT NULL AND "id" > :after::uuid
 ORDER BY "id"
 LIMIT :limit;

-- sealedFields.disclosureRequestLegalAdvice
SELECT "id"::text AS row_id, NULL::text AS person_id,
       "legal_advice" AS ciphertext
  FROM "disclosure_request"
 WHERE organisation_id = :organisationId AND "legal_advice" IS NOT NULL AND "id" > :after::uuid
 ORDER BY "id"
 LIMIT :limit;

-- sealedFields.disclosureRequestLegalInstrument
SELECT "id"::text AS row_id, NULL::text AS person_id,
       "legal_instrument" AS ciphertext
  FROM "disclosure_request"
 WHERE organisation_id = :organisationId AND "legal_instrument" IS NOT NULL AND "id" > :after::uuid
 ORDER BY "id"
 LIMIT :limit;

-- sealedFields.disclosureRequestRefusalReason
SELECT "id"::text AS row_id, NULL::text AS person_id,
       "refusal_reason" AS ciphertext
  FROM "disclosure_request"
 WHERE organisation_id = :organisationId AND "refusal_reason" IS NOT NULL AND "id" > :after::uuid
 ORDER BY "id"
 LIMIT :limit;

-- sealedFields.disclosureRequestRequester
SELECT "id"::text AS row_id, NULL::text AS person_id,
       "requester" AS ciphertext
  FROM "disclosure_request"
 WHERE organisation_id = :organisationId AND "requester" IS NOT NULL AND "id" > :after::uuid
 ORDER BY "id"
 LIMIT :limit;

-- sealedFields.envelopeColumns
SELECT DISTINCT c.relname || '.' || m[1] AS field
  FROM pg_constraint k
  JOIN pg_class c ON c.oid = k.conrelid
  JOIN pg_namespace n ON n.oid = c.relnamespace
 CROSS JOIN LATERAL regexp_matches(pg_get_constraintdef(k.oid), 'get_byte\("?([a-z_]+)"?, 0\) = 1', 'g') AS m
 WHERE k.contype = 'c' AND n.nspname = 'public'
 ORDER BY 1;

-- sealedFields.followUpText
SELECT "id"::text AS row_id, "person_id"::text AS person_id,
       "text" AS ciphertext
  FROM "follow_up"
 WHERE organisation_id = :organisationId AND "text" IS NOT NULL AND "id" > :after::uuid
 ORDER BY "id"
 LIMIT :limit;

-- sealedFields.idempotencyKeyResponse
SELECT "id"::text AS row_id, NULL::text AS person_id,
       "response" AS ciphertext
  FROM "idempotency_key"
 WHERE organisation_id = :organisationId AND "response" IS NOT NULL AND "id" > :after::uuid
 ORDER BY "id"
 LIMIT :limit;

-- sealedFields.organisations
SELECT id::text AS id FROM organisation ORDER BY id;

-- sealedFields.personIdentityAlias
SELECT "person_id"::text AS row_id, "person_id"::text AS person_id,
       "alias" AS ciphertext
  FROM "person_identity"
 WHERE organisation_id = :organisationId AND "alias" IS NOT NULL AND "person_id" > :after::uuid
 ORDER BY "person_id"
 LIMIT :limit;

-- sealedFields.personIdentityDateOfBirth
SELECT "person_id"::text AS row_id, "person_id"::text AS person_id,
       "date_of_birth" AS ciphertext
  FROM "person_identity"
 WHERE organisation_id = :organisationId AND "date_of_birth" IS NOT NULL AND "person_id" > :after::uuid
 ORDER BY "person_id"
 LIMIT :limit;

-- sealedFields.personIdentityFamilyName
SELECT "person_id"::text AS row_id, "person_id"::text AS person_id,
       "family_name" AS ciphertext
  FROM "person_identity"
 WHERE organisation_id = :organisationId AND "family_name" IS NOT NULL AND "person_id" > :after::uuid
 ORDER BY "person_id"
 LIMIT :limit;

-- sealedFields.personIdentityGivenName
SELECT "person_id"::text AS row_id, "person_id"::text AS person_id,
       "given_name" AS ciphertext
  FROM "person_identity"
 WHERE organisation_id = :organisationId AND "given_name" IS NOT NULL AND "person_id" > :after::uuid
 ORDER BY "person_id"
 LIMIT :limit;

-- sealedFields.personIdentityPhone
SELECT "person_id"::text AS row_id, "person_id"::text AS person_id,
       "phone" AS ciphertext
  FROM "person_identity"
 WHERE organisation_id = :organisationId AND "phone" IS NOT NULL AND "person_id" > :after::uuid
 ORDER BY "person_id"
 LIMIT :limit;

-- sealedFields.personIdentitySex
SELECT "person_id"::text AS row_id, "person_id"::text AS person_id,
       "sex" AS ciphertext
  FROM "person_identity"
 WHERE organisation_id = :organisationId AND "sex" IS NOT NULL AND "person_id" > :after::uuid
 ORDER BY "person_id"
 LIMIT :limit;

-- sealedFields.referralOverrideReason
SELECT "id"::text AS row_id, NULL::text AS person_id,
       "override_reason" AS ciphertext
  FROM "referral"
 WHERE organisation_id = :organisationId AND "override_reason" IS NOT NULL AND "id" > :after::uuid
 ORDER BY "id"
 LIMIT :limit;

-- sealedFields.revealDetailDetail
SELECT "id"::text AS row_id, "person_id"::text AS person_id,
       "detail" AS ciphertext
  FROM "reveal_detail"
 WHERE organisation_id = :organisationId AND "detail" IS NOT NULL AND "id" > :after::uuid
 ORDER BY "id"
 LIMIT :limit;

-- sealedFields.staffUserTotpPending
SELECT "id"::text AS row_id, NULL::text AS person_id,
       "totp_pending" AS ciphertext
  FROM "staff_user"
 WHERE organisation_id = :organisationId AND "totp_pending" IS NOT NULL AND "id" > :after::uuid
 ORDER BY "id"
 LIMIT :limit;

-- sealedFields.staffUserTotpSecret
SELECT "id"::text AS row_id, NULL::text AS person_id,
       "totp_secret" AS ciphertext
  FROM "staff_user"
 WHERE organisation_id = :organisationId AND "totp_secret" IS NOT NULL AND "id" > :after::uuid
 ORDER BY "id"
 LIMIT :limit;
