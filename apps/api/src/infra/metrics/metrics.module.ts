import { Global, Module } from '@nestjs/common';
import { Metrics } from './metrics';

/**
 * One `Metrics` per application (global: the HTTP pipeline, the cryptography and the access
 * log record into it; the metrics feature reads it out at `GET /metrics`).
 */
@Global()
@Module({
  providers: [{ provide: Metrics, useFactory: () => new Metrics() }],
  exports: [Metrics],
})
export class MetricsModule {}
