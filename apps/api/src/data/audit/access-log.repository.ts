import { Injectable } from '@nestjs/common';
import type { Tx } from '../../infra/database/transaction';
import { AUDIT_HEAD_MOVED_SQLSTATE } from '@harbour/migrations';
import { prepared, query, simple, statement } from '../sql';
import type { HeadRow } from './audit-log.queries';

/** An access event's fields, as its canonical bytes (`event`) and its columns hold them. */
export interface LoggedEvent {
  readonly organisationId: string;
  readonly seq: number;
  readonly occurredAt: Date;
  readonly actorId: string | null;
  readonly actorRoles: readonly string[];
  readonly action: string;
  readonly resourceType: string | null;
  readonly resourceIds: readonly string[];
  readonly fields: readonly string[];
  readonly purpose: string | null;
  readonly outcome: string;
  readonly requestId: string;
}

/** An access event as stored: the queryable columns, its canonical bytes, leaf hash and MAC. */
export interface EventRow extends Omit<LoggedEvent, 'organisationId'> {
  readonly event: Buffer;
  readonly leafHash: Buffer;
  readonly mac: Buffer;
}

/** The log head after an event or a checkpoint. */
export interface HeadUpdate {
  readonly treeSize: number;
  readonly frontier: Buffer[];
  readonly checkpointSize: number;
  readonly checkpointAt: Date;
  readonly headMac: Buffer;
}

const lockHead = statement<{ organisationId: string }, HeadRow>(
  'audit.lockHead',
  `SELECT tree_size, frontier, checkpoint_size, checkpoint_at, head_mac FROM audit_log_state
 WHERE organisation_id = :organisationId FOR UPDATE`,
);

const createHead = statement<{ organisationId: string }>(
  'audit.createHead',
  `INSERT INTO audit_log_state (organisation_id) VALUES (:organisationId)
ON CONFLICT (organisation_id) DO NOTHING`,
);

/** The event and the log head it moves, in one statement (the head is locked first). */
const append = statement<EventRow & HeadUpdate & { organisationId: string }>(
  'audit.append',
  `WITH event AS (
  INSERT INTO access_event (organisation_id, seq, occurred_at, actor_id, actor_roles, action,
                            resource_type, resource_ids, fields, purpose, outcome, request_id,
                            event, leaf_hash, mac)
  VALUES (:organisationId, :seq, :occurredAt, :actorId, :actorRoles, :action, :resourceType,
          :resourceIds, :fields, :purpose, :outcome, :requestId, :event, :leafHash, :mac))
UPDATE audit_log_state SET tree_size = :treeSize, frontier = :frontier,
       checkpoint_size = :checkpointSize, checkpoint_at = :checkpointAt, head_mac = :headMac
 WHERE organisation_id = :organisationId`,
);

/** The head a writer expects to find (the one it last wrote): every column of the row. */
export interface ExpectedHead {
  readonly expectedSize: number;
  readonly expectedFrontier: Buffer[];
  readonly expectedCheckpointSize: number;
  readonly expectedCheckpointAt: Date;
  readonly expectedHeadMac: Buffer;
}

/** What `audit.appendAtHead` and `audit.appendAtHeadLast` share: the head and the event. */
const APPEND_AT_HEAD = `WITH head AS (
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
`;

/**
 * Locks the head, checks it and extends it by one event, in one statement (docs/adr/0018). The
 * UPDATE matches the organisation's row whatever it holds, so under READ COMMITTED it waits for
 * a writer holding the row and then works on its newest committed version: the new values are
 * taken only when every column of that version is the expected head, otherwise the row is
 * rewritten unchanged (and stays locked). The head moved to the new one only if it was the
 * expected one (another head with the new size and the new MAC would be an HMAC collision), and
 * only then is the event inserted. Answers the row as it stands now, locked, and whether the
 * event was inserted.
 */
const appendAtHead = statement<
  EventRow & HeadUpdate & ExpectedHead & { organisationId: string },
  HeadRow & { appended: string }
>(
  'audit.appendAtHead',
  `${APPEND_AT_HEAD}SELECT head.tree_size, head.frontier, head.checkpoint_size, head.checkpoint_at, head.head_mac,
       (SELECT count(*) FROM event) AS appended
  FROM head`,
);

/**
 * `audit.appendAtHead` as the last statement of a request's transaction, sent with its COMMIT
 * (docs/adr/0019): it answers nothing but raises when the event was not inserted (the head was
 * not the expected one, or the organisation has no head), so PostgreSQL stops before the COMMIT.
 */
const appendAtHeadLast = statement<
  EventRow & HeadUpdate & ExpectedHead & { organisationId: string }
>(
  'audit.appendAtHeadLast',
  `${APPEND_AT_HEAD}SELECT audit_expect_appended((SELECT count(*) FROM event)) AS appended`,
);

/**
 * Several events and the log head they move, in one statement (group commit: the head is
 * locked first). The events travel as one JSON array, so any number of rows with text[] columns
 * of any length fit one prepared statement; bytea columns are hex.
 */
const appendMany = statement<HeadUpdate & { organisationId: string; events: string }>(
  'audit.appendMany',
  `WITH event AS (
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
 WHERE organisation_id = :organisationId`,
);

const setHeadMac = statement<{ organisationId: string; headMac: Buffer }>(
  'audit.setHeadMac',
  `UPDATE audit_log_state SET head_mac = :headMac WHERE organisation_id = :organisationId`,
);

