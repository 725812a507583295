import {
  Body,
  Controller,
  Get,
  Header,
  HttpCode,
  Post,
  Query,
  StreamableFile,
} from '@nestjs/common';
import type {
  AccessEventPage,
  AuditAnomaly,
  AuditVerification,
  CheckpointView,
  ConsistencyProofView,
  InclusionProofView,
} from '@harbour/domain';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission, RequireStepUp } from '../../infra/auth/access';
import { CurrentPrincipal } from '../../infra/auth/current-principal';
import type { Principal } from '../../infra/auth/principal';
import { AuditQueries } from './audit-queries.service';
import { AuditVerifier } from './audit-verifier.service';
import {
  AccessEventQueryDto,
  ConsistencyQueryDto,
  InclusionQueryDto,
  ReviewAnomalyDto,
} from './dto/audit-query.dto';

/** The auditor's view of the access log (docs/design.md §7). Every call is itself logged. */
@Controller('api/audit')
export class AuditController {
  constructor(
    private readonly queries: AuditQueries,
    private readonly verifier: AuditVerifier,
  ) {}

  @Get('events')
  @RequirePermission('audit:read')
  @Audit('audit.events_viewed', { resourceType: 'access_event' })
  events(@Query() query: AccessEventQueryDto): Promise<AccessEventPage> {
    return this.queries.events(query);
  }

  /** CSV of the filtered log: an export, so step-up is required (T7). */
  @Get('export')
  @RequirePermission('audit:export')
  @RequireStepUp()
  @Audit('audit.events_exported', { resourceType: 'access_event' })
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="harbour-access-log.csv"')
  async export(@Query() query: AccessEventQueryDto): Promise<StreamableFile> {
    return new StreamableFile(Buffer.from(await this.queries.csv(query), 'utf8'));
  }

  @Get('verify')
  @RequirePermission('audit:read')
  @Audit('audit.verified', { resourceType: 'access_log' })
  verify(@CurrentPrincipal() principal: Principal): Promise<AuditVerification> {
    return this.verifier.verify(principal.organisationId);
  }

  @Get('checkpoints')
  @RequirePermission('audit:read')
  @Audit('audit.checkpoints_viewed', { resourceType: 'checkpoint' })
  checkpoints(@CurrentPrincipal() principal: Principal): Promise<CheckpointView[]> {
    return this.verifier.checkpoints(principal.organisationId);
  }

  @Get('checkpoints/latest')
  @RequirePermission('audit:read')
  @Audit('audit.checkpoints_viewed', { resourceType: 'checkpoint' })
  latest(@CurrentPrincipal() principal: Principal): Promise<CheckpointView> {
    return this.verifier.latestCheckpoint(principal.organisationId);
  }

  @Get('proofs/inclusion')
  @RequirePermission('audit:read')
  @Audit('audit.proof_viewed', { resourceType: 'checkpoint' })
  inclusion(@Query() query: InclusionQueryDto): Promise<InclusionProofView> {
    return this.verifier.inclusion(query.seq, query.treeSize);
  }

  @Get('proofs/consistency')
  @RequirePermission('audit:read')
  @Audit('audit.proof_viewed', { resourceType: 'checkpoint' })
  consistency(@Query() query: ConsistencyQueryDto): Promise<ConsistencyProofView> {
    return this.verifier.consistency(query.from, query.to);
  }

  @Get('anomalies')
  @RequirePermission('audit:read')
  @Audit('audit.anomalies_viewed', { resourceType: 'access_event' })
  anomalies(): Promise<AuditAnomaly[]> {
    return this.queries.anomalies();
  }

  /** Marks a flag reviewed; this call's access event is the review. */
  @Post('anomalies/review')
  @HttpCode(204)
  @RequirePermission('audit:read')
  @Audit('audit.anomaly_reviewed', { resourceType: 'anomaly' })
  review(@Body() body: ReviewAnomalyDto): Promise<void> {
    return this.queries.review(body.id);
  }
}
