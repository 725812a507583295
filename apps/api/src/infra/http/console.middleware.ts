import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { markConsoleResponse } from './correlation.middleware';
import { consoleCsp } from './security-headers';

/** Placeholder in the console's index.html, replaced by a fresh nonce on every response. */
export const NONCE_PLACEHOLDER = '__HARBOUR_CSP_NONCE__';

const HASHED_ASSET = /-[A-Z0-9]{8}\.(js|css|woff2?|svg|png)$/;

export interface ConsoleBundle {
  readonly dir: string;
  readonly indexTemplate: string;
}

/** Reads the built console, or returns null when it has not been built. */
export function loadConsoleBundle(dir: string): ConsoleBundle | null {
  const indexFile = join(dir, 'index.html');
  if (!existsSync(indexFile)) return null;
  const indexTemplate = readFileSync(indexFile, 'utf8');
  if (!indexTemplate.includes(NONCE_PLACEHOLDER)) {
    throw new Error(`${indexFile} lacks the CSP nonce placeholder ${NONCE_PLACEHOLDER}`);
  }
  return { dir, indexTemplate };
}

function isApiPath(path: string): boolean {
  return (
    path === '/api' || path.startsWith('/api/') || path === '/health' || path.startsWith('/health/')
  );
}

/**
 * Serves the Angular console from the API's origin: static files with long caching for hashed
 * names, and `index.html` (with a per-response CSP nonce, never cached) for every other
 * navigation, so deep links work. API paths and unknown files fall through to a JSON 404.
 */
export function consoleMiddleware(bundle: ConsoleBundle): RequestHandler {
  const assets = express.static(bundle.dir, {
    index: false,
    dotfiles: 'ignore',
    redirect: false,
    fallthrough: true,
    setHeaders: (res, path) => {
      res.setHeader(
        'Cache-Control',
        HASHED_ASSET.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
      res.removeHeader('Pragma');
    },
  });

  const sendIndex = (res: Response): void => {
    markConsoleResponse(res);
    const nonce = randomBytes(16).toString('base64');
    res.setHeader('Content-Security-Policy', consoleCsp(nonce));
    res.setHeader('Cache-Control', 'no-store');
    res.type('html').send(bundle.indexTemplate.split(NONCE_PLACEHOLDER).join(nonce));
  };

  return (req: Request, res: Response, next: NextFunction): void => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isApiPath(req.path)) {
      next();
      return;
    }
    if (req.path === '/' || req.path === '/index.html') {
      sendIndex(res);
      return;
    }
    markConsoleResponse(res);
    assets(req, res, () => {
      delete (res.locals as Record<string, unknown>)['harbourRoute'];
      const last = req.path.split('/').pop() ?? '';
      if (last.includes('.')) next();
      else sendIndex(res);
    });
  };
}
