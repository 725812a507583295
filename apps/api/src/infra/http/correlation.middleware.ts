import { AsyncResource } from 'node:async_hooks';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { correlationIdFor, runWithContext } from '../logging/request-context';

export const CORRELATION_HEADER = 'X-Correlation-Id';

/**
 * First middleware: gives the request a correlation id (in the response header and on every log
 * line written while it runs) and logs one line when the response finishes. The line holds the
 * method, the path without its query string, the status and the duration; never a body, header
 * value or query (identity travels only in bodies, and bodies are never logged).
 */
export function correlationMiddleware(logger: Logger): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const correlationId = correlationIdFor(req.headers['x-correlation-id']);
    res.setHeader(CORRELATION_HEADER, correlationId);
    const started = process.hrtime.bigint();
    runWithContext({ correlationId }, () => {
      // Bound so the line carries this request's correlation id whatever emits 'finish'.
      res.on(
        'finish',
        AsyncResource.bind(() => {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          const path = (req.originalUrl ?? req.url).split('?')[0];
          const level = res.statusCode >= 500 ? 'error' : 'info';
          logger[level](
            {
              req: { method: req.method, path },
              res: { status: res.statusCode },
              ms: Math.round(ms),
            },
            'request',
          );
        }),
      );
      next();
    });
  };
}
