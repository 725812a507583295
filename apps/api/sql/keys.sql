-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- keys.currentPersonKeyId
SELECT (SELECT k.key_id FROM organisation_key k
          WHERE k.organisation_id = p.organisation_id AND k.purpose = 'person_data'
            AND k.subject_id = p.id AND k.status = 'active'
          ORDER BY k.key_id DESC LIMIT 1) AS key_id
  FROM (SELECT :organisationId::uuid AS organisation_id, :personId::uuid AS id) AS p;
