import { Idempotent } from '../../core/idempotency/idempotency.interceptor';
import { Body, Controller, Get, HttpCode, Param, Patch, Post, Query } from '@nestjs/common';
import type { PartnerView, ReferralView } from '@harbour/domain';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission, SignedIn } from '../../infra/auth/access';
import { Scope, type SignedInScope } from '../../core/scope/request-scope';
import { UuidParamPipe } from '../../infra/http/uuid-param.pipe';
import {
  CreateReferralDto,
  PartnerDto,
  PartnerQueryDto,
  ReferralQueryDto,
  ReferralTransitionDto,
  UpdatePartnerDto,
} from './dto/referrals.dto';
import { PartnersService } from './partners.service';
import { ReferralsService } from './referrals.service';

/** Referrals (docs/design.md §11). */
@Controller('api/referrals')
export class ReferralsController {
  constructor(private readonly referrals: ReferralsService) {}

  @Post()
  @Idempotent()
  @Audit('referral.created', { resourceType: 'referral' })
  @RequirePermission('case:write')
  create(@Scope() scope: SignedInScope, @Body() body: CreateReferralDto): Promise<ReferralView> {
    return this.referrals.create(scope, body);
  }

  @Post(':id/transitions')
  @HttpCode(200)
  @Audit('referral.transitioned', { resourceType: 'referral', resourceParam: 'id' })
  @RequirePermission('case:write')
  transition(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: ReferralTransitionDto,
  ): Promise<ReferralView> {
    return this.referrals.transition(scope, id, body);
  }

  @Get()
  @Audit('referral.listed', { resourceType: 'referral' })
  @RequirePermission('case:read')
  list(@Scope() scope: SignedInScope, @Query() query: ReferralQueryDto): Promise<ReferralView[]> {
    return this.referrals.list(scope, query);
  }
}

/** Partner directory: every signed-in member of staff reads it; admins keep it. */
@Controller('api/partners')
export class PartnersController {
  constructor(private readonly partners: PartnersService) {}

  @Get()
  @Audit('partner.listed', { resourceType: 'partner' })
  @SignedIn('active')
  list(@Scope() scope: SignedInScope, @Query() query: PartnerQueryDto): Promise<PartnerView[]> {
    return this.partners.list(scope, query);
  }

  @Post()
  @Idempotent()
  @Audit('partner.created', { resourceType: 'partner' })
  @RequirePermission('organisation:manage')
  create(@Scope() scope: SignedInScope, @Body() body: PartnerDto): Promise<PartnerView> {
    return this.partners.create(scope, body);
  }

  @Patch(':id')
  @Audit('partner.updated', { resourceType: 'partner', resourceParam: 'id' })
  @RequirePermission('organisation:manage')
  update(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
    @Body() body: UpdatePartnerDto,
  ): Promise<PartnerView> {
    return this.partners.update(scope, id, body);
  }
}