const moveCheckpoint = statement<{
  organisationId: string;
  checkpointSize: number;
  checkpointAt: Date;
  headMac: Buffer;
}>(
  'audit.moveCheckpoint',
  `UPDATE audit_log_state SET checkpoint_size = :checkpointSize, checkpoint_at = :checkpointAt,
       head_mac = :headMac
 WHERE organisation_id = :organisationId`,
);

/** A signed checkpoint as stored. */
export interface NewCheckpoint {
  organisationId: string;
  treeSize: number;
  rootHash: Buffer;
  signedAt: Date;
  body: string;
  signature: Buffer;
  publicKey: Buffer;
}

const insertCheckpoint = statement<NewCheckpoint>(
  'audit.insertCheckpoint',
  `INSERT INTO audit_checkpoint (organisation_id, tree_size, root_hash, signed_at, body, signature,
                              public_key)
VALUES (:organisationId, :treeSize, :rootHash, :signedAt, :body, :signature, :publicKey)`,
);

/**
 * The writer's statements of the access log: the per-organisation head (locked for every
 * append, so sequence numbers are gap-free), events and signed checkpoints. The API role may
 * only insert events and checkpoints (a trigger refuses changes).
 */
@Injectable()
export class AccessLogRepository {
  /** Locks the organisation's log head (creating it on the first event). */
  async lockHead(tx: Tx, organisationId: string): Promise<HeadRow> {
    let [head] = await prepared(tx, lockHead, { organisationId });
    if (head === undefined) {
      await query(tx.manager, createHead, { organisationId });
      [head] = await query(tx.manager, lockHead, { organisationId });
    }
    if (head === undefined) throw new Error('audit log state missing');
    return head;
  }

  /** Locks the head if there is one (null for an organisation that never logged). */
  async lockExistingHead(tx: Tx, organisationId: string): Promise<HeadRow | undefined> {
    const [head] = await query(tx.manager, lockHead, { organisationId });
    return head;
  }

  async append(tx: Tx, organisationId: string, event: EventRow, head: HeadUpdate): Promise<void> {
    await prepared(tx, append, { organisationId, ...event, ...head });
  }

  /**
   * One event and the head after it, only if the head is `expected` (checked after taking the
   * row lock): the head row as it stands now (locked until `tx` ends) and whether the event was
   * appended; undefined when the organisation has no head yet.
   */
  async appendAtHead(
    tx: Tx,
    organisationId: string,
    event: EventRow,
    expected: ExpectedHead,
    head: HeadUpdate,
  ): Promise<{ head: HeadRow; appended: boolean } | undefined> {
    const [row] = await prepared(tx, appendAtHead, {
      organisationId,
      ...event,
      ...expected,
      ...head,
    });
    if (row === undefined) return undefined;
    const { appended, ...state } = row;
    return { head: state, appended: Number(appended) === 1 };
  }

  /**
   * `appendAtHead` as the last work of `tx`, in one message with its COMMIT (docs/adr/0019): true
   * when the event was appended and `tx` has committed; false when the head was not `expected`
   * (or there is none): nothing was written, the row lock is released and `tx` is still open.
   * Rejects with `FinalMessageError` when the statement or the COMMIT failed otherwise.
   */
  async appendAtHeadAndCommit(
    tx: Tx,
    organisationId: string,
    event: EventRow,
    expected: ExpectedHead,
    head: HeadUpdate,
  ): Promise<boolean> {
    const last = simple(appendAtHeadLast, { organisationId, ...event, ...expected, ...head });
    return (await tx.commitWithLast(last, AUDIT_HEAD_MOVED_SQLSTATE)) === 'committed';
  }

  /** Several events (in sequence order) and the head after the last of them. */
  async appendMany(
    tx: Tx,
    organisationId: string,
    events: readonly EventRow[],
    head: HeadUpdate,
  ): Promise<void> {
    if (events.length === 1) return this.append(tx, organisationId, events[0]!, head);
    const rows = events.map((e) => ({
      seq: e.seq,
      occurred_at: e.occurredAt.toISOString(),
      actor_id: e.actorId,
      actor_roles: e.actorRoles,
      action: e.action,
      resource_type: e.resourceType,
      resource_ids: e.resourceIds,
      fields: e.fields,
      purpose: e.purpose,
      outcome: e.outcome,
      request_id: e.requestId,
      event: e.event.toString('hex'),
      leaf_hash: e.leafHash.toString('hex'),
      mac: e.mac.toString('hex'),
    }));
    await prepared(tx, appendMany, { organisationId, events: JSON.stringify(rows), ...head });
  }

  async setHeadMac(tx: Tx, organisationId: string, headMac: Buffer): Promise<void> {
    await query(tx.manager, setHeadMac, { organisationId, headMac });
  }

  async moveCheckpoint(
    tx: Tx,
    organisationId: string,
    head: Pick<HeadUpdate, 'checkpointSize' | 'checkpointAt' | 'headMac'>,
  ): Promise<void> {
    await query(tx.manager, moveCheckpoint, { organisationId, ...head });
  }

  async insertCheckpoint(tx: Tx, checkpoint: NewCheckpoint): Promise<void> {
    await query(tx.manager, insertCheckpoint, checkpoint);
  }
}
