import { brotliCompress, constants, gzip } from 'node:zlib';
import type { NextFunction, Request, RequestHandler, Response } from 'express';

/** A content coding Harbour answers with. */
export type Encoding = 'br' | 'gzip' | 'identity';

/** Only bodies at least this long are worth compressing (headers and framing dominate below). */
export const MIN_COMPRESSED_BYTES = 1024;

/**
 * Routes whose answers are never compressed, whatever their size (docs/adr/0014): every answer
 * that carries decrypted identity, a person's notes or a credential, and every route that takes
 * identity in (what an attacker could make it reflect next to a secret). Keys as in
 * ACCESS_MATRIX; a unit test checks each exists there and that every route the matrix marks as
 * handling a restricted person's identity is listed.
 */
export const UNCOMPRESSED_ROUTES: ReadonlySet<string> = new Set([
  // Sessions, second factors, recovery codes, one-time passwords.
  'POST /api/auth/login',
  'POST /api/auth/mfa/verify',
  'POST /api/auth/mfa/enrol',
  'POST /api/auth/mfa/confirm',
  'POST /api/auth/step-up',
  'POST /api/auth/password',
  'GET /api/auth/session',
  'POST /api/users',
  'POST /api/users/:id/reset-mfa',
  'POST /api/users/:id/reset-password',
  'POST /api/users/approvals/:id/approve',
  // Identity in, identity out, notes.
  'POST /api/persons',
  'POST /api/persons/lookup',
  'PATCH /api/persons/:id',
  'POST /api/persons/:id/reveal',
  'POST /api/persons/:id/subject-export',
  'POST /api/intake/bulk',
  'GET /api/contacts/:id',
  // The disclosure passphrase and the encrypted file.
  'POST /api/disclosures/:id/export',
  'GET /api/disclosures/:id/file',
]);

function weights(header: string | string[] | undefined): Map<string, number> {
  const text = Array.isArray(header) ? header.join(',') : (header ?? '');
  const result = new Map<string, number>();
  for (const part of text.split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    if (name === undefined || name === '') continue;
    let q = 1;
    for (const param of params) {
      const [key, value] = param.trim().split('=');
      if (key === 'q') q = Number(value);
    }
    result.set(name, Number.isFinite(q) ? Math.min(Math.max(q, 0), 1) : 0);
  }
  return result;
}

/**
 * Chooses the coding for an `Accept-Encoding` header (RFC 9110 §12.5.3): brotli when the client
 * weighs it at least as high as gzip, gzip otherwise, identity when it accepts neither (or sent
 * no header). `q=0` refuses a coding; `*` stands for codings not named.
 */
export function negotiateEncoding(header: string | string[] | undefined): Encoding {
  const q = weights(header);
  const star = q.get('*') ?? 0;
  const br = q.get('br') ?? star;
  const gz = q.get('gzip') ?? q.get('x-gzip') ?? star;
  if (br > 0 && br >= gz) return 'br';
  if (gz > 0) return 'gzip';
  return 'identity';
}

/** Compresses a body; `fast` trades ratio for speed (per-response bodies) against the best ratio. */
export function compress(body: Buffer, encoding: 'br' | 'gzip', fast: boolean): Promise<Buffer> {
  return new Promise((done, fail) => {
    const callback = (error: Error | null, out: Buffer): void => (error ? fail(error) : done(out));
    if (encoding === 'br') {
      brotliCompress(
        body,
        {
          params: {
            [constants.BROTLI_PARAM_QUALITY]: fast ? 4 : constants.BROTLI_MAX_QUALITY,
            [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
          },
        },
        callback,
      );
    } else {
      gzip(body, { level: fast ? 6 : constants.Z_BEST_COMPRESSION }, callback);
    }
  });
}

/** Adds `Accept-Encoding` to the response's `Vary` header once. */
export function varyOnEncoding(res: Response): void {
  const current = String(res.getHeader('Vary') ?? '');
  const names = current
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
  if (!names.some((n) => n.toLowerCase() === 'accept-encoding' || n === '*')) {
    res.setHeader('Vary', [...names, 'Accept-Encoding'].join(', '));
  }
}

/** `GET /api/persons/:id` for the request's matched route (HEAD counts as GET), or null. */
function routeKey(req: Request): string | null {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  if (typeof path !== 'string') return null;
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  return `${method} ${req.baseUrl ?? ''}${path}`;
}

function isJson(res: Response): boolean {
  const type = String(res.getHeader('Content-Type') ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  return type === 'application/json' || type.endsWith('+json');
}

/**
 * Compresses the API's JSON answers of at least MIN_COMPRESSED_BYTES with brotli (fast level) or
 * gzip, as the client accepts, except for UNCOMPRESSED_ROUTES and answers of unmatched routes
 * (errors before routing, which are small anyway). Hooks `res.send`, which Nest's Express
 * adapter (and `res.json`) end in; streamed bodies are left alone.
 */
export function apiCompressionMiddleware(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const send = res.send.bind(res);
    res.send = (body?: unknown): Response => {
      if (
        (typeof body !== 'string' && !Buffer.isBuffer(body)) ||
        !isJson(res) ||
        res.getHeader('Content-Encoding') !== undefined ||
        res.statusCode === 204 ||
        res.statusCode === 304
      ) {
        return send(body);
      }
      const key = routeKey(req);
      if (key === null || UNCOMPRESSED_ROUTES.has(key)) return send(body);
      const raw = typeof body === 'string' ? Buffer.from(body, 'utf8') : body;
      if (raw.length < MIN_COMPRESSED_BYTES) return send(body);
      varyOnEncoding(res);
      const encoding = negotiateEncoding(req.headers['accept-encoding']);
      if (encoding === 'identity') return send(body);
      compress(raw, encoding, true).then(
        (out) => {
          res.setHeader('Content-Encoding', encoding);
          send(out);
        },
        () => send(body),
      );
      return res;
    };
    next();
  };
}
