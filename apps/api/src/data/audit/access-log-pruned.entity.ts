import { Check, Column, Entity, JoinColumn, ManyToOne } from 'typeorm';
import { sameOrganisation, TenantEntity } from '../tenant-entity';
import { AuditCheckpointEntity } from './audit-checkpoint.entity';

/**
 * The pruned prefix of an organisation's access log (docs/adr/0011-pruning-the-access-log.md):
 * its size `n` (always the size of a signed checkpoint, which the row references), the Merkle
 * frontier of `[0, n)` (roots of its complete subtrees, largest first, one per set bit of `n`),
 * the newest pruned event's time, and an HMAC under the audit key. Written only by the
 * `access_log_prune` function; the API reads it and writes the MAC.
 */
@Entity({ name: 'access_log_pruned' })
@Check('access_log_pruned_size', `"pruned_size" >= 1`)
@Check('access_log_pruned_mac', `"mac" IS NULL OR octet_length("mac") = 32`)
export class AccessLogPrunedEntity extends TenantEntity {
  @Column({ name: 'pruned_size', type: 'bigint' })
  prunedSize!: string;

  @Column({ type: 'bytea', array: true })
  frontier!: Buffer[];

  @Column({ name: 'newest_pruned_at', type: 'timestamptz' })
  newestPrunedAt!: Date;

  @Column({ name: 'pruned_at', type: 'timestamptz' })
  prunedAt!: Date;

  @Column({ type: 'bytea', nullable: true })
  mac!: Buffer | null;

  @ManyToOne(() => AuditCheckpointEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(
    sameOrganisation('pruned_size', {
      referencedColumnName: 'treeSize',
      foreignKeyConstraintName: 'access_log_pruned_checkpoint_fk',
    }),
  )
  checkpoint?: AuditCheckpointEntity;
}
