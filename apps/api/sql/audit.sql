-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- audit.checkpointsDue
SELECT organisation_id FROM audit_checkpoints_due(:coveredBefore, :witnessEnabled);

-- audit.eventBytesConstraint
SELECT (SELECT pg_get_constraintdef(c.oid) FROM pg_constraint c
          WHERE c.conrelid = 'access_event'::regclass AND c.conname = 'access_event_bytes'
            AND c.contype = 'c' AND c.convalidated) AS definition,
       (SELECT p.prosrc FROM pg_proc p
          WHERE p.oid = to_regprocedure('access_event_matches(bytea, uuid, bigint, timestamptz, uuid, text[], text, text, text[], text[], text, text, text)')
            AND p.provolatile = 'i') AS body;

-- audit.eventCount
SELECT count(*) AS total FROM access_event;

-- audit.eventTime
SELECT occurred_at FROM access_event WHERE organisation_id = :organisationId AND seq = :seq;

-- audit.head
SELECT tree_size, frontier, checkpoint_size, checkpoint_at, head_mac FROM audit_log_state
 WHERE organisation_id = :organisationId;

-- audit.leafHashes
SELECT leaf_hash FROM access_event WHERE seq < :treeSize ORDER BY seq;

-- audit.markWitnessed
UPDATE audit_checkpoint SET witnessed_at = :at
 WHERE organisation_id = :organisationId AND tree_size = :treeSize;
