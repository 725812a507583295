import { Idempotent } from '../../core/idempotency/idempotency.interceptor';
import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import type { ErasureReceipt, LookupCandidate, PersonView, RevealResponse } from '@harbour/domain';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission, RequireStepUp } from '../../infra/auth/access';
import { CurrentPrincipal } from '../../infra/auth/current-principal';
import type { Principal } from '../../infra/auth/principal';
import { UuidParamPipe } from '../../infra/http/uuid-param.pipe';
import {
  CreatePersonDto,
  ErasePersonDto,
  LookupDto,
  RevealDto,
  UpdatePersonDto,
} from './dto/persons.dto';
import { PersonsService } from './persons.service';

/** People (DESIGN.md §11). Identity values only ever travel in bodies. */
@Controller('api/persons')
export class PersonsController {
  constructor(private readonly persons: PersonsService) {}

  @Post()
  @Idempotent()
  @Audit('person.created', { resourceType: 'person' })
  @RequirePermission('case:write')
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreatePersonDto,
  ): Promise<PersonView> {
    return this.persons.create(principal, body);
  }

  /** A lookup reads identity (to confirm candidates): same permission as a reveal. */
  @Post('lookup')
  @HttpCode(200)
  @Audit('person.looked_up', { resourceType: 'person' })
  @RequirePermission('identity:reveal')
  lookup(
    @CurrentPrincipal() principal: Principal,
    @Body() body: LookupDto,
  ): Promise<LookupCandidate[]> {
    return this.persons.lookup(principal.organisationId, body);
  }

  @Get(':id')
  @Audit('person.viewed', { resourceType: 'person', resourceParam: 'id' })
  @RequirePermission('case:read')
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<PersonView> {
    return this.persons.get(principal.organisationId, id);
  }

  @Patch(':id')
  @Audit('person.updated', { resourceType: 'person', resourceParam: 'id' })
  @RequirePermission('case:write')
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdatePersonDto,
  ): Promise<PersonView> {
    return this.persons.update(principal, id, body);
  }

  @Post(':id/reveal')
  @HttpCode(200)
  @Audit('person.identity_revealed', { resourceType: 'person', resourceParam: 'id' })
  @RequirePermission('identity:reveal')
  reveal(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: RevealDto,
  ): Promise<RevealResponse> {
    return this.persons.reveal(principal, id, body);
  }

  /**
   * Erasure at the person's request: irreversible (their keys are destroyed), so a coordinator
   * with a fresh step-up; the receipt holds no identity.
   */
  @Post(':id/erase')
  @HttpCode(200)
  @Audit('person.erased', { resourceType: 'person', resourceParam: 'id' })
  @RequirePermission('case:erase')
  @RequireStepUp()
  erase(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: ErasePersonDto,
  ): Promise<ErasureReceipt> {
    return this.persons.erase(principal, id, body.version);
  }
}
