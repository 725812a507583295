import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { ConsentView } from '@harbour/domain';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission } from '../../infra/auth/access';
import { CurrentPrincipal } from '../../infra/auth/current-principal';
import type { Principal } from '../../infra/auth/principal';
import { UuidParamPipe } from '../../infra/http/uuid-param.pipe';
import { Idempotent } from '../../core/idempotency/idempotency.interceptor';
import { RecordConsentDto, RevokeConsentDto } from './consents.dto';
import { ConsentsService } from './consents.service';

/** A person's consents (DESIGN.md §3): per purpose, revocable, with their history. */
@Controller('api/persons/:id/consents')
export class ConsentsController {
  constructor(private readonly consents: ConsentsService) {}

  @Get()
  @Audit('consent.listed', { resourceType: 'person', resourceParam: 'id' })
  @RequirePermission('case:read')
  list(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<ConsentView[]> {
    return this.consents.list(principal.organisationId, id);
  }

  @Post()
  @Idempotent()
  @Audit('consent.recorded', { resourceType: 'person', resourceParam: 'id' })
  @RequirePermission('case:write')
  record(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: RecordConsentDto,
  ): Promise<ConsentView> {
    return this.consents.record(principal, id, body);
  }

  @Post(':consentId/revoke')
  @HttpCode(200)
  @Audit('consent.revoked', { resourceType: 'person', resourceParam: 'id' })
  @RequirePermission('case:write')
  revoke(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Param('consentId', UuidParamPipe) consentId: string,
    @Body() body: RevokeConsentDto,
  ): Promise<ConsentView> {
    return this.consents.revoke(principal, id, consentId, body.version);
  }
}
