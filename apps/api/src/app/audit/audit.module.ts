import { Global, Module } from '@nestjs/common';
import { AUDIT_WRITER } from '../../infra/audit/audit-writer';
import { CanaryRegistryModule } from '../../core/canaries/canary-registry.module';
import { KeyringModule } from '../../core/keyring/keyring.module';
import { AccessLog } from './access-log.service';
import { AuditCheckpointTask } from './audit-checkpoint.task';
import { AuditController } from './audit.controller';
import { AuditQueries } from './audit-queries.service';
import { AuditProofs } from './audit-proofs.service';
import { AccessLogRepository } from '../../data/audit/access-log.repository';
import { AuditLogQueries } from '../../data/audit/audit-log.queries';
import { AuditReadQueries } from '../../data/audit/audit-read.queries';
import { AuditVerifier } from './audit-verifier.service';
import { AuditWitness } from './audit-witness.service';

/** The access log: writer (global, every feature logs through it), verifier and auditor routes. */
@Global()
@Module({
  imports: [KeyringModule, CanaryRegistryModule],
  controllers: [AuditController],
  providers: [
    AccessLog,
    AuditCheckpointTask,
    AuditWitness,
    AuditQueries,
    AuditVerifier,
    AuditProofs,
    AuditLogQueries,
    AccessLogRepository,
    AuditReadQueries,
    { provide: AUDIT_WRITER, useExisting: AccessLog },
  ],
  exports: [AUDIT_WRITER, AccessLog, AuditVerifier, AuditWitness, AuditLogQueries],
})
export class AuditModule {}
