/**
 * The API's internal entry point, `@harbour/api/internal`, for the benchmarks in `tools/bench`:
 * the application module, the test cluster and harness the medium tests use, and the building
 * blocks a benchmark times or feeds (the access-log writer's and verifier's own functions, the
 * case and report services). Not a public API and not part of the build: the API is an
 * application, and nothing outside the repository may import it. Lint allows this import path
 * to benchmarks only; everything else in `tools/` stands on the libraries.
 */

// The application and its configuration.
export { AppModule } from '../app/app.module';
export { loadConfig } from '../infra/config/config';
export { HARBOUR_CRYPTO } from '../infra/crypto/crypto.module';
export { Db } from '../infra/database/transaction';
export { livePostmasterPid, type EmbeddedPostgres } from '../infra/database/embedded-postgres';
export { createLogger, NestPinoLogger } from '../infra/logging/logger';
export { KeyringService } from '../core/keyring/keyring.service';
export { OrganisationProvisioning } from '../core/organisations/organisation-provisioning';
export {
  actingAs,
  actingPrincipal,
  tenantScope,
  type TenantScope,
} from '../core/scope/request-scope';

// The test cluster and harness (as the medium tests start them).
export { CLUSTER_ENV, startTestCluster } from './medium/cluster';
export { createTestDatabase, type TestDatabase } from './medium/test-database';
export { createTestApp, type TestApp } from './medium/test-app';
export { AuthHarness, type TestBrowser, type TestUser } from './medium/auth-harness';

// The access log: the writer's computations, the verifier's stream and checks.
export type { AccessEventInput } from '../infra/audit/audit-writer';
export { AccessLog, CHECKPOINT_EVERY_EVENTS } from '../app/audit/access-log.service';
export { AuditVerifier, eventBytesConstraintIntact } from '../app/audit/audit-verifier.service';
export { checkpointKeysOf, checkpointMatches } from '../app/audit/checkpoint-check';
export { eventBytes, wellFormedEvent } from '../app/audit/event-format';
export { EventStream, VERIFIER_BATCH } from '../app/audit/event-stream';
export { frontierRoot } from '../app/audit/frontier';
export { headMacOf, sealEvent, signCheckpoint } from '../app/audit/log-sealing';
export { StreamingRoot, VerifierHash } from '../app/audit/verifier-hash';
export { AuditLogQueries } from '../data/audit/audit-log.queries';

// Case records and reports.
export { PersonsService } from '../app/persons/persons.service';
export { PersonIndexer } from '../core/records/person-indexer';
export { PersonAccess } from '../core/records/person-access';
export { namePairsQuery } from '../data/persons/person-lookup.queries';
export { ReportsService } from '../app/reports/reports.service';
export { ReportsRepository } from '../data/reports/reports.repository';

// Keys: rotating the data key (the job's slices, as the job runner runs them).
export { KeyRotation } from '../app/keys/key-rotation.service';
export { BackgroundJobs } from '../core/jobs/background-jobs';
export { KeyLifecycle } from '../core/keyring/key-lifecycle';
export { FieldRotationRepository } from '../data/keys/field-rotation.repository';

// The backup engine (tools/bench/backup).
export { MIGRATIONS } from '@harbour/migrations';
export { runMigrations } from '../infra/database/data-source';
export { userTables } from '../infra/database/backup/catalog';
export {
  appliedMigrations,
  dataSchemaSteps,
  MIGRATIONS_TABLE,
} from '../infra/database/backup/data-schema';
export { restoreBackup } from '../infra/database/backup/restore-backup';
export { writeBackup } from '../infra/database/backup/write-backup';
export { writeKeyringBackup } from '../infra/database/backup/keyring-backups';
export { restorePair } from '../cli/restore-pair';
export { keyringUrlFor } from '@harbour/migrations';
