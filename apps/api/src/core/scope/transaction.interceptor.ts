import {
  Inject,
  Injectable,
  Logger,
  SetMetadata,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { isUuid, type AuditOutcome } from '@harbour/domain';
import { from, lastValueFrom, type Observable } from 'rxjs';
import { addToAuditNote, type AuditNote } from '../../infra/audit/audit-notes';
import {
  accessEventOf,
  AUDIT_METADATA,
  AUDIT_WRITER,
  type AccessEventInput,
  type AuditRule,
  type AuditWriter,
} from '../../infra/audit/audit-writer';
import { Db, FinalMessageError, OPENING_READS } from '../../infra/database/transaction';
import {
  DomainError,
  IntegrityError,
  ServiceUnavailableError,
} from '../../infra/http/domain-error';
import { describeError } from '../../infra/logging/logger';
import type { AuthenticatedRequest, DeferredSession } from '../../infra/auth/access';
import type { Principal } from '../../infra/auth/principal';
import { attachScope } from './request-scope';

const NO_TRANSACTION = 'harbour:no-transaction';

/** For routes that must answer even when the database does not (health checks). */
export const NoTransaction = (): ClassDecorator & MethodDecorator =>
  SetMetadata(NO_TRANSACTION, true);

const DENIED_CODES = new Set([
  'unauthenticated',
  'forbidden',
  'csrf_rejected',
  'step_up_required',
  'password_change_required',
  'mfa_required',
  'invalid_credentials',
  'invalid_code',
  'account_locked',
  'rate_limited',
  'lockdown_active',
  'own_role_change',
  'second_admin_required',
  'person_restricted',
]);

export function outcomeOf(error: unknown): AuditOutcome {
  return error instanceof DomainError && DENIED_CODES.has(error.code) ? 'denied' : 'failure';
}

/** The session check in a transaction's opening message did not admit the caller. */
class NotAdmitted extends Error {
  constructor() {
    super('the session check in the opening message did not admit the request');
    this.name = 'NotAdmitted';
  }
}

/** Builds the event of a route call; null when there is no organisation to log it to. */
export function accessEvent(
  rule: AuditRule,
  outcome: AuditOutcome,
  req: AuthenticatedRequest,
  principal: Principal | undefined,
  note: AuditNote,
): AccessEventInput | null {
  const organisationId = principal?.organisationId ?? note.organisationId;
  if (organisationId === undefined) return null;
  const param = rule.resourceParam === undefined ? undefined : req.params[rule.resourceParam];
  const resourceIds = [
    ...(typeof param === 'string' && isUuid(param) ? [param] : []),
    ...(note.resourceIds ?? []),
  ];
  return accessEventOf({
    organisationId,
    actorId: principal?.userId ?? note.actorId ?? null,
    actorRoles: principal?.roles ?? note.actorRoles ?? [],
    action: note.action ?? rule.action,
    resourceType: rule.resourceType ?? null,
    resourceIds: [...new Set(resourceIds)],
    fields: [...new Set(note.fields ?? [])],
    purpose: note.purpose ?? null,
    outcome,
  });
}

/**
 * Runs every route handler inside one database transaction whose tenant is the caller's
 * organisation (from the session only), and writes the route's access event in that same
 * transaction before anything is returned (docs/design.md §7; docs/security.md T15). If the event cannot be written,
 * the request fails with 503 and the action rolls back. A failed request rolls back and its
 * event (outcome `denied` or `failure`) is written on its own: exactly one event per call.
 */
@Injectable()
export class TransactionInterceptor implements NestInterceptor {
  private readonly logger = new Logger('AccessLog');

  constructor(
    private readonly db: Db,
    private readonly reflector: Reflector,
    @Inject(AUDIT_WRITER) private readonly audit: AuditWriter,
  ) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const skip = this.reflector.getAllAndOverride<boolean | undefined>(NO_TRANSACTION, [
      context.getHandler(),
      context.getClass(),
    ]);
    const req = context.switchToHttp().getRequest<AuthenticatedRequest>();
    const deferred = req.deferredSession;
    req.deferredSession = undefined;
    if (skip === true) {
      // A session check left to the transaction still runs, on its own, before the handler.
      if (deferred === undefined) return next.handle();
      return from(deferred.standard().then(() => lastValueFrom(next.handle())));
    }
    const rule = this.reflector.get<AuditRule | undefined>(AUDIT_METADATA, context.getHandler());
    const openingReads =
      this.reflector.get<boolean | undefined>(OPENING_READS, context.getHandler()) === true;
    return from(this.runChecked(req, rule, next, openingReads, deferred));
  }

  /**
   * With a session check left to the transaction (docs/adr/0021): the check in the message that
   * opens it; if it does not admit the caller, nothing has run, the transaction rolls back and
   * the guard's usual check runs (refusing and logging as for any route), then the request as
   * usual. An admitted request whose transaction did not commit still moves the idle deadline.
   */
  private async runChecked(
    req: AuthenticatedRequest,
    rule: AuditRule | undefined,
    next: CallHandler,
    openingReads: boolean,
    deferred: DeferredSession | undefined,
  ): Promise<unknown> {
    if (deferred !== undefined) {
      try {
        return await this.run(req, rule, next, openingReads, deferred);
      } catch (error) {
        if (!(error instanceof NotAdmitted)) {
          await deferred.touch().catch(() => undefined);
          throw error;
        }
      }
      await deferred.standard();
    }
    return this.run(req, rule, next, openingReads, undefined);
  }

  private async run(
    req: AuthenticatedRequest,
    rule: AuditRule | undefined,
    next: CallHandler,
    openingReads: boolean,
    deferred: DeferredSession | undefined,
  ): Promise<unknown> {
    const organisationId = deferred === undefined ? (req.principal?.organisationId ?? null) : null;
    let auditFailed = false;
    const note: AuditNote = {};
    const result = this.db.transaction(
      organisationId,
      async (tx) => {
        if (deferred !== undefined && !deferred.admit(tx.session)) throw new NotAdmitted();
        attachScope(req, {
          tx,
          principal: req.principal ?? null,
          get organisationId() {
            return tx.organisationId;
          },
          note: (details) => addToAuditNote(note, details),
        });
        const value: unknown = await lastValueFrom(next.handle(), { defaultValue: undefined });
        const event =
          rule === undefined ? null : accessEvent(rule, 'success', req, req.principal, note);
        if (event !== null) {
          try {
            // The event is the transaction's last work and may carry its COMMIT (docs/adr/0019).
            await this.audit.appendAndCommit(tx, event);
          } catch (error) {
            // When the message with the event and the COMMIT failed, neither happened (or, with
            // the connection lost, the outcome is unknown): the failure event is tried on its own
            // below, as for any request that did not commit.
            auditFailed = !(error instanceof FinalMessageError);
            this.logger.error({ err: describeError(error) }, 'access event could not be written');
            throw new ServiceUnavailableError();
          }
        }
        return value;
      },
      { openingReads, session: deferred?.statement },
    );
    try {
      return await result;
    } catch (error) {
      if (error instanceof NotAdmitted) throw error;
      if (rule !== undefined && !auditFailed) {
        const event = accessEvent(rule, outcomeOf(error), req, req.principal, note);
        if (event !== null) {
          await this.audit.appendSeparately(event).catch((writeError: unknown) => {
            this.logger.error(
              { err: describeError(writeError) },
              'access event of a failed request could not be written',
            );
          });
          if (error instanceof IntegrityError) {
            const security: AccessEventInput = {
              ...event,
              action: 'security.integrity_failure',
              resourceIds: [...error.resourceIds],
              fields: [],
              purpose: null,
              outcome: 'failure',
            };
            await this.audit.appendSeparately(security).catch((writeError: unknown) => {
              this.logger.error(
                { err: describeError(writeError) },
                'security event could not be written',
              );
            });
          }
        }
      }
      throw error;
    }
  }
}
