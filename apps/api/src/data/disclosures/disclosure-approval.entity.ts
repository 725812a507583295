import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { StaffUserEntity } from '../staff/staff-user.entity';
import { sameOrganisation, TenantScoped } from '../tenant-entity';
import { DisclosureRequestEntity } from './disclosure-request.entity';

/**
 * One approval of a disclosure request: who, counting as which role, when. A person approves a
 * request once, and each role counts once (unique keys); insert-only.
 */
@Entity({ name: 'disclosure_approval' })
@Index('disclosure_approval_role', ['organisationId', 'requestId', 'asRole'], { unique: true })
@Check('disclosure_approval_as_role', `"as_role" IN ('coordinator', 'admin')`)
export class DisclosureApprovalEntity extends TenantScoped {
  @PrimaryColumn({ name: 'request_id', type: 'uuid' })
  requestId!: string;

  @PrimaryColumn({ name: 'approver_id', type: 'uuid' })
  approverId!: string;

  @Column({ name: 'as_role', type: 'text' })
  asRole!: string;

  @Column({ name: 'approved_at', type: 'timestamptz' })
  approvedAt!: Date;

  @ManyToOne(() => DisclosureRequestEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('request_id'))
  request?: DisclosureRequestEntity;

  @ManyToOne(() => StaffUserEntity, { onDelete: 'RESTRICT' })
  @JoinColumn(sameOrganisation('approver_id'))
  approver?: StaffUserEntity;
}
