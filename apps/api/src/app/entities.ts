import { AccessEventEntity } from './audit/access-event.entity';
import { AuditCheckpointEntity } from './audit/audit-checkpoint.entity';
import { AuditLogStateEntity } from './audit/audit-log-state.entity';
import { LoginThrottleEntity } from './auth/login-throttle.entity';
import { StaffSessionEntity } from './auth/staff-session.entity';
import { OrganisationKeyEntity } from './keyring/organisation-key.entity';
import { LockdownApprovalEntity } from './organisations/lockdown-approval.entity';
import { OrganisationEntity } from './organisations/organisation.entity';
import { RecoveryCodeEntity } from './users/recovery-code.entity';
import { StaffUserEntity } from './users/staff-user.entity';

/** Every TypeORM entity, listed explicitly (no globs, STYLE.md §13). */
export const ENTITIES = [
  OrganisationEntity,
  OrganisationKeyEntity,
  StaffUserEntity,
  RecoveryCodeEntity,
  StaffSessionEntity,
  LoginThrottleEntity,
  LockdownApprovalEntity,
  AccessEventEntity,
  AuditCheckpointEntity,
  AuditLogStateEntity,
] as const;
