import { inject } from '@angular/core';
import type { CanActivateChildFn, CanActivateFn, CanMatchFn, Data } from '@angular/router';
import { Router } from '@angular/router';
import type { Permission } from '@harbour/domain';
import { PERMISSIONS } from '@harbour/domain';
import { CHANGE_PASSWORD_PATH, LOCKDOWN_PATH, returnUrlParams, SIGN_IN_PATH } from './return-url';
import { SessionStore } from './session.store';

function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && (PERMISSIONS as readonly string[]).includes(value);
}

/** Signed-in people only; everybody else goes to the sign-in page and comes back afterwards. */
export const authGuard: CanActivateFn & CanActivateChildFn = (_route, state) => {
  if (inject(SessionStore).authenticated()) return true;
  return inject(Router).createUrlTree([SIGN_IN_PATH], { queryParams: returnUrlParams(state.url) });
};

/** The sign-in pages are for signed-out people; a signed-in person goes home. */
export const guestGuard: CanActivateFn = () => {
  if (!inject(SessionStore).authenticated()) return true;
  return inject(Router).createUrlTree(['/']);
};

/**
 * A one-time password must be replaced before anything else (the API refuses everything else with
 * `403 password_change_required`, so the console does not even try).
 */
export const passwordChangeGuard: CanActivateFn & CanActivateChildFn = (_route, state) => {
  if (!inject(SessionStore).mustChangePassword()) return true;
  return inject(Router).createUrlTree([CHANGE_PASSWORD_PATH], {
    queryParams: returnUrlParams(state.url),
  });
};

/**
 * Requires `route.data.permission`. Default deny: a route that declares none, or an unknown one,
 * is refused. Used as `canMatch`, a refused route simply does not match, so the person sees
 * "page not found", exactly as for a page that does not exist (docs/design.md §6), and its code is
 * not even downloaded.
 */
export const permissionGuard: CanMatchFn & CanActivateFn = (route: { readonly data?: Data }) => {
  const permission: unknown = route.data?.['permission'];
  return isPermission(permission) && inject(SessionStore).hasPermission(permission);
};

/**
 * While the organisation is in lockdown, the API answers only the lockdown page's requests
 * (docs/security.md T25): every page leads there (only admins can be signed in then).
 */
export const lockdownGuard: CanActivateFn & CanActivateChildFn = (_route, state) => {
  if (!inject(SessionStore).lockdown()) return true;
  if (state.url === LOCKDOWN_PATH || state.url.startsWith(`${LOCKDOWN_PATH}?`)) return true;
  return inject(Router).createUrlTree([LOCKDOWN_PATH]);
};
