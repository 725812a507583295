import { ROLES } from '@harbour/domain';
import { Check, Column, Entity, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { sqlList } from '../../infra/database/sql-list';
import { sameOrganisation, TenantScoped } from '../tenant-entity';
import { StaffUserEntity } from './staff-user.entity';

/**
 * When each staff member was given each role they hold (one row per role held). Lifting a
 * lockdown counts only admins whose `admin` row is older than the lockdown (docs/security.md T25):
 * an admin created or promoted during it cannot approve. Kept in step with `staff_user.roles` by
 * `StaffRoles.record`, on every path that sets roles.
 */
@Entity({ name: 'staff_role_grant' })
@Check('staff_role_grant_role', `"role" IN (${sqlList(ROLES)})`)
export class StaffRoleGrantEntity extends TenantScoped {
  @PrimaryColumn({ name: 'user_id', type: 'uuid' })
  userId!: string;

  @PrimaryColumn({ type: 'text' })
  role!: string;

  @Column({ name: 'granted_at', type: 'timestamptz' })
  grantedAt!: Date;

  @ManyToOne(() => StaffUserEntity, { onDelete: 'CASCADE' })
  @JoinColumn(sameOrganisation('user_id'))
  user?: StaffUserEntity;
}
