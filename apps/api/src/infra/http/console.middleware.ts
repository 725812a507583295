import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { loadConsoleAssets, sendAsset, sendDocument, type ConsoleAsset } from './console-assets';
import { markConsoleResponse } from './correlation.middleware';
import { consoleCsp } from './security-headers';

/** Placeholder in the console's index.html, replaced by a fresh nonce on every response. */
export const NONCE_PLACEHOLDER = '__HARBOUR_CSP_NONCE__';

/** The service worker's scripts (Angular's, and its kill switch): a policy of their own. */
const WORKER_SCRIPTS = new Set(['/ngsw-worker.js', '/safety-worker.js', '/worker-basic.min.js']);

/**
 * The policy of the service worker itself (a worker takes its CSP from its script's response):
 * it fetches our own files and nothing else, and runs no other script.
 */
export const WORKER_CSP =
  "default-src 'none'; connect-src 'self'; script-src 'self'; base-uri 'none'; frame-ancestors 'none'";

export interface ConsoleBundle {
  readonly dir: string;
  readonly indexTemplate: string;
  /** Every other file, by URL path (see console-assets.ts). */
  readonly assets: ReadonlyMap<string, ConsoleAsset>;
  /** The service worker's manifest as served (`serviceWorkerManifest`), or null without one. */
  readonly ngswManifest: string | null;
}

/**
 * `ngsw.json` without `index.html` in its hash table (docs/adr/0013). The file carries a
 * per-response CSP nonce, so its hash never matches the built one and Angular's worker would
 * refuse to install. Left out of the table, it is still cached (it is in the shell group's
 * `urls`), as a file the worker trusts from the network and revalidates.
 */
export function serviceWorkerManifest(built: string): string {
  const manifest = JSON.parse(built) as { hashTable?: Record<string, string> };
  if (manifest.hashTable !== undefined) delete manifest.hashTable['/index.html'];
  return JSON.stringify(manifest, null, 2);
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
  const ngswFile = join(dir, 'ngsw.json');
  const ngswManifest = existsSync(ngswFile)
    ? serviceWorkerManifest(readFileSync(ngswFile, 'utf8'))
    : null;
  if (ngswManifest !== null) assets.delete('/ngsw.json');
  return { dir, indexTemplate, assets, ngswManifest };
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
    if (req.path === '/ngsw.json' && bundle.ngswManifest !== null) {
      markConsoleResponse(res);
      res.setHeader('Cache-Control', 'no-cache');
      res.type('json').send(bundle.ngswManifest);
      return;
    }
    const path = decodedPath(req.path);
    const asset = path === null ? undefined : bundle.assets.get(path);
    if (asset !== undefined) {
      markConsoleResponse(res);
      if (WORKER_SCRIPTS.has(req.path)) res.setHeader('Content-Security-Policy', WORKER_CSP);
      sendAsset(req, res, asset).catch(next);
      return;
    }
    const last = req.path.split('/').pop() ?? '';
    if (last.includes('.')) next();
    else sendIndex(req, res, next);
  };
}
