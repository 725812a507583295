import { Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { StaffUserEntity } from '../staff/staff-user.entity';

/** An admin's approval to lift the current lockdown; two distinct admins lift it. */
@Entity({ name: 'lockdown_lift_approval' })
export class LockdownApprovalEntity {
  @PrimaryColumn({
    name: 'organisation_id',
    type: 'uuid',
    primaryKeyConstraintName: 'lockdown_lift_approval_pkey',
  })
  organisationId!: string;

  @PrimaryColumn({
    name: 'user_id',
    type: 'uuid',
    primaryKeyConstraintName: 'lockdown_lift_approval_pkey',
  })
  userId!: string;

  @Column({ name: 'approved_at', type: 'timestamptz' })
  approvedAt!: Date;

  @ManyToOne(() => StaffUserEntity, { onDelete: 'CASCADE' })
  @JoinColumn([
    {
      name: 'organisation_id',
      referencedColumnName: 'organisationId',
      foreignKeyConstraintName: 'lockdown_lift_approval_user_fk',
    },
    {
      name: 'user_id',
      referencedColumnName: 'id',
      foreignKeyConstraintName: 'lockdown_lift_approval_user_fk',
    },
  ])
  user?: StaffUserEntity;
}
