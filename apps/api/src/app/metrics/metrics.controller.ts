import { Controller, Get, Res } from '@nestjs/common';
import { ApiOkResponse, ApiProduces } from '@nestjs/swagger';
import type { Response } from 'express';
import { MachineToken } from '../../infra/auth/access';
import { ResponseBody } from '../../infra/http/response-body';
import { Metrics } from '../../infra/metrics/metrics';
import { NoTransaction } from '../../core/scope/transaction.interceptor';

/**
 * Prometheus metrics (docs/operations.md "Metrics"), for a scraper holding the metrics token:
 * figures about the process (no tenant, no person, no user; a scrape is not an access to
 * anyone's records, so it writes no access event). Off (404) unless a token is configured.
 */
@Controller('metrics')
@NoTransaction()
export class MetricsController {
  constructor(private readonly metrics: Metrics) {}

  @Get()
  @MachineToken('metrics')
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format 0.0.4.' })
  @ResponseBody({ 'text/plain': 'text' })
  async scrape(@Res({ passthrough: true }) res: Response): Promise<string> {
    const { contentType, body } = await this.metrics.exposition();
    res.setHeader('Content-Type', contentType);
    res.setHeader('Cache-Control', 'no-store');
    return body;
  }
}
