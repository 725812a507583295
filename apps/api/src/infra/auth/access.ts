import { createHash, timingSafeEqual } from 'node:crypto';
import {
  Inject,
  Injectable,
  SetMetadata,
  type CanActivate,
  type ExecutionContext,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { SESSION_COOKIE, STEP_UP_MS, XSRF_HEADER, type Permission } from '@harbour/domain';
import type { Request } from 'express';
import {
  accessEventOf,
  AUDIT_METADATA,
  AUDIT_WRITER,
  type AuditRule,
  type AuditWriter,
} from '../audit/audit-writer';
import { DomainError, UnauthenticatedError } from '../http/domain-error';
import type { HarbourConfig } from '../config/config';
import { HARBOUR_CONFIG } from '../config/config.module';
import { OPENING_READS, type SimpleExecute } from '../database/transaction';
import { Clock } from '../time/clock';
import { readCookie } from './cookies';
import { checkMachineToken, type MachineTokenName } from './machine-token';
import { LOCKDOWN_METADATA, LockdownActiveError, type LockdownAccess } from './lockdown';
import type { Principal, SessionStage } from './principal';

export const ACCESS_METADATA = 'harbour:access';
export const STEP_UP_METADATA = 'harbour:step-up';

export type AccessRule =
  /** No session needed (health checks, sign-in). */
  | { readonly kind: 'public' }
  /** A session at one of the given sign-in stages, whatever the roles (the auth routes). */
  | { readonly kind: 'session'; readonly stages: readonly SessionStage[] }
  /** A fully signed-in user holding the permission. */
  | { readonly kind: 'permission'; readonly permission: Permission }
  /** A machine holding the configured token (`Authorization: Bearer`); never a staff session. */
  | { readonly kind: 'machine'; readonly token: MachineTokenName };

export const Public = (): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_METADATA, { kind: 'public' } satisfies AccessRule);

/** A session at one of `stages` (default: fully signed in); no particular permission. */
export const SignedIn = (...stages: readonly SessionStage[]): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_METADATA, {
    kind: 'session',
    stages: stages.length > 0 ? stages : ['active'],
  } satisfies AccessRule);

export const RequirePermission = (permission: Permission): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_METADATA, { kind: 'permission', permission } satisfies AccessRule);

/** A machine caller with the named token (machine-token.ts); sessions are ignored. */
export const MachineToken = (token: MachineTokenName): MethodDecorator & ClassDecorator =>
  SetMetadata(ACCESS_METADATA, { kind: 'machine', token } satisfies AccessRule);

/** The route also needs a step-up (password and TOTP) within the last five minutes (T7). */
export const RequireStepUp = (): MethodDecorator => SetMetadata(STEP_UP_METADATA, true);

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
 * Resolves a session token to a principal, or null. Provided by the auth feature (the guard
 * lives in infrastructure and must not import features). Resolving also refreshes the idle
 * deadline of an active session.
 */
export interface SessionResolver {
  resolve(tokenHash: Buffer, now: Date): Promise<{ principal: Principal; csrfHash: Buffer } | null>;
  /** `resolve`'s check as a statement for the message that opens a transaction. */
  resumeStatement(tokenHash: Buffer, now: Date): SimpleExecute;
  /** The principal from that statement's rows; null when there is none or it must be revoked. */
  principalOf(
    rows: readonly object[],
    now: Date,
  ): { principal: Principal; csrfHash: Buffer } | null;
}

/**
 * A session check the guard leaves to the request's transaction (docs/adr/0021), for routes
 * with a permission rule that read the keyring first (`@ReadsKeysFirst`): the transaction
 * interceptor sends `statement` in the message that opens the transaction and hands its rows to
 * `admit`. Only a live session that passes every check `admit`s (and `req.principal` is then
 * set); on anything else the transaction rolls back and `standard` runs the guard's usual check,
 * which refuses, revokes and logs exactly as for any other route (or admits, setting the
 * principal). `touch` moves the session's idle deadline when an admitted request's transaction
 * did not commit, as the usual check (its own transaction) would have.
 */
export interface DeferredSession {
  readonly statement: SimpleExecute;
  admit(rows: readonly object[]): boolean;
  standard(): Promise<void>;
  touch(): Promise<void>;
}

export const SESSION_RESOLVER = Symbol('SESSION_RESOLVER');

