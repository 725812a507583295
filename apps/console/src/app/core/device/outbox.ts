import type {
  BulkIntakeRequest,
  CreateContactRequest,
  CreatePersonRequest,
  ErrorCode,
} from '@harbour/domain';
import type { AppErrorCode } from '../http/app-error';

/**
 * A submission saved on the device while offline (docs/adr/0012): the request bodies and the
 * `Idempotency-Key`s fixed when it was captured, so that sending it twice records it once.
 */
export type OutboxSubmission =
  | {
      readonly kind: 'contact';
      /** A new person to create first, or null (anonymous, a group, or a returning person). */
      readonly person: { readonly request: CreatePersonRequest; readonly key: string } | null;
      /** The contact, with `personId` set for a returning person. */
      readonly contact: CreateContactRequest;
      readonly contactKey: string;
    }
  | { readonly kind: 'intake'; readonly request: BulkIntakeRequest; readonly key: string };

/** What the API refused, for the worker to see and fix (codes and field paths, never values). */
export interface OutboxProblem {
  readonly code: AppErrorCode;
  readonly fields: readonly string[];
  /**
   * Not refused: it was first sent longer ago than the API remembers idempotency keys, without
   * a confirmed answer, so sending it again could record it twice. The worker checks first.
   */
  readonly unconfirmed?: true;
}

export interface OutboxEntry {
  readonly submission: OutboxSubmission;
  /** Set when the API refused it: it waits for the worker, never sent again as it is. */
  readonly problem: OutboxProblem | null;
  /** The new person an earlier attempt created before its contact failed: reused on retry. */
  readonly createdPersonId: string | null;
  /** When it was first sent (epoch ms), whatever came of it; absent until then. */
  readonly firstSentAt?: number;
}

/** One entry as the console lists it. */
export interface OutboxItem {
  readonly id: string;
  readonly savedAt: number;
  readonly entry: OutboxEntry;
}

/**
 * Failures after which the entry waits to be sent again as it is: no connection, the service
 * busy or down, or the session not (yet) able to send. Every other refusal is a problem for the
 * worker (the person was merged or erased, a possible duplicate, a field refused, …).
 */
const TRANSIENT: readonly AppErrorCode[] = [
  'network_error',
  'unknown_error',
  'rate_limited',
  'service_unavailable',
  'internal_error',
  'unauthenticated',
  'csrf_rejected',
  'lockdown_active',
  'password_change_required',
  'mfa_required',
  'mfa_enrolment_required',
  'step_up_required',
] satisfies readonly (ErrorCode | 'network_error' | 'unknown_error')[];

export function isTransient(code: AppErrorCode): boolean {
  return TRANSIENT.includes(code);
}

/** Where the worker opens an entry back into its form. */
export function formPathOf(submission: OutboxSubmission): string {
  return submission.kind === 'contact' ? '/contacts/new' : '/intake';
}
