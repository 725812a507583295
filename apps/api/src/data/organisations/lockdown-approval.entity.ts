import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { StaffUserEntity } from '../staff/staff-user.entity';
import { sameOrganisation, TenantScoped } from '../tenant-entity';

/** An admin's approval to lift the current lockdown; two distinct admins lift it. */
@Entity({ name: 'lockdown_lift_approval' })
export class LockdownApprovalEntity extends TenantScoped {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @Column({ name: 'approved_at', type: 'timestamptz' })
  approvedAt!: Date;

  @ManyToOne(() => StaffUserEntity, { onDelete: 'CASCADE' })
  @JoinColumn(sameOrganisation('user_id'))
  user?: StaffUserEntity;
}
