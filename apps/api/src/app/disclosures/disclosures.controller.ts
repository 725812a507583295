import { Body, Controller, Get, HttpCode, Param, Post, StreamableFile } from '@nestjs/common';
import type {
  DisclosureExportResponse,
  DisclosureRequestView,
  PersonDisclosureView,
} from '@harbour/domain';
import { Scope, type SignedInScope } from '../../core/scope/request-scope';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission, RequireStepUp } from '../../infra/auth/access';
import { ResponseBody } from '../../infra/http/response-body';
import { UuidParamPipe } from '../../infra/http/uuid-param.pipe';
import { DisclosuresService } from './disclosures.service';
import { CreateDisclosureDto, DisclosureStepDto, RefuseDisclosureDto } from './dto/disclosures.dto';
import { Idempotent } from '../../core/idempotency/idempotency.interceptor';

const resource = { resourceType: 'disclosure_request', resourceParam: 'id' } as const;

/**
 * Disclosure requests (issue 18): coordinators record and review them and produce the file;
 * coordinators and admins approve or refuse (step-up). Admins read requests — codes, fields,
 * period, who asks and on what authority — never a person's data.
 */
@Controller('api/disclosures')
export class DisclosuresController {
  constructor(private readonly disclosures: DisclosuresService) {}

  @Post()
  @Idempotent()
  @Audit('disclosure.recorded', { resourceType: 'disclosure_request' })
  @RequirePermission('disclosure:record')
  create(
    @Scope() scope: SignedInScope,
    @Body() body: CreateDisclosureDto,
  ): Promise<DisclosureRequestView> {
    return this.disclosures.create(scope, body);
  }

  @Get()
  @Audit('disclosure.listed', { resourceType: 'disclosure_request' })
  @RequirePermission('disclosure:approve')
  list(@Scope() scope: SignedInScope): Promise<DisclosureRequestView[]> {
    return this.disclosures.list(scope);
  }

  @Get(':id')
  @Audit('disclosure.viewed', resource)
  @RequirePermission('disclosure:approve')
  get(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<DisclosureRequestView> {
    return this.disclosures.get(scope, id);
  }

  @Post(':id/review')
  @Audit('disclosure.reviewed', resource)
  @HttpCode(200)
  @RequirePermission('disclosure:record')
  review(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: DisclosureStepDto,
  ): Promise<DisclosureRequestView> {
    return this.disclosures.review(scope, id, body.version);
  }

  @Post(':id/approve')
  @Audit('disclosure.approved', resource)
  @HttpCode(200)
  @RequirePermission('disclosure:approve')
  @RequireStepUp()
  approve(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: DisclosureStepDto,
  ): Promise<DisclosureRequestView> {
    return this.disclosures.approve(scope, id, body.version);
  }

  @Post(':id/refuse')
  @Audit('disclosure.refused', resource)
  @HttpCode(200)
  @RequirePermission('disclosure:approve')
  @RequireStepUp()
  refuse(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: RefuseDisclosureDto,
  ): Promise<DisclosureRequestView> {
    return this.disclosures.refuse(scope, id, body.version, body.reason);
  }

  @Post(':id/export')
  @Audit('disclosure.exported', resource)
  @HttpCode(200)
  @RequirePermission('disclosure:read')
  @RequireStepUp()
  export(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: DisclosureStepDto,
  ): Promise<DisclosureExportResponse> {
    return this.disclosures.export(scope, id, body.version);
  }

  @Get(':id/file')
  @Audit('disclosure.downloaded', resource)
  @RequirePermission('disclosure:read')
  @ResponseBody({ 'application/zip': 'binary' })
  async file(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<StreamableFile> {
    const file = await this.disclosures.file(scope, id);
    return new StreamableFile(file.content, {
      type: 'application/zip',
      disposition: `attachment; filename="${file.fileName}"`,
      length: file.content.length,
    });
  }

  @Post(':id/close')
  @Audit('disclosure.closed', resource)
  @HttpCode(200)
  @RequirePermission('disclosure:record')
  close(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: DisclosureStepDto,
  ): Promise<DisclosureRequestView> {
    return this.disclosures.close(scope, id, body.version);
  }
}

/** The person page's line: disclosures about this person happened (no content). */
@Controller('api/persons')
export class PersonDisclosuresController {
  constructor(private readonly disclosures: DisclosuresService) {}

  @Get(':id/disclosures')
  @Audit('disclosure.person_listed', { resourceType: 'person', resourceParam: 'id' })
  @RequirePermission('case:read')
  list(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<PersonDisclosureView[]> {
    return this.disclosures.aboutPerson(scope, id);
  }
}
