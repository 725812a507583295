import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { sendError } from './error-response';

/** Deeper JSON than this is refused before it reaches validation (docs/security.md T20). */
export const MAX_JSON_DEPTH = 32;

const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

class UnsafeJsonError extends Error {}

/**
 * JSON-only request bodies (docs/security.md T9): a request that carries a body must say
 * `application/json` (415 otherwise), must fit the size limit (413), and must be plain JSON data:
 * no prototype keys, no NUL characters, bounded nesting (400 `malformed_json`).
 */
export function jsonBodyMiddleware(maxBytes: number): RequestHandler {
  const parse = express.json({
    limit: maxBytes,
    strict: true,
    type: () => true,
    reviver: (key: string, value: unknown) => {
      if (FORBIDDEN_KEYS.has(key)) throw new UnsafeJsonError('forbidden key');
      if (typeof value === 'string' && value.includes('\u0000')) {
        throw new UnsafeJsonError('NUL character');
      }
      return value;
    },
  });

  return (req: Request, res: Response, next: NextFunction): void => {
    if (!carriesBody(req)) {
      req.body = undefined;
      next();
      return;
    }
    if (!isJsonContentType(req.headers['content-type'])) {
      sendError(res, 'unsupported_media_type', 'Request bodies must be application/json.');
      return;
    }
    parse(req, res, (error?: unknown) => {
      if (error !== undefined && error !== null) {
        const type = (error as { type?: unknown }).type;
        if (type === 'entity.too.large') {
          // Do not drain an oversized upload: answer and close the connection.
          res.setHeader('Connection', 'close');
          sendError(res, 'payload_too_large', 'The request body is too large.');
        } else if (type === 'charset.unsupported' || type === 'encoding.unsupported') {
          sendError(res, 'unsupported_media_type', 'Request bodies must be UTF-8 JSON.');
        } else {
          sendError(res, 'malformed_json', 'The request body is not valid JSON.');
        }
        return;
      }
      if (depthExceeds(req.body, MAX_JSON_DEPTH)) {
        sendError(res, 'malformed_json', 'The request body is nested too deeply.');
        return;
      }
      next();
    });
  };
}

function carriesBody(req: Request): boolean {
  if (req.headers['transfer-encoding'] !== undefined) return true;
  const length = req.headers['content-length'];
  return length !== undefined && length !== '0';
}

export function isJsonContentType(header: string | undefined): boolean {
  if (header === undefined) return false;
  const [type, ...params] = header
    .toLowerCase()
    .split(';')
    .map((part) => part.trim());
  if (type !== 'application/json') return false;
  return params.every((param) => param === '' || param === 'charset=utf-8');
}

function depthExceeds(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== 'object') continue;
    if (depth > max) return true;
    for (const child of Object.values(current)) stack.push([child, depth + 1]);
  }
  return false;
}
