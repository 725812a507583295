/* eslint-disable @nx/enforce-module-boundaries --
 * The access-log benchmark drives the real API code (AppModule, AccessLog, AuditVerifier, the
 * medium-test cluster helpers), as the medium tests do. The API is an application with no
 * package entry point, so this one file crosses the boundary by relative path and the rest of
 * tools/bench/audit imports from here. */
export {
  CHECKPOINT_EVERY_EVENTS,
  AccessLog,
} from '../../../apps/api/src/app/audit/access-log.service';
export { AuditCheckpointEntity } from '../../../apps/api/src/data/audit/audit-checkpoint.entity';
export {
  AuditVerifier,
  ed25519PublicKey,
  eventBytesConstraintIntact,
} from '../../../apps/api/src/app/audit/audit-verifier.service';
export { EventStream, VERIFIER_BATCH } from '../../../apps/api/src/app/audit/event-stream';
export { StreamingRoot, VerifierHash } from '../../../apps/api/src/app/audit/verifier-hash';
export {
  eventBytes,
  logOrigin,
  macInput,
  wellFormedEvent,
} from '../../../apps/api/src/app/audit/event-format';
export { appendToFrontier, frontierRoot } from '../../../apps/api/src/app/audit/frontier';
export { AppModule } from '../../../apps/api/src/app/app.module';
export { KeyringService } from '../../../apps/api/src/core/keyring/keyring.service';
export { AuditLogQueries } from '../../../apps/api/src/data/audit/audit-log.queries';
export { OrganisationProvisioning } from '../../../apps/api/src/core/organisations/organisation-provisioning';
export {
  actingAs,
  actingPrincipal,
  tenantScope,
  type TenantScope,
} from '../../../apps/api/src/core/scope/request-scope';
export { PersonsService } from '../../../apps/api/src/app/persons/persons.service';
export { ReportsService } from '../../../apps/api/src/app/reports/reports.service';
export { ReportsRepository } from '../../../apps/api/src/data/reports/reports.repository';
export { createTestApp, type TestApp } from '../../../apps/api/src/test/medium/test-app';
export { AuthHarness } from '../../../apps/api/src/test/medium/auth-harness';
export type { AccessEventInput } from '../../../apps/api/src/infra/audit/audit-writer';
export { loadConfig } from '../../../apps/api/src/infra/config/config';
export { HARBOUR_CRYPTO } from '../../../apps/api/src/infra/crypto/crypto.module';
export type { EmbeddedPostgres } from '../../../apps/api/src/infra/database/embedded-postgres';
export { Db } from '../../../apps/api/src/infra/database/transaction';
export { createLogger, NestPinoLogger } from '../../../apps/api/src/infra/logging/logger';
export { CLUSTER_ENV, startTestCluster } from '../../../apps/api/src/test/medium/cluster';
export {
  createTestDatabase,
  type TestDatabase,
} from '../../../apps/api/src/test/medium/test-database';
