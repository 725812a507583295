import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { ConsentView } from '@harbour/domain';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission } from '../../infra/auth/access';
import { Scope, type SignedInScope } from '../../core/scope/request-scope';
import { UuidParamPipe } from '../../infra/http/uuid-param.pipe';
import { Idempotent } from '../../core/idempotency/idempotency.interceptor';
import { RecordConsentDto, RevokeConsentDto } from './consents.dto';
import { ConsentsService } from './consents.service';

/** A person's consents (docs/design.md §3): per purpose, revocable, with their history. */
@Controller('api/persons/:id/consents')
export class ConsentsController {
  constructor(private readonly consents: ConsentsService) {}

  @Get()
  @Audit('consent.listed', { resourceType: 'person', resourceParam: 'id' })
  @RequirePermission('case:read')
  list(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<ConsentView[]> {
    return this.consents.list(scope, id);
  }

  @Post()
  @Idempotent()
  @Audit('consent.recorded', { resourceType: 'person', resourceParam: 'id' })
  @RequirePermission('case:write')
  record(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: RecordConsentDto,
  ): Promise<ConsentView> {
    return this.consents.record(scope, id, body);
  }

  @Post(':consentId/revoke')
  @HttpCode(200)
  @Audit('consent.revoked', { resourceType: 'person', resourceParam: 'id' })
  @RequirePermission('case:write')
  revoke(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Param('consentId', UuidParamPipe) consentId: string,
    @Body() body: RevokeConsentDto,
  ): Promise<ConsentView> {
    return this.consents.revoke(scope, id, consentId, body.version);
  }
}
