import { RequestMethod, type INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { ACCESS_METADATA, type AccessRule } from './access';
import { LOCKDOWN_METADATA, type LockdownAccess } from './lockdown';

export interface RouteEntry {
  readonly method: string;
  readonly path: string;
  readonly controller: string;
  readonly handler: string;
  readonly access: AccessRule | undefined;
  /** Who may still call it during a lockdown (`@AllowedInLockdown`); undefined: nobody. */
  readonly lockdown: LockdownAccess | undefined;
}

/**
 * Every HTTP route of an application with its declared access rule, read from the same
 * metadata Nest routes by. The route-coverage test and the access matrix are built from it.
 */
export function listRoutes(app: INestApplication): RouteEntry[] {
  const routes: RouteEntry[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const type = wrapper.metatype as (new (...args: never[]) => unknown) | null;
      if (type === null || typeof type !== 'function') continue;
      const base = normalise(
        Reflect.getMetadata(PATH_METADATA, type) as string | string[] | undefined,
      );
      const classRule = Reflect.getMetadata(ACCESS_METADATA, type) as AccessRule | undefined;
      const proto = type.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(proto)) {
        const handler = proto[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        if (path === undefined) continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod;
        const rule =
          (Reflect.getMetadata(ACCESS_METADATA, handler) as AccessRule | undefined) ?? classRule;
        routes.push({
          method: RequestMethod[method],
          path: `/${[base, normalise(path)].filter((p) => p !== '').join('/')}`,
          controller: type.name,
          handler: name,
          access: rule,
          lockdown: Reflect.getMetadata(LOCKDOWN_METADATA, handler) as LockdownAccess | undefined,
        });
      }
    }
  }
  return routes.sort((a, b) => a.path.localeCompare(b.path) || a.method.localeCompare(b.method));
}

function normalise(path: string | string[] | undefined): string {
  const first = Array.isArray(path) ? (path[0] ?? '') : (path ?? '');
  return first.replace(/^\/+|\/+$/g, '');
}
