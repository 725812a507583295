import { Body, Controller, Get, HttpCode, Param, Post } from '@nestjs/common';
import type { CanaryView } from '@harbour/domain';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission, RequireStepUp } from '../../infra/auth/access';
import { Scope, type SignedInScope } from '../../core/scope/request-scope';
import { UuidParamPipe } from '../../infra/http/uuid-param.pipe';
import { Idempotent } from '../../core/idempotency/idempotency.interceptor';
import { CanariesService } from './canaries.service';
import { PlantCanaryDto } from './dto/canaries.dto';

/** Canary people (admins only; docs/design.md §5). Every call is logged, naming the canary's id only. */
@Controller('api/canaries')
export class CanariesController {
  constructor(private readonly canaries: CanariesService) {}

  @Get()
  @Audit('canary.listed', { resourceType: 'canary' })
  @RequirePermission('canaries:manage')
  list(@Scope() scope: SignedInScope): Promise<CanaryView[]> {
    return this.canaries.list(scope);
  }

  /** Planting writes a record staff will see as real: step-up, like other admin changes (T7). */
  @Post()
  @Idempotent()
  @Audit('canary.planted', { resourceType: 'canary' })
  @RequirePermission('canaries:manage')
  @RequireStepUp()
  plant(@Scope() scope: SignedInScope, @Body() body: PlantCanaryDto): Promise<CanaryView> {
    return this.canaries.plant(scope, body);
  }

  @Post(':id/retire')
  @HttpCode(200)
  @Audit('canary.retired', { resourceType: 'canary', resourceParam: 'id' })
  @RequirePermission('canaries:manage')
  @RequireStepUp()
  retire(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<CanaryView> {
    return this.canaries.retire(scope, id);
  }
}
