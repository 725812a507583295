import { Global, Module } from '@nestjs/common';
import { AUDIT_WRITER, type AuditWriter } from '../../infra/audit/audit-writer';
import { timingAppends } from '../../infra/metrics/instrument';
import { Metrics } from '../../infra/metrics/metrics';
import { ACCESS_LOG_PRUNING } from '../../infra/audit/access-log-pruning';
import { CanaryRegistryModule } from '../../core/canaries/canary-registry.module';
import { KeyringModule } from '../../core/keyring/keyring.module';
import { AccessLog } from './access-log.service';
import { AccessLogPruner } from './access-log-pruner';
import { AuditCheckpointTask } from './audit-checkpoint.task';
import { AuditController } from './audit.controller';
import { AuditQueries } from './audit-queries.service';
import { AuditProofs } from './audit-proofs.service';
import { AuditDataModule } from '../../data/audit/audit-data.module';
import { AuditVerifier } from './audit-verifier.service';
import { AuditWitness } from './audit-witness.service';

/** The access log: writer (global, every feature logs through it), verifier and auditor routes. */
@Global()
@Module({
  imports: [KeyringModule, CanaryRegistryModule, AuditDataModule],
  controllers: [AuditController],
  providers: [
    AccessLog,
    AuditCheckpointTask,
    AuditWitness,
    AuditQueries,
    AuditVerifier,
    AuditProofs,
    AccessLogPruner,
    {
      provide: AUDIT_WRITER,
      inject: [AccessLog, { token: Metrics, optional: true }],
      useFactory: (log: AccessLog, metrics: Metrics | undefined): AuditWriter =>
        metrics === undefined ? log : timingAppends(log, metrics),
    },
    { provide: ACCESS_LOG_PRUNING, useExisting: AccessLogPruner },
  ],
  exports: [
    AUDIT_WRITER,
    ACCESS_LOG_PRUNING,
    AccessLog,
    AuditVerifier,
    AuditWitness,
    AccessLogPruner,
    AuditDataModule,
  ],
})
export class AuditModule {}
