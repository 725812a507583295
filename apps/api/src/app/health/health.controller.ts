import { Controller, Get, Res } from '@nestjs/common';
import type { HealthStatus } from '@harbour/domain';
import type { Response } from 'express';
import { Public } from '../../infra/auth/access';
import { NoTransaction } from '../../core/scope/transaction.interceptor';
import { HealthService } from './health.service';

@Controller('health')
@NoTransaction()
export class HealthController {
  constructor(private readonly health: HealthService) {}

  @Get('live')
  @Public()
  live(): HealthStatus {
    return this.health.live();
  }

  /** 200 when the database answers, 503 otherwise (for load balancers and orchestrators). */
  @Get('ready')
  @Public()
  async ready(@Res({ passthrough: true }) res: Response): Promise<HealthStatus> {
    const status = await this.health.ready();
    if (status.status !== 'ok') res.status(503);
    return status;
  }
}
