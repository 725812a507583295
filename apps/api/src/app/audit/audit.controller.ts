import {
  Body,
  Controller,
  Get,
  Header,
  Headers,
  HttpCode,
  Post,
  Query,
  Res,
  StreamableFile,
} from '@nestjs/common';
import { requestLanguage } from '@harbour/domain';
import type { Response } from 'express';
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
import { ResponseBody } from '../../infra/http/response-body';
import { AuditQueries } from './audit-queries.service';
import { AuditProofs } from './audit-proofs.service';
import { AuditVerifier } from './audit-verifier.service';
import { Scope, type SignedInScope } from '../../core/scope/request-scope';
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
    private readonly proofs: AuditProofs,
  ) {}

  @Get('events')
  @RequirePermission('audit:read')
  @Audit('audit.events_viewed', { resourceType: 'access_event' })
  events(
    @Scope() scope: SignedInScope,
    @Query() query: AccessEventQueryDto,
  ): Promise<AccessEventPage> {
    return this.queries.events(scope, query);
  }

  /**
   * CSV of the filtered log: an export, so step-up is required (T7). In the auditor's language:
   * the account's, else the browser's `Accept-Language`, else English.
   */
  @Get('export')
  @RequirePermission('audit:export')
  @RequireStepUp()
  @Audit('audit.events_exported', { resourceType: 'access_event' })
  @Header('Content-Type', 'text/csv; charset=utf-8')
  @Header('Content-Disposition', 'attachment; filename="harbour-access-log.csv"')
  @ResponseBody({ 'text/csv': 'text' })
  async export(
    @Scope() scope: SignedInScope,
    @Query() query: AccessEventQueryDto,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res({ passthrough: true }) res: Response,
  ): Promise<StreamableFile> {
    const language = requestLanguage(scope.principal.language, acceptLanguage);
    res.setHeader('Content-Language', language);
    return new StreamableFile(Buffer.from(await this.queries.csv(scope, query, language), 'utf8'));
  }

  @Get('verify')
  @RequirePermission('audit:read')
  @Audit('audit.verified', { resourceType: 'access_log' })
  verify(@Scope() scope: SignedInScope): Promise<AuditVerification> {
    return this.verifier.verify(scope.organisationId, { tx: scope.tx });
  }

  @Get('checkpoints')
  @RequirePermission('audit:read')
  @Audit('audit.checkpoints_viewed', { resourceType: 'checkpoint' })
  checkpoints(@Scope() scope: SignedInScope): Promise<CheckpointView[]> {
    return this.proofs.checkpoints(scope);
  }

  @Get('checkpoints/latest')
  @RequirePermission('audit:read')
  @Audit('audit.checkpoints_viewed', { resourceType: 'checkpoint' })
  latest(@Scope() scope: SignedInScope): Promise<CheckpointView> {
    return this.proofs.latestCheckpoint(scope);
  }

  @Get('proofs/inclusion')
  @RequirePermission('audit:read')
  @Audit('audit.proof_viewed', { resourceType: 'checkpoint' })
  inclusion(
    @Scope() scope: SignedInScope,
    @Query() query: InclusionQueryDto,
  ): Promise<InclusionProofView> {
    return this.proofs.inclusion(scope, query.seq, query.treeSize);
  }

  @Get('proofs/consistency')
  @RequirePermission('audit:read')
  @Audit('audit.proof_viewed', { resourceType: 'checkpoint' })
  consistency(
    @Scope() scope: SignedInScope,
    @Query() query: ConsistencyQueryDto,
  ): Promise<ConsistencyProofView> {
    return this.proofs.consistency(scope, query.from, query.to);
  }

  @Get('anomalies')
  @RequirePermission('audit:read')
  @Audit('audit.anomalies_viewed', { resourceType: 'access_event' })
  anomalies(@Scope() scope: SignedInScope): Promise<AuditAnomaly[]> {
    return this.queries.anomalies(scope);
  }

  /** Marks a flag reviewed; this call's access event is the review. */
  @Post('anomalies/review')
  @HttpCode(204)
  @RequirePermission('audit:read')
  @Audit('audit.anomaly_reviewed', { resourceType: 'anomaly' })
  review(@Scope() scope: SignedInScope, @Body() body: ReviewAnomalyDto): Promise<void> {
    return this.queries.review(scope, body.id);
  }
}
