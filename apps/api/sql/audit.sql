-- Generated from the statements in apps/api/src/data by sql-files.spec.ts.
-- Do not edit: change the statement in its repository, then run `npm run sql`.

-- audit.actorNames
SELECT id, display_name FROM staff_user WHERE id = ANY(:ids::uuid[]);

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

-- audit.appendAtHead
WITH head AS (
  UPDATE audit_log_state s
     SET (tree_size, frontier, checkpoint_size, checkpoint_at, head_mac) = (
           SELECT CASE WHEN m.matched THEN :treeSize::bigint ELSE s.tree_size END,
                  CASE WHEN m.matched THEN :frontier::bytea[] ELSE s.frontier END,
                  CASE WHEN m.matched THEN :checkpointSize::bigint ELSE s.checkpoint_size END,
                  CASE WHEN m.matched THEN :checkpointAt::timestamptz ELSE s.checkpoint_at END,
                  CASE WHEN m.matched THEN :headMac::bytea ELSE s.head_mac END
             FROM (SELECT coalesce(
                     (s.tree_size, s.frontier, s.checkpoint_size, s.checkpoint_at, s.head_mac) =
                     (:expectedSize::bigint, :expectedFrontier::bytea[], :expectedCheckpointSize::bigint,
                      :expectedCheckpointAt::timestamptz, :expectedHeadMac::bytea),
                     false) AS matched) AS m)
   WHERE s.organisation_id = :organisationId
  RETURNING s.tree_size, s.frontier, s.checkpoint_size, s.checkpoint_at, s.head_mac,
            s.tree_size = :treeSize::bigint AND s.head_mac = :headMac::bytea AS matched),
event AS (
  INSERT INTO access_event (organisation_id, seq, occurred_at, actor_id, actor_roles, action,
                            resource_type, resource_ids, fields, purpose, outcome, request_id,
                            event, leaf_hash, mac)
  SELECT :organisationId::uuid, :seq::bigint, :occurredAt::timestamptz, :actorId::uuid,
         :actorRoles::text[], :action::text, :resourceType::text, :resourceIds::text[],
         :fields::text[], :purpose::text, :outcome::text, :requestId::text, :event::bytea,
         :leafHash::bytea, :mac::bytea
    FROM head WHERE head.matched
  RETURNING seq)
SELECT head.tree_size, head.frontier, head.checkpoint_size, head.checkpoint_at, head.head_mac,
       (SELECT count(*) FROM event) AS appended
  FROM head;

-- audit.appendAtHeadLast
WITH head AS (
  UPDATE audit_log_state s
     SET (tree_size, frontier, checkpoint_size, checkpoint_at, head_mac) = (
           SELECT CASE WHEN m.matched THEN :treeSize::bigint ELSE s.tree_size END,
                  CASE WHEN m.matched THEN :frontier::bytea[] ELSE s.frontier END,
                  CASE WHEN m.matched THEN :checkpointSize::bigint ELSE s.checkpoint_size END,
                  CASE WHEN m.matched THEN :checkpointAt::timestamptz ELSE s.checkpoint_at END,
                  CASE WHEN m.matched THEN :headMac::bytea ELSE s.head_mac END
             FROM (SELECT coalesce(
                     (s.tree_size, s.frontier, s.checkpoint_size, s.checkpoint_at, s.head_mac) =
                     (:expectedSize::bigint, :expectedFrontier::bytea[], :expectedCheckpointSize::bigint,
                      :expectedCheckpointAt::timestamptz, :expectedHeadMac::bytea),
                     false) AS matched) AS m)
   WHERE s.organisation_id = :organisationId
  RETURNING s.tree_size, s.frontier, s.checkpoint_size, s.checkpoint_at, s.head_mac,
            s.tree_size = :treeSize::bigint AND s.head_mac = :headMac::bytea AS matched),
event AS (
  INSERT INTO access_event (organisation_id, seq, occurred_at, actor_id, actor_roles, action,
                            resource_type, resource_ids, fields, purpose, outcome, request_id,
                            event, leaf_hash, mac)
  SELECT :organisationId::uuid, :seq::bigint, :occurredAt::timestamptz, :actorId::uuid,
         :actorRoles::text[], :action::text, :resourceType::text, :resourceIds::text[],
         :fields::text[], :purpose::text, :outcome::text, :requestId::text, :event::bytea,
         :leafHash::bytea, :mac::bytea
    FROM head WHERE head.matched
  RETURNING seq)
SELECT audit_expect_appended((SELECT count(*) FROM event)) AS appended;

