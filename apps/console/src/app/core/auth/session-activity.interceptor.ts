import type { HttpInterceptorFn } from '@angular/common/http';
import { HttpResponse } from '@angular/common/http';
import { inject } from '@angular/core';
import { tap } from 'rxjs';
import { SessionStore } from './session.store';

/**
 * Every successful API response moves the server's idle deadline to now + 15 minutes; keep the
 * console's copy in step so that the expiry warning is not shown to somebody who is working.
 * Failed responses are not counted: erring early only means an unneeded warning.
 */
export const sessionActivityInterceptor: HttpInterceptorFn = (request, next) => {
  if (!request.url.startsWith('/api/')) return next(request);
  const store = inject(SessionStore);
  return next(request).pipe(
    tap((event) => {
      if (event instanceof HttpResponse) store.touch();
    }),
  );
};
