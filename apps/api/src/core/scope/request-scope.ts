import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import { permissionsFor, type Role } from '@harbour/domain';
import type { AuditNote } from '../../infra/audit/audit-notes';
import type { AuthenticatedRequest } from '../../infra/auth/access';
import type { Principal } from '../../infra/auth/principal';
import type { Tx } from '../../infra/database/transaction';
import { UnauthenticatedError } from '../../infra/http/domain-error';

/**
 * Everything a piece of work runs within, passed explicitly and the same way everywhere: the
 * controller takes it with `@Scope()` and hands it to services, services hand it (or its `tx`)
 * to repositories. Background work (periodic tasks, the CLI, demo data) makes one with
 * `systemScope`.
 */
export interface RequestScope {
  /** The one database transaction of this request, its tenant set from the session. */
  readonly tx: Tx;
  /** The signed-in caller; null on routes that need no session (sign-in) and in system work. */
  readonly principal: Principal | null;
  /** The tenant of `tx`, or null when none is set yet (sign-in before the password matched). */
  readonly organisationId: string | null;
  /** Adds details to this request's access event (no-op in system work). */
  note(details: AuditNote): void;
}

/** A scope whose caller must be signed in: the principal and tenant are never null. */
export interface SignedInScope extends RequestScope {
  readonly principal: Principal;
  readonly organisationId: string;
}

/**
 * What a service reading one organisation's data needs: the transaction with its tenant set.
 * A signed-in request's scope is one; so is system work in one organisation
 * (`{ ...systemScope(tx), organisationId }`).
 */
export type TenantScope = Pick<RequestScope, 'tx' | 'note'> & { readonly organisationId: string };

type ScopedRequest = AuthenticatedRequest & { harbourScope?: RequestScope };

/** Attaches the scope the transaction interceptor opened to the request it serves. */
export function attachScope(req: AuthenticatedRequest, scope: RequestScope): void {
  (req as ScopedRequest).harbourScope = scope;
}

/** The scope the transaction interceptor attached to `req` (for route-level interceptors). */
export function scopeOf(req: AuthenticatedRequest): RequestScope {
  const scope = (req as ScopedRequest).harbourScope;
  if (scope === undefined) throw new Error('no request scope: is the route @NoTransaction()?');
  return scope;
}

/** The scope of a request, for route handlers: `@Scope() scope: SignedInScope`. */
export const Scope = createParamDecorator(
  (_data: unknown, context: ExecutionContext): RequestScope =>
    scopeOf(context.switchToHttp().getRequest<AuthenticatedRequest>()),
);

/** Narrows a scope to a signed-in caller (the access guard has already refused anyone else). */
export function signedIn(scope: RequestScope): SignedInScope {
  if (scope.principal === null || scope.organisationId === null) throw new UnauthenticatedError();
  return scope as SignedInScope;
}

/** A scope for work no request started: periodic tasks, the operator CLI, demo data. */
export function systemScope(tx: Tx): RequestScope {
  return {
    tx,
    principal: null,
    get organisationId() {
      return tx.organisationId;
    },
    note: () => undefined,
  };
}

/** A scope for system work in the organisation `tx` is set to (benchmarks, tests, tasks). */
export function tenantScope(tx: Tx): TenantScope {
  const organisationId = tx.organisationId;
  if (organisationId === null) throw new Error('the transaction has no tenant');
  return { ...systemScope(tx), organisationId };
}

/**
 * A scope for work done as a staff member outside their own request — demo data written as the
 * demo caseworker, a decoy recorded as a real caseworker's — whose notes go nowhere, so the
 * surrounding request's access event never names what was written.
 */
export function actingAs(tx: Tx, principal: Principal): SignedInScope {
  return { tx, principal, organisationId: principal.organisationId, note: () => undefined };
}

/**
 * A staff member as the case services see an author when no session of theirs is involved
 * (demo data, decoys): nothing is served to them, so session fields are placeholders.
 */
export function actingPrincipal(
  organisationId: string,
  staff: { id: string; email: string; displayName: string; roles: readonly Role[] },
  now: Date,
): Principal {
  return {
    sessionId: '00000000-0000-7000-8000-000000000000',
    organisationId,
    userId: staff.id,
    email: staff.email,
    displayName: staff.displayName,
    roles: [...staff.roles],
    language: null,
    permissions: permissionsFor(staff.roles),
    stage: 'active',
    mustChangePassword: false,
    stepUpAt: null,
    lockdownSince: null,
    idleExpiresAt: now,
    absoluteExpiresAt: now,
  };
}
