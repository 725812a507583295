import { Body, Controller, Get, HttpCode, Patch, Post, Res } from '@nestjs/common';
import { Audit } from '../../infra/audit/audit-writer';
import type { OrganisationSettingsView } from '@harbour/domain';
import type { Response } from 'express';
import { RequirePermission, RequireStepUp } from '../../infra/auth/access';
import { clearSessionCookies } from '../../infra/auth/cookies';
import { AllowedInLockdown } from '../../infra/auth/lockdown';
import { Scope, type SignedInScope } from '../../core/scope/request-scope';
import { UpdateOrganisationSettingsDto } from './dto/organisation.dto';
import { OrganisationService } from './organisation.service';

@Controller('api/organisation')
export class OrganisationController {
  constructor(private readonly organisations: OrganisationService) {}

  @Get('settings')
  @Audit('organisation.settings_viewed', { resourceType: 'organisation' })
  @RequirePermission('organisation:manage')
  @AllowedInLockdown('admins')
  settings(@Scope() scope: SignedInScope): Promise<OrganisationSettingsView> {
    return this.organisations.settings(scope);
  }

  @Patch('settings')
  @Audit('organisation.settings_updated', { resourceType: 'organisation' })
  @RequirePermission('organisation:manage')
  update(
    @Scope() scope: SignedInScope,
    @Body() body: UpdateOrganisationSettingsDto,
  ): Promise<OrganisationSettingsView> {
    return this.organisations.update(scope, body);
  }

  /** Ends every session, the caller's too: the response also clears the caller's cookies. */
  @Post('lockdown')
  @Audit('organisation.lockdown_started', { resourceType: 'organisation' })
  @HttpCode(200)
  @RequirePermission('organisation:manage')
  @RequireStepUp()
  async lockdown(
    @Scope() scope: SignedInScope,
    @Res({ passthrough: true }) res: Response,
  ): Promise<OrganisationSettingsView> {
    const view = await this.organisations.lockdown(scope);
    clearSessionCookies(res);
    return view;
  }

  @Post('lockdown/lift')
  @Audit('organisation.lockdown_lift_approved', { resourceType: 'organisation' })
  @HttpCode(200)
  @RequirePermission('organisation:manage')
  @RequireStepUp()
  @AllowedInLockdown('admins')
  lift(@Scope() scope: SignedInScope): Promise<OrganisationSettingsView> {
    return this.organisations.lift(scope);
  }
}
