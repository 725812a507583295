import { Check, Column, Entity } from 'typeorm';
import { TenantEntity } from '../tenant-entity';

/**
 * The append position of an organisation's log (its head): its size and the Merkle frontier
 * (the roots of its complete subtrees), so the root at any size costs O(log n). Locking this
 * row serialises appends per organisation (gap-free, fork-free). `head_mac` authenticates the
 * head under the audit key: the writer refuses to extend a head it did not write, and the
 * verifier checks that the events are exactly the ones the head records.
 */
@Entity({ name: 'audit_log_state' })
@Check('audit_log_state_head_mac', `"head_mac" IS NULL OR octet_length("head_mac") = 32`)
export class AuditLogStateEntity extends TenantEntity {
  @Column({ name: 'tree_size', type: 'bigint', default: 0 })
  treeSize!: string;

  @Column({ type: 'bytea', array: true, default: () => "'{}'" })
  frontier!: Buffer[];

  @Column({ name: 'checkpoint_size', type: 'bigint', default: 0 })
  checkpointSize!: string;

  @Column({ name: 'checkpoint_at', type: 'timestamptz', nullable: true })
  checkpointAt!: Date | null;

  /** HMAC-SHA256 of the head (`headMacInput`); null only for a fresh head or one from before. */
  @Column({ name: 'head_mac', type: 'bytea', nullable: true })
  headMac!: Buffer | null;
}
