import { CreateOrganisation1795388502610 } from './1795388502610-CreateOrganisation';
import { CreateStaffAndSessions1795393034032 } from './1795393034032-CreateStaffAndSessions';
import { CreateAccessLog1795396089927 } from './1795396089927-CreateAccessLog';
import { AccessEventBytes1795430000000 } from './1795430000000-AccessEventBytes';
import { CreatePersons1795440000000 } from './1795440000000-CreatePersons';
import { CreateContacts1795450000000 } from './1795450000000-CreateContacts';
import { CreateReferrals1795460000000 } from './1795460000000-CreateReferrals';
import { CreateIdempotencyKeys1795470000000 } from './1795470000000-CreateIdempotencyKeys';
import { IndexPersonKeys1795480000000 } from './1795480000000-IndexPersonKeys';
import { CreateConsents1795500000000 } from './1795500000000-CreateConsents';
import { PersonErasure1795510000000 } from './1795510000000-PersonErasure';
import { PersonNamePairs1795520000000 } from './1795520000000-PersonNamePairs';
import { SessionResume1795530000000 } from './1795530000000-SessionResume';
import { OrganisationReportK1795540000000 } from './1795540000000-OrganisationReportK';
import { LockdownEnforcement1795551000000 } from './1795551000000-LockdownEnforcement';
import { CreateStaffChangeRequests1795552000000 } from './1795552000000-CreateStaffChangeRequests';
import { CloseSideDoors1795556000000 } from './1795556000000-CloseSideDoors';
import { AuthenticateAuditHead1795563000000 } from './1795563000000-AuthenticateAuditHead';
import { CreateCanaries1795566000000 } from './1795566000000-CreateCanaries';
import { KeyRotationAndJobs1795700000000 } from './1795700000000-KeyRotationAndJobs';
import { KekRotation1795710000000 } from './1795710000000-KekRotation';
import { KeyringStore1795730000000 } from './1795730000000-KeyringStore';
import { CreateOutcomeCheckIns1795745000000 } from './1795745000000-CreateOutcomeCheckIns';
import { CreateRetentionPolicies1795750000000 } from './1795750000000-CreateRetentionPolicies';
import { PrunableAccessLog1795751000000 } from './1795751000000-PrunableAccessLog';
import { CreateDisclosureRequests1795752000000 } from './1795752000000-CreateDisclosureRequests';
import { CreatePersonErasures1795753000000 } from './1795753000000-CreatePersonErasures';
import { StaffLocale1795765000000 } from './1795765000000-StaffLocale';
import { CountLockdowns1795774000000 } from './1795774000000-CountLockdowns';
import { AuditExpectAppended1795776000000 } from './1795776000000-AuditExpectAppended';
import { ErasureCountsFollowUps1795778000000 } from './1795778000000-ErasureCountsFollowUps';
import { PersonNameLookup1795780000000 } from './1795780000000-PersonNameLookup';
import { PersonNameLookupKeyWorkers1795782000000 } from './1795782000000-PersonNameLookupKeyWorkers';
import { PersonMerges1795743000000 } from './1795743000000-PersonMerges';
import { PhoneticNameIndex1795744000000 } from './1795744000000-PhoneticNameIndex';
import { CreateReportPublications1795600000000 } from './1795600000000-CreateReportPublications';
import { BackupRuns1795720000000 } from './1795720000000-BackupRuns';
import { CreateContactAmendments1795742000000 } from './1795742000000-CreateContactAmendments';
import { CreateFollowUps1795740000000 } from './1795740000000-CreateFollowUps';
import { CreateKeyWorkers1795741000000 } from './1795741000000-CreateKeyWorkers';
import { CreateDeviceKeyEpochs1795760002000 } from './1795760002000-CreateDeviceKeyEpochs';

/**
 * Every migration, oldest first. A migration is generated, reviewed, added here, and never
 * edited after it lands; a unit test checks this list against the folder.
 */
export const MIGRATIONS = [
  CreateOrganisation1795388502610,
  CreateStaffAndSessions1795393034032,
  CreateAccessLog1795396089927,
  AccessEventBytes1795430000000,
  CreatePersons1795440000000,
  CreateContacts1795450000000,
  CreateReferrals1795460000000,
  CreateIdempotencyKeys1795470000000,
  IndexPersonKeys1795480000000,
  CreateConsents1795500000000,
  PersonErasure1795510000000,
  PersonNamePairs1795520000000,
  SessionResume1795530000000,
  OrganisationReportK1795540000000,
  LockdownEnforcement1795551000000,
  CreateStaffChangeRequests1795552000000,
  CloseSideDoors1795556000000,
  AuthenticateAuditHead1795563000000,
  CreateCanaries1795566000000,
  CreateReportPublications1795600000000,
  KeyRotationAndJobs1795700000000,
  KekRotation1795710000000,
  BackupRuns1795720000000,
  KeyringStore1795730000000,
  CreateFollowUps1795740000000,
  CreateKeyWorkers1795741000000,
  CreateContactAmendments1795742000000,
  PersonMerges1795743000000,
  PhoneticNameIndex1795744000000,
  CreateOutcomeCheckIns1795745000000,
  CreateRetentionPolicies1795750000000,
  PrunableAccessLog1795751000000,
  CreateDisclosureRequests1795752000000,
  CreatePersonErasures1795753000000,
  CreateDeviceKeyEpochs1795760002000,
  StaffLocale1795765000000,
  CountLockdowns1795774000000,
  AuditExpectAppended1795776000000,
  ErasureCountsFollowUps1795778000000,
  PersonNameLookup1795780000000,
  PersonNameLookupKeyWorkers1795782000000,
] as const;

export { AuthenticateAuditHead1795563000000 } from './1795563000000-AuthenticateAuditHead';
export {
  ACCESS_EVENT_BYTES_CHECK,
  ACCESS_EVENT_MATCHES_BODY,
  LEGACY_EVENT_BYTES_SQL,
} from './1795430000000-AccessEventBytes';
export { JOB_QUEUES } from './1795700000000-KeyRotationAndJobs';
export { ROTATABLE_FIELDS } from './1795752000000-CreateDisclosureRequests';
export {
  ensureKeyringSchema,
  KEYRING_SCHEMA,
  KEYRING_SCHEMA_VERSION,
  keyringUrlFor,
} from './keyring/keyring-schema';
export { AUDIT_HEAD_MOVED_SQLSTATE } from './1795776000000-AuditExpectAppended';
export { ACCESS_LOG_MIN_AGE } from './1795751000000-PrunableAccessLog';