export type AuthenticatedRequest = Request & {
  principal?: Principal;
  deferredSession?: DeferredSession;
};

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function sha256(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Default deny (docs/design.md §6). In order: the route must declare a rule; state-changing requests
 * must come from our own origin (Sec-Fetch-Site, Origin) and, with a session, carry the session's
 * CSRF token; then the session (cookie → server-side session), its stage, the organisation's
 * lockdown (only `@AllowedInLockdown` routes answer), the password-change requirement, the
 * permission and the step-up are checked. Roles are read fresh on every
 * request, so a role removed mid-session is denied on the next request.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly clock: Clock,
    @Inject(SESSION_RESOLVER) private readonly sessions: SessionResolver,
    @Inject(AUDIT_WRITER) private readonly audit: AuditWriter,
    @Inject(HARBOUR_CONFIG) private readonly config: HarbourConfig,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const rule = accessRuleOf(this.reflector, context);
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    if (rule === undefined) throw new UnauthenticatedError();

    const unsafe = UNSAFE_METHODS.has(req.method);
    if (unsafe) checkSameOrigin(req);
    if (rule.kind === 'public') return true;
    if (rule.kind === 'machine') {
      const tokens: Record<MachineTokenName, string | null> = {
        metrics: this.config.metrics.token,
      };
      checkMachineToken(req, tokens[rule.token]);
      return true;
    }

    const token = readCookie(req, SESSION_COOKIE);
    if (token === undefined || !/^[A-Za-z0-9_-]{43}$/.test(token)) throw new UnauthenticatedError();
    const tokenHash = sha256(token);
    if (
      rule.kind === 'permission' &&
      this.reflector.get<boolean | undefined>(OPENING_READS, context.getHandler()) === true
    ) {
      req.deferredSession = this.defer(context, rule, req, tokenHash, unsafe);
      return true;
    }
    await this.admit(context, rule, req, tokenHash, unsafe);
    return true;
  }

  /** The session check in its own statement, then the access checks; a refusal is logged. */
  private async admit(
    context: ExecutionContext,
    rule: Exclude<AccessRule, { kind: 'public' | 'machine' }>,
    req: AuthenticatedRequest,
    tokenHash: Buffer,
    unsafe: boolean,
  ): Promise<void> {
    const resolved = await this.sessions.resolve(tokenHash, this.clock.now());
    if (resolved === null) throw new UnauthenticatedError();
    const { principal, csrfHash } = resolved;
    try {
      this.authorise(context, rule, req, principal, csrfHash, unsafe);
    } catch (error) {
      // A signed-in caller refused by access control: the denial is an access event too.
      const auditRule = this.reflector.get<AuditRule | undefined>(
        AUDIT_METADATA,
        context.getHandler(),
      );
      if (auditRule !== undefined && error instanceof DomainError) {
        await this.audit
          .appendSeparately(
            accessEventOf({
              organisationId: principal.organisationId,
              actorId: principal.userId,
              actorRoles: principal.roles,
              action: auditRule.action,
              resourceType: auditRule.resourceType ?? null,
              outcome: 'denied',
            }),
          )
          .catch(() => undefined);
      }
      throw error;
    }
    req.principal = principal;
  }

  /** The session check left to the request's transaction (`DeferredSession`). */
  private defer(
    context: ExecutionContext,
    rule: Exclude<AccessRule, { kind: 'public' | 'machine' }>,
    req: AuthenticatedRequest,
    tokenHash: Buffer,
    unsafe: boolean,
  ): DeferredSession {
    const now = this.clock.now();
    return {
      statement: this.sessions.resumeStatement(tokenHash, now),
      admit: (rows) => {
        const resolved = this.sessions.principalOf(rows, now);
        if (resolved === null) return false;
        try {
          this.authorise(context, rule, req, resolved.principal, resolved.csrfHash, unsafe);
        } catch {
          return false;
        }
        req.principal = resolved.principal;
        return true;
      },
      standard: () => this.admit(context, rule, req, tokenHash, unsafe),
      touch: async () => {
        await this.sessions.resolve(tokenHash, this.clock.now());
      },
    };
  }

  private authorise(
    context: ExecutionContext,
    rule: Exclude<AccessRule, { kind: 'public' | 'machine' }>,
    req: AuthenticatedRequest,
    principal: Principal,
    csrfHash: Buffer,
    unsafe: boolean,
  ): void {
    if (unsafe) {
      const header = req.headers[XSRF_HEADER.toLowerCase()];
      if (typeof header !== 'string' || !sameHash(sha256(header), csrfHash)) {
        throw new DomainError('csrf_rejected', 'The request was refused (CSRF check).');
      }
    }

    if (rule.kind === 'session') {
      if (!rule.stages.includes(principal.stage)) throw new UnauthenticatedError();
    } else if (principal.stage !== 'active') {
      throw new UnauthenticatedError();
    }

    // Lockdown (docs/security.md T25), before anything that depends on roles: only the routes that
    // declare `@AllowedInLockdown` answer, and `admins` ones to admins only. Everything else —
    // every route present and future — is refused with `lockdown_active` (and logged).
    if (principal.lockdownSince !== null) {
      const access = this.reflector.get<LockdownAccess | undefined>(
        LOCKDOWN_METADATA,
        context.getHandler(),
      );
      if (access === undefined || (access === 'admins' && !principal.roles.includes('admin'))) {
        throw new LockdownActiveError();
      }
    }

    if (rule.kind === 'permission') {
      if (principal.mustChangePassword) {
        throw new DomainError('password_change_required', 'Change your password to continue.');
      }
      if (!principal.permissions.has(rule.permission)) {
        throw new DomainError('forbidden', 'Not allowed.');
      }
    }

    if (this.reflector.get<boolean | undefined>(STEP_UP_METADATA, context.getHandler()) === true) {
      const at = principal.stepUpAt;
      if (at === null || this.clock.now().getTime() - at.getTime() > STEP_UP_MS) {
        throw new DomainError('step_up_required', 'Confirm your password and code to continue.');
      }
    }
  }
}

function sameHash(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * docs/security.md T9: a state-changing request must not be cross-site. Browsers send
 * `Sec-Fetch-Site`; `Origin` must name this host. Requests without either (curl, tests) still
 * need the session's CSRF token when they carry a session.
 */
function checkSameOrigin(req: Request): void {
  const site = req.headers['sec-fetch-site'];
  if (site !== undefined && site !== 'same-origin' && site !== 'none') {
    throw new DomainError('csrf_rejected', 'The request was refused (cross-site).');
  }
  const origin = req.headers.origin;
  if (origin !== undefined) {
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      throw new DomainError('csrf_rejected', 'The request was refused (origin).');
    }
    if (host !== req.headers.host) {
      throw new DomainError('csrf_rejected', 'The request was refused (origin).');
    }
  }
}
