import type { Params } from '@angular/router';

export const SIGN_IN_PATH = '/sign-in';
export const CHANGE_PASSWORD_PATH = '/change-password';
export const LOCKDOWN_PATH = '/lockdown';

const MAX_RETURN_URL_LENGTH = 2000;

function isSignInUrl(url: string): boolean {
  return url === SIGN_IN_PATH || /^\/sign-in[/?#]/.test(url);
}

/**
 * The `returnUrl` query parameter is attacker-controllable: accept only a path on this origin
 * (`/admin/users?x=1`), never `//host`, `/\host`, a scheme, control characters or the sign-in
 * pages themselves; anything else returns to the home page.
 */
export function safeReturnUrl(value: unknown): string {
  if (typeof value !== 'string' || value.length > MAX_RETURN_URL_LENGTH) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  // eslint-disable-next-line no-control-regex -- rejecting control characters is the point
  if (/[\u0000-\u001f\u007f]/.test(value)) return '/';
  if (isSignInUrl(value)) return '/';
  return value;
}

/** Query parameters that bring the person back to `url` after signing in (none for home). */
export function returnUrlParams(url: string): Params {
  const safe = safeReturnUrl(url);
  return safe === '/' ? {} : { returnUrl: safe };
}
