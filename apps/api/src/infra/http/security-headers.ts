import type { NextFunction, Request, RequestHandler, Response } from 'express';

/**
 * Response headers of docs/security.md T10, set by hand so that every value is visible here (helmet's
 * defaults fall short of T10 and would need overriding one by one anyway).
 */
const COMMON_HEADERS: readonly (readonly [string, string])[] = [
  ['Strict-Transport-Security', 'max-age=31536000; includeSubDomains'],
  ['X-Content-Type-Options', 'nosniff'],
  ['Referrer-Policy', 'no-referrer'],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
  ['Cross-Origin-Resource-Policy', 'same-origin'],
  ['Cross-Origin-Embedder-Policy', 'require-corp'],
  ['Origin-Agent-Cluster', '?1'],
  ['X-Frame-Options', 'DENY'],
  ['X-DNS-Prefetch-Control', 'off'],
  ['X-Permitted-Cross-Domain-Policies', 'none'],
  ['X-XSS-Protection', '0'],
  [
    'Permissions-Policy',
    'accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), ' +
      'payment=(), usb=(), interest-cohort=(), browsing-topics=()',
  ],
];

/** API responses are data, never documents: nothing may load, frame or submit from them. */
export const API_CSP =
  "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; object-src 'none'";

/**
 * The console's policy: scripts only from our origin (no inline script, no eval); styles from
 * our origin plus the per-response nonce Angular uses for component styles.
 */
export function consoleCsp(nonce: string): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    "connect-src 'self'",
    "manifest-src 'self'",
    "worker-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/**
 * Sets the common headers and, by default, the API policy and `Cache-Control: no-store`. The
 * console handler replaces CSP and caching for the documents and assets it serves.
 */
export function securityHeadersMiddleware(): RequestHandler {
  return (_req: Request, res: Response, next: NextFunction): void => {
    for (const [name, value] of COMMON_HEADERS) res.setHeader(name, value);
    res.setHeader('Content-Security-Policy', API_CSP);
    res.setHeader('Cache-Control', 'no-store');
    res.setHeader('Pragma', 'no-cache');
    res.removeHeader('X-Powered-By');
    next();
  };
}
