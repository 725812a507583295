import { Idempotent } from '../../core/idempotency/idempotency.interceptor';
import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import type { ContactDetail, ContactPage, ContactView, NeedView } from '@harbour/domain';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission } from '../../infra/auth/access';
import { CurrentPrincipal } from '../../infra/auth/current-principal';
import type { Principal } from '../../infra/auth/principal';
import { UuidParamPipe } from '../../infra/http/uuid-param.pipe';
import { ContactsService } from './contacts.service';
import {
  ContactQueryDto,
  CreateContactDto,
  CreateNeedDto,
  UpdateNeedDto,
} from './dto/contacts.dto';

/** Contacts (DESIGN.md §11). */
@Controller('api/contacts')
export class ContactsController {
  constructor(private readonly contacts: ContactsService) {}

  @Post()
  @Idempotent()
  @Audit('contact.created', { resourceType: 'contact' })
  @RequirePermission('case:write')
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateContactDto,
  ): Promise<ContactView> {
    return this.contacts.create(principal, body);
  }

  @Get()
  @Audit('contact.listed', { resourceType: 'contact' })
  @RequirePermission('case:read')
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ContactQueryDto,
  ): Promise<ContactPage> {
    return this.contacts.list(principal.organisationId, query);
  }

  @Get(':id')
  @Audit('contact.viewed', { resourceType: 'contact', resourceParam: 'id' })
  @RequirePermission('case:read')
  get(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<ContactDetail> {
    return this.contacts.get(principal.organisationId, id);
  }
}

/** Support needs (DESIGN.md §11). */
@Controller('api/needs')
export class NeedsController {
  constructor(private readonly contacts: ContactsService) {}

  @Post()
  @Idempotent()
  @Audit('need.created', { resourceType: 'support_need' })
  @RequirePermission('case:write')
  create(@CurrentPrincipal() principal: Principal, @Body() body: CreateNeedDto): Promise<NeedView> {
    return this.contacts.createNeed(principal, body);
  }

  @Patch(':id')
  @Audit('need.updated', { resourceType: 'support_need', resourceParam: 'id' })
  @RequirePermission('case:write')
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdateNeedDto,
  ): Promise<NeedView> {
    return this.contacts.updateNeed(principal, id, body);
  }
}
