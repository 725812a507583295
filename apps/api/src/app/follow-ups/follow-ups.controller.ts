import { Body, Controller, Get, Param, Patch, Post, Query } from '@nestjs/common';
import type { AssigneeView, DayCounts, DayView, FollowUpView } from '@harbour/domain';
import { Idempotent } from '../../core/idempotency/idempotency.interceptor';
import { Scope, type SignedInScope } from '../../core/scope/request-scope';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission } from '../../infra/auth/access';
import { UuidParamPipe } from '../../infra/http/uuid-param.pipe';
import {
  CreateFollowUpDto,
  DayQueryDto,
  FollowUpQueryDto,
  UpdateFollowUpDto,
} from './dto/follow-ups.dto';
import { FollowUpsService } from './follow-ups.service';

/** Follow-ups: dated tasks on a person, need or referral (issue 17). */
@Controller('api/follow-ups')
export class FollowUpsController {
  constructor(private readonly followUps: FollowUpsService) {}

  @Post()
  @Idempotent()
  @Audit('follow_up.created', { resourceType: 'follow_up' })
  @RequirePermission('case:write')
  create(@Scope() scope: SignedInScope, @Body() body: CreateFollowUpDto): Promise<FollowUpView> {
    return this.followUps.create(scope, body);
  }

  @Get()
  @Audit('follow_up.listed', { resourceType: 'follow_up' })
  @RequirePermission('case:read')
  list(@Scope() scope: SignedInScope, @Query() query: FollowUpQueryDto): Promise<FollowUpView[]> {
    return this.followUps.list(scope, query);
  }

  @Get('assignees')
  @Audit('follow_up.assignees_listed', { resourceType: 'staff_user' })
  @RequirePermission('case:read')
  assignees(@Scope() scope: SignedInScope): Promise<AssigneeView[]> {
    return this.followUps.assignees(scope);
  }

  @Patch(':id')
  @Audit('follow_up.updated', { resourceType: 'follow_up', resourceParam: 'id' })
  @RequirePermission('case:write')
  update(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdateFollowUpDto,
  ): Promise<FollowUpView> {
    return this.followUps.update(scope, id, body);
  }
}

/** The signed-in caseworker's day: what is due, what has gone quiet, who they saw. */
@Controller('api/me/day')
export class DayController {
  constructor(private readonly followUps: FollowUpsService) {}

  @Get()
  @Audit('day.viewed', { resourceType: 'follow_up' })
  @RequirePermission('case:read')
  day(@Scope() scope: SignedInScope, @Query() query: DayQueryDto): Promise<DayView> {
    return this.followUps.day(scope, query.today);
  }

  @Get('counts')
  @Audit('day.counted', { resourceType: 'follow_up' })
  @RequirePermission('case:read')
  counts(@Scope() scope: SignedInScope, @Query() query: DayQueryDto): Promise<DayCounts> {
    return this.followUps.counts(scope, query.today);
  }
}
