-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- jobs.insert
INSERT INTO background_job (organisation_id, id, kind, state, done, total, detail, created_by,
                            created_at, updated_at)
VALUES (:organisationId, :id, :kind, 'queued', 0, NULL, :detail::jsonb, :createdBy,
        :createdAt, :createdAt);

-- jobs.lockForWork
SELECT id, kind, state, done, total, detail FROM background_job
 WHERE organisation_id = :organisationId AND id = :id
   FOR UPDATE;

-- jobs.recordProgress
UPDATE background_job
   SET state = :state, done = :done, total = :total, detail = :detail::jsonb,
       error_code = :errorCode, updated_at = :now,
       started_at = COALESCE(started_at, :now),
       finished_at = CASE WHEN :state IN ('completed', 'failed') THEN :now ELSE NULL END
 WHERE organisation_id = :organisationId AND id = :id;
