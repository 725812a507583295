import { SetMetadata } from '@nestjs/common';
import type { AuditAction, AuditOutcome, AuditResourceType, Role } from '@harbour/domain';
import type { Tx } from '../database/transaction';
import { currentCorrelationId } from '../logging/request-context';

/** What one access event records (docs/design.md §7). Never plaintext identity or search terms. */
export interface AccessEventInput {
  readonly organisationId: string;
  readonly actorId: string | null;
  readonly actorRoles: readonly Role[];
  readonly action: AuditAction;
  readonly resourceType: string | null;
  /** Pseudonymous ids (uuids, person codes). */
  readonly resourceIds: readonly string[];
  /** Names of fields revealed, never values. */
  readonly fields: readonly string[];
  readonly purpose: string | null;
  readonly outcome: AuditOutcome;
  readonly requestId: string;
}

/**
 * The one way an access event is made: what a call does not say is empty (no actor, roles,
 * resource, ids, fields or purpose), and the request id is the current request's.
 */
export function accessEventOf(
  event: Pick<AccessEventInput, 'organisationId' | 'action' | 'outcome'> &
    Partial<AccessEventInput>,
): AccessEventInput {
  return {
    actorId: null,
    actorRoles: [],
    resourceType: null,
    resourceIds: [],
    fields: [],
    purpose: null,
    requestId: currentCorrelationId(),
    ...event,
  };
}

/**
 * Writes access events. Provided by the audit feature (infrastructure must not import
 * features). `append` writes inside the caller's transaction (`appendAndCommit` as its end); `appendSeparately` commits on its
 * own (for failures and denials, whose request rolls back).
 */
export interface AuditWriter {
  append(tx: Tx, event: AccessEventInput): Promise<void>;
  /**
   * `append` as the last work of `tx`, which it may commit in the same message as the event
   * (docs/adr/0019): once it returns nothing more may run in `tx`. It rejects with
   * `FinalMessageError` when that message failed (`tx` did not commit).
   */
  appendAndCommit(tx: Tx, event: AccessEventInput): Promise<void>;
  appendSeparately(event: AccessEventInput): Promise<void>;
}

export const AUDIT_WRITER = Symbol('AUDIT_WRITER');

export const AUDIT_METADATA = 'harbour:audit';

export interface AuditRule {
  readonly action: AuditAction;
  readonly resourceType?: AuditResourceType;
  /** Route parameter holding the resource id, e.g. `id`. */
  readonly resourceParam?: string;
}

/** Declares the access event a route writes (exactly one per call, success or not). */
export const Audit = (
  action: AuditAction,
  options: Omit<AuditRule, 'action'> = {},
): MethodDecorator => SetMetadata(AUDIT_METADATA, { action, ...options } satisfies AuditRule);
