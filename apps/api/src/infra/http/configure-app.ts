import type { NestExpressApplication } from '@nestjs/platform-express';
import type { Logger } from 'pino';
import type { HarbourConfig } from '../config/config';
import { apiCompressionMiddleware } from './compression';
import { consoleMiddleware, loadConsoleBundle } from './console.middleware';
import { correlationMiddleware } from './correlation.middleware';
import { jsonBodyMiddleware } from './json-body.middleware';
import { securityHeadersMiddleware } from './security-headers';
import { createValidationPipe } from './validation';
import { Metrics } from '../metrics/metrics';

/**
 * The HTTP pipeline, in order: correlation id and request log, security headers, the console's
 * static files (compressed), compression of the API's JSON answers (docs/adr/0014), JSON-only
 * body parsing, then Nest routing with the global validation pipe and
 * exception filter. Tests build their apps through this same function.
 */
export function configureApp(
  app: NestExpressApplication,
  config: HarbourConfig,
  logger: Logger,
): void {
  const express = app.getHttpAdapter().getInstance();
  express.disable('x-powered-by');
  express.set('etag', false);
  // Never trust X-Forwarded-For unless a proxy is configured (HARBOUR_TRUST_PROXY_HOPS).
  express.set('trust proxy', config.http.trustProxyHops > 0 ? config.http.trustProxyHops : false);
  express.set('query parser', 'simple');

  app.use(correlationMiddleware(logger, metricsOf(app)));
  app.use(securityHeadersMiddleware());
  if (config.consoleDir !== null) {
    const bundle = loadConsoleBundle(config.consoleDir);
    if (bundle === null) {
      logger.warn(
        { consoleDir: config.consoleDir },
        'the console is not built; serving the API only (run `npm start`, which builds it)',
      );
    } else {
      app.use(consoleMiddleware(bundle));
    }
  }
  app.use(apiCompressionMiddleware());
  app.use(jsonBodyMiddleware(config.http.maxBodyBytes));
  app.useGlobalPipes(createValidationPipe());
}

/** The app's metrics, when it has them (the API does; a bare test module may not). */
function metricsOf(app: NestExpressApplication): Metrics | undefined {
  try {
    return app.get(Metrics, { strict: false });
  } catch {
    return undefined;
  }
}
