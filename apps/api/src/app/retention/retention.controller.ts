import { Body, Controller, Get, HttpCode, Post, Put } from '@nestjs/common';
import type { PurgeRunView, RetentionDryRun, RetentionSettingsView } from '@harbour/domain';
import { Scope, type SignedInScope } from '../../core/scope/request-scope';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission, RequireStepUp } from '../../infra/auth/access';
import { UpdateRetentionSettingsDto } from './dto/update-retention-settings.dto';
import { RetentionService } from './retention.service';

/**
 * The organisation's retention (admins): settings per record class (changing them needs a fresh
 * step-up: a shorter period removes records for good), a dry run of what a purge now would
 * remove, and the last purge runs. Each call is one access event.
 */
@Controller('api/retention')
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  @Get()
  @Audit('retention.viewed', { resourceType: 'retention_policy' })
  @RequirePermission('retention:manage')
  settings(@Scope() scope: SignedInScope): Promise<RetentionSettingsView> {
    return this.retention.settings(scope);
  }

  @Put()
  @Audit('retention.updated', { resourceType: 'retention_policy' })
  @RequirePermission('retention:manage')
  @RequireStepUp()
  update(
    @Scope() scope: SignedInScope,
    @Body() body: UpdateRetentionSettingsDto,
  ): Promise<RetentionSettingsView> {
    return this.retention.update(scope, body);
  }

  @Post('dry-run')
  @HttpCode(200)
  @Audit('retention.dry_run', { resourceType: 'retention_policy' })
  @RequirePermission('retention:manage')
  dryRun(@Scope() scope: SignedInScope): Promise<RetentionDryRun> {
    return this.retention.dryRun(scope);
  }

  @Get('runs')
  @Audit('retention.runs_viewed', { resourceType: 'purge_run' })
  @RequirePermission('retention:manage')
  runs(@Scope() scope: SignedInScope): Promise<PurgeRunView[]> {
    return this.retention.runs(scope);
  }
}
