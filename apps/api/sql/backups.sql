-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- backups.newestPerKindAndOutcome
SELECT r.kind, r.ok, r.finished_at, r.file_name, r."tables", r."rows"::text AS "rows",
       r.bytes::text AS bytes, r.error_code
  FROM (VALUES ('backup'), ('verify'), ('restore')) AS k (kind)
 CROSS JOIN (VALUES (true), (false)) AS o (ok)
 CROSS JOIN LATERAL (
       SELECT b.kind, b.ok, b.finished_at, b.file_name, b."tables", b."rows", b.bytes,
              b.error_code
         FROM backup_run b
        WHERE b.kind = k.kind AND b.ok = o.ok
        ORDER BY b.finished_at DESC, b.id DESC
        LIMIT 1) AS r;
