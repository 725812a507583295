import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { loadConsoleAssets, sendAsset, sendDocument, type ConsoleAsset } from './console-assets';
import { markConsoleResponse } from './correlation.middleware';
import { consoleCsp } from './security-headers';

/** Placeholder in the console's index.html, replaced by a fresh nonce on every response. */
export const NONCE_PLACEHOLDER = '__HARBOUR_CSP_NONCE__';

export interface ConsoleBundle {
  readonly dir: string;
  readonly indexTemplate: string;
  /** Every other file, by URL path (see console-assets.ts). */
  readonly assets: ReadonlyMap<string, ConsoleAsset>;
}

/** Reads the built console, or returns null when it has not been built. */
export function loadConsoleBundle(dir: string): ConsoleBundle | null {
  const indexFile = join(dir, 'index.html');
  if (!existsSync(indexFile)) return null;
  const indexTemplate = readFileSync(indexFile, 'utf8');
  if (!indexTemplate.includes(NONCE_PLACEHOLDER)) {
    throw new Error(`${indexFile} lacks the CSP nonce placeholder ${NONCE_PLACEHOLDER}`);
  }
  const assets = loadConsoleAssets(dir);
  assets.delete('/index.html');
  return { dir, indexTemplate, assets };
}

function isApiPath(path: string): boolean {
  return (
    path === '/api' || path.startsWith('/api/') || path === '/health' || path.startsWith('/health/')
  );
}

/** The URL path as a file path, or null when it is not valid percent-encoding. */
function decodedPath(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

/**
 * Serves the Angular console from the API's origin: its files (compressed with brotli or gzip
 * when the client accepts it, `Vary: Accept-Encoding`; long caching for hashed names, `no-cache`
 * for the rest), and `index.html` (with a per-response CSP nonce, never cached) for every other
 * navigation, so deep links work. API paths and unknown files fall through to a JSON 404.
 */
export function consoleMiddleware(bundle: ConsoleBundle): RequestHandler {
  const sendIndex = (req: Request, res: Response, next: NextFunction): void => {
    markConsoleResponse(res);
    const nonce = randomBytes(16).toString('base64');
    res.setHeader('Content-Security-Policy', consoleCsp(nonce));
    res.setHeader('Cache-Control', 'no-store');
    sendDocument(req, res, bundle.indexTemplate.split(NONCE_PLACEHOLDER).join(nonce)).catch(next);
  };

  return (req: Request, res: Response, next: NextFunction): void => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || isApiPath(req.path)) {
      next();
      return;
    }
    if (req.path === '/' || req.path === '/index.html') {
      sendIndex(req, res, next);
      return;
    }
    const path = decodedPath(req.path);
    const asset = path === null ? undefined : bundle.assets.get(path);
    if (asset !== undefined) {
      markConsoleResponse(res);
      sendAsset(req, res, asset).catch(next);
      return;
    }
    const last = req.path.split('/').pop() ?? '';
    if (last.includes('.')) next();
    else sendIndex(req, res, next);
  };
}
