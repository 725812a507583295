import { SESSION_COOKIE, SESSION_ABSOLUTE_MS, XSRF_COOKIE } from '@harbour/domain';
import type { Request, Response } from 'express';

/** Reads one cookie from the request header (no cookie-parser: two cookies do not need it). */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const index = part.indexOf('=');
    if (index < 0) continue;
    if (part.slice(0, index).trim() === name) return part.slice(index + 1).trim();
  }
  return undefined;
}

/**
 * docs/security.md T8: `__Host-` prefix, Secure, SameSite=Strict, Path=/, no Domain. The session
 * cookie is HttpOnly; the XSRF cookie is readable by the console, which echoes it in a header.
 * Browsers accept Secure cookies over plain http only on localhost: production runs behind TLS.
 */
export function setSessionCookies(res: Response, session: { token: string; csrf: string }): void {
  const maxAge = Math.floor(SESSION_ABSOLUTE_MS / 1000);
  res.append(
    'Set-Cookie',
    `${SESSION_COOKIE}=${session.token}; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=${maxAge}`,
  );
  res.append(
    'Set-Cookie',
    `${XSRF_COOKIE}=${session.csrf}; Path=/; Secure; SameSite=Strict; Max-Age=${maxAge}`,
  );
}

export function clearSessionCookies(res: Response): void {
  res.append(
    'Set-Cookie',
    `${SESSION_COOKIE}=; Path=/; Secure; HttpOnly; SameSite=Strict; Max-Age=0`,
  );
  res.append('Set-Cookie', `${XSRF_COOKIE}=; Path=/; Secure; SameSite=Strict; Max-Age=0`);
}
