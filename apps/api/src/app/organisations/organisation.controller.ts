import { Body, Controller, Get, HttpCode, Patch, Post, Res } from '@nestjs/common';
import type { OrganisationSettingsView } from '@harbour/domain';
import type { Response } from 'express';
import { RequirePermission, RequireStepUp } from '../../infra/auth/access';
import { clearSessionCookies } from '../../infra/auth/cookies';
import { CurrentPrincipal } from '../../infra/auth/current-principal';
import type { Principal } from '../../infra/auth/principal';
import { UpdateOrganisationSettingsDto } from './dto/organisation.dto';
import { OrganisationService } from './organisation.service';

@Controller('api/organisation')
export class OrganisationController {
  constructor(private readonly organisations: OrganisationService) {}

  @Get('settings')
  @RequirePermission('organisation:manage')
  settings(@CurrentPrincipal() principal: Principal): Promise<OrganisationSettingsView> {
    return this.organisations.settings(principal);
  }

  @Patch('settings')
  @RequirePermission('organisation:manage')
  update(
    @CurrentPrincipal() principal: Principal,
    @Body() body: UpdateOrganisationSettingsDto,
  ): Promise<OrganisationSettingsView> {
    return this.organisations.update(principal, body);
  }

  /** Ends every session, the caller's too: the response also clears the caller's cookies. */
  @Post('lockdown')
  @HttpCode(200)
  @RequirePermission('organisation:manage')
  @RequireStepUp()
  async lockdown(
    @CurrentPrincipal() principal: Principal,
    @Res({ passthrough: true }) res: Response,
  ): Promise<OrganisationSettingsView> {
    const view = await this.organisations.lockdown(principal);
    clearSessionCookies(res);
    return view;
  }

  @Post('lockdown/lift')
  @HttpCode(200)
  @RequirePermission('organisation:manage')
  @RequireStepUp()
  lift(@CurrentPrincipal() principal: Principal): Promise<OrganisationSettingsView> {
    return this.organisations.lift(principal);
  }
}
