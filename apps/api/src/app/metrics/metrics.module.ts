import { Module } from '@nestjs/common';
import { MetricsRepository } from '../../data/metrics/metrics.repository';
import { MetricsController } from './metrics.controller';
import { MetricsSources } from './metrics-sources';

/** `GET /metrics` and the scrape-time sources behind it (the registry is infra/metrics). */
@Module({
  controllers: [MetricsController],
  providers: [MetricsRepository, MetricsSources],
})
export class MetricsApiModule {}
