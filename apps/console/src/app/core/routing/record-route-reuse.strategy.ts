import { Injectable } from '@angular/core';
import { BaseRouteReuseStrategy, type ActivatedRouteSnapshot } from '@angular/router';

/**
 * A page for another record is a new page. Angular keeps a route's component when only its
 * parameters change (`/people/a` → `/people/b`, as the merged record's "open" link does), and a
 * page that reads its record once would keep showing the first record — or what was revealed on
 * it — under the second one's address. Here a route is reused only while its parameters stay the
 * same; query parameters and fragments do not count.
 */
@Injectable()
export class RecordRouteReuseStrategy extends BaseRouteReuseStrategy {
  override shouldReuseRoute(
    future: ActivatedRouteSnapshot,
    current: ActivatedRouteSnapshot,
  ): boolean {
    return future.routeConfig === current.routeConfig && sameParams(future, current);
  }
}

function sameParams(a: ActivatedRouteSnapshot, b: ActivatedRouteSnapshot): boolean {
  const keys = Object.keys(a.params);
  return (
    keys.length === Object.keys(b.params).length &&
    keys.every((key) => a.params[key] === b.params[key])
  );
}
