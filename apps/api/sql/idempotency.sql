-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- idempotency.lockKey
SELECT pg_advisory_xact_lock(hashtextextended(:name, 0));

-- idempotency.purgeExpired
SELECT idempotency_purge(:now);
