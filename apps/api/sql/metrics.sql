-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- metrics.jobQueueDepth
SELECT name AS queue, state::text AS state, count(*)::integer AS count
  FROM pgboss.job
 WHERE state IN ('created', 'retry', 'active')
 GROUP BY name, state
 ORDER BY name, state;

-- metrics.organisationsInLockdown
SELECT metrics_organisations_in_lockdown() AS count;
