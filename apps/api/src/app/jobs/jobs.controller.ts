import { Controller, Get, Param } from '@nestjs/common';
import type { JobView } from '@harbour/domain';
import { Audit } from '../../infra/audit/audit-writer';
import { RequirePermission } from '../../infra/auth/access';
import { NotFoundError } from '../../infra/http/domain-error';
import { UuidParamPipe } from '../../infra/http/uuid-param.pipe';
import { BackgroundJobs } from '../../core/jobs/background-jobs';
import { Scope, type SignedInScope } from '../../core/scope/request-scope';

/**
 * The organisation's background jobs and their progress. Every job today is a key rotation, so
 * the permission is the keyring's; a job of another kind will bring its own.
 */
@Controller('api/jobs')
export class JobsController {
  constructor(private readonly jobs: BackgroundJobs) {}

  @Get()
  @Audit('jobs.listed', { resourceType: 'job' })
  @RequirePermission('keys:manage')
  list(@Scope() scope: SignedInScope): Promise<JobView[]> {
    return this.jobs.recent(scope.tx, scope.organisationId);
  }

  @Get(':id')
  @Audit('jobs.viewed', { resourceType: 'job', resourceParam: 'id' })
  @RequirePermission('keys:manage')
  async get(
    @Scope() scope: SignedInScope,
    @Param('id', UuidParamPipe) id: string,
  ): Promise<JobView> {
    const job = await this.jobs.view(scope.tx, scope.organisationId, id);
    if (job === null) throw new NotFoundError();
    return job;
  }
}
