import { Module } from '@nestjs/common';
import { AccessLogPrunedQueries } from './access-log-pruned.queries';
import { AccessLogRepository } from './access-log.repository';
import { AuditLogQueries } from './audit-log.queries';
import { AuditReadQueries } from './audit-read.queries';

/**
 * The access log's data access (docs/design.md §7): the writer's head, events and checkpoints
 * (`AccessLogRepository`), what the verifier, proofs, checkpoint task and witness read
 * (`AuditLogQueries`), and the auditor's pages and anomaly flags (`AuditReadQueries`).
 */
@Module({
  providers: [AccessLogRepository, AuditLogQueries, AuditReadQueries, AccessLogPrunedQueries],
  exports: [AccessLogRepository, AuditLogQueries, AuditReadQueries, AccessLogPrunedQueries],
})
export class AuditDataModule {}
