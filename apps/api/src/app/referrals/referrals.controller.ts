import { Idempotent } from '../../core/idempotency/idempotency.interceptor';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import type { PartnerView, ReferralView } from '@harbour/domain';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission, SignedIn } from '../../infra/auth/access';
import { CurrentPrincipal } from '../../infra/auth/current-principal';
import type { Principal } from '../../infra/auth/principal';
import { UuidParamPipe } from '../../infra/http/uuid-param.pipe';
import {
  CreateReferralDto,
  PartnerDto,
  PartnerQueryDto,
  ReferralQueryDto,
  ReferralTransitionDto,
  UpdatePartnerDto,
} from './dto/referrals.dto';
import { ReferralsService } from './referrals.service';

/** Referrals (docs/design.md §11). */
@Controller('api/referrals')
export class ReferralsController {
  constructor(private readonly referrals: ReferralsService) {}

  @Post()
  @Idempotent()
  @Audit('referral.created', { resourceType: 'referral' })
  @RequirePermission('case:write')
  create(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CreateReferralDto,
  ): Promise<ReferralView> {
    return this.referrals.create(principal, body);
  }

  @Post(':id/transitions')
  @HttpCode(200)
  @Audit('referral.transitioned', { resourceType: 'referral', resourceParam: 'id' })
  @RequirePermission('case:write')
  transition(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: ReferralTransitionDto,
  ): Promise<ReferralView> {
    return this.referrals.transition(principal, id, body);
  }

  @Get()
  @Audit('referral.listed', { resourceType: 'referral' })
  @RequirePermission('case:read')
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: ReferralQueryDto,
  ): Promise<ReferralView[]> {
    return this.referrals.list(principal.organisationId, query);
  }
}

/** Partner directory: every signed-in member of staff reads it; admins keep it. */
@Controller('api/partners')
export class PartnersController {
  constructor(private readonly referrals: ReferralsService) {}

  @Get()
  @Audit('partner.listed', { resourceType: 'partner' })
  @SignedIn('active')
  list(
    @CurrentPrincipal() principal: Principal,
    @Query() query: PartnerQueryDto,
  ): Promise<PartnerView[]> {
    return this.referrals.partners(principal.organisationId, query);
  }

  @Post()
  @Idempotent()
  @Audit('partner.created', { resourceType: 'partner' })
  @RequirePermission('organisation:manage')
  create(@CurrentPrincipal() principal: Principal, @Body() body: PartnerDto): Promise<PartnerView> {
    return this.referrals.createPartner(principal.organisationId, body);
  }

  @Patch(':id')
  @Audit('partner.updated', { resourceType: 'partner', resourceParam: 'id' })
  @RequirePermission('organisation:manage')
  update(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdatePartnerDto,
  ): Promise<PartnerView> {
    return this.referrals.updatePartner(principal.organisationId, id, body);
  }
}
