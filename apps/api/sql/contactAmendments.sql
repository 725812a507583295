-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- contactAmendments.insert
INSERT INTO contact_amendment (organisation_id, id, contact_id, person_id, fields, reason, notes,
                               created_by)
VALUES (:organisationId, :id, :contactId, :personId, :fields::text[], :reason, :notes, :createdBy)
RETURNING created_at;

-- contactAmendments.ofContact
SELECT id, fields, reason, notes, created_by, created_at
  FROM contact_amendment
 WHERE organisation_id = :organisationId AND contact_id = :contactId
 ORDER BY created_at, id;

-- contactAmendments.summaries
SELECT a.contact_id,
       (SELECT n.notes IS NOT NULL FROM contact_amendment n
         WHERE n.organisation_id = a.organisation_id AND n.contact_id = a.contact_id
           AND 'notes' = ANY(n.fields)
         ORDER BY n.created_at DESC, n.id DESC LIMIT 1) AS has_notes
  FROM (SELECT DISTINCT organisation_id, contact_id FROM contact_amendment
         WHERE organisation_id = :organisationId AND contact_id = ANY(:contactIds::uuid[])) a;
