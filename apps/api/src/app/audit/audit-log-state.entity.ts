import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrganisationEntity } from '../organisations/organisation.entity';

/**
 * The append position of an organisation's log: its size and the Merkle frontier (the roots of
 * its complete subtrees), so the root at any size costs O(log n). Locking this row serialises
 * appends per organisation (gap-free, fork-free). The verifier never trusts it: it recomputes
 * everything from the events.
 */
@Entity({ name: 'audit_log_state' })
export class AuditLogStateEntity {
  @PrimaryColumn({
    name: 'organisation_id',
    type: 'uuid',
    primaryKeyConstraintName: 'audit_log_state_pkey',
  })
  organisationId!: string;

  @Column({ name: 'tree_size', type: 'bigint', default: 0 })
  treeSize!: string;

  @Column({ type: 'bytea', array: true, default: () => "'{}'" })
  frontier!: Buffer[];

  @Column({ name: 'checkpoint_size', type: 'bigint', default: 0 })
  checkpointSize!: string;

  @Column({ name: 'checkpoint_at', type: 'timestamptz', nullable: true })
  checkpointAt!: Date | null;

  @ManyToOne(() => OrganisationEntity, { onDelete: 'RESTRICT' })
  @JoinColumn({
    name: 'organisation_id',
    foreignKeyConstraintName: 'audit_log_state_organisation_fk',
  })
  organisation?: OrganisationEntity;
}
