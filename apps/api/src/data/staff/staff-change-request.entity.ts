import { ROLES, STAFF_CHANGE_KINDS } from '@harbour/domain';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { sqlList } from '../../infra/database/sql-list';
import { sameOrganisation, TenantChildRecord } from '../tenant-entity';
import { StaffUserEntity } from './staff-user.entity';

export const STAFF_CHANGE_STATUSES = ['pending', 'applied', 'cancelled', 'expired'] as const;
export type StaffChangeStatus = (typeof STAFF_CHANGE_STATUSES)[number];

/**
 * A staff change that waits for a second admin (separation of duties, ADR 0008): a new account
 * with a guarded role, a guarded role granted, or a guarded account's password or MFA reset.
 * Rows are never deleted. The database itself refuses an applied request without a second admin
 * (`staff_change_request_second_admin`).
 */
@Entity({ name: 'staff_change_request' })
@Index('staff_change_request_pending_target', ['organisationId', 'kind', 'targetUserId'], {
  unique: true,
  where: `"status" = 'pending' AND "target_user_id" IS NOT NULL`,
})
@Index('staff_change_request_pending_email', ['organisationId', 'email'], {
  unique: true,
  where: `"status" = 'pending' AND "kind" = 'create_account'`,
})
@Check('staff_change_request_kind', `"kind" IN (${sqlList(STAFF_CHANGE_KINDS)})`)
@Check('staff_change_request_status', `"status" IN (${sqlList(STAFF_CHANGE_STATUSES)})`)
@Check(
  'staff_change_request_roles',
  `cardinality("roles_after") >= 1 AND "roles_after" <@ ARRAY[${sqlList(ROLES)}]::text[] AND "roles_before" <@ ARRAY[${sqlList(ROLES)}]::text[]`,
)
@Check(
  'staff_change_request_account',
  `("kind" = 'create_account') = ("email" IS NOT NULL AND "display_name" IS NOT NULL) AND ("target_user_id" IS NOT NULL OR ("kind" = 'create_account' AND "status" <> 'applied'))`,
)
@Check(
  'staff_change_request_decided',
  `("status" IN ('applied', 'cancelled')) = ("decided_by" IS NOT NULL AND "decided_at" IS NOT NULL)`,
)
@Check(
  'staff_change_request_second_admin',
  `"status" <> 'applied' OR ("decided_by" <> "requested_by" AND "decided_by" <> "target_user_id")`,
)
@Check('staff_change_request_expiry', `"expires_at" > "requested_at"`)
export class StaffChangeRequestEntity extends TenantChildRecord {
  @Column({ type: 'text' })
  kind!: string;

  /** The account concerned; for a new account, set when it is created (on approval). */
  @Column({ name: 'target_user_id', type: 'uuid', nullable: true })
  targetUserId!: string | null;

  /** The new account's e-mail address and display name (`create_account` only). */
  @Column({ type: 'text', nullable: true })
  email!: string | null;

  @Column({ name: 'display_name', type: 'text', nullable: true })
  displayName!: string | null;

  @Column({ name: 'roles_before', type: 'text', array: true })
  rolesBefore!: string[];

  @Column({ name: 'roles_after', type: 'text', array: true })
  rolesAfter!: string[];

  @Column({ name: 'requested_by', type: 'uuid' })
  requestedBy!: string;

  @Column({ name: 'requested_at', type: 'timestamptz' })
  requestedAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'text' })
  status!: string;

  /** The second admin who approved it, or the admin who cancelled it. */
  @Column({ name: 'decided_by', type: 'uuid', nullable: true })
  decidedBy!: string | null;

  @Column({ name: 'decided_at', type: 'timestamptz', nullable: true })
  decidedAt!: Date | null;

  @ManyToOne(() => StaffUserEntity, { onDelete: 'CASCADE' })
  @JoinColumn(
    sameOrganisation('target_user_id', {
      foreignKeyConstraintName: 'staff_change_request_target_fk',
    }),
  )
  target?: StaffUserEntity;

  @ManyToOne(() => StaffUserEntity, { onDelete: 'CASCADE' })
  @JoinColumn(
    sameOrganisation('requested_by', {
      foreignKeyConstraintName: 'staff_change_request_requester_fk',
    }),
  )
  requester?: StaffUserEntity;

  @ManyToOne(() => StaffUserEntity, { onDelete: 'CASCADE' })
  @JoinColumn(
    sameOrganisation('decided_by', { foreignKeyConstraintName: 'staff_change_request_decider_fk' }),
  )
  decider?: StaffUserEntity;
}
