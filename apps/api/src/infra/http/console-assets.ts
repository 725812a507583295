import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { Request, Response } from 'express';
import { compress, negotiateEncoding, varyOnEncoding, type Encoding } from './compression';

/** Hashed file names (Angular's output hashing) never change content: cache them for a year. */
const HASHED_ASSET = /-[A-Z0-9]{8}\.(js|css|woff2?|svg|png)$/;

/**
 * Text formats worth compressing. Everything else (fonts, images, archives) is already
 * compressed and served as it is.
 */
const COMPRESSIBLE = new Set([
  '.js',
  '.mjs',
  '.css',
  '.html',
  '.json',
  '.webmanifest',
  '.svg',
  '.txt',
  '.xml',
  '.map',
]);

/** Suffixes of the precompressed copies the build writes next to a file (tools/console-budget.mjs). */
const PRECOMPRESSED: Readonly<Record<string, 'br' | 'gzip'>> = { '.br': 'br', '.gz': 'gzip' };

interface Variant {
  readonly body: Buffer;
  readonly etag: string;
}

export interface ConsoleAsset {
  readonly path: string;
  readonly type: string;
  readonly cacheControl: string;
  readonly compressible: boolean;
  readonly identity: Variant;
  /** Compressed copies: read from the build's siblings, or made once on first request. */
  readonly encoded: Map<'br' | 'gzip', Promise<Variant | null>>;
}

function etagOf(body: Buffer, encoding: Encoding): string {
  const digest = createHash('sha256').update(body).digest('base64url').slice(0, 22);
  return `"${digest}${encoding === 'identity' ? '' : `-${encoding}`}"`;
}

function variant(body: Buffer, encoding: Encoding): Variant {
  return { body, etag: etagOf(body, encoding) };
}

function walk(dir: string): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name.startsWith('.')) continue;
    const full = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...walk(full));
    else if (entry.isFile()) files.push(full);
  }
  return files;
}

/**
 * Every file of the built console, read once at start-up and keyed by URL path (`/main-X.js`).
 * The build's `.br`/`.gz` siblings become variants of their file, never URLs of their own; a
 * sibling larger than its file is ignored.
 */
export function loadConsoleAssets(dir: string): Map<string, ConsoleAsset> {
  const assets = new Map<string, ConsoleAsset>();
  if (!existsSync(dir)) return assets;
  const files = walk(dir);
  const present = new Set(files);
  for (const file of files) {
    const ext = extname(file).toLowerCase();
    if (PRECOMPRESSED[ext] !== undefined && present.has(file.slice(0, -ext.length))) continue;
    const path = `/${relative(dir, file).split(sep).join('/')}`;
    const body = readFileSync(file);
    const compressible = COMPRESSIBLE.has(ext);
    const encoded = new Map<'br' | 'gzip', Promise<Variant | null>>();
    if (compressible) {
      for (const [suffix, encoding] of Object.entries(PRECOMPRESSED)) {
        if (!present.has(file + suffix)) continue;
        const copy = readFileSync(file + suffix);
        if (copy.length < body.length)
          encoded.set(encoding, Promise.resolve(variant(copy, encoding)));
      }
    }
    assets.set(path, {
      path,
      type: ext,
      cacheControl: HASHED_ASSET.test(path) ? 'public, max-age=31536000, immutable' : 'no-cache',
      compressible,
      identity: variant(body, 'identity'),
      encoded,
    });
  }
  return assets;
}

/** The compressed copy of `asset`, made once (best ratio) unless the build supplied it; null when it would not be smaller. */
function encodedVariant(asset: ConsoleAsset, encoding: 'br' | 'gzip'): Promise<Variant | null> {
  let pending = asset.encoded.get(encoding);
  if (pending === undefined) {
    pending = compress(asset.identity.body, encoding, false).then(
      (body) => (body.length < asset.identity.body.length ? variant(body, encoding) : null),
      () => null,
    );
    asset.encoded.set(encoding, pending);
  }
  return pending;
}

function matches(req: Request, etag: string): boolean {
  const header = req.headers['if-none-match'];
  if (typeof header !== 'string') return false;
  return header
    .split(',')
    .map((s) => s.trim().replace(/^W\//, ''))
    .some((tag) => tag === etag || tag === '*');
}

/** Answers GET/HEAD for one console file in the coding the client prefers. */
export async function sendAsset(req: Request, res: Response, asset: ConsoleAsset): Promise<void> {
  let chosen: Variant = asset.identity;
  let encoding: Encoding = 'identity';
  if (asset.compressible) {
    varyOnEncoding(res);
    const wanted = negotiateEncoding(req.headers['accept-encoding']);
    if (wanted !== 'identity') {
      const encoded = await encodedVariant(asset, wanted);
      if (encoded !== null) {
        chosen = encoded;
        encoding = wanted;
      }
    }
  }
  res.setHeader('Cache-Control', asset.cacheControl);
  res.removeHeader('Pragma');
  res.setHeader('ETag', chosen.etag);
  res.type(asset.type);
  if (encoding !== 'identity') res.setHeader('Content-Encoding', encoding);
  if (matches(req, chosen.etag)) {
    res.status(304).end();
    return;
  }
  res.send(chosen.body);
}

/** Compresses one per-response document (index.html with its nonce) at a fast level. */
export async function sendDocument(req: Request, res: Response, html: string): Promise<void> {
  res.type('html');
  varyOnEncoding(res);
  const body = Buffer.from(html, 'utf8');
  const encoding = negotiateEncoding(req.headers['accept-encoding']);
  if (encoding !== 'identity' && body.length >= 256) {
    const out = await compress(body, encoding, true).catch(() => null);
    if (out !== null && out.length < body.length) {
      res.setHeader('Content-Encoding', encoding);
      res.send(out);
      return;
    }
  }
  res.send(body);
}
