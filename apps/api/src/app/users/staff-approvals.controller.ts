import { Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { ApproveStaffChangeResponse, StaffApprovalView } from '@harbour/domain';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission, RequireStepUp } from '../../infra/auth/access';
import { Scope, type SignedInScope } from '../../core/scope/request-scope';
import { UuidParamPipe } from '../../infra/http/uuid-param.pipe';
import { StaffApprovalsService } from './staff-approvals.service';

/** Staff changes waiting for a second admin (separation of duties, ADR 0008). */
@Controller('api/users/approvals')
export class StaffApprovalsController {
  constructor(private readonly approvals: StaffApprovalsService) {}

  @Get()
  @Audit('staff.approvals_listed', { resourceType: 'staff_change_request' })
  @RequirePermission('staff:manage')
  list(@Scope() scope: SignedInScope): Promise<StaffApprovalView[]> {
    return this.approvals.list(scope);
  }

  /** The second admin approves: the change is applied at once. Never by the admin who asked. */
  @Post(':id/approve')
  @Audit('staff.change_approved', { resourceType: 'staff_change_request', resourceParam: 'id' })
  @HttpCode(200)
  @RequirePermission('staff:manage')
  @RequireStepUp()
  approve(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<ApproveStaffChangeResponse> {
    return this.approvals.approve(scope, id);
  }

  @Post(':id/cancel')
  @Audit('staff.change_cancelled', { resourceType: 'staff_change_request', resourceParam: 'id' })
  @HttpCode(204)
  @RequirePermission('staff:manage')
  cancel(@Scope() scope: SignedInScope, @Param('id', UuidParamPipe) id: string): Promise<void> {
    return this.approvals.cancel(scope, id);
  }
}