-- audit.appendMany
WITH event AS (
  INSERT INTO access_event (organisation_id, seq, occurred_at, actor_id, actor_roles, action,
                            resource_type, resource_ids, fields, purpose, outcome, request_id,
                            event, leaf_hash, mac)
  SELECT :organisationId, e.seq, e.occurred_at, e.actor_id, e.actor_roles, e.action,
         e.resource_type, e.resource_ids, e.fields, e.purpose, e.outcome, e.request_id,
         decode(e.event, 'hex'), decode(e.leaf_hash, 'hex'), decode(e.mac, 'hex')
    FROM jsonb_to_recordset(:events::jsonb) AS e(
           seq bigint, occurred_at timestamptz, actor_id uuid, actor_roles text[], action text,
           resource_type text, resource_ids text[], fields text[], purpose text, outcome text,
           request_id text, event text, leaf_hash text, mac text)
   ORDER BY e.seq)
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

-- audit.events
SELECT e.seq, e.occurred_at, e.actor_id, u.display_name AS actor_name, e.actor_roles, e.action,
       e.resource_type, e.resource_ids, e.fields, e.purpose, e.outcome, e.request_id
  FROM access_event e
  LEFT JOIN staff_user u ON u.organisation_id = e.organisation_id AND u.id = e.actor_id
 WHERE (:actor::uuid IS NULL OR e.actor_id = :actor::uuid)
   AND (:action::text IS NULL OR e.action = :action::text)
   AND (:resource::text IS NULL OR :resource::text = ANY (e.resource_ids))
   AND (:outcome::text IS NULL OR e.outcome = :outcome::text)
   AND (:from::timestamptz IS NULL OR e.occurred_at >= :from::timestamptz)
   AND (:to::timestamptz IS NULL OR e.occurred_at <= :to::timestamptz)
   AND (:before::bigint IS NULL OR e.seq < :before::bigint)
 ORDER BY e.seq DESC
 LIMIT :limit;

-- audit.eventTime
SELECT occurred_at FROM access_event WHERE organisation_id = :organisationId AND seq = :seq;

-- audit.flagCanaryAccess
WITH e AS (
  SELECT seq, occurred_at, actor_id, action, outcome, resource_ids, fields FROM access_event
   WHERE occurred_at > (SELECT max(occurred_at) FROM access_event) - interval '30 days')
