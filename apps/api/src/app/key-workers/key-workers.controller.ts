import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import type {
  CaseStaffView,
  HandOverReceipt,
  KeyWorkerPeoplePage,
  PersonKeyWorkers,
  PersonView,
} from '@harbour/domain';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission } from '../../infra/auth/access';
import { Scope, type SignedInScope } from '../../core/scope/request-scope';
import { UuidParamPipe } from '../../infra/http/uuid-param.pipe';
import {
  AssignKeyWorkerDto,
  HandOverDto,
  KeyWorkerPeopleQueryDto,
  SetRestrictionDto,
} from './dto/key-workers.dto';
import { KeyWorkersService } from './key-workers.service';

/**
 * A person's key workers and restriction. Adding yourself (to a person who is not restricted)
 * and stepping down are case work; naming anyone else is checked in the service
 * (coordinators only), and so is any change about a restricted person.
 */
@Controller('api/persons')
export class PersonKeyWorkersController {
  constructor(private readonly keyWorkers: KeyWorkersService) {}

  @Get(':id/key-workers')
  @Audit('key_worker.listed', { resourceType: 'person', resourceParam: 'id' })
  @RequirePermission('case:read')
  list(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<PersonKeyWorkers> {
    return this.keyWorkers.ofPerson(scope, id);
  }

  @Post(':id/key-workers')
  @HttpCode(200)
  @Audit('key_worker.assigned', { resourceType: 'person', resourceParam: 'id' })
  @RequirePermission('case:write')
  assign(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: AssignKeyWorkerDto,
  ): Promise<PersonKeyWorkers> {
    return this.keyWorkers.assign(scope, id, body.staffId);
  }

  @Post(':id/key-workers/remove')
  @HttpCode(200)
  @Audit('key_worker.removed', { resourceType: 'person', resourceParam: 'id' })
  @RequirePermission('case:write')
  remove(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: AssignKeyWorkerDto,
  ): Promise<PersonKeyWorkers> {
    return this.keyWorkers.remove(scope, id, body.staffId);
  }

  /** Restricting a person (or lifting it): coordinators, with the person's `version`. */
  @Post(':id/restriction')
  @HttpCode(200)
  @Audit('person.restriction_changed', { resourceType: 'person', resourceParam: 'id' })
  @RequirePermission('case:erase')
  restrict(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: SetRestrictionDto,
  ): Promise<PersonView> {
    return this.keyWorkers.setRestriction(scope, id, body);
  }
}

/** "My people", a worker's people (coordinators) and hand-overs. */
@Controller('api/key-workers')
export class KeyWorkersController {
  constructor(private readonly keyWorkers: KeyWorkersService) {}

  /** The people whose key worker the caller is: codes and categories, never identity. */
  @Get('mine')
  @Audit('key_worker.people_listed', { resourceType: 'person' })
  @RequirePermission('case:read')
  mine(
    @Scope() scope: SignedInScope,
    @Query() query: KeyWorkerPeopleQueryDto,
  ): Promise<KeyWorkerPeoplePage> {
    return this.keyWorkers.peopleOf(scope, scope.principal.userId, query);
  }

  /** Caseworkers and coordinators by name (active ones can be key workers). */
  @Get('staff')
  @Audit('staff.case_workers_listed', { resourceType: 'staff_user' })
  @RequirePermission('case:read')
  staff(@Scope() scope: SignedInScope): Promise<CaseStaffView[]> {
    return this.keyWorkers.caseStaff(scope);
  }

  /** One worker's people, for a coordinator choosing whom to hand over. */
  @Get(':id/people')
  @Audit('key_worker.people_listed', { resourceType: 'staff_user', resourceParam: 'id' })
  @RequirePermission('case:erase')
  people(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Query() query: KeyWorkerPeopleQueryDto,
  ): Promise<KeyWorkerPeoplePage> {
    return this.keyWorkers.peopleOf(scope, id, query);
  }

  /** A key worker hands their own people on; coordinators anyone's (checked in the service). */
  @Post('hand-over')
  @HttpCode(200)
  @Audit('key_worker.handed_over', { resourceType: 'person' })
  @RequirePermission('case:write')
  handOver(@Scope() scope: SignedInScope, @Body() body: HandOverDto): Promise<HandOverReceipt> {
    return this.keyWorkers.handOver(scope, body);
  }
}
