import { Idempotent } from '../../core/idempotency/idempotency.interceptor';
import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import type {
  ErasureReceipt,
  LookupCandidate,
  MergeReceipt,
  PersonView,
  RevealResponse,
} from '@harbour/domain';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission, RequireStepUp } from '../../infra/auth/access';
import { PersonMerges } from '../../core/records/person-merge';
import { PersonRecords } from '../../core/records/person-records';
import { Scope, type SignedInScope } from '../../core/scope/request-scope';
import { ReadsKeysFirst } from '../../infra/database/transaction';
import { UuidParamPipe } from '../../infra/http/uuid-param.pipe';
import {
  CreatePersonDto,
  ErasePersonDto,
  LookupDto,
  MergePersonsDto,
  RevealDto,
  UpdatePersonDto,
} from './dto/persons.dto';
import { PersonsService } from './persons.service';

/** People (docs/design.md §11). Identity values only ever travel in bodies. */
@Controller('api/persons')
export class PersonsController {
  constructor(
    private readonly persons: PersonsService,
    private readonly records: PersonRecords,
    private readonly merges: PersonMerges,
  ) {}

  /** With `checkDuplicates`: 409 `possible_duplicate` (audited as `person.duplicate_warned`). */
  @Post()
  @Idempotent()
  @Audit('person.created', { resourceType: 'person' })
  @ReadsKeysFirst()
  @RequirePermission('case:write')
  create(@Scope() scope: SignedInScope, @Body() body: CreatePersonDto): Promise<PersonView> {
    return this.persons.create(scope, body);
  }

  /** A lookup reads identity (to confirm candidates): same permission as a reveal. */
  @Post('lookup')
  @HttpCode(200)
  @Audit('person.looked_up', { resourceType: 'person' })
  @ReadsKeysFirst()
  @RequirePermission('identity:reveal')
  lookup(@Scope() scope: SignedInScope, @Body() body: LookupDto): Promise<LookupCandidate[]> {
    return this.persons.lookup(scope, body);
  }

  @Get(':id')
  @Audit('person.viewed', { resourceType: 'person', resourceParam: 'id' })
  @RequirePermission('case:read')
  get(@Scope() scope: SignedInScope, @Param('id', UuidParamPipe) id: string): Promise<PersonView> {
    return this.persons.get(scope, id);
  }

  @Patch(':id')
  @Audit('person.updated', { resourceType: 'person', resourceParam: 'id' })
  @RequirePermission('case:write')
  update(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdatePersonDto,
  ): Promise<PersonView> {
    return this.records.update(scope, id, body);
  }

  @Post(':id/reveal')
  @HttpCode(200)
  @Audit('person.identity_revealed', { resourceType: 'person', resourceParam: 'id' })
  @RequirePermission('identity:reveal')
  reveal(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: RevealDto,
  ): Promise<RevealResponse> {
    return this.persons.reveal(scope, id, body);
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
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: ErasePersonDto,
  ): Promise<ErasureReceipt> {
    return this.records.erase(scope, id, body.version);
  }

  /**
   * Merges a duplicate record into this one: irreversible (the absorbed person's key is
   * destroyed after everything is re-encrypted under the survivor's), so a coordinator with a
   * fresh step-up, like erasure. One access event names both codes.
   */
  @Post(':id/merge')
  @HttpCode(200)
  @Audit('person.merged', { resourceType: 'person', resourceParam: 'id' })
  @RequirePermission('case:erase')
  @RequireStepUp()
  merge(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: MergePersonsDto,
  ): Promise<MergeReceipt> {
    return this.merges.merge(scope, id, body);
  }
}
