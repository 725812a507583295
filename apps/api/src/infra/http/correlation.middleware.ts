import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { correlationIdFor, runWithContext } from '../logging/request-context';
import type { Metrics } from '../metrics/metrics';
import { ERROR_CODE_LOCAL } from './error-response';

export const CORRELATION_HEADER = 'X-Correlation-Id';

/** What the request line names when no route template matched (an unknown path, a refusal before routing). */
export const UNMATCHED_ROUTE = '(unmatched)';
/** What it names for the console's files and pages. */
export const CONSOLE_ROUTE = '(console)';

/** Set by the console middleware on the responses it serves. */
export function markConsoleResponse(res: Response): void {
  (res.locals as Record<string, unknown>)['harbourRoute'] = CONSOLE_ROUTE;
}

/**
 * What a log line may say about where a request went: the template of the route that handled
 * it (`/api/persons/:id`), never the path as sent, which can hold anything pasted into it (a
 * name in a URL must not reach the log: docs/security.md T28); otherwise a fixed placeholder.
 */
export function routeLabel(req: Request, res: Response): string {
  const route = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof route === 'string') return `${req.baseUrl ?? ''}${route}`;
  const marked = (res.locals as Record<string, unknown>)['harbourRoute'];
  return typeof marked === 'string' ? marked : UNMATCHED_ROUTE;
}

/**
 * First middleware: gives the request a correlation id (in the response header and on every log
 * line written while it runs) and logs one line when the response finishes. The line holds the
 * method, the route template (never the raw path), the status and the duration; never a body,
 * header value, query or path as sent (identity travels only in bodies, and bodies are never
 * logged). With `metrics`, the same figures (and the error code of an error response) are
 * recorded for `GET /metrics`.
 */
export function correlationMiddleware(logger: Logger, metrics?: Metrics): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const correlationId = correlationIdFor(req.headers['x-correlation-id']);
    res.setHeader(CORRELATION_HEADER, correlationId);
    const started = process.hrtime.bigint();
    const context = { correlationId };
    runWithContext(context, () => {
      // Run in the request's context so the line carries its correlation id whatever emits
      // 'finish' (`AsyncResource.bind` would too, but Node 20 makes two deprecation shims for
      // every function it binds: measurable on every request).
      res.on('finish', () =>
        runWithContext(context, () => {
          const ms = Number(process.hrtime.bigint() - started) / 1e6;
          const level = res.statusCode >= 500 ? 'error' : 'info';
          const route = routeLabel(req, res);
          if (metrics !== undefined) {
            metrics.observeRequest(req.method, route, res.statusCode, ms / 1000);
            const code = (res.locals as Record<string, unknown>)[ERROR_CODE_LOCAL];
            if (typeof code === 'string') metrics.countError(code);
          }
          logger[level](
            {
              req: { method: req.method, route },
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
