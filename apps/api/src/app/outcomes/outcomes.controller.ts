import { Body, Controller, Get, Param, Post } from '@nestjs/common';
import type { CheckInView } from '@harbour/domain';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission } from '../../infra/auth/access';
import { Scope, type SignedInScope } from '../../core/scope/request-scope';
import { UuidParamPipe } from '../../infra/http/uuid-param.pipe';
import { Idempotent } from '../../core/idempotency/idempotency.interceptor';
import { RecordCheckInDto } from './outcomes.dto';
import { OutcomesService } from './outcomes.service';

/** A person's outcome check-ins (docs/design.md §3): recorded with the person, read back. */
@Controller('api/persons/:id/check-ins')
export class OutcomesController {
  constructor(private readonly outcomes: OutcomesService) {}

  @Get()
  @Audit('outcome.listed', { resourceType: 'person', resourceParam: 'id' })
  @RequirePermission('case:read')
  list(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<CheckInView[]> {
    return this.outcomes.list(scope, id);
  }

  @Post()
  @Idempotent()
  @Audit('outcome.recorded', { resourceType: 'person', resourceParam: 'id' })
  @RequirePermission('case:write')
  record(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: RecordCheckInDto,
  ): Promise<CheckInView> {
    return this.outcomes.record(scope, id, body);
  }
}
