-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- audit.append
WITH event AS (
  INSERT INTO access_event (organisation_id, seq, occurred_at, actor_id, actor_roles, action,
                            resource_type, resource_ids, fields, purpose, outcome, request_id,
                            event, leaf_hash, mac)
  VALUES (:organisationId, :seq, :occurredAt, :actorId, :actorRoles, :action, :resourceType,
          :resourceIds, :fields, :purpose, :outcome, :requestId, :event, :leafHash, :mac))
UPDATE audit_log_state SET tree_size = :treeSize, frontier = :frontier,
       checkpoint_size = :checkpointSize, checkpoint_at = :checkpointAt, head_mac = :headMac
 WHERE organisation_id = :organisationId;

-- audit.checkpointsDue
SELECT organisation_id FROM audit_checkpoints_due(:coveredBefore, :witnessEnabled);

-- audit.createHead
INSERT INTO audit_log_state (organisation_id) VALUES (:organisationId)
ON CONFLICT (organisation_id) DO NOTHING;

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

-- audit.insertCheckpoint
INSERT INTO audit_checkpoint (organisation_id, tree_size, root_hash, signed_at, body, signature,
                              public_key)
VALUES (:organisationId, :treeSize, :rootHash, :signedAt, :body, :signature, :publicKey);

-- audit.leafHashes
SELECT leaf_hash FROM access_event WHERE seq < :treeSize ORDER BY seq;

-- audit.lockHead
SELECT tree_size, frontier, checkpoint_size, checkpoint_at, head_mac FROM audit_log_state
 WHERE organisation_id = :organisationId FOR UPDATE;

-- audit.markWitnessed
UPDATE audit_checkpoint SET witnessed_at = :at
 WHERE organisation_id = :organisationId AND tree_size = :treeSize;

-- audit.moveCheckpoint
UPDATE audit_log_state SET checkpoint_size = :checkpointSize, checkpoint_at = :checkpointAt,
       head_mac = :headMac
 WHERE organisation_id = :organisationId;

-- audit.setHeadMac
UPDATE audit_log_state SET head_mac = :headMac WHERE organisation_id = :organisationId;
