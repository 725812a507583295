import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { ACCESS_EVENT_BYTES_CHECK } from '@harbour/migrations';
import { TenantEntity } from '../tenant-entity';

/**
 * One access event (docs/design.md §7): a leaf of the organisation's Merkle log. Append-only: the
 * application role may only INSERT, and a trigger refuses UPDATE, DELETE and TRUNCATE.
 * `event` holds the canonical JSON of the event, and the `access_event_bytes` constraint keeps
 * every column equal to what those bytes say (so no column changes on its own);
 * `leaf_hash` = SHA-256(0x00 ‖ event); `mac` = HMAC-SHA256 under the
 * organisation's audit key over (seq ‖ leaf hash), so even a database superuser cannot forge,
 * alter or reorder an event without the verifier naming its index.
 */
@Entity({ name: 'access_event' })
@Index('access_event_actor', ['organisationId', 'actorId', 'occurredAt'])
@Index('access_event_time', ['organisationId', 'occurredAt'])
@Check('access_event_seq', `"seq" >= 0`)
@Check('access_event_outcome', `"outcome" IN ('success', 'denied', 'failure')`)
@Check('access_event_action', `char_length("action") BETWEEN 1 AND 100`)
@Check('access_event_hashes', `octet_length("leaf_hash") = 32 AND octet_length("mac") = 32`)
@Check('access_event_bytes', ACCESS_EVENT_BYTES_CHECK.replace(/^CHECK /, ''))
export class AccessEventEntity extends TenantEntity {
  @PrimaryColumn({ type: 'bigint' })
  seq!: string;

  @Column({ name: 'occurred_at', type: 'timestamptz' })
  occurredAt!: Date;

  @Column({ name: 'actor_id', type: 'uuid', nullable: true })
  actorId!: string | null;

  @Column({ name: 'actor_roles', type: 'text', array: true, default: () => "'{}'" })
  actorRoles!: string[];

  @Column({ type: 'text' })
  action!: string;

  @Column({ name: 'resource_type', type: 'text', nullable: true })
  resourceType!: string | null;

  @Column({ name: 'resource_ids', type: 'text', array: true, default: () => "'{}'" })
  resourceIds!: string[];

  @Column({ type: 'text', array: true, default: () => "'{}'" })
  fields!: string[];

  @Column({ type: 'text', nullable: true })
  purpose!: string | null;

  @Column({ type: 'text' })
  outcome!: string;

  @Column({ name: 'request_id', type: 'text' })
  requestId!: string;

  /** The exact bytes the leaf hash covers (RFC 8785 canonical JSON of the fields above). */
  @Column({ type: 'bytea' })
  event!: Buffer;

  @Column({ name: 'leaf_hash', type: 'bytea' })
  leafHash!: Buffer;

  @Column({ type: 'bytea' })
  mac!: Buffer;
}
