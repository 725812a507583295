import { Idempotent } from '../../core/idempotency/idempotency.interceptor';
import { Body, Controller, Get, HttpCode, Param, Patch, Post } from '@nestjs/common';
import { Audit } from '../../infra/audit/audit-writer';
import type {
  CreateUserResponse,
  ResetMfaResponse,
  ResetPasswordResponse,
  StaffUserView,
  UpdateUserResponse,
} from '@harbour/domain';
import { RequirePermission, RequireStepUp } from '../../infra/auth/access';
import { Scope, type SignedInScope } from '../../core/scope/request-scope';
import { UuidParamPipe } from '../../infra/http/uuid-param.pipe';
import { CreateUserDto, UpdateUserDto } from './dto/users.dto';
import { UsersService } from './users.service';

@Controller('api/users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Get()
  @Audit('staff.listed', { resourceType: 'staff_user' })
  @RequirePermission('staff:manage')
  list(@Scope() scope: SignedInScope): Promise<StaffUserView[]> {
    return this.users.list(scope);
  }

  /**
   * Creating an account grants roles: step-up required (T7). An account with a guarded role is
   * only requested (`pending`): a second admin approves it (separation of duties).
   */
  @Post()
  @Idempotent()
  @Audit('staff.created', { resourceType: 'staff_user' })
  @RequirePermission('staff:manage')
  @RequireStepUp()
  create(@Scope() scope: SignedInScope, @Body() body: CreateUserDto): Promise<CreateUserResponse> {
    return this.users.create(scope, body);
  }

  /**
   * Role changes additionally need a recent step-up (checked by the service); nobody changes
   * their own roles; a guarded role granted waits for a second admin (`pending`).
   */
  @Patch(':id')
  @Audit('staff.updated', { resourceType: 'staff_user', resourceParam: 'id' })
  @RequirePermission('staff:manage')
  update(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdateUserDto,
  ): Promise<UpdateUserResponse> {
    return this.users.update(scope, id, body);
  }

  @Post(':id/revoke-sessions')
  @Audit('staff.sessions_revoked', { resourceType: 'staff_user', resourceParam: 'id' })
  @HttpCode(204)
  @RequirePermission('staff:manage')
  revokeSessions(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<void> {
    return this.users.revokeSessions(scope, id);
  }

  /** For an account holding a guarded role, a request for a second admin (`pending`). */
  @Post(':id/reset-mfa')
  @Audit('staff.mfa_reset', { resourceType: 'staff_user', resourceParam: 'id' })
  @HttpCode(200)
  @RequirePermission('staff:manage')
  @RequireStepUp()
  resetMfa(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<ResetMfaResponse> {
    return this.users.resetMfa(scope, id);
  }

  /** For an account holding a guarded role, a request for a second admin (`pending`). */
  @Post(':id/reset-password')
  @Audit('staff.password_reset', { resourceType: 'staff_user', resourceParam: 'id' })
  @HttpCode(200)
  @RequirePermission('staff:manage')
  @RequireStepUp()
  resetPassword(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<ResetPasswordResponse> {
    return this.users.resetPassword(scope, id);
  }
}
