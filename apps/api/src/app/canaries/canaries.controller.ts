import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { CanaryView } from '@harbour/domain';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission, RequireStepUp } from '../../infra/auth/access';
import { CurrentPrincipal } from '../../infra/auth/current-principal';
import type { Principal } from '../../infra/auth/principal';
import { UuidParamPipe } from '../../infra/http/uuid-param.pipe';
import { Idempotent } from '../../core/idempotency/idempotency.interceptor';
import { CanariesService } from './canaries.service';
import { PlantCanaryDto } from './dto/canaries.dto';

/** Canary people (admins only; DESIGN.md §5). Every call is logged, naming the canary's id only. */
@Controller('api/canaries')
export class CanariesController {
  constructor(private readonly canaries: CanariesService) {}

  @Get()
  @Audit('canary.listed', { resourceType: 'canary' })
  @RequirePermission('canaries:manage')
  list(@CurrentPrincipal() principal: Principal): Promise<CanaryView[]> {
    return this.canaries.list(principal.organisationId);
  }

  /** Planting writes a record staff will see as real: step-up, like other admin changes (T7). */
  @Post()
  @Idempotent()
  @Audit('canary.planted', { resourceType: 'canary' })
  @RequirePermission('canaries:manage')
  @RequireStepUp()
  plant(
    @CurrentPrincipal() principal: Principal,
    @Body() body: PlantCanaryDto,
  ): Promise<CanaryView> {
    return this.canaries.plant(principal, body);
  }

  @Post(':id/retire')
  @HttpCode(200)
  @Audit('canary.retired', { resourceType: 'canary', resourceParam: 'id' })
  @RequirePermission('canaries:manage')
  @RequireStepUp()
  retire(
    @CurrentPrincipal() principal: Principal,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<CanaryView> {
    return this.canaries.retire(principal, id);
  }
}
