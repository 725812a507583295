import { DisclosureApprovalEntity } from './disclosures/disclosure-approval.entity';
import { DisclosureFileEntity } from './disclosures/disclosure-file.entity';
import { DisclosureRequestPersonEntity } from './disclosures/disclosure-request-person.entity';
import { DisclosureRequestEntity } from './disclosures/disclosure-request.entity';
import { AccessEventEntity } from './audit/access-event.entity';
import { AccessLogPrunedEntity } from './audit/access-log-pruned.entity';
import { AuditCheckpointEntity } from './audit/audit-checkpoint.entity';
import { AuditLogStateEntity } from './audit/audit-log-state.entity';
import { BackupRunEntity } from './backups/backup-run.entity';
import { BackgroundJobEntity } from './jobs/background-job.entity';
import { FollowUpEntity } from './follow-ups/follow-up.entity';
import { CanaryEntity } from './canaries/canary.entity';
import { ConsentEntity } from './consents/consent.entity';
import { OutcomeCheckInEntity } from './outcomes/outcome-check-in.entity';
import { ContactEntity } from './contacts/contact.entity';
import { ContactAmendmentEntity } from './contacts/contact-amendment.entity';
import { SupportNeedEntity } from './contacts/support-need.entity';
import { IdempotencyKeyEntity } from './idempotency/idempotency-key.entity';
import { KeyWorkerHandoverEntity } from './key-workers/key-worker-handover.entity';
import { PersonKeyWorkerEntity } from './key-workers/person-key-worker.entity';
import { LoginThrottleEntity } from './staff/login-throttle.entity';
import { PartnerEntity } from './referrals/partner.entity';
import { ReferralEventEntity } from './referrals/referral-event.entity';
import { ReferralEntity } from './referrals/referral.entity';
import { StaffSessionEntity } from './staff/staff-session.entity';
import { OrganisationKeyEntity } from './keys/organisation-key.entity';
import { LockdownApprovalEntity } from './organisations/lockdown-approval.entity';
import { OrganisationEntity } from './organisations/organisation.entity';
import { PersonIdentityEntity } from './persons/person-identity.entity';
import { PersonIndexEntity } from './persons/person-index.entity';
import { PersonNameLookupEntity } from './persons/person-name-lookup.entity';
import { PersonEntity } from './persons/person.entity';
import { PersonMergeEntity } from './persons/person-merge.entity';
import { PersonErasureEntity } from './persons/person-erasure.entity';
import { ReportPublicationEntity } from './reports/report-publication.entity';
import { RevealDetailEntity } from './persons/reveal-detail.entity';
import { RecoveryCodeEntity } from './staff/recovery-code.entity';
import { StaffChangeRequestEntity } from './staff/staff-change-request.entity';
import { StaffRoleGrantEntity } from './staff/staff-role-grant.entity';
import { StaffUserEntity } from './staff/staff-user.entity';
import { DeviceKeyEpochEntity } from './devices/device-key-epoch.entity';
import { PurgeRunEntity, RetentionPolicyEntity } from './retention/retention-policy.entity';

/** Every TypeORM entity, listed explicitly (no globs, docs/style.md §13). */
export const ENTITIES = [
  OrganisationEntity,
  OrganisationKeyEntity,
  BackgroundJobEntity,
  BackupRunEntity,
  StaffUserEntity,
  RecoveryCodeEntity,
  DeviceKeyEpochEntity,
  StaffSessionEntity,
  LoginThrottleEntity,
  LockdownApprovalEntity,
  AccessEventEntity,
  AuditCheckpointEntity,
  AuditLogStateEntity,
  AccessLogPrunedEntity,
  PersonEntity,
  PersonIdentityEntity,
  PersonIndexEntity,
  PersonNameLookupEntity,
  ContactEntity,
  ContactAmendmentEntity,
  SupportNeedEntity,
  PartnerEntity,
  ReferralEntity,
  ReferralEventEntity,
  ConsentEntity,
  IdempotencyKeyEntity,
  ReportPublicationEntity,
  StaffRoleGrantEntity,
  StaffChangeRequestEntity,
  CanaryEntity,
  RevealDetailEntity,
  FollowUpEntity,
  PersonKeyWorkerEntity,
  KeyWorkerHandoverEntity,
  OutcomeCheckInEntity,
  PersonMergeEntity,
  DisclosureRequestEntity,
  DisclosureRequestPersonEntity,
  DisclosureApprovalEntity,
  DisclosureFileEntity,
  PersonErasureEntity,
  RetentionPolicyEntity,
  PurgeRunEntity,
] as const;
