import { Body, Controller, Get, HttpCode, Post } from '@nestjs/common';
import type { JobView, KeysView } from '@harbour/domain';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission, RequireStepUp } from '../../infra/auth/access';
import { Scope, type SignedInScope } from '../../core/scope/request-scope';
import { StartRotationDto } from './dto/keys.dto';
import { KeyRotation } from './key-rotation.service';
import { KeysService } from './keys.service';

/** The organisation's keys (admins only): what exists, and rotating the data key. */
@Controller('api/keys')
export class KeysController {
  constructor(
    private readonly keys: KeysService,
    private readonly rotation: KeyRotation,
  ) {}

  @Get()
  @Audit('keys.viewed', { resourceType: 'organisation' })
  @RequirePermission('keys:manage')
  view(@Scope() scope: SignedInScope): Promise<KeysView> {
    return this.keys.view(scope);
  }

  /**
   * Starts rotating the organisation data key or its KEK: answers at once with the job (202);
   * follow it at `GET /api/jobs/:id`. A second start of the same kind while one runs is refused
   * (409 `conflict`).
   */
  @Post('rotations')
  @HttpCode(202)
  @Audit('keys.rotation_started', { resourceType: 'job' })
  @RequirePermission('keys:manage')
  @RequireStepUp()
  rotate(@Scope() scope: SignedInScope, @Body() body: StartRotationDto): Promise<JobView> {
    return this.rotation.start(scope, body.purpose);
  }
}
