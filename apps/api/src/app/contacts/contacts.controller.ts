import { Idempotent } from '../../core/idempotency/idempotency.interceptor';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import type { ContactDetail, ContactPage, ContactView, NeedView } from '@harbour/domain';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission } from '../../infra/auth/access';
import { ContactRecords } from '../../core/records/contact-records';
import { Scope, type SignedInScope } from '../../core/scope/request-scope';
import { ReadsKeysFirst } from '../../infra/database/transaction';
import { UuidParamPipe } from '../../infra/http/uuid-param.pipe';
import { ContactsService } from './contacts.service';
import {
  AmendContactDto,
  ContactQueryDto,
  CreateContactDto,
  CreateNeedDto,
  NeedQueryDto,
  UpdateNeedDto,
} from './dto/contacts.dto';

/** Contacts (docs/design.md §11). */
@Controller('api/contacts')
export class ContactsController {
  constructor(
    private readonly contacts: ContactsService,
    private readonly records: ContactRecords,
  ) {}

  @Post()
  @Idempotent()
  @Audit('contact.created', { resourceType: 'contact' })
  @ReadsKeysFirst()
  @RequirePermission('case:write')
  create(@Scope() scope: SignedInScope, @Body() body: CreateContactDto): Promise<ContactView> {
    return this.records.create(scope, body);
  }

  @Get()
  @Audit('contact.listed', { resourceType: 'contact' })
  @RequirePermission('case:read')
  list(@Scope() scope: SignedInScope, @Query() query: ContactQueryDto): Promise<ContactPage> {
    return this.contacts.list(scope, query);
  }

  @Get(':id')
  @Audit('contact.viewed', { resourceType: 'contact', resourceParam: 'id' })
  @RequirePermission('case:read')
  get(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<ContactDetail> {
    return this.contacts.get(scope, id);
  }

  /** A correction appended to the contact (which itself is never rewritten), with a reason. */
  @Post(':id/amendments')
  @HttpCode(201)
  @Idempotent()
  @Audit('contact.amended', { resourceType: 'contact', resourceParam: 'id' })
  @RequirePermission('case:write')
  amend(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: AmendContactDto,
  ): Promise<ContactView> {
    return this.contacts.amend(scope, id, body);
  }
}

/** Support needs (docs/design.md §11). */
@Controller('api/needs')
export class NeedsController {
  constructor(private readonly contacts: ContactsService) {}

  /** A person's needs noted outside a contact (those with a contact come with it). */
  @Get()
  @Audit('need.listed', { resourceType: 'support_need' })
  @RequirePermission('case:read')
  list(@Scope() scope: SignedInScope, @Query() query: NeedQueryDto): Promise<NeedView[]> {
    return this.contacts.personNeeds(scope, query);
  }

  @Post()
  @Idempotent()
  @Audit('need.created', { resourceType: 'support_need' })
  @RequirePermission('case:write')
  create(@Scope() scope: SignedInScope, @Body() body: CreateNeedDto): Promise<NeedView> {
    return this.contacts.createNeed(scope, body);
  }

  @Patch(':id')
  @Audit('need.updated', { resourceType: 'support_need', resourceParam: 'id' })
  @RequirePermission('case:write')
  update(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdateNeedDto,
  ): Promise<NeedView> {
    return this.contacts.updateNeed(scope, id, body);
  }
}