SELECT 'canary_access' AS kind, actor_id, date_trunc('day', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS "window", k.code AS subject,
       count(DISTINCT seq)::int AS count, min(seq) AS first_seq, max(seq) AS last_seq,
       min(occurred_at) AS "from", max(occurred_at) AS "to"
  FROM e, unnest(resource_ids) AS r
  JOIN unnest(:personIds::text[], :codes::text[]) AS k(person_id, code) ON r IN (k.person_id, k.code)
 WHERE action = ANY(:actions::text[])
 GROUP BY actor_id, 3, k.code;

-- audit.flagIdSweep
WITH e AS (
  SELECT seq, occurred_at, actor_id, action, outcome, resource_ids, fields FROM access_event
   WHERE occurred_at > (SELECT max(occurred_at) FROM access_event) - interval '30 days')
SELECT 'id_sweep' AS kind, actor_id, date_trunc('hour', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS "window", NULL AS subject,
       count(DISTINCT r)::int AS count, min(seq) AS first_seq, max(seq) AS last_seq,
       min(occurred_at) AS "from", max(occurred_at) AS "to"
  FROM e, unnest(resource_ids) AS r
 WHERE outcome IN ('failure', 'denied') AND actor_id IS NOT NULL
 GROUP BY actor_id, 3 HAVING count(DISTINCT r) >= :threshold;

-- audit.flagManyReveals
WITH e AS (
  SELECT seq, occurred_at, actor_id, action, outcome, resource_ids, fields FROM access_event
   WHERE occurred_at > (SELECT max(occurred_at) FROM access_event) - interval '30 days')
SELECT 'many_reveals' AS kind, actor_id, date_trunc('hour', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS "window", NULL AS subject,
       count(*)::int AS count, min(seq) AS first_seq, max(seq) AS last_seq,
       min(occurred_at) AS "from", max(occurred_at) AS "to"
  FROM e WHERE action = ANY(:actions::text[]) AND outcome = 'success'
 GROUP BY actor_id, 3 HAVING count(*) > :threshold;

-- audit.flagOffHours
WITH e AS (
  SELECT seq, occurred_at, actor_id, action, outcome, resource_ids, fields FROM access_event
   WHERE occurred_at > (SELECT max(occurred_at) FROM access_event) - interval '30 days')
SELECT 'off_hours' AS kind, actor_id, date_trunc('day', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS "window", NULL AS subject,
       count(*)::int AS count, min(seq) AS first_seq, max(seq) AS last_seq,
       min(occurred_at) AS "from", max(occurred_at) AS "to"
  FROM e WHERE actor_id IS NOT NULL AND outcome = 'success' AND action = ANY(:actions::text[])
   AND (extract(hour FROM occurred_at AT TIME ZONE 'UTC') < :start
        OR extract(hour FROM occurred_at AT TIME ZONE 'UTC') >= :end)
 GROUP BY actor_id, 3;

-- audit.flagRepeatedDenials
WITH e AS (
  SELECT seq, occurred_at, actor_id, action, outcome, resource_ids, fields FROM access_event
   WHERE occurred_at > (SELECT max(occurred_at) FROM access_event) - interval '30 days')
SELECT 'repeated_denials' AS kind, actor_id, date_trunc('hour', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS "window", NULL AS subject,
       count(*)::int AS count, min(seq) AS first_seq, max(seq) AS last_seq,
       min(occurred_at) AS "from", max(occurred_at) AS "to"
  FROM e WHERE outcome = 'denied' AND actor_id IS NOT NULL
 GROUP BY actor_id, 3 HAVING count(*) >= :threshold;

-- audit.flagReviews
SELECT DISTINCT ON (r) r AS id, e.seq, e.occurred_at AS at, u.display_name AS by
  FROM access_event e CROSS JOIN unnest(e.resource_ids) AS r
  LEFT JOIN staff_user u ON u.organisation_id = e.organisation_id AND u.id = e.actor_id
 WHERE e.action = :action AND e.outcome = 'success'
 ORDER BY r, e.seq DESC;

-- audit.flagSeparationOfDuties
WITH e AS (
  SELECT seq, occurred_at, actor_id, action, outcome, resource_ids, fields FROM access_event
   WHERE occurred_at > (SELECT max(occurred_at) FROM access_event) - interval '30 days')
SELECT CASE
         WHEN action = 'staff.own_roles_refused' THEN 'own_role_change'
         WHEN action = 'staff.change_approved' THEN 'staff_change_approved'
         WHEN fields && ARRAY['change:create_account', 'change:grant_roles'] THEN 'guarded_role_grant'
         ELSE 'guarded_account_reset'
       END AS kind, actor_id, date_trunc('hour', occurred_at AT TIME ZONE 'UTC') AT TIME ZONE 'UTC' AS "window", seq::text AS subject,
       1 AS count, seq AS first_seq, seq AS last_seq, occurred_at AS "from", occurred_at AS "to"
  FROM e
 WHERE action = 'staff.own_roles_refused'
    OR (action = 'staff.change_approved' AND outcome = 'success')
    OR (action = 'staff.change_requested' AND outcome = 'success'
        AND fields && ARRAY['change:create_account', 'change:grant_roles',
                            'change:reset_password', 'change:reset_mfa']);

-- audit.head
SELECT tree_size, frontier, checkpoint_size, checkpoint_at, head_mac FROM audit_log_state
 WHERE organisation_id = :organisationId;

-- audit.insertCheckpoint
INSERT INTO audit_checkpoint (organisation_id, tree_size, root_hash, signed_at, body, signature,
                              public_key)
VALUES (:organisationId, :treeSize, :rootHash, :signedAt, :body, :signature, :publicKey);

-- audit.leafHashes
SELECT leaf_hash FROM access_event WHERE seq >= :from AND seq < :treeSize ORDER BY seq;

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

-- audit.prune
SELECT from_size, to_size, oldest, newest FROM access_log_prune(:organisationId, :olderThan);

-- audit.pruned
SELECT pruned_size, frontier, newest_pruned_at, pruned_at, mac FROM access_log_pruned
 WHERE organisation_id = :organisationId;

-- audit.prunePlan
SELECT from_size, to_size, oldest, newest FROM access_log_prune_plan(:organisationId, :olderThan);

-- audit.setHeadMac
UPDATE audit_log_state SET head_mac = :headMac WHERE organisation_id = :organisationId;

-- audit.setPrunedMac
UPDATE access_log_pruned SET mac = :mac
 WHERE organisation_id = :organisationId AND pruned_size = :size;

-- audit.verifierBatch
SELECT count(*), min(seq), max(seq),
       string_agg(convert_from(event, 'UTF8'), E'\n' ORDER BY seq),
       string_agg(encode(leaf_hash, 'hex'), '' ORDER BY seq),
       string_agg(CASE WHEN seq >= :macsFrom THEN encode(mac, 'hex') ELSE '' END, '' ORDER BY seq)
  FROM (SELECT seq, event, leaf_hash, mac FROM access_event
         WHERE seq >= :from ORDER BY seq LIMIT :size) batch;

-- audit.verifierLeavesAndMacs
SELECT encode(leaf_hash, 'hex'), encode(mac, 'hex') FROM access_event
 WHERE seq >= :from AND seq < :to ORDER BY seq;

-- audit.verifierRows
SELECT seq, convert_from(event, 'UTF8'), encode(leaf_hash, 'hex'), encode(mac, 'hex')
  FROM access_event WHERE seq >= :from ORDER BY seq LIMIT :size;
