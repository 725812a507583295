-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- disclosures.aboutPerson
SELECT r.id, r.authority, r.status, r.disclosed_at
  FROM disclosure_request_person rp
  JOIN disclosure_request r ON r.organisation_id = rp.organisation_id AND r.id = rp.request_id
  WHERE rp.organisation_id = :organisationId AND rp.person_id = :personId
  ORDER BY r.created_at DESC, r.id DESC;

-- disclosures.approvals
SELECT request_id, approver_id, as_role, approved_at FROM disclosure_approval
  WHERE organisation_id = :organisationId AND request_id = ANY(:ids::uuid[])
  ORDER BY approved_at, approver_id;

-- disclosures.byId
SELECT r.id, r.version, r.status, r.authority, r.requester, r.legal_instrument,
       r.legal_advice, r.refusal_reason, r.period_from::text AS period_from,
       r.period_to::text AS period_to, r.fields, r.recorded_by, r.created_at, r.disclosed_at,
       r.closed_at,
       coalesce(array_agg(p.id ORDER BY p.code) FILTER (WHERE p.id IS NOT NULL), '{}') AS person_ids,
       coalesce(array_agg(p.code ORDER BY p.code) FILTER (WHERE p.id IS NOT NULL), '{}') AS person_codes
  FROM disclosure_request r
  LEFT JOIN disclosure_request_person rp
    ON rp.organisation_id = r.organisation_id AND rp.request_id = r.id
  LEFT JOIN person p ON p.organisation_id = rp.organisation_id AND p.id = rp.person_id
  WHERE r.organisation_id = :organisationId AND r.id = :id
  GROUP BY r.organisation_id, r.id;

-- disclosures.change
UPDATE disclosure_request SET status = :status, version = version + 1, updated_at = :now,
    reviewed_at = coalesce(:reviewedAt, reviewed_at), decided_at = coalesce(:decidedAt, decided_at),
    refusal_reason = coalesce(:refusalReason, refusal_reason),
    refused_by = coalesce(:refusedBy, refused_by),
    disclosed_at = coalesce(:disclosedAt, disclosed_at),
    disclosed_by = coalesce(:disclosedBy, disclosed_by), closed_at = coalesce(:closedAt, closed_at)
  WHERE organisation_id = :organisationId AND id = :id AND version = :version
  RETURNING id;

-- disclosures.file
SELECT file_name, content FROM disclosure_file
  WHERE organisation_id = :organisationId AND request_id = :requestId;

-- disclosures.insert
INSERT INTO disclosure_request (organisation_id, id, status, authority, requester,
    legal_instrument, legal_advice, period_from, period_to, fields, recorded_by, created_at,
    updated_at)
  VALUES (:organisationId, :id, 'recorded', :authority, :requester, :legalInstrument,
    :legalAdvice, :periodFrom::date, :periodTo::date, :fields::text[], :recordedBy, :now, :now)
  RETURNING id;

-- disclosures.insertApproval
INSERT INTO disclosure_approval (organisation_id, request_id, approver_id, as_role, approved_at)
  VALUES (:organisationId, :requestId, :approverId, :asRole, :now)
  RETURNING request_id;

-- disclosures.insertFile
INSERT INTO disclosure_file (organisation_id, request_id, file_name, content, size_bytes,
    created_at)
  VALUES (:organisationId, :requestId, :fileName, :content, octet_length(:content::bytea), :now)
  RETURNING request_id;

-- disclosures.insertPeople
INSERT INTO disclosure_request_person (organisation_id, request_id, person_id)
  SELECT :organisationId, :requestId, unnest(:personIds::uuid[])
  RETURNING person_id;

-- disclosures.list
SELECT r.id, r.version, r.status, r.authority, r.requester, r.legal_instrument,
       r.legal_advice, r.refusal_reason, r.period_from::text AS period_from,
       r.period_to::text AS period_to, r.fields, r.recorded_by, r.created_at, r.disclosed_at,
       r.closed_at,
       coalesce(array_agg(p.id ORDER BY p.code) FILTER (WHERE p.id IS NOT NULL), '{}') AS person_ids,
       coalesce(array_agg(p.code ORDER BY p.code) FILTER (WHERE p.id IS NOT NULL), '{}') AS person_codes
  FROM disclosure_request r
  LEFT JOIN disclosure_request_person rp
    ON rp.organisation_id = r.organisation_id AND rp.request_id = r.id
  LEFT JOIN person p ON p.organisation_id = rp.organisation_id AND p.id = rp.person_id
  WHERE r.organisation_id = :organisationId
  GROUP BY r.organisation_id, r.id
  ORDER BY r.created_at DESC, r.id DESC
  LIMIT :limit;

-- disclosures.lock
SELECT status, version, recorded_by FROM disclosure_request
  WHERE organisation_id = :organisationId AND id = :id FOR UPDATE;

-- disclosures.personExists
SELECT id FROM person WHERE organisation_id = :organisationId AND id = :personId;

-- disclosures.personsByCode
SELECT id, code FROM person
  WHERE organisation_id = :organisationId AND code = ANY(:codes::text[]) AND merged_into IS NULL;
