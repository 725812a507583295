import { Controller, Get } from '@nestjs/common';
import type { BackupStatus } from '@harbour/domain';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission } from '../../infra/auth/access';
import { Scope, type SignedInScope } from '../../core/scope/request-scope';
import { BackupsService } from './backups.service';

/**
 * The deployment's backups (admins, with the keyring's permission: a backup is only as good as
 * the keys that open it). Reading the status is an access event, like reading the keys.
 */
@Controller('api/backups')
export class BackupsController {
  constructor(private readonly backups: BackupsService) {}

  @Get('status')
  @Audit('backups.status_viewed', { resourceType: 'backup_run' })
  @RequirePermission('keys:manage')
  status(@Scope() scope: SignedInScope): Promise<BackupStatus> {
    return this.backups.status(scope);
  }
}
