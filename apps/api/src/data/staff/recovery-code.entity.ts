import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { sameOrganisation, TenantScoped } from '../tenant-entity';
import { StaffUserEntity } from './staff-user.entity';

/** One-time MFA recovery codes, stored as SHA-256 hashes (they are high-entropy). */
@Entity({ name: 'recovery_code' })
export class RecoveryCodeEntity extends TenantScoped {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @PrimaryColumn({ name: 'code_hash', type: 'bytea' })
  codeHash!: Buffer;

  @Column({ name: 'used_at', type: 'timestamptz', nullable: true })
  usedAt!: Date | null;

  @ManyToOne(() => StaffUserEntity, { onDelete: 'CASCADE' })
  @JoinColumn(sameOrganisation('user_id'))
  user?: StaffUserEntity;
}
