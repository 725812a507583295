import type { HttpInterceptorFn } from '@angular/common/http';

/**
 * API calls bypass the service worker (`ngsw-bypass`, docs/adr/0013): it caches the app shell
 * only, so it has no business seeing case data, and going straight to the network means a
 * failure is the network's, not a `504` the worker made up while it thought it was offline.
 */
export const serviceWorkerBypassInterceptor: HttpInterceptorFn = (request, next) =>
  next(
    request.url.startsWith('/api/') || request.url.startsWith('/health/')
      ? request.clone({ setHeaders: { 'ngsw-bypass': 'true' } })
      : request,
  );
