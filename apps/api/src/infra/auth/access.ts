import { Injectable, SetMetadata, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Permission } from '@harbour/domain';
import { UnauthenticatedError } from '../http/domain-error';

export const ACCESS_METADATA = 'harbour:access';

export type AccessRule =
  { readonly kind: 'public' } | { readonly kind: 'permission'; readonly permission: Permission };

/** The route needs no session (health checks, login). */
export const Public = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_METADATA, { kind: 'public' } satisfies AccessRule);

/** The route needs a signed-in user holding `permission`. */
export const RequirePermission = (permission: Permission): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_METADATA, { kind: 'permission', permission } satisfies AccessRule);

export function accessRuleOf(
  reflector: Reflector,
  context: ExecutionContext,
): AccessRule | undefined {
  return reflector.getAllAndOverride<AccessRule | undefined>(ACCESS_METADATA, [
    context.getHandler(),
    context.getClass(),
  ]);
}

/**
 * Default deny: a route without a declared rule is refused (and fails the route-coverage
 * test); a permission route needs a session, which the identity module provides.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const rule = accessRuleOf(this.reflector, context);
    if (rule?.kind === 'public') return true;
    // No session mechanism is wired yet, so nothing but public routes can be reached.
    throw new UnauthenticatedError();
  }
}
