import { Check, Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { TenantEntity } from '../tenant-entity';

/** A signed checkpoint of the organisation's log (tree size, root, time; Ed25519). */
@Entity({ name: 'audit_checkpoint' })
@Index('audit_checkpoint_unwitnessed', ['organisationId'], { where: '"witnessed_at" IS NULL' })
@Check('audit_checkpoint_sizes', `"tree_size" >= 1 AND octet_length("root_hash") = 32`)
@Check(
  'audit_checkpoint_signature',
  `octet_length("signature") = 64 AND octet_length("public_key") = 32`,
)
export class AuditCheckpointEntity extends TenantEntity {
  @PrimaryColumn({ name: 'tree_size', type: 'bigint' })
  treeSize!: string;

  @Column({ name: 'root_hash', type: 'bytea' })
  rootHash!: Buffer;

  @Column({ name: 'signed_at', type: 'timestamptz' })
  signedAt!: Date;

  /** The exact signed text. */
  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'bytea' })
  signature!: Buffer;

  @Column({ name: 'public_key', type: 'bytea' })
  publicKey!: Buffer;

  /** When the checkpoint was exported to a witness outside the database. */
  @Column({ name: 'witnessed_at', type: 'timestamptz', nullable: true })
  witnessedAt!: Date | null;
}
